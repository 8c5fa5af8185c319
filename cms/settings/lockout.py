"""Password guessing: django-axes (cms.lockout) on every sign-in and password form."""

from datetime import timedelta

from cms.settings.base import INSTALLED_APPS, MIDDLEWARE, env

INSTALLED_APPS = [*INSTALLED_APPS, "cms.lockout", "axes"]
# Last, as Axes asks: it turns a lockout flagged during the request into its answer.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "cms.lockout.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords per username and address together before that pair is locked out,
# and for how long: an attacker locks out themselves, not the user they guess at. Page
# and document password forms count each restriction as a username (cms.lockout.views).
AXES_FAILURE_LIMIT: int = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The slower brake per username: past this many wrong passwords from any addresses within
# the cool-off, the username is refused from every address it never signed in from
# (cms.lockout.backends).
LOGIN_USERNAME_FAILURE_LIMIT: int = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=50)
AXES_RESET_ON_SUCCESS = True
# Counts live in the database, where Django's admin lists and deletes them, and which
# a Redis outage leaves alone (Axes's cache handler fails when Redis does).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "cms.lockout.client.client_ip"
AXES_LOCKOUT_TEMPLATE = "lockout/locked_out.html"
# Log lockouts with the username and IP, so an administrator knows what to unlock;
# no "AXES: BEGIN" line on every process start (management commands print one line).
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_VERBOSE = False

# Seconds a visitor who entered a page's password may see it (cms.api.page_access).
PAGE_ACCESS_SECONDS: int = env.int("PAGE_ACCESS_SECONDS", default=12 * 60 * 60)
