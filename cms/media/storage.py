"""The S3 media storage, and what goes wrong with storage said in one line."""

import os
import re
import time
import uuid
from typing import Any

from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from botocore.exceptions import ConnectionError as EndpointUnreachable
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from storages.backends.s3 import S3Storage

# Everything a storage call can raise when the storage, not our code, is at fault.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (BotoCoreError, ClientError, Boto3Error, OSError)

# A health probe must answer before the load balancer gives up on it.
HEALTH_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=2,
                              retries={"total_max_attempts": 1, "mode": "standard"})

_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                     "ExpiredToken", "InvalidClientTokenId"}


class StorageUnavailable(OSError):
    """The storage did not answer (or answered 5xx) while a file was opened or measured.

    An OSError because that is what Wagtail expects of a file it cannot open: its image
    tags then show a placeholder (SourceImageIOError) instead of failing the page.
    """


def is_unreachable(error: BaseException) -> bool:
    """Whether `error` says the storage is down, rather than that a request was wrong."""
    if isinstance(error, StorageUnavailable | EndpointUnreachable | HTTPClientError):
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return int(status) >= 500
    return False


class MediaStorage(S3Storage):
    """django-storages' S3 backend with Cache-Control chosen by key prefix.

    One AWS_S3_OBJECT_PARAMETERS for every object cannot say "renditions forever,
    documents never", so MORTAR_S3_CACHE_CONTROL maps prefixes to headers. Opening or
    measuring a file while S3 is down raises StorageUnavailable.
    """

    def _open(self, name: str, mode: str = "rb") -> Any:
        try:
            return super()._open(name, mode)
        except STORAGE_ERRORS as error:
            if is_unreachable(error):
                raise StorageUnavailable(describe(error, self)) from error
            raise

    def size(self, name: str) -> int:
        try:
            return super().size(name)
        except STORAGE_ERRORS as error:
            if is_unreachable(error):
                raise StorageUnavailable(describe(error, self)) from error
            raise

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        params = super().get_object_parameters(name)
        for prefix, value in getattr(settings, "MORTAR_S3_CACHE_CONTROL", {}).items():
            if name.startswith(prefix):
                params.setdefault("CacheControl", value)
                break
        return params


def error_code(exc: BaseException) -> str | None:
    """The S3 error code behind `exc`, also when s3transfer wrapped it in a message."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "") or None
    if isinstance(exc, Boto3Error):
        found = re.search(r"An error occurred \((\w+)\)", str(exc))
        return found.group(1) if found else None
    return None


def describe(exc: BaseException, storage: Storage | None = None) -> str:
    """One line an operator can act on; no credentials, no stack trace."""
    storage = storage if storage is not None else default_storage
    bucket = getattr(storage, "bucket_name", None)
    where = getattr(storage, "endpoint_url", None) or "AWS S3"
    code = error_code(exc)
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return "no AWS credentials found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a role)"
    if isinstance(exc, EndpointUnreachable):
        return f"cannot reach the storage endpoint {where} ({type(exc).__name__})"
    if code in ("NoSuchBucket", "404"):
        return f"bucket '{bucket}' does not exist at {where}"
    if code in _CREDENTIAL_CODES:
        return f"the storage refused the credentials ({code}); check AWS_ACCESS_KEY_ID/SECRET"
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        return f"access denied to bucket '{bucket}' ({code}); check the credentials and policy"
    if code:
        return f"the storage refused the request ({code})"
    if isinstance(exc, OSError) and not isinstance(exc, BotoCoreError):
        return f"the media folder cannot be written ({exc.strerror or type(exc).__name__})"
    return f"storage error ({type(exc).__name__})"


def explain(exc: BaseException, storage: Storage | None = None) -> BaseException:
    """A HEAD request's 403/404 carries no error code: ask with a GET to learn which it is."""
    storage = storage if storage is not None else default_storage
    if error_code(exc) not in ("403", "404") or not isinstance(storage, S3Storage):
        return exc
    try:
        storage.connection.meta.client.list_objects_v2(Bucket=storage.bucket_name, MaxKeys=1)
    except STORAGE_ERRORS as better:
        return better
    return exc


def describe_target(storage: Storage | None = None) -> str:
    storage = storage if storage is not None else default_storage
    if isinstance(storage, S3Storage):
        return f"S3 bucket '{storage.bucket_name}' at {storage.endpoint_url or 'AWS S3'}"
    return f"folder {getattr(storage, 'location', '?')}"


def probe(storage: Storage | None = None) -> float:
    """Write, read back and delete a probe object; returns milliseconds taken."""
    storage = storage if storage is not None else default_storage
    started = time.monotonic()
    token = uuid.uuid4().hex
    name = storage.save(f"mortar-check/{token}.txt", ContentFile(token.encode()))
    try:
        with storage.open(name, "rb") as fh:
            if fh.read() != token.encode():
                raise OSError(f"probe object {name} read back different bytes")
    finally:
        storage.delete(name)
    if storage.exists(name):
        raise OSError(f"probe object {name} is still there after delete")
    return (time.monotonic() - started) * 1000


def check_reachable(storage: Storage | None = None) -> None:
    """Raise unless the storage answers: HEAD on the bucket, or the media folder is there."""
    storage = storage if storage is not None else default_storage
    if isinstance(storage, S3Storage):
        client = getattr(storage, "_mortar_health_client", None)
        if client is None:
            client = storage._create_session().client(
                "s3", region_name=storage.region_name, use_ssl=storage.use_ssl,
                endpoint_url=storage.endpoint_url, verify=storage.verify,
                config=storage.client_config.merge(HEALTH_CLIENT_CONFIG),
            )
            storage._mortar_health_client = client
        client.head_bucket(Bucket=storage.bucket_name)
        return
    location = getattr(storage, "location", None)
    if location is not None:
        # A fresh install has no media folder until the first upload creates it.
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise OSError(f"{location} is not writable")
