"""A Content-Security-Policy for the Wagtail admin (and Django's), which runs under it.

Scripts come from the admin's own origin, plus the inline ones its templates still
carry; its widgets set inline styles, so styles keep 'unsafe-inline' too. Images may
come from the media storage (S3) and, for embeds and avatars, other HTTPS hosts; the
preview panel frames the renderer (FRONTEND_URL). Only the admin gets this policy: the
API answers JSON, documents carry Wagtail's own, and the site's is the renderer's.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def admin_policy() -> str:
    renderer = _origin(settings.FRONTEND_URL) or ""
    media = _origin(settings.MEDIA_URL) or ""
    directives = {
        "default-src": "'self'",
        # Wagtail 8's admin templates still carry inline scripts (wagtail#7053), so the
        # policy can only keep scripts to this origin plus those inline ones.
        "script-src": "'self' 'unsafe-inline'",
        "style-src": "'self' 'unsafe-inline'",
        # Gravatar: Wagtail's avatars, addressed without a scheme (http in development).
        "img-src": f"'self' data: blob: https: www.gravatar.com {media}",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": f"'self' {media}",
        "frame-src": f"'self' {renderer} https:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": f"'self' {renderer}",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {' '.join(value.split())}" for name, value in directives.items())


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = admin_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
