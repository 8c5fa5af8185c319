"""A Content-Security-Policy for the Wagtail admin (and Django's), which runs under it.

Scripts come from the admin's own origin, plus the inline ones its templates still
carry; its widgets set inline styles, so styles keep 'unsafe-inline' too. Images may
come from the media storage (S3) and, for embeds and avatars, other HTTPS hosts; the
preview panel frames the renderer of the page's Site (`cms.core.renderers`). Only the
admin gets this policy: the API answers JSON, documents carry Wagtail's own, and the
site's is the renderer's.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from cms.core.renderers import origin_of, renderer_origins

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def admin_policy(renderers: Iterable[str]) -> str:
    """The policy, with the preview panel (and its forms) allowed to the `renderers`
    origins (`scheme://host[:port]`)."""
    renderer = " ".join(sorted(renderers))
    media = origin_of(settings.MEDIA_URL) or ""
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
    """The admin's policy, naming every Site's renderer as it is now (one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIXES) \
                and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = admin_policy(_renderers())
        return response


def _renderers() -> set[str]:
    try:
        return renderer_origins()
    except DatabaseError:  # the outage page (cms.health.outages) keeps its policy
        return {origin for origin in [origin_of(settings.FRONTEND_URL)] if origin}
