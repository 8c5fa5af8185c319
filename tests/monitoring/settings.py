"""The monitoring stack's CMS: Mortar's settings, plus the probe app (tests/monitoring/probe)."""

from cms.settings import *  # noqa: F403
from cms.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "tests.monitoring.probe"]
# After the request monitoring (second) and before the rest: as a view's failure would.
MIDDLEWARE = [*MIDDLEWARE[:2], "tests.monitoring.probe.middleware.ProbeMiddleware",
              *MIDDLEWARE[2:]]
