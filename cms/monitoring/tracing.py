"""W3C trace context (`traceparent`) through the CMS and the tasks it queues (OpenTelemetry).

nginx starts a trace for every request; the renderer passes it on to the CMS;
`request_span` continues it for the request (cms.monitoring.middleware), and
OpenTelemetry's Celery instrumentation carries it in the message headers of every task
queued meanwhile, so a log line of the task has the trace id of the
request that queued it (cms.monitoring.logs). Spans are only recorded and exported when
OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, with
OpenTelemetry's own variables (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER...); otherwise ids
are only passed on, which costs next to nothing.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.http import HttpRequest
from opentelemetry import propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import Span, SpanKind

SERVICE_NAME = "mortar-cms"
_installed = False


def exporting() -> bool:
    """Whether spans leave the process (an OTLP endpoint is configured)."""
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def instrument() -> None:
    """Set the process's tracer provider and instrument Celery; idempotent (AppConfig.ready)."""
    global _installed
    if _installed:
        return
    _installed = True
    from opentelemetry.instrumentation.celery import CeleryInstrumentor

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME",
                                                               SERVICE_NAME)})
    if exporting():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider(resource=resource)  # sampler: OTEL_TRACES_SAMPLER
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        # Not recorded, yet each span has ids: the incoming trace id is kept, and a
        # request without one gets a new one.
        provider = TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    trace.set_tracer_provider(provider)
    CeleryInstrumentor().instrument(tracer_provider=provider)


class _MetaGetter(Getter[dict]):
    """W3C headers from a WSGI environ (`traceparent` is HTTP_TRACEPARENT)."""

    def get(self, carrier: dict, key: str) -> list[str] | None:
        value = carrier.get("HTTP_" + key.upper().replace("-", "_"))
        return [value] if isinstance(value, str) else None

    def keys(self, carrier: dict) -> list[str]:
        return [key[5:].lower().replace("_", "-") for key in carrier if key.startswith("HTTP_")]


_meta_getter = _MetaGetter()


@cache
def _tracer() -> trace.Tracer:
    # Once: getting a tracer makes one each time (after `instrument`, the provider's).
    return trace.get_tracer(__name__)


@contextmanager
def request_span(request: HttpRequest) -> Iterator[Span]:
    """The span of one request, in the trace its `traceparent` names (a new one without).

    Rather than OpenTelemetry's Django instrumentation, which resolves the URL and reads
    the Host (refusing hosts not allowed, before /healthz is answered) on every request,
    recorded or not: here a span that is not recorded costs its ids only."""
    parent = propagate.extract(request.META, getter=_meta_getter)
    with _tracer().start_as_current_span(request.method or "HTTP", context=parent,
                                      kind=SpanKind.SERVER) as span:
        yield span


def current_trace_id() -> str | None:
    """The trace id of what this thread is doing (32 hex digits), None outside a trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
