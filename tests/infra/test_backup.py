"""infra/backup.sh and infra/restore.sh on the seeded test database and a real S3 server.

The database is dumped, restored into a database of its own and compared; the media
manifest is taken from moto's S3 server (over HTTP, versioned bucket), the objects are
overwritten and deleted, and the restore puts the backed-up versions back.
"""

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest

from cms.testing.processes import REPO, database_url
from cms.testing.s3 import aws_env, start_moto

BACKUP = REPO / "infra" / "backup.sh"
RESTORE = REPO / "infra" / "restore.sh"
PYTHON = REPO / ".venv" / "bin" / "python"

pytestmark = pytest.mark.django_db


def psql(url: str, sql: str) -> str:
    result = subprocess.run(["psql", url, "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture
def fresh_database() -> Iterator[str]:
    source = database_url()
    name = f"{urlsplit(source).path.lstrip('/')}_restore_{uuid.uuid4().hex[:8]}"
    admin = with_database(source, "postgres")
    psql(admin, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(source, name)
    finally:
        psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def s3() -> Iterator[dict[str, str]]:
    server, endpoint = start_moto()
    env = aws_env(endpoint, "mortar-media")
    try:
        yield env
    finally:
        server.stop()


def client(env: dict[str, str]):
    return boto3.client("s3", endpoint_url=env["AWS_S3_ENDPOINT_URL"],
                        region_name=env["AWS_S3_REGION_NAME"],
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def run(script: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=300,
                          env={**keep, "PYTHON": str(PYTHON), **env})


def counts(url: str) -> dict[str, int]:
    tables = ("wagtailcore_page", "wagtailcore_revision", "wagtailimages_image",
              "wagtailcore_site")
    return {table: int(psql(url, f"SELECT count(*) FROM {table}")) for table in tables}


def test_a_backup_restores_into_a_fresh_database(seeded_db, fresh_database, s3, tmp_path):
    bucket = client(s3)
    bucket.create_bucket(Bucket="mortar-media")
    bucket.put_bucket_versioning(Bucket="mortar-media",
                                 VersioningConfiguration={"Status": "Enabled"})
    bucket.put_object(Bucket="mortar-media", Key="original_images/a.jpg", Body=b"first a")
    bucket.put_object(Bucket="mortar-media", Key="documents/b.pdf", Body=b"first b")

    made = run(BACKUP, str(tmp_path), DATABASE_URL=database_url(), **s3)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert backup.parent == tmp_path
    assert (backup / "db.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    manifest = json.loads((backup / "media.json").read_text())
    assert manifest["versioned"] is True
    assert [item["key"] for item in manifest["objects"]] == ["documents/b.pdf",
                                                             "original_images/a.jpg"]

    # After the backup, an editor replaces one file and deletes the other.
    bucket.put_object(Bucket="mortar-media", Key="original_images/a.jpg", Body=b"second a")
    bucket.delete_object(Bucket="mortar-media", Key="documents/b.pdf")

    restored = run(RESTORE, str(backup), "--media", DATABASE_URL=fresh_database, **s3)
    assert restored.returncode == 0, restored.stderr
    assert "2 of 2 media objects" in restored.stdout

    original = counts(database_url())
    assert original["wagtailcore_page"] > 2  # the demo content, not an empty tree
    assert counts(fresh_database) == original
    read = bucket.get_object
    assert read(Bucket="mortar-media", Key="original_images/a.jpg")["Body"].read() == b"first a"
    assert read(Bucket="mortar-media", Key="documents/b.pdf")["Body"].read() == b"first b"

    # Restoring twice would mix two copies: the script refuses a database with tables.
    again = run(RESTORE, str(backup), DATABASE_URL=fresh_database)
    assert again.returncode == 2
    assert "not empty" in again.stderr


def test_the_scripts_explain_what_is_missing(tmp_path):
    no_url = run(BACKUP, str(tmp_path))
    assert no_url.returncode == 2
    assert no_url.stderr.strip() == (
        "backup.sh: DATABASE_URL is not set (postgres://USER:PASSWORD@HOST:5432/NAME)")
    sqlite = run(BACKUP, str(tmp_path), DATABASE_URL="sqlite:///db.sqlite3")
    assert sqlite.returncode == 2 and "not a PostgreSQL URL" in sqlite.stderr
    missing = run(RESTORE, str(tmp_path / "nowhere"), DATABASE_URL=database_url())
    assert missing.returncode == 2 and "no db.dump in" in missing.stderr
    assert not list(tmp_path.iterdir())  # nothing half-written
