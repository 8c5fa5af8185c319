"""The by-path document cache in Redis: a hit is one GET, and a change drops exactly its pages.

Every cached document is listed in a Redis set per dependency name it shows
(`page:12`, `image:5`, `children:7`..., see `cms.api.dependencies`). A change (see
`cms.publishing.changes`) deletes the documents in the sets of the names it touched.
The key is made from the request's parameters, checked for form but not looked up,
so a hit runs no SQL and not even a site lookup.

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

logger = logging.getLogger(__name__)

PREFIX = "mortar:api:"
EPOCH = PREFIX + "epoch"
# A document that still waits for renditions is kept only briefly, then rebuilt with them.
INCOMPLETE_SECONDS = 5


def enabled() -> bool:
    return bool(settings.REDIS_URL) and settings.API_CACHE_SECONDS > 0


@once
def _redis() -> redis.Redis:
    # Short timeouts: a Redis that hangs must cost a request milliseconds, not seconds.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5,
                                socket_connect_timeout=0.5)


def _deps_key(name: str) -> str:
    return f"{PREFIX}deps:{name}"


def request_key(site: str | None, host: str, path: str, listing_page: int) -> str:
    """One entry per site selector (or Host), canonical path and listing page."""
    raw = "\n".join([f"site={site}" if site is not None else f"host={host}", path,
                     str(listing_page)])
    return PREFIX + "doc:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


@dataclass(frozen=True)
class CachedDocument:
    body: bytes
    etag: str


def get(key: str) -> CachedDocument | None:
    try:
        stored = _redis().get(key)
    except redis.RedisError as error:
        logger.warning("document cache unreadable, serving uncached: %s", error)
        return None
    if not stored:
        return None
    etag, _, body = stored.partition(b"\n")
    return CachedDocument(body=body, etag=etag.decode())


def epoch() -> int | None:
    """The count of changes so far; None when Redis cannot say (then nothing is stored)."""
    try:
        return int(_redis().get(EPOCH) or 0)
    except redis.RedisError as error:
        logger.warning("document cache unreadable: %s", error)
        return None


def put(key: str, document: CachedDocument, epoch_before: int | None, deps: Iterable[str],
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
        return _store(key, document, epoch_before, deps, ttl)
    except redis.RedisError as error:
        logger.warning("document cache not written: %s", error)
        return False


def _store(key: str, document: CachedDocument, epoch_before: int, deps: Iterable[str],
           ttl: int) -> bool:
    client = _redis()
    pipe = client.pipeline(transaction=False)
    pipe.set(key, document.etag.encode() + b"\n" + document.body, ex=ttl)
    for name in set(deps):
        pipe.sadd(_deps_key(name), key)
        # A listing set outlives its documents by a little, then goes by itself.
        pipe.expire(_deps_key(name), settings.API_CACHE_SECONDS + 60)
    pipe.get(EPOCH)
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
    client.incr(EPOCH)
    for name in set(names):
        members = client.smembers(_deps_key(name))
        pipe = client.pipeline(transaction=False)
        if members:
            pipe.delete(*members)
        pipe.delete(_deps_key(name))
        pipe.execute()
