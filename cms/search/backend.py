"""The search backend: Wagtail's database backend, with index writes serialized and
searches that read the index first.

`WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}` picks what
`wagtail.search.backends.database` picks for the database in use (PostgreSQL's full-text
search, SQLite's FTS5 on the embedded default). On PostgreSQL, writing an entry ends with
`_refresh_title_norms`, an UPDATE over every entry whose title norm is still 1.0; two
such UPDATEs at once (two workers, two editors) lock those rows in different orders and
deadlock. Here each write (entries and norms) runs in one transaction that first takes a
PostgreSQL advisory lock, so index writes happen one at a time, whoever calls them
(the Celery task, `update_index`, a shell). The wait is short: a write is a few
statements, and index writes run in the background (cms.search.tasks), never in a request.

Searching, Wagtail's PostgreSQL compiler starts from the searched queryset and joins every
one of its rows to its index entry (`index_entries`, a generic relation: the page's id
cast to text against `object_id`), then tests each entry against the query: the whole
table, every search. Here
a plain search (words or a phrase, best match first, over the index: no `fields=`, no
fuzzy or autocomplete) goes the other way: the query's entries come from the index's GIN
index (cms/search/migrations/0001), only those that belong to a row of the searched
queryset are kept (a semi-join on the queryset's ids), and they are ranked and sliced
there, with Wagtail's own rank expression; then only the rows of the slice are loaded.
Every other search is Wagtail's. `python -m bench.search 50000` times both: at 50,000
pages, a word one page holds took 114 ms at the median with Wagtail's compiler, 37 ms
here; a word every page holds, 1.4 s and 0.28 s (a loaded 2-core machine).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    AutoField,
    BigIntegerField,
    Case,
    CharField,
    F,
    IntegerField,
    Model,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Length
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import And, Not, Or, Phrase, PlainText, SearchQuery
from modelsearch.utils import get_descendants_content_types_pks

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


def _is_plain(query: SearchQuery) -> bool:
    """Words, phrases and their and/or/not: what a tsquery says (no MatchAll, Fuzzy, Boost)."""
    if isinstance(query, PlainText | Phrase):
        return True
    if isinstance(query, Not):
        return _is_plain(query.subquery)
    return isinstance(query, And | Or) and all(map(_is_plain, query.subqueries))


@cache
def default_config(alias: str) -> str:
    """The database's `default_text_search_config` (what a search without one uses)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW default_text_search_config")
        return cursor.fetchone()[0]


class IndexFirstQueryCompiler(PostgresSearchQueryCompiler):
    """Reads the index's matching entries first (see the module's docstring)."""

    def get_config(self, backend: BaseSearchBackend) -> str:
        """The backend's SEARCH_CONFIG, else the database's default, named: `to_tsquery`
        without a configuration is STABLE, so PostgreSQL parses (and stems) the query
        again for every entry it tests and ranks (five times slower at 5,000 pages);
        with one it is IMMUTABLE, parsed once."""
        return backend.config or default_config(self.queryset.db)

    @property
    def index_first(self) -> bool:
        return self.fields is None and self.order_by_relevance and _is_plain(self.query)

    def ranked_entries(self, config: str | None) -> QuerySet:
        """The searched rows' entries that match, best first, as `IndexEntry` rows with
        `rank` (Wagtail's: title rank times title norm, plus body rank). Ties go to the
        higher key, as Wagtail orders them (`-pk`): for whole-number keys, the longer
        text, then the greater; pages of results never overlap."""
        tsquery = self.build_tsquery(self.query, config=config)
        if tsquery is None:  # no word in the query (hyphens and spaces only)
            return IndexEntry.objects.none().annotate(rank=Value(0.0))
        model: type[Model] = self.queryset.model
        rank = self._build_rank_expression(
            [(F("title"), F("title_norm")), (F("body"), 1.0)], config)
        entries = (IndexEntry.objects
                   .filter(content_type_id__in=get_descendants_content_types_pks(model))
                   # `title || body`: the expression the GIN index covers.
                   .annotate(_vector_=F("title")._combine(F("body"), "||", False))
                   .filter(_vector_=tsquery))
        if isinstance(model._meta.pk, AutoField | IntegerField):
            # The key as a number, so that PostgreSQL looks each matching entry's row up
            # by its primary key (or hashes the rows, for many matches) rather than
            # reading every row of the queryset to compare texts. Only whole numbers
            # are cast: another model's entry, whatever its key, never makes it fail.
            key = Case(When(object_id__regex=r"^[0-9]{1,18}$",
                            then=Cast("object_id", BigIntegerField())))
            entries = entries.alias(key=key).filter(key__in=self.queryset.values("pk"))
        else:
            entries = entries.filter(
                object_id__in=self.queryset.values(key=Cast("pk", CharField())))
        return (entries.annotate(rank=rank)
                .order_by("-rank", Length("object_id").desc(), "-object_id"))


class IndexFirstSearchResults(PostgresSearchResults):
    """Results of IndexFirstQueryCompiler: the slice of ranked entries, then its rows."""

    @property
    def _index_first(self) -> bool:
        # Autocomplete searches come here too, with Wagtail's autocomplete compiler.
        compiler = self.query_compiler
        return isinstance(compiler, IndexFirstQueryCompiler) and compiler.index_first

    def _entries(self) -> QuerySet:
        return self.query_compiler.ranked_entries(self.query_compiler.get_config(self.backend))

    def _do_search(self) -> list[Model]:
        if not self._index_first:
            return super()._do_search()
        queryset = self.query_compiler.queryset
        key = queryset.model._meta.pk.to_python
        ranked = [(key(object_id), rank) for object_id, rank in
                  self._entries()[self.start:self.stop].values_list("object_id", "rank")]
        rows = queryset.in_bulk([pk for pk, _ in ranked])
        found = []
        for pk, rank in ranked:
            row = rows.get(pk)
            if row is not None:  # gone since the first query
                if self._score_field:
                    setattr(row, self._score_field, rank)
                found.append(row)
        return found

    def _do_count(self) -> int:
        if not self._index_first:
            return super()._do_count()
        # Of the slice, as Wagtail's: the order is no matter to a count.
        return self._entries().order_by()[self.start:self.stop].count()


class LockedPostgresSearchBackend(PostgresSearchBackend):
    index_class = LockedPostgresIndex
    query_compiler_class = IndexFirstQueryCompiler
    results_class = IndexFirstSearchResults


# The name Wagtail looks up in a backend module.
def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:
    """What `wagtail.search.backends.database` picks; on PostgreSQL, with locked writes."""
    if connection.vendor == "postgresql":
        return LockedPostgresSearchBackend(params)
    return DatabaseSearchBackend(params)
