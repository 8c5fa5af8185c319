"""The renderer (Next.js): preview, revalidation, CORS and "view live" links.

FRONTEND_URL is the renderer of every Site whose Settings > Renderer URL is blank; each
Site may name its own there (`cms.core.renderers.renderer_url`, the one place to ask).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import PRODUCTION, env

FRONTEND_URL: str = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
# The origins a Site's renderer URL (Settings > Renderer) may name besides FRONTEND_URL's:
# the CMS sends REVALIDATE_SECRET there and the admin trusts them (cms/core/renderers.py).
RENDERER_ORIGINS: list[str] = env.list("RENDERER_ORIGINS", default=[])
_DEV_REVALIDATE_SECRET = "dev-revalidate-secret"
REVALIDATE_SECRET: str = env.str(
    "REVALIDATE_SECRET", default="" if PRODUCTION else _DEV_REVALIDATE_SECRET
)
if PRODUCTION and (len(REVALIDATE_SECRET) < 16 or REVALIDATE_SECRET == _DEV_REVALIDATE_SECRET):
    raise ImproperlyConfigured("REVALIDATE_SECRET must be set to a random string of 16+ characters")

# The client URL and "view live" of each page are its Site's renderer's
# (cms.core.pages.PreviewMixin); "default" is only for models without the mixin.
# The preview panel's iframe opens the renderer itself (no frame of the admin's around
# it), so that the page editor's content checks reach the previewed page's userbar.
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": f"{FRONTEND_URL}/api/preview"},
    "ENFORCE_TRAILING_SLASH": False,
    "REDIRECT_ON_PREVIEW": True,
}

# CORS: only the renderer's own origins, if the browser ever calls the API directly.
CORS_ALLOWED_ORIGINS: list[str] = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# The renderer proxies the CMS's forms (document passwords, login) on its own origin, so
# a visitor's POST carries the renderer's Origin while the Host is the CMS's. Each Site's
# renderer origin is trusted too (cms.core.middleware.RendererCsrfViewMiddleware).
CSRF_TRUSTED_ORIGINS: list[str] = [
    *env.list("CSRF_TRUSTED_ORIGINS", default=[]),
    "{0.scheme}://{0.netloc}".format(urlsplit(FRONTEND_URL)),
]
# Django's security.W003 looks for its CSRF middleware by dotted name, and ours is a
# subclass of it; cms.core.checks (mortar.W001) checks for either instead.
SILENCED_SYSTEM_CHECKS: list[str] = ["security.W003"]

# Preview tokens older than this (seconds) are refused by /api/v2/page_preview/.
PREVIEW_TOKEN_MAX_AGE: int = env.int("PREVIEW_TOKEN_MAX_AGE", default=60 * 60)

# HTTP caches in front of the renderer that purge by tag (Varnish with xkey,
# infra/varnish): the base URLs the CMS sends `PURGE` to after every change.
HTTP_CACHE_PURGE_URLS: list[str] = env.list("HTTP_CACHE_PURGE_URLS", default=[])

# A CDN in front of the site instead: purged by URL through Wagtail's frontend_cache.
_CLOUDFRONT_DISTRIBUTION_ID: str = env.str("CLOUDFRONT_DISTRIBUTION_ID", default="")
_CLOUDFLARE_ZONEID: str = env.str("CLOUDFLARE_ZONEID", default="")
WAGTAILFRONTENDCACHE: dict[str, dict[str, str]] = {}
if _CLOUDFRONT_DISTRIBUTION_ID:
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": _CLOUDFRONT_DISTRIBUTION_ID,
    }
if _CLOUDFLARE_ZONEID:
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": _CLOUDFLARE_ZONEID,
        "BEARER_TOKEN": env.str("CLOUDFLARE_BEARER_TOKEN", default=""),
    }
