"""Each request's duration, status and view as metrics, and its access log line."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from cms.monitoring import metrics
from cms.monitoring.tracing import request_span
from cms.monitoring.views import METRICS_PATH
from cms.monitoring.views import metrics as metrics_view

logger = logging.getLogger("mortar.requests")

# The API's by-path answers say whether they came from the document cache (cms.api.by_path).
DOCUMENT_CACHE_HEADER = "X-Mortar-Cache"


def view_label(request: HttpRequest) -> str:
    """The URL name of the view that answered ("unresolved": answered before routing, or
    nothing matched): a label with a fixed set of values, unlike the path."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name or match._func_path) if match is not None else "unresolved"


class RequestMonitoringMiddleware:
    """Runs each request in its trace (cms.monitoring.tracing), records `mortar_http_*` and
    the document cache's hits (METRICS_ENABLED), and logs one line per request
    (LOG_REQUESTS): method, path without its query string (which may hold a token), status
    and milliseconds, with the trace id (cms.monitoring.logs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.metrics = settings.METRICS_ENABLED
        self.log = settings.LOG_REQUESTS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == METRICS_PATH and self.metrics:
            # Here, before ALLOWED_HOSTS is checked: Prometheus asks each instance by address.
            return metrics_view(request)
        started = time.perf_counter()
        with request_span(request) as span:
            response = self.get_response(request)
            if span.is_recording():
                span.update_name(f"{request.method} {view_label(request)}")
                span.set_attributes({"http.request.method": request.method or "",
                                     "url.path": request.path, "http.route": view_label(request),
                                     "http.response.status_code": response.status_code})
            seconds = time.perf_counter() - started
            if self.log:  # in the span: the line has the trace id
                logger.info("%s %s %s", request.method, request.path, response.status_code,
                            extra={"method": request.method, "path": request.path,
                                   "status": response.status_code,
                                   "duration_ms": round(seconds * 1000, 2)})
        if self.metrics:
            view = view_label(request)
            metrics.http_requests.labels(view, request.method, response.status_code).inc()
            metrics.http_request_duration.labels(view, request.method).observe(seconds)
            if cached := response.get(DOCUMENT_CACHE_HEADER):
                metrics.document_cache.labels(cached).inc()
        return response
