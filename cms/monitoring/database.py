"""Every SQL statement's duration (`mortar_db_query_duration_seconds`), through Django's
execute wrappers on each new connection: no database backend of our own to swap in."""

import time
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from cms.monitoring import metrics


def _timed(alias: str) -> Callable[..., Any]:
    histogram = metrics.db_query_duration.labels(alias)

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            histogram.observe(time.perf_counter() - started)
    return wrapper


def _on_connection(sender: type, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # Sent again each time the wrapper reconnects (CONN_MAX_AGE): wrap it once.
    if not getattr(connection, "_mortar_timed", False):
        connection.execute_wrappers.append(_timed(connection.alias))
        connection._mortar_timed = True


def connect() -> None:
    connection_created.connect(_on_connection, dispatch_uid="mortar_db_query_metrics")
