"""W3C trace context (`traceparent`) through the CMS and the tasks it queues (OpenTelemetry).

nginx starts a trace for every request; the renderer passes it on to the CMS; Django's
instrumentation continues it for the request, and Celery's carries it in the message
headers of every task queued meanwhile, so a log line of the task has the trace id of the
request that queued it (cms.monitoring.logs). Spans are only recorded and exported when
OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, with
OpenTelemetry's own variables (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER...); otherwise ids
are only passed on, which costs next to nothing.
"""

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

SERVICE_NAME = "mortar-cms"
_installed = False


def exporting() -> bool:
    """Whether spans leave the process (an OTLP endpoint is configured)."""
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def instrument() -> None:
    """Set the process's tracer provider and instrument Django and Celery; idempotent.

    Called from AppConfig.ready(), before the WSGI handler loads its middleware (the
    Django instrumentation adds its own in front)."""
    global _installed
    if _installed:
        return
    _installed = True
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor

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
    DjangoInstrumentor().instrument(tracer_provider=provider)
    CeleryInstrumentor().instrument(tracer_provider=provider)


def current_trace_id() -> str | None:
    """The trace id of what this thread is doing (32 hex digits), None outside a trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
