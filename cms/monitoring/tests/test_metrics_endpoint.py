"""GET /metrics: what the CMS tells Prometheus, at what cost, and to whom."""

import re
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone
from prometheus_client import REGISTRY

from cms.publishing.models import RevalidationRequest

TOKEN = "metrics-token-for-the-test-0123"


def sample(body: str, name: str, labels: str = "") -> float | None:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", body, re.M)
    return float(match.group(1)) if match else None


@pytest.mark.django_db
def test_the_outbox_is_read_in_one_query_per_scrape(client, django_assert_num_queries):
    old = timezone.now() - timedelta(seconds=90)
    failing = RevalidationRequest.objects.create(tags=["page:1"], last_error="refused")
    RevalidationRequest.objects.create(tags=["page:2"])
    RevalidationRequest.objects.create(tags=["page:3"], delivered_at=timezone.now())
    RevalidationRequest.objects.filter(pk=failing.pk).update(created_at=old)

    with django_assert_num_queries(1):
        response = client.get("/metrics")

    assert response.status_code == 200
    body = response.content.decode()
    assert sample(body, "mortar_outbox_pending_rows") == 2
    assert sample(body, "mortar_outbox_failing_rows") == 1
    assert 90 <= sample(body, "mortar_outbox_oldest_pending_age_seconds") < 120


@pytest.mark.django_db
def test_queue_lengths_come_from_the_broker(client):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    before = sample(client.get("/metrics").content.decode(), "mortar_celery_queue_length",
                    '{queue="images"}')
    broker.rpush("images", b"metrics-test-1", b"metrics-test-2")
    try:
        body = client.get("/metrics").content.decode()
    finally:
        broker.lrem("images", 0, b"metrics-test-1")
        broker.lrem("images", 0, b"metrics-test-2")
    assert sample(body, "mortar_celery_queue_length", '{queue="images"}') == before + 2
    assert sample(body, "mortar_broker_up") == 1
    assert sample(body, "mortar_redis_used_memory_bytes") > 0


@pytest.mark.django_db
def test_with_a_token_only_its_bearer_is_answered(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


@pytest.mark.django_db
def test_it_is_answered_whatever_the_host(client):
    # Prometheus asks each instance by its address, which ALLOWED_HOSTS need not list.
    assert client.get("/metrics", HTTP_HOST="10.1.2.3:8000").status_code == 200


@pytest.mark.django_db
def test_requests_are_counted_by_view_and_status_and_statements_timed(client):
    labels = {"view": "wagtailapi:pages:by-path", "method": "GET", "status": "404"}
    count = REGISTRY.get_sample_value("mortar_http_requests_total", labels) or 0
    statements = REGISTRY.get_sample_value("mortar_db_query_duration_seconds_count",
                                           {"alias": "default"}) or 0

    response = client.get("/api/v2/pages/by-path/", {"html_path": "/no-such-page-at-all/"})

    assert response.status_code == 404
    assert REGISTRY.get_sample_value("mortar_http_requests_total", labels) == count + 1
    assert REGISTRY.get_sample_value(
        "mortar_http_request_duration_seconds_count",
        {"view": labels["view"], "method": "GET"}) >= 1
    assert REGISTRY.get_sample_value("mortar_db_query_duration_seconds_count",
                                     {"alias": "default"}) > statements


def test_redis_errors_carried_through_are_counted(client):
    import logging

    labels = {"component": "document_cache"}
    before = REGISTRY.get_sample_value("mortar_redis_errors_total", labels) or 0
    # What cms.publishing.cache logs when Redis fails a read (it serves the request uncached).
    logging.getLogger("cms.publishing.cache").warning(
        "document cache unreadable, serving uncached: x")
    assert REGISTRY.get_sample_value("mortar_redis_errors_total", labels) == before + 1
