"""Monitoring: Prometheus metrics, error reports (Sentry), traces and logs (cms.monitoring).

Metrics are on unless METRICS_ENABLED=false. The CMS serves them at /metrics on its own
port (nginx never routes that path to the CMS; with METRICS_TOKEN set, only
`Authorization: Bearer <token>` is answered); a worker serves its own on
WORKER_METRICS_PORT. Under gunicorn (several worker processes) and Celery's prefork pool,
PROMETHEUS_MULTIPROC_DIR must name an empty folder of this server's own, made before it
starts (prometheus_client's multiprocess mode). Error reports go to SENTRY_DSN when set.
Log lines carry the request's W3C trace id; in production they are JSON (LOG_FORMAT).
Traces are exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OpenTelemetry's own
variables).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import LOGGING, PRODUCTION, env

# After lockout's (settings/__init__ imports this module after it): its apps and middleware too.
from cms.settings.lockout import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "cms.monitoring"]

METRICS_ENABLED: bool = env.bool("METRICS_ENABLED", default=True)
# prometheus_client writes there from the first metric made: the folder must exist (a
# server's own, emptied before it starts; a tmpfs in compose).
if _multiproc_dir := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(_multiproc_dir).mkdir(parents=True, exist_ok=True)
METRICS_TOKEN: str = env.str("METRICS_TOKEN", default="")
# A worker's own metrics listener (the CMS serves /metrics on its own port): off when unset.
_worker_port = env.str("WORKER_METRICS_PORT", default="").strip()
if _worker_port and not (_worker_port.isdigit() and 0 < int(_worker_port) < 65536):
    raise ImproperlyConfigured(f"WORKER_METRICS_PORT must be a port number, not {_worker_port!r}")
WORKER_METRICS_PORT: int = int(_worker_port or 0)
if WORKER_METRICS_PORT and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    raise ImproperlyConfigured(
        "WORKER_METRICS_PORT needs PROMETHEUS_MULTIPROC_DIR: an empty folder of the worker's "
        "own, where its pool processes write their metrics")
# Where internal metrics listeners bind: 0.0.0.0 in a container, for Prometheus beside it.
METRICS_HOST: str = env.str("METRICS_HOST", default="") or "127.0.0.1"

SENTRY_DSN: str = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT: str = (env.str("SENTRY_ENVIRONMENT", default="")
                           or ("production" if PRODUCTION else "development"))
# The release errors are filed under: the deployed image's tag or commit, by default the
# package's version.
SENTRY_RELEASE: str = env.str("SENTRY_RELEASE", default="")

# "json": one JSON object per line (production's default), "text" for people.
LOG_FORMAT: str = env.str("LOG_FORMAT", default="") or ("json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")

# One line per request (its trace id, status, duration): an access log that can be
# joined with the renderer's (the same variable turns its own on) and the worker's.
LOG_REQUESTS: bool = env.bool("LOG_REQUESTS", default=False)

# Right after the /healthz answer (probes are neither timed nor logged), before the rest:
# it times everything after it, and answers /metrics before the host is checked.
MIDDLEWARE = [MIDDLEWARE[0], "cms.monitoring.middleware.RequestMonitoringMiddleware",
              *MIDDLEWARE[1:]]

LOGGING = {
    **LOGGING,
    "filters": {**LOGGING.get("filters", {}),
                "trace": {"()": "cms.monitoring.logs.TraceFilter"}},
    "formatters": {**LOGGING.get("formatters", {}),
                   "mortar": {"()": "cms.monitoring.logs.formatter", "style": LOG_FORMAT}},
    "handlers": {**LOGGING["handlers"],
                 "console": {**LOGGING["handlers"]["console"], "filters": ["trace"],
                             "formatter": "mortar"}},
}

from cms.monitoring.errors import init_sentry  # noqa: E402

init_sentry(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=SENTRY_RELEASE)
