"""Log lines that carry their trace id: JSON in production (LOG_FORMAT=json), text otherwise.

The `trace_id` of a line is the W3C trace id of the request or task it was written in
(cms.monitoring.tracing), so one search finds what nginx, the renderer, the CMS and the
worker logged for one visitor's request.
"""

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from cms.monitoring.tracing import current_trace_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [trace_id=%(trace_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(trace_id)s"


def task_trace_id() -> str | None:
    """The trace id a running Celery task was queued in (its `traceparent` header), for
    lines Celery writes about a task outside its span (its "succeeded" line)."""
    from celery import current_task

    traceparent = getattr(getattr(current_task, "request", None), "traceparent", None)
    parts = traceparent.split("-") if isinstance(traceparent, str) else []
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else None


class TraceFilter(logging.Filter):
    """Sets `record.trace_id` (empty outside a trace) on every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "trace_id", None):
            record.trace_id = current_trace_id() or task_trace_id() or ""
        return True


def formatter(style: str = "text") -> logging.Formatter:
    """The formatter of LOG_FORMAT: "json" (one object a line) or "text"."""
    if style == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                         "name": "logger"},
                             # Celery's `data` holds a task's arguments and result.
                             reserved_attrs=[*RESERVED_ATTRS, "data"])
    if style != "text":
        raise ValueError(f"LOG_FORMAT must be json or text, not {style!r}")
    return logging.Formatter(TEXT_FORMAT)
