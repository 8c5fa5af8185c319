"""A real S3 endpoint for tests: moto's server on 127.0.0.1, over HTTP, and the real
settings pointed at it the way production does.

`activate_s3` (behind the `s3_env` fixture) sets the AWS_* environment variables,
re-reads `cms.settings.storage` with them, and applies what that module computes with
`override_settings`. Django's `setting_changed` handler then drops its cached storage
backends, so `default_storage` (Wagtail's image, rendition and document file fields
all use it) becomes our S3 backend.
"""

import importlib
import io
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import override_settings
from django.utils.functional import empty
from moto.server import ThreadedMotoServer

import cms.settings.storage as storage_settings

ACCESS_KEY = "AKIAMORTARTEST000001"
SECRET_KEY = "mortar-test-secret-not-a-real-one-0001"


def start_moto() -> tuple[ThreadedMotoServer, str]:
    """A moto S3 server on a free port; returns it and its endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@dataclass
class S3Media:
    endpoint: str
    bucket: str
    env: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def keys(self, prefix: str = "") -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=prefix)
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    def head(self, key: str) -> dict[str, Any]:
        return self.client.head_object(Bucket=self.bucket, Key=key)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


def reset_storages() -> None:
    """For settings changed under an active STORAGES override (Django resets on STORAGES only)."""
    storages._storages = {}
    default_storage._wrapped = empty


def aws_env(endpoint: str, bucket: str, **extra: str) -> dict[str, str]:
    """The AWS_* variables a deployment sets for `bucket` at `endpoint`, plus `extra`."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        # Never wait for an EC2 instance role that is not there.
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }


def activate_s3(monkeypatch: pytest.MonkeyPatch, overrides: list[override_settings],
                endpoint: str, create_bucket: bool = True, cdn: bool = False,
                **extra: str) -> S3Media:
    """Real settings from the environment, on a fresh bucket at `endpoint`; the override
    applied is appended to `overrides` for the caller to disable."""
    bucket = f"mortar-test-{uuid.uuid4().hex[:12]}"
    if cdn:
        # A CDN in front of the bucket, as far as URLs go: another host name, plain HTTP.
        extra = {"AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{endpoint.rsplit(':', 1)[1]}/{bucket}",
                 "AWS_S3_URL_PROTOCOL": "http:", **extra}
    env = aws_env(endpoint, bucket, **extra)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(storage_settings)
    values = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    media = S3Media(endpoint=endpoint, bucket=bucket, env=env, settings=values)
    override = override_settings(**values)
    override.enable()
    overrides.append(override)
    if create_bucket:
        media.client.create_bucket(Bucket=bucket)
        # As deployed: images public by URL, everything else private to the CMS.
        call_command("bucket_policy", "--apply", stdout=io.StringIO())
    return media


def deactivate_s3(monkeypatch: pytest.MonkeyPatch, overrides: list[override_settings]) -> None:
    """Undo every `activate_s3`: settings and environment as before."""
    for override in reversed(overrides):
        override.disable()
    monkeypatch.undo()
    importlib.reload(storage_settings)
