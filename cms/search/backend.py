"""The search backend: Wagtail's database backend, with every index write serialized.

`WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}` picks what
`wagtail.search.backends.database` picks for the database in use (PostgreSQL's full-text
search, SQLite's FTS5 on the embedded default). On PostgreSQL, writing an entry ends with
`_refresh_title_norms`, an UPDATE over every entry whose title norm is still 1.0; two
such UPDATEs at once (two workers, two editors) lock those rows in different orders and
deadlock. Here each write (entries and norms) runs in one transaction that first takes a
PostgreSQL advisory lock, so index writes happen one at a time, whoever calls them
(the Celery task, `update_index`, a shell). The wait is short: a write is a few
statements, and index writes run in the background (cms.search.tasks), never in a request.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend

# The advisory lock's key, one bigint for the whole database ("MortarSI" in ASCII).
INDEX_LOCK_KEY = 0x4D6F727461725349


@contextmanager
def serialized(write_connection: BaseDatabaseWrapper) -> Iterator[None]:
    """A transaction on `write_connection` holding the index lock until it ends; inside
    a transaction already, the lock is held until that one ends (the lock nests)."""
    with transaction.atomic(using=write_connection.alias):
        with write_connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INDEX_LOCK_KEY])
        yield


class LockedPostgresIndex(PostgresIndex):
    def add_items(self, model: Any, objs: Any) -> None:
        with serialized(self.write_connection):
            super().add_items(model, objs)

    def _refresh_title_norms(self, full: bool = False) -> None:
        # Also called alone, by update_index's rebuilder at its end.
        with serialized(self.write_connection):
            super()._refresh_title_norms(full)


class LockedPostgresSearchBackend(PostgresSearchBackend):
    index_class = LockedPostgresIndex


# The name Wagtail looks up in a backend module.
def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:
    """What `wagtail.search.backends.database` picks; on PostgreSQL, with locked writes."""
    if connection.vendor == "postgresql":
        return LockedPostgresSearchBackend(params)
    return DatabaseSearchBackend(params)
