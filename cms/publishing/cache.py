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

Only with Redis (REDIS_URL): a cache in each process's memory alone could not be told
of changes made by another process (the Celery worker publishing on schedule). Each
process does keep the documents it read lately, as Redis's client-side caching has it
(`_Copies`): its reads go over a connection on which Redis tracks the keys read and
pushes an invalidation as soon as one is changed, dropped or expires, so a hit served
from the copy is the one Redis would answer, without the round trip (on a busy machine,
the round trip, a wait for another process, cost more than all the rest of the hit).

Redis failing never fails a request: a read that fails is a miss, a store that fails
is skipped. A `bump` that fails raises, so that the outbox retries it until Redis
takes it (`cms.publishing.delivery`).
"""

import dataclasses
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
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
FORMAT = 3


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
    dependency names it shows (space-separated, read by `names()` only when needed);
    whether they were recorded under its renderer tag when it was built; and when its
    entry expires (seconds since the epoch, set by `put`; 0: not said), which a process's
    copy of it never outlives."""

    body: bytes
    etag: str
    site_id: int = 0
    recorded: bool = False
    shown: bytes = b""
    expires_at: float = 0.0

    def names(self) -> set[str]:
        return set(self.shown.decode().split())

    def encode(self) -> bytes:
        head = (f"{self.etag}\n{int(self.recorded)} {self.site_id} {self.expires_at:.3f}\n"
                .encode())
        return head + self.shown + b"\n" + self.body

    @classmethod
    def decode(cls, stored: bytes) -> "CachedDocument":
        etag, _, rest = stored.partition(b"\n")
        about, _, rest = rest.partition(b"\n")
        shown, _, body = rest.partition(b"\n")
        recorded, site_id, expires_at = about.split(b" ")
        return cls(body=body, etag=etag.decode(), site_id=int(site_id or 0),
                   recorded=recorded == b"1", shown=shown,
                   expires_at=float(expires_at or 0))

    @classmethod
    def of(cls, body: bytes, etag: str, site_id: int, names: Iterable[str],
           recorded: bool) -> "CachedDocument":
        return cls(body, etag, site_id, recorded, " ".join(sorted(set(names))).encode())


def get(key: str) -> CachedDocument | None:
    try:
        return _copies.get(key)
    except redis.RedisError as error:
        logger.warning("document cache unreadable, serving uncached: %s", error)
        return None


# A process's copies: at most this many bytes of documents (the least recently read go
# first), each served while the connection they were read on answered a read within
# CONFIRM_SECONDS: a Redis that went away without closing it could not push.
COPIES_MAX_BYTES = 32 * 2**20
CONFIRM_SECONDS = 1.0


