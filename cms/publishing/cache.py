"""The by-path document cache in Redis: a hit is one GET, and a change drops exactly its pages.

Every cached document is listed in a Redis set per dependency name it shows
(`page:12`, `image:5`, `children:7`..., see `cms.publishing.dependencies`). A change (see
`cms.publishing.changes`) deletes the documents in the sets of the names it touched.
The key is made from the request's parameters, checked for form but not looked up,
so a hit runs no SQL and not even a site lookup. Beside each document are the Site it
was built for and the names it shows, so that whoever asked first, the renderer served
from here still has its entry recorded under those names (cms.publishing.renderer_tags).

Every key begins with CACHE_KEY_PREFIX (`<prefix>:api:v2:`): CMS deployments sharing one
Redis database never serve or drop each other's documents.

Races: `bump` increments an epoch before deleting; `put` reads the epoch before
the document is built and again after it is stored and listed, and drops it if a
change landed in between. So a document built from data older than a change
never outlives that change.

Only with Redis (REDIS_URL): a cache in each process's memory could not be told
of changes made by another process (the Celery worker publishing on schedule).
Redis failing never fails a request: a read that fails is a miss, a store that fails
is skipped. A `bump` that fails raises, so that the outbox retries it until Redis
takes it (`cms.publishing.delivery`).
"""

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache as once

import redis
from django.conf import settings

from cms.core.redis import CLIENT_OPTIONS

logger = logging.getLogger(__name__)

# A document that still waits for renditions is kept only briefly, then rebuilt with them.
INCOMPLETE_SECONDS = 5


def enabled() -> bool:
    return bool(settings.REDIS_URL) and settings.API_CACHE_SECONDS > 0


@once
def _redis() -> redis.Redis:
    # Short timeouts and no retries (cms.core.redis): a Redis that hangs must cost a
    # request milliseconds, not seconds, and a delivery's drop must fail fast to be retried.
    return redis.Redis.from_url(settings.REDIS_URL, **CLIENT_OPTIONS)


# Of what is stored under a key: a release that changes it never reads an older one's.
FORMAT = 2


def _prefix() -> str:
    # Read each time: tests (and two stacks in one process) change it.
    return f"{settings.CACHE_KEY_PREFIX}:api:v{FORMAT}:"


def _epoch_key() -> str:
    return _prefix() + "epoch"


def _deps_key(name: str) -> str:
    return f"{_prefix()}deps:{name}"


def request_key(site: str | None, host: str, path: str, listing_page: int) -> str:
    """One entry per site selector (or Host), canonical path and listing page."""
    raw = "\n".join([f"site={site}" if site is not None else f"host={host}", path,
                     str(listing_page)])
    return _prefix() + "doc:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


@dataclass(frozen=True)
class CachedDocument:
    """A document as stored: its body and ETag; the id of the Site it was built for; the
    dependency names it shows (space-separated, read by `names()` only when needed); and
    whether they were recorded under its renderer tag when it was built."""

    body: bytes
    etag: str
    site_id: int = 0
    recorded: bool = False
    shown: bytes = b""

    def names(self) -> set[str]:
        return set(self.shown.decode().split())

    def encode(self) -> bytes:
        head = f"{self.etag}\n{int(self.recorded)} {self.site_id}\n".encode()
        return head + self.shown + b"\n" + self.body

    @classmethod
    def decode(cls, stored: bytes) -> "CachedDocument":
        etag, _, rest = stored.partition(b"\n")
        about, _, rest = rest.partition(b"\n")
        shown, _, body = rest.partition(b"\n")
        recorded, _, site_id = about.partition(b" ")
        return cls(body=body, etag=etag.decode(), site_id=int(site_id or 0),
                   recorded=recorded == b"1", shown=shown)

    @classmethod
    def of(cls, body: bytes, etag: str, site_id: int, names: Iterable[str],
           recorded: bool) -> "CachedDocument":
        return cls(body, etag, site_id, recorded, " ".join(sorted(set(names))).encode())


def get(key: str) -> CachedDocument | None:
    try:
        stored = _redis().get(key)
    except redis.RedisError as error:
        logger.warning("document cache unreadable, serving uncached: %s", error)
        return None
    if not stored:
        return None
    return CachedDocument.decode(stored)


def exists(key: str) -> bool:
    """Whether the document is still stored (no change has dropped it); False when Redis
    cannot say."""
    try:
        return bool(_redis().exists(key))
    except redis.RedisError as error:
        logger.warning("document cache unreadable: %s", error)
        return False


def epoch() -> int | None:
    """The count of changes so far; None when Redis cannot say (then nothing is stored)."""
    try:
        return int(_redis().get(_epoch_key()) or 0)
    except redis.RedisError as error:
        logger.warning("document cache unreadable: %s", error)
        return None


def put(key: str, document: CachedDocument, epoch_before: int | None,
        max_age: float | None = None) -> bool:
    """Store a document built after `epoch_before` was read, unless a change came since.

    `max_age` (seconds) shortens the entry's life, e.g. to a shown page's expiry.
    False when a change landed while the document was built (or Redis failed): the
    document may show data older than that change, and was not stored.
    """
    if epoch_before is None:
        return False
    ttl = settings.API_CACHE_SECONDS
    if max_age is not None:
        ttl = max(1, min(ttl, int(max_age)))
    try:
        return _store(key, document, epoch_before, ttl)
    except redis.RedisError as error:
        logger.warning("document cache not written: %s", error)
        return False


def _store(key: str, document: CachedDocument, epoch_before: int, ttl: int) -> bool:
    client = _redis()
    pipe = client.pipeline(transaction=False)
    pipe.set(key, document.encode(), ex=ttl)
    for name in document.names():
        pipe.sadd(_deps_key(name), key)
        # A listing set outlives its documents by a little, then goes by itself.
        pipe.expire(_deps_key(name), settings.API_CACHE_SECONDS + 60)
    pipe.get(_epoch_key())
    *_, now = pipe.execute()
    if int(now or 0) != epoch_before:
        client.delete(key)
        return False
    return True


def bump(names: Iterable[str]) -> None:
    """These things changed: drop every cached document that shows any of them.

    Raises redis.RedisError when Redis cannot take it: the caller retries.
    """
    if not enabled():
        return
    client = _redis()
    client.incr(_epoch_key())
    for name in set(names):
        members = client.smembers(_deps_key(name))
        pipe = client.pipeline(transaction=False)
        if members:
            pipe.delete(*members)
        pipe.delete(_deps_key(name))
        pipe.execute()


def clear() -> int:
    """Drop every cached document of this deployment (its CACHE_KEY_PREFIX) and what lists
    them, as a Redis restart without persistence would; returns how many keys went.
    Raises redis.RedisError when Redis cannot take it."""
    client = _redis()
    keys = list(client.scan_iter(match=_prefix() + "*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start:start + 1000])
    return len(keys)
