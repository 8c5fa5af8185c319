"""Log lines carry their trace id; JSON lines leave out what Celery attaches of a task."""

import json
import logging

from opentelemetry import trace

from cms.monitoring.logs import TraceFilter, formatter


def record(message: str, **extra: object) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "mortar.test", "levelno": logging.INFO,
                                  "levelname": "INFO", "msg": message, **extra})
    TraceFilter().filter(made)
    return made


def test_a_json_line_has_the_trace_id_of_the_request_it_was_written_in():
    span = trace.get_tracer(__name__).start_span("request")
    with trace.use_span(span, end_on_exit=True):
        line = json.loads(formatter("json").format(
            record("hello", data={"args": "('a secret',)"}, path="/about/")))
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert (line["message"], line["level"], line["logger"], line["path"]) == (
        "hello", "INFO", "mortar.test", "/about/")
    assert "data" not in line


def test_outside_a_trace_the_text_line_says_so():
    assert "[trace_id=] hello" in formatter("text").format(record("hello"))