class _Copies:
    """The documents this process read lately, kept while Redis says nothing changed them.

    Client-side caching as Redis defines it (`CLIENT TRACKING`, RESP3, as redis-py's own
    CacheProxyConnection does, which needs Redis 7.4): documents are read over one
    connection of their own, on which Redis remembers the keys read and pushes an
    `invalidate` for each as it is written, deleted, expires or is evicted (all of them
    when the database is flushed). Every read first takes in what was pushed meanwhile
    (without waiting); a document read again is then served from the copy, unless the
    connection has been quiet for CONFIRM_SECONDS or the entry's expiry passed, when it is
    read from Redis again. `bump` ends with a round trip, so once a change's drop returns,
    the invalidations it caused are written to every process's connection. Any error on
    the connection drops it and every copy (the next read connects anew); a forked child
    starts with none.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: redis.Connection | None = None
        self.client: redis.Redis | None = None  # the one `connection` was made for
        self.pid = 0
        self.documents: OrderedDict[str, CachedDocument] = OrderedDict()
        self.bytes = 0
        self.answered_at = 0.0
        self.reading: str | None = None  # the key being read from Redis, and whether it
        self.changed = False             # changed while it was

    def get(self, key: str) -> CachedDocument | None:
        with self.lock:
            try:
                return self._get(key)
            except Exception:
                self._drop()
                raise

    def forget(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                self._forget(key)

    def _get(self, key: str) -> CachedDocument | None:
        connection = self._connection()
        if connection is None:  # no tracking here: a plain GET, no copy
            stored = _redis().get(key)
            return CachedDocument.decode(stored) if stored else None
        try:
            while connection.can_read(timeout=0):  # invalidations pushed meanwhile
                connection.read_response(push_request=True)
        except redis.ConnectionError:
            # Closed under us (Redis restarted, the connection was killed): whatever was
            # pushed meanwhile is lost, so every copy goes; read on a new connection (as
            # redis-py's pool reconnects a connection found closed).
            self._drop()
            connection = self._connection()
            if connection is None:
                return self._get(key)
        asked_at = time.monotonic()
        document = self.documents.get(key)
        if document is not None and asked_at - self.answered_at < CONFIRM_SECONDS \
                and document.expires_at > time.time():
            self.documents.move_to_end(key)
            return document
        self._forget(key)
        self.reading, self.changed = key, False
        try:
            connection.send_command("GET", key)
            stored = connection.read_response()
        finally:
            self.reading = None
        self.answered_at = asked_at  # everything pushed before the GET has been read
        if not stored:
            return None
        document = CachedDocument.decode(stored)
        if not self.changed and len(stored) <= COPIES_MAX_BYTES // 8:
            self.documents[key] = document
            self.bytes += len(document.body)
            while self.bytes > COPIES_MAX_BYTES:
                self._forget(next(iter(self.documents)))
        return document

    def _connection(self) -> redis.Connection | None:
        """The tracking connection, made on first use (again after a failure, a fork or a
        new REDIS_URL); None where Redis or the client cannot track (Redis before 6, a
        proxy that refuses HELLO 3 or CLIENT TRACKING, hiredis before 3.2): documents are
        then read with plain GETs, as before copies were kept. Raises redis.RedisError when
        Redis cannot be reached."""
        client = _redis()
        if self.client is client and self.pid == os.getpid():
            return self.connection
        self._drop()
        pool = client.connection_pool
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        connection._parser.set_invalidation_push_handler(self._invalidated)
        try:
            self._start_tracking(connection)
        except redis.ResponseError as refused:
            connection.disconnect()
            logger.warning("document cache: no copies in this process (%s)", refused)
            connection = None
        self.connection, self.client, self.pid = connection, client, os.getpid()
        return connection

    @staticmethod
    def _start_tracking(connection: redis.Connection) -> None:
        connection.connect()  # HELLO 3
        # hiredis before 3.2 cannot tell a push from a reply (redis-py reads it as one).
        if getattr(connection._parser, "_hiredis_PushNotificationType", True) is None:
            raise redis.ResponseError("client-side caching needs hiredis 3.2 or later")
        connection.send_command("CLIENT", "TRACKING", "ON")
        if connection.read_response() not in (b"OK", "OK"):
            raise redis.ResponseError("Redis did not turn CLIENT TRACKING on")

    def _invalidated(self, push: list) -> None:
        keys = push[1]
        if keys is None:  # the database was flushed
            self._clear()
            self.changed = True
            return
        for raw in keys:
            key = raw.decode() if isinstance(raw, bytes) else raw
            self._forget(key)
            if key == self.reading:
                self.changed = True

    def _forget(self, key: str) -> None:
        document = self.documents.pop(key, None)
        if document is not None:
            self.bytes -= len(document.body)

    def _clear(self) -> None:
        self.documents.clear()
        self.bytes = 0

    def _drop(self) -> None:
        self._clear()
        connection, self.connection, self.client = self.connection, None, None
        if connection is not None and self.pid == os.getpid():
            try:
                connection.disconnect()
            except redis.RedisError:  # gone already: nothing to close
                pass


_copies = _Copies()


def exists(key: str) -> bool:
    """Whether the document is still stored (no change has dropped it); False when Redis
    cannot say."""
    try:
        return bool(_redis().exists(key))
    except redis.RedisError as error:
        logger.warning("document cache unreadable: %s", error)
        return False


def epoch() -> int | None:
    """The count of changes so far, counted also while the document cache is off (by-path
    builds a document again when a change came while it was built); None without Redis,
    or when Redis cannot say (then nothing is stored)."""
    if not settings.REDIS_URL:
        return None
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
    document = dataclasses.replace(document, expires_at=time.time() + ttl)
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
    if not settings.REDIS_URL:
        return
    client = _redis()
    if not enabled():
        # No documents to drop, but the count of changes still tells a document being built
        # that a change came meanwhile (cms.api.by_path): best effort, as nothing is held.
        try:
            client.incr(_epoch_key())
        except redis.RedisError as error:
            logger.warning("change count not written: %s", error)
        return
    client.incr(_epoch_key())
    dropped: set[str] = set()
    for name in set(names):
        members = client.smembers(_deps_key(name))
        pipe = client.pipeline(transaction=False)
        if members:
            pipe.delete(*members)
            dropped.update(member.decode() for member in members)
        pipe.delete(_deps_key(name))
        pipe.execute()
    # Redis writes the invalidations of those deletes to every process's copies by the
    # time it answers a later command: once this returns, no copy serves them.
    client.ping()
    _copies.forget(dropped)


def clear() -> int:
    """Drop every cached document of this deployment (its CACHE_KEY_PREFIX) and what lists
    them, as a Redis restart without persistence would; returns how many keys went.
    Raises redis.RedisError when Redis cannot take it."""
    client = _redis()
    keys = list(client.scan_iter(match=_prefix() + "*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start:start + 1000])
    client.ping()  # as in `bump`: every process's copies are told once this returns
    _copies.forget(key.decode() for key in keys)
    return len(keys)
