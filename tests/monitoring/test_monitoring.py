"""The stack seen working, end to end: Prometheus (Debian's) scraping the CMS, the worker and
the renderer and evaluating infra/monitoring/alerts.yml; error reports at a local Sentry
receiver; one trace id from nginx to the renderer, the CMS and the task it queued.

One stack for the module (tests/monitoring/stack.py), on the session's test database and
`next build`; alert thresholds and `for` are shortened in the test's copy of the rules.
"""

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cms.testing.processes import wait_until
from tests.e2e.nginx import NGINX, nginx
from tests.monitoring.probe.middleware import FAIL, QUEUE
from tests.monitoring.prometheus import PROMETHEUS, Prometheus, fast_rules, prometheus
from tests.monitoring.sentry import Receiver, sentry_receiver
from tests.monitoring.stack import (
    METRICS_TOKEN,
    PROBE_TASK_SECRET,
    RELEASE,
    REVALIDATE_SECRET,
    SECRET_KEY,
    Stack,
    json_lines,
    monitoring_stack,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(PROMETHEUS).exists(), reason="prometheus is not installed"),
]

HOME = "/home/"  # the seeded site's root page (url_path), served at /
OUTBOX_BACKLOG_SECONDS = 2
BEAT_SILENT_SECONDS = 8


