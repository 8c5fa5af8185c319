"""Production hardening, behind nginx terminating TLS (infra/nginx/).

`manage.py check --deploy` with production variables gives no warnings
(tests/infra/test_production_settings.py). CORS and CSRF origins are read in
cms/settings/frontend.py.
"""

from cms.settings.base import PRODUCTION, env

if PRODUCTION:
    # nginx is the only way in from outside; it sets X-Forwarded-Proto and overwrites
    # whatever a client sent, so the header can be trusted.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Server-to-server calls inside the stack are plain HTTP and never pass nginx: the
    # renderer reading the API (CMS_API_URL=http://api:8000) and health checks. A redirect
    # to https://api:8000 would break them; browsers only reach these through nginx, which
    # already answers plain HTTP with a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^api/", r"^healthz/?$", r"^livez/?$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    # Wagtail's preview views set SAMEORIGIN on themselves (xframe_options_sameorigin_override
    # in wagtail.admin.views.generic.preview), so everything else can refuse to be framed.
    X_FRAME_OPTIONS = "DENY"
