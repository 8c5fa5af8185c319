"""Sessions in the database, read through the cache, that survive the cache going away.

Django's `cached_db` store already falls back to the database when reading the cache
fails, but not when it writes the session back to the cache, tests for it or deletes
it: with Redis down each of those raised, and every admin page answered 500.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

logger = logging.getLogger(__name__)


class _TolerantCache:
    """The few cache calls the session store makes; a failing cache is a miss."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def _try(self, call: str, *args: Any, default: Any = None) -> Any:
        try:
            return getattr(self._cache, call)(*args)
        except Exception as error:  # any cache failure: the database still has the session
            logger.warning("Session cache %s failed (%s); using the database",
                           call, type(error).__name__)
            return default

    def get(self, key: str, default: Any = None) -> Any:
        return self._try("get", key, default, default=default)

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        self._try("set", key, value, timeout)

    def delete(self, key: str) -> None:
        self._try("delete", key)

    def __contains__(self, key: str) -> bool:
        return bool(self._try("has_key", key, default=False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _TolerantCache(caches[settings.SESSION_CACHE_ALIAS])