def fetch(url: str, method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, {key.lower(): value for key, value in response.getheaders()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with sentry_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def stack(seeded_db, web_build, receiver, django_db_blocker) -> Iterator[Stack]:
    with monitoring_stack(web_build, receiver) as stack:
        with django_db_blocker.unblock():
            stack.deliver_pending()
        yield stack


@pytest.fixture(scope="module")
def prom(stack) -> Iterator[Prometheus]:
    rules = fast_rules({
        "MortarOutboxBacklog": ("> 60", f"> {OUTBOX_BACKLOG_SECONDS}"),
        "MortarBeatSilent": ("> 120", f"> {BEAT_SILENT_SECONDS}"),
    })
    scrape = {
        "mortar-cms": {"static_configs": [{"targets": [urlsplit(stack.cms_url).netloc]}],
                       "authorization": {"credentials": METRICS_TOKEN}},
        "mortar-worker": {"static_configs": [
            {"targets": [f"127.0.0.1:{stack.worker_metrics_port}"]}]},
        "mortar-renderer": {"static_configs": [
            {"targets": [f"127.0.0.1:{stack.renderer_metrics_port}"]}]},
    }
    with prometheus(scrape, rules) as prom:
        for job in scrape:
            wait_until(lambda job=job: prom.value(f'up{{job="{job}"}}') == 1, 60,
                       interval=0.5, message=f"Prometheus scraping {job}")
        yield prom


def total(prom: Prometheus, expr: str) -> float:
    return prom.value(f"sum({expr})") or 0.0


def test_metrics_are_not_answered_without_the_token(stack):
    assert fetch(f"{stack.cms_url}/metrics")[0] == 404
    assert fetch(f"{stack.cms_url}/metrics",
                 headers={"Authorization": "Bearer wrong"})[0] == 404
    status, headers = fetch(f"{stack.cms_url}/metrics",
                            headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200 and headers["content-type"].startswith("text/plain")


def test_a_publish_moves_the_delivery_and_publish_latency_metrics(stack, prom):
    for _ in range(2):  # rendered (and its document fetched), then from the cache
        assert fetch(f"{stack.renderer.url}/")[0] == 200
    wait_until(lambda: total(prom, "mortar_renderer_isr_cache_total") >= 1, 10, 0.5,
               message="the renderer's cache counted")
    told = "mortar_publish_to_renderer_told_seconds_count"
    delivered = 'mortar_delivery_duration_seconds_count{target="renderer",outcome="2xx"}'
    revalidated = 'mortar_renderer_http_requests_total{route="revalidate",status="200"}'
    told_seconds = told.replace("_count", "_sum")
    before = {name: total(prom, name) for name in (told, told_seconds, delivered, revalidated)}

    stack.republish(HOME)

    for name in (told, delivered, revalidated):
        wait_until(lambda name=name: total(prom, name) > before[name], 30, 0.5,
                   message=f"{name} moving after a publish")
    # Seconds from this publish's commit to the renderer told (one publish: one row).
    told_now = total(prom, told) - before[told]
    latency = (total(prom, told_seconds) - before[told_seconds]) / told_now
    assert told_now == 1 and 0 < latency < 30
    # The rest of the pipeline is in view too.
    assert total(prom, 'mortar_celery_task_duration_seconds_count'
                       '{task="cms.publishing.tasks.deliver_revalidation",state="success"}') >= 1
    assert total(prom, 'mortar_http_requests_total{view="wagtailapi:pages:by-path"}') >= 1
    assert total(prom, "mortar_renderer_cms_fetch_duration_seconds_count") >= 1
    assert total(prom, "mortar_db_query_duration_seconds_count") >= 1
    assert total(prom, "mortar_document_cache_requests_total") >= 1
    assert prom.value('max(mortar_renderer_cms_circuit_state{state="closed"})') == 1
    wait_until(lambda: prom.value("max(mortar_outbox_pending_rows)") == 0, 30, 0.5,
               message="the outbox empty again")


def test_with_the_renderer_down_the_outbox_backlog_alert_fires(stack, prom):
    wait_until(lambda: prom.alert_state("MortarOutboxBacklog") == "inactive", 30, 0.5,
               message="no backlog before the renderer stops")
    assert fetch(f"{stack.renderer.url}/")[0] == 200  # an entry the publish must drop
    stack.renderer.stop()
    try:
        stack.republish(HOME)
        wait_until(lambda: prom.alert_state("MortarOutboxBacklog") == "firing", 60, 0.5,
                   message="MortarOutboxBacklog firing")
        assert prom.value("max(mortar_outbox_oldest_pending_age_seconds)") > \
            OUTBOX_BACKLOG_SECONDS
        assert prom.value("max(mortar_outbox_pending_rows)") >= 1
    finally:
        stack.renderer.start()
    # The retries deliver it once the renderer is back, and the alert resolves.
    wait_until(lambda: prom.alert_state("MortarOutboxBacklog") == "inactive", 60, 0.5,
               message="MortarOutboxBacklog resolved")
    assert total(prom, 'mortar_delivery_duration_seconds_count'
                       '{target="renderer",outcome="error"}') >= 1


def test_with_beat_stopped_its_alert_fires(stack, prom):
    # Beat sends the sweep every second here (it reads the schedule from the database).
    stack.shell("from django.apps import apps\n"
                "from cms.publishing.apps import register_periodic_tasks\n"
                "register_periodic_tasks(apps.get_app_config('mortar_publishing'))\n",
                MORTAR_SCHEDULE_SWEEP_SECONDS="1")
    try:
        with stack.beat():
            wait_until(lambda: prom.value("max(mortar_beat_last_tick_timestamp_seconds)"),
                       30, 0.5, message="a sweep seen by Prometheus")
            wait_until(lambda: prom.alert_state("MortarBeatSilent") == "inactive", 30, 0.5,
                       message="MortarBeatSilent quiet while beat runs")
        wait_until(lambda: prom.alert_state("MortarBeatSilent") == "firing", 60, 0.5,
                   message="MortarBeatSilent firing once beat stopped")
    finally:
        stack.shell("from django.apps import apps\n"
                    "from cms.publishing.apps import register_periodic_tasks\n"
                    "register_periodic_tasks(apps.get_app_config('mortar_publishing'))\n",
                    MORTAR_SCHEDULE_SWEEP_SECONDS="60")


TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
FORM_TRACE_ID = "5ce0e9a56015fec5aadfa328ae398115"
SECRETS = {
    "revalidate secret": REVALIDATE_SECRET, "metrics token": METRICS_TOKEN,
    "secret key": SECRET_KEY, "session cookie": "sessionid-value-7c1f3e9b2d",
    "draft mode cookie": "prerender-bypass-value-0a9d8c",
    "page access token": "page-access-9e8d7c6b", "preview token": "preview-token-value-1a2b3c4d",
    "query token": "query-token-value-5e6f7a8b", "form password": "form-password-value-9c0d1e2f",
    "form message": "form-message-value-3a4b5c6d",
    "task argument": PROBE_TASK_SECRET,
}


def test_errors_reach_sentry_with_release_and_request_id_and_no_secret(stack, receiver):
    cookies = (f"sessionid={SECRETS['session cookie']}; "
               f"__prerender_bypass={SECRETS['draft mode cookie']}; "
               f"mortar_page_access={SECRETS['page access token']}")
    # A renderer route fails (the CMS answers its document request with a 500, after
    # queueing a task that fails): three reports, one request id.
    status, _ = fetch(f"{stack.renderer.url}{FAIL}?token={SECRETS['query token']}", headers={
        "Cookie": cookies, "X-Preview-Token": SECRETS["preview token"],
        "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
    assert status >= 500
    # A view fails on a form submission sent to the CMS with a visitor's credentials.
    body = (f"password={SECRETS['form password']}&message={SECRETS['form message']}").encode()
    status, _ = fetch(f"{stack.cms_url}{FAIL}?token={SECRETS['query token']}", "POST", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
        "Authorization": f"Bearer {REVALIDATE_SECRET}",
        "X-Page-Access": SECRETS["page access token"],
        "X-Preview-Token": SECRETS["preview token"],
        "traceparent": f"00-{FORM_TRACE_ID}-00f067aa0ba902b7-01"})
    assert status == 500

    def reports() -> dict[str, list[dict]] | None:
        found: dict[str, list[dict]] = {"renderer": [], "view": [], "task": []}
        for event in receiver.errors():  # the probe's, not those of other tests' changes
            where = f"{event.get('transaction')} {event.get('request', {}).get('url')}"
            if event.get("platform") in ("node", "javascript") and FAIL in where:
                found["renderer"].append(event)
            elif "celery-job" in (event.get("extra") or {}) and "probe.tasks.fail" in where:
                found["task"].append(event)
            elif "by-path" in where or FAIL in where:
                found["view"].append(event)
        ids = {source: {event.get("tags", {}).get("request_id") for event in events}
               for source, events in found.items()}
        everywhere = {TRACE_ID, FORM_TRACE_ID}
        return found if (TRACE_ID in ids["renderer"] and everywhere <= ids["view"]
                         and everywhere <= ids["task"]) else None

    found = wait_until(reports, 60, 0.5, message=(
        "error reports of the renderer, a view and a task; received: "
        f"{[(e.get('platform'), e.get('transaction'), e.get('tags')) for e in receiver.events]}"))
    for source, events in found.items():
        for event in events:
            assert event["release"] == RELEASE, source
            assert event.get("tags", {}).get("request_id") in (TRACE_ID, FORM_TRACE_ID), \
                (source, event.get("tags"))
    assert {event["tags"]["request_id"] for event in found["view"]} == {TRACE_ID, FORM_TRACE_ID}
    assert {event["tags"]["request_id"] for event in found["task"]} == {TRACE_ID, FORM_TRACE_ID}
    assert found["renderer"][0]["tags"]["request_id"] == TRACE_ID

    captured = receiver.everything()
    assert captured
    leaked = {name: captured[max(captured.find(value.encode()) - 300, 0):
                             captured.find(value.encode()) + 100]
              for name, value in SECRETS.items() if value.encode() in captured}
    assert leaked == {}, f"secrets in what Sentry received: {leaked}"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_a_trace_id_from_nginx_reaches_the_renderer_the_cms_and_the_task(stack):
    cms, web = urlsplit(stack.cms_url).netloc, urlsplit(stack.renderer.url).netloc
    with nginx(cms, web) as proxy:
        answer = proxy.request("GET", QUEUE, headers={
            # A visitor's own trace context is replaced, never continued.
            "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
    trace_id = answer.headers["X-Request-ID"]
    assert len(trace_id) == 32 and trace_id != TRACE_ID

    def logged(log: Path, **fields: str) -> bool:
        return any(line.get("trace_id") == trace_id
                   and all(value in str(line.get(key, "")) for key, value in fields.items())
                   for line in json_lines(log))

    wait_until(lambda: logged(stack.renderer.log, path=QUEUE), 10, 0.2,
               message="the renderer's request line with the trace id")
    wait_until(lambda: logged(stack.cms_log, logger="mortar.requests",
                              path="/api/v2/pages/by-path/"), 10, 0.2,
               message="the CMS's request line with the trace id")
    wait_until(lambda: logged(stack.worker.log_path, message="probe.tasks.note"), 30, 0.2,
               message="the queued task's log line with the trace id")
