"""`manage.py check_storage`, run as operators run it: a process reading its env."""

import os
import subprocess
import sys

from moto.core.authorization import enable_iam_authentication

from cms.testing.ports import closed_port
from cms.testing.processes import REPO
from cms.testing.s3 import aws_env


def check_storage(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "MEDIA_ROOT"}
    return subprocess.run([sys.executable, "manage.py", "check_storage"], cwd=REPO,
                          env={**base, "DJANGO_SETTINGS_MODULE": "cms.settings", **env},
                          capture_output=True, text=True, timeout=120)


def test_succeeds_against_moto_and_leaves_no_probe(s3_media):
    result = check_storage(s3_media.env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"storage ok: S3 bucket '{s3_media.bucket}' at "
                                    f"{s3_media.endpoint}")
    assert s3_media.keys() == set()


def test_fails_with_one_line_against_a_closed_port(s3_media):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    result = check_storage(aws_env(endpoint, s3_media.bucket))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"CommandError: storage check failed for S3 bucket '{s3_media.bucket}' at "
                     f"{endpoint}: cannot reach the storage endpoint {endpoint} "
                     f"(EndpointConnectionError)"], result.stderr


def test_fails_with_one_line_for_a_missing_bucket(s3_media):
    result = check_storage(aws_env(s3_media.endpoint, "no-such-bucket-here"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: storage check failed for S3 bucket 'no-such-bucket-here' at "
        f"{s3_media.endpoint}: bucket 'no-such-bucket-here' does not exist at {s3_media.endpoint}"]


def test_fails_with_one_line_for_wrong_credentials(s3_media):
    # moto checks signatures against its IAM only when told to; unknown keys are refused.
    with enable_iam_authentication():
        result = check_storage(s3_media.env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith("the storage refused the credentials (InvalidAccessKeyId); "
                             "check AWS_ACCESS_KEY_ID/SECRET"), lines[0]


def test_local_folder_without_bucket(tmp_path):
    result = check_storage({"MEDIA_ROOT": str(tmp_path / "media")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"storage ok: folder {tmp_path / 'media'}: wrote, read")
    assert list((tmp_path / "media" / "mortar-check").iterdir()) == []


def test_unwritable_local_folder_fails_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = check_storage({"MEDIA_ROOT": str(blocker / "media")})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: storage check failed for folder {blocker / 'media'}: "
        "the media folder cannot be written (Not a directory)"]
