"""Health answers for load balancers and compose.

`/livez`: the process answers (liveness); touches nothing, cheap for anyone.
`/healthz`: is each part this CMS needs reachable (readiness)? Each run makes a
database query, a cache round trip, a broker connection and an S3 request, so one
process runs it at most once every HEALTH_CHECK_CACHE_SECONDS and answers every
caller in between with that run's result: public through nginx, it cannot be used
to make the CMS hammer its own dependencies. Beside the checks, one line per renderer:
whether it can be told of changes (it answers and takes this CMS's REVALIDATE_SECRET),
and why not. A renderer never fails readiness: the CMS serves its API whatever they do.
"""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from queue import Empty, Queue

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from cms.media.storage import check_reachable

# Each probe gives up within this many seconds, so the endpoint answers in time.
PROBE_TIMEOUT = 2.0


def check_database() -> None:
    # Runs in its own thread (see healthz), so this is a connection of its own: close it.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_cache() -> None:
    key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, 10)
    try:
        if cache.get(key) != token:
            raise RuntimeError("cache did not return what was written")
    finally:
        cache.delete(key)


def check_broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=PROBE_TIMEOUT,
                    transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
                    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_reachable,
}


def run_check(check: Callable[[], None]) -> dict[str, object]:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # any failure is the answer, not a 500
        # The exception's type only: messages can carry hostnames, URLs or user names.
        result: dict[str, object] = {"ok": False, "error": type(exc).__name__}
    else:
        result = {"ok": True}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def run_checks(deadline: float) -> dict[str, dict[str, object]]:
    """Every check in a thread of its own, all given up on after `deadline` seconds.

    A database or Redis that hangs rather than refuses would otherwise hold the request
    (and the worker serving it) for as long as it hangs. A thread that is given up on
    ends by itself once its call times out (connect and statement timeouts, S3's).
    """
    answers: Queue[tuple[str, dict[str, object]]] = Queue()
    for name, check in CHECKS.items():
        threading.Thread(target=lambda n=name, c=check: answers.put((n, run_check(c))),
                         name=f"healthz-{name}", daemon=True).start()
    results: dict[str, dict[str, object]] = {}
    ends = time.monotonic() + deadline
    while len(results) < len(CHECKS):
        try:
            name, result = answers.get(timeout=max(0.0, ends - time.monotonic()))
        except Empty:
            break
        results[name] = result
    for name in CHECKS:
        results.setdefault(name, {"ok": False, "error": "Timeout", "ms": deadline * 1000})
    return {name: results[name] for name in CHECKS}


def renderer_lines() -> list[dict[str, object]]:
    """Each renderer this CMS tells of changes (each Site's, FRONTEND_URL for those
    without their own): `{"url", "ok", "ms"}`, with `"error"` (why it cannot be told, in
    one line) when not ok."""
    from wagtail.models import Site

    from cms.core.renderers import renderer_urls
    from cms.publishing.delivery import probe_all

    started = time.monotonic()
    try:
        urls = set(renderer_urls(Site.objects.values_list("pk", flat=True)).values())
    finally:
        connection.close()  # a thread of its own (see readiness)
    errors = probe_all(urls or {settings.FRONTEND_URL.rstrip("/")}, timeout=PROBE_TIMEOUT)
    ms = round((time.monotonic() - started) * 1000, 1)
    return [{"url": url, "ok": error is None, "ms": ms, **({"error": error} if error else {})}
            for url, error in errors.items()]


def run_renderer_lines(deadline: float) -> list[dict[str, object]]:
    """`renderer_lines`, given up on after `deadline` seconds; a failure is one line."""
    answer: Queue[list[dict[str, object]]] = Queue()

    def run() -> None:
        try:
            answer.put(renderer_lines())
        except Exception as exc:  # the database down: say so, never a 500
            answer.put([{"url": None, "ok": False, "error": type(exc).__name__}])

    threading.Thread(target=run, name="healthz-renderers", daemon=True).start()
    try:
        return answer.get(timeout=deadline)
    except Empty:
        return [{"url": None, "ok": False, "error": "Timeout", "ms": deadline * 1000}]


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, dict[str, object]]
    checked_at: str  # ISO 8601, UTC: when this run started
    started: float  # time.monotonic() at that moment
    renderers: list[dict[str, object]]


_last: Readiness | None = None
# One run at a time: callers arriving during a run wait for it and share its answer.
_running = threading.Lock()


def readiness() -> Readiness:
    """The last run's answer if younger than HEALTH_CHECK_CACHE_SECONDS, else a new run."""
    global _last
    window = settings.HEALTH_CHECK_CACHE_SECONDS
    with _running:
        if _last is not None and time.monotonic() - _last.started < window:
            return _last
        started = time.monotonic()
        checked_at = timezone.now().isoformat()
        lines: Queue[list[dict[str, object]]] = Queue()
        threading.Thread(target=lambda: lines.put(run_renderer_lines(PROBE_TIMEOUT + 0.5)),
                         daemon=True).start()
        checks = run_checks(PROBE_TIMEOUT + 0.5)
        _last = Readiness(checks, checked_at, started, lines.get())
        return _last


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok", "checked_at", "checks": {part: {"ok", "ms"[, "error"]}},
    "renderers": [{"url", "ok", "ms"[, "error"]}]}`, or 503 with `"status": "fail"` when a
    part is unreachable (a renderer never is one: see the module's docstring)."""
    answer = readiness()
    healthy = all(result["ok"] for result in answer.checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail",
                         "checked_at": answer.checked_at, "checks": answer.checks,
                         "renderers": answer.renderers},
                        status=200 if healthy else 503)


@never_cache
@require_safe
def livez(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok"}` while the process serves requests; checks nothing else."""
    return JsonResponse({"status": "ok"})
