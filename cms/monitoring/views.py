"""GET /metrics: the CMS's metrics for Prometheus, answered by the request middleware
(cms.monitoring.middleware) before the host is checked, as /healthz is: Prometheus asks
each instance by its address.

Never public: nginx routes no /metrics to the CMS (infra/nginx), Prometheus scrapes the
CMS's own port; with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` is
answered (404 otherwise). A scrape costs one SQL query and one Redis round trip
(cms.monitoring.collectors), whatever the traffic.
"""

import hmac
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from cms.monitoring.collectors import BrokerCollector, OutboxCollector
from cms.monitoring.exposition import exposition

METRICS_PATH = "/metrics"


@cache
def collectors() -> tuple[Collector, ...]:
    broker = settings.CELERY_BROKER_URL
    redis_broker = broker.startswith(("redis://", "rediss://", "unix://"))
    return (OutboxCollector(), *([BrokerCollector(broker)] if redis_broker else []))


def authorized(request: HttpRequest) -> bool:
    if not settings.METRICS_TOKEN:
        return True
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), settings.METRICS_TOKEN.encode())


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not authorized(request):
        return HttpResponseNotFound()
    return HttpResponse(exposition(collectors()), content_type=CONTENT_TYPE_LATEST)
