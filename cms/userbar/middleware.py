"""A hint on the editor's browser that they are signed in to the admin: the renderer asks
for the userbar (cms.userbar.views) only where it finds it, so visitors cost nothing.

`mortar_editor=1`, readable by the site's scripts and worth nothing to anyone: the userbar
itself needs the admin's session. Set on the admin's answers to a signed-in editor,
dropped on its answers to anyone else (signed out, or the session gone).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from cms.userbar.views import ADMIN_PERMISSION, EDITOR_COOKIE


class EditorCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        self.admin_prefix = self.admin_prefix or reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_prefix):
            return response
        user = getattr(request, "user", None)
        editor = bool(user and user.is_authenticated and user.has_perm(ADMIN_PERMISSION))
        has_hint = EDITOR_COOKIE in request.COOKIES
        if editor and not has_hint:
            response.set_cookie(EDITOR_COOKIE, "1", max_age=settings.SESSION_COOKIE_AGE,
                                path="/", secure=settings.SESSION_COOKIE_SECURE,
                                httponly=False, samesite="Lax")
        elif not editor and has_hint:
            response.delete_cookie(EDITOR_COOKIE, path="/", samesite="Lax")
        return response
