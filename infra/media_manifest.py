"""The media half of a backup: which object versions the bucket held, and putting them back.

The bucket is versioned (docker-compose.yml turns versioning on in MinIO; do the same on
S3), so a backup does not copy media: it records, for every key, the version that was
current. Restoring makes those versions current again. Overwritten or deleted objects
come back as long as the bucket keeps noncurrent versions (mind lifecycle rules).

    python infra/media_manifest.py save FILE      # used by infra/backup.sh
    python infra/media_manifest.py restore FILE   # used by infra/restore.sh --media

Reads the CMS's own variables: AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL,
AWS_S3_REGION_NAME and the standard AWS credentials.
"""

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import boto3
from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, ClientError


class ManifestError(Exception):
    """Something the operator has to fix; printed as one line."""


def bucket_client() -> tuple[str, BaseClient]:
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        raise ManifestError("AWS_STORAGE_BUCKET_NAME is not set: media is not on S3")
    client = boto3.client("s3", endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                          region_name=os.environ.get("AWS_S3_REGION_NAME") or None)
    return bucket, client


def current_objects(client: BaseClient, bucket: str, versioned: bool) -> list[dict]:
    objects = []
    if versioned:
        pages = client.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for page in pages:
            for version in page.get("Versions", []):
                if version["IsLatest"]:
                    objects.append({"key": version["Key"], "version_id": version["VersionId"],
                                    "size": version["Size"], "etag": version["ETag"],
                                    "last_modified": version["LastModified"].isoformat()})
    else:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                objects.append({"key": item["Key"], "version_id": None, "size": item["Size"],
                                "etag": item["ETag"],
                                "last_modified": item["LastModified"].isoformat()})
    return sorted(objects, key=lambda item: item["key"])


def save(path: Path) -> str:
    bucket, client = bucket_client()
    versioned = client.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled"
    objects = current_objects(client, bucket, versioned)
    path.write_text(json.dumps({
        "bucket": bucket, "versioned": versioned, "taken_at": datetime.now(UTC).isoformat(),
        "objects": objects}, indent=1))
    note = "" if versioned else " (bucket NOT versioned: a later overwrite cannot be undone)"
    return f"{len(objects)} media objects listed in {path}{note}"


def restore(path: Path) -> str:
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ManifestError(f"cannot read media manifest {path}: {error}") from error
    bucket, client = bucket_client()
    if manifest["bucket"] != bucket:
        raise ManifestError(f"manifest is for bucket {manifest['bucket']}, not {bucket}")
    if not manifest["versioned"]:
        raise ManifestError("manifest was taken without versioning: nothing to restore from")
    now = {item["key"]: item for item in current_objects(client, bucket, versioned=True)}
    restored = 0
    for item in manifest["objects"]:
        if now.get(item["key"], {}).get("version_id") == item["version_id"]:
            continue
        # Copying a version onto its own key makes it the current one again.
        client.copy_object(Bucket=bucket, Key=item["key"], CopySource={
            "Bucket": bucket, "Key": item["key"], "VersionId": item["version_id"]})
        restored += 1
    total = len(manifest["objects"])
    return f"{restored} of {total} media objects put back to their backed-up version"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["save", "restore"])
    parser.add_argument("manifest", type=Path)
    args = parser.parse_args(argv)
    try:
        print(save(args.manifest) if args.action == "save" else restore(args.manifest))
    except ManifestError as error:
        print(f"media_manifest: {error}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"media_manifest: S3 error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
