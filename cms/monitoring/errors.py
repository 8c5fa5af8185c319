"""Error reports to Sentry (sentry-sdk: Django and Celery), when SENTRY_DSN is set.

Every event carries its release, environment and `request_id` tag (the W3C trace id of
the request or task, as in the log lines), and nothing secret: no cookies, no
credentials or tokens in headers (REVALIDATE_SECRET, preview and page-access tokens,
METRICS_TOKEN), no request bodies (form submissions, passwords), no local variables, no
task arguments, no token in a query string, and no configured secret's value anywhere
in the event.
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

FILTERED = "[Filtered]"
# Request headers that carry credentials of ours, besides sentry-sdk's own denylist.
SECRET_HEADERS = ("x-preview-token", "x-page-access", "x-purge-secret", "x-metrics-token")
# Query string and form keys whose values are never sent (any key containing one of them).
SECRET_KEYS = ("token", "secret", "password", "passwd", "key", "session", "auth", "access")
# Query string keys whose value is itself a query string: by-path's `query`, the visitor's
# own query string the renderer passes on (web/lib/cms.ts getQueryRedirect), scrubbed the same way.
NESTED_QUERY_KEYS = ("query",)
# The settings whose values are secrets: replaced wherever they appear in an event.
SECRET_SETTINGS = ("SECRET_KEY", "REVALIDATE_SECRET", "METRICS_TOKEN", "AWS_SECRET_ACCESS_KEY",
                   "CLOUDFLARE_BEARER_TOKEN")


def default_release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"mortar-cms@{version('mortar-cms')}"
    except PackageNotFoundError:
        return "mortar-cms@unknown"


def init_sentry(dsn: str, environment: str, release: str = "") -> bool:
    """Start reporting to `dsn` (nothing when empty); True when it was started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn, environment=environment, release=release or default_release(),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False, include_local_variables=False,
        max_request_body_size="never", send_client_reports=False,
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, *(h.replace("-", "_") for h in SECRET_HEADERS),
                      *SECRET_HEADERS], recursive=True),
        before_send=before_send, before_breadcrumb=before_breadcrumb,
    )
    return True


def secret_values() -> list[str]:
    """The configured secrets' values (long enough to be worth looking for)."""
    from django.conf import settings

    values = [str(getattr(settings, name, "") or "") for name in SECRET_SETTINGS]
    values += [str(db.get("PASSWORD") or "") for db in settings.DATABASES.values()]
    return [value for value in values if len(value) >= 6]


def _without(value: Any, secrets: Iterable[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, FILTERED)
        return value
    if isinstance(value, dict):
        return {key: _without(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without(item, secrets) for item in value]
    return value


def _secret_key(key: str) -> bool:
    return any(word in key.lower() for word in SECRET_KEYS)


def scrub_request(request: dict[str, Any]) -> None:
    """Drop what a request holds of a visitor's or of ours: cookies, credentials, body."""
    request.pop("cookies", None)
    request.pop("data", None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in ("cookie", "authorization", "proxy-authorization", *SECRET_HEADERS):
            headers[name] = FILTERED
    query = request.get("query_string")
    if isinstance(query, str) and query:
        request["query_string"] = scrub_query(query)


def scrub_query(query: str) -> str:
    """`query` (`a=1&token=x`) with the value of every secret key FILTERED, nested ones too."""
    return urlencode([
        (key, FILTERED if _secret_key(key)
         else scrub_query(value) if key in NESTED_QUERY_KEYS else value)
        for key, value in parse_qsl(query, keep_blank_values=True)])


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    from cms.monitoring.tracing import current_trace_id

    if trace_id := current_trace_id():
        event.setdefault("tags", {})["request_id"] = trace_id
    if isinstance(event.get("request"), dict):
        scrub_request(event["request"])
    job = (event.get("extra") or {}).get("celery-job")
    if isinstance(job, dict):
        job["args"] = job["kwargs"] = FILTERED
    return _without(event, secret_values())


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    # SQL breadcrumbs could hold parameters (a session key, a password hash).
    if crumb.get("category") == "query":
        crumb.pop("data", None)
    return _without(crumb, secret_values())
