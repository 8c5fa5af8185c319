"""Redis clients that give up fast: timeouts well under a second, and a short break after
a failure.

Every Redis client of the CMS (the Django cache and so sessions and rate limits, the
document cache, Celery's broker and results) has a connect and a read timeout of
TIMEOUT_SECONDS. A Redis that hangs would still cost each call that timeout, and an
admin page makes a dozen cache calls; so once a call to a server has failed (refused,
timed out, dropped), `FailFastConnection` refuses every call to that server at once for
BREAK_SECONDS, raising redis-py's own ConnectionError, which each client already treats
as Redis being unavailable (a cache miss, a skipped store, a task sent later). The
first call after the break tries the server again.
"""

import threading
import time
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# Seconds: connecting, and waiting for any answer. Redis answers in microseconds on the
# same network; a quarter of a second is a server that does not answer.
TIMEOUT_SECONDS = 0.25
# Seconds every call to a server is refused after one failed.
BREAK_SECONDS = 1.0

_lock = threading.Lock()
_broken_until: dict[tuple[str, int], float] = {}


def _address(connection: redis.Connection) -> tuple[str, int]:
    return (str(getattr(connection, "host", "")), int(getattr(connection, "port", 0) or 0))


def is_broken(address: tuple[str, int]) -> bool:
    with _lock:
        return _broken_until.get(address, 0.0) > time.monotonic()


def _break(address: tuple[str, int]) -> None:
    with _lock:
        _broken_until[address] = time.monotonic() + BREAK_SECONDS


class FailFastConnection(redis.Connection):
    """redis-py's connection, refusing at once while its server is in its break."""

    def _check(self) -> None:
        if is_broken(_address(self)):
            raise redis.ConnectionError(
                f"Redis at {self.host}:{self.port} failed less than {BREAK_SECONDS}s ago")

    def connect(self) -> None:
        self._check()
        try:
            super().connect()
        except (redis.ConnectionError, redis.TimeoutError):
            _break(_address(self))
            raise

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        self._check()
        try:
            super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError):
            _break(_address(self))
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            _break(_address(self))
            raise


def failing(url: str | None = None) -> bool:
    """Whether the Redis at `url` (default: REDIS_URL, the caches') failed less than
    BREAK_SECONDS ago, so that a caller can skip work that needs it."""
    from django.conf import settings

    parts = urlsplit(url if url is not None else settings.REDIS_URL)
    return bool(parts.hostname) and is_broken((parts.hostname or "", parts.port or 6379))


# What every redis-py client of ours is made with (redis.Redis(**CLIENT_OPTIONS), or a
# pool's connection arguments). No retries: redis-py 6 retries a failed call three times
# with up to seconds of backoff, so one call to a hanging Redis cost ten seconds; the
# callers here each have their own answer to Redis failing.
CLIENT_OPTIONS: dict[str, Any] = {
    "connection_class": FailFastConnection,
    "socket_timeout": TIMEOUT_SECONDS,
    "socket_connect_timeout": TIMEOUT_SECONDS,
    "socket_keepalive": True,
    "retry": Retry(NoBackoff(), 0),
}
