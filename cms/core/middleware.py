"""Django's CommonMiddleware, with APPEND_SLASH that keeps a form's method and body;
its CsrfViewMiddleware, trusting each Site's renderer origin too; HEAD answered without
a body; django-cors-headers' middleware, cheaper for a request without an Origin."""

from collections.abc import Callable

from corsheaders import middleware as cors
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware import common, csrf
from django.utils.cache import patch_vary_headers
from django.utils.http import escape_leading_slashes

# Methods a 301 may turn into GET: every other one is redirected with 308, which keeps it.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class CommonMiddleware(common.CommonMiddleware):
    """`POST /documents/authenticate_with_password/1` answers 308 to `…/1/`.

    Django's own raises a RuntimeError (a 500) for it when DEBUG is on, and answers 301
    otherwise, on which browsers drop the body and resend as GET; a visitor posting a
    form through a proxy that lost the slash would see an error either way.
    """

    def get_full_path_with_slash(self, request: HttpRequest) -> str:
        return escape_leading_slashes(request.get_full_path(force_append_slash=True))

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        if (response.status_code == 404 and request.method not in SAFE_METHODS
                and self.should_redirect_with_slash(request)):
            redirect = self.response_redirect_class(self.get_full_path_with_slash(request))
            redirect.status_code = 308
            return redirect
        return super().process_response(request, response)


class RendererCsrfViewMiddleware(csrf.CsrfViewMiddleware):
    """Django's CSRF check, with every renderer's origin trusted as CSRF_TRUSTED_ORIGINS are.

    The renderer proxies the CMS's forms (document passwords, login) on its own origin,
    so a visitor's POST carries the Origin of the Site's renderer, which an editor may
    change in Settings > Renderer: it is read when a POST's Origin is not the CMS's own
    (one query), never from the settings at start-up.
    """

    @property
    def allowed_origins_exact(self) -> set[str]:  # type: ignore[override]
        from cms.core.renderers import renderer_origins

        exact = {origin for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin}
        return exact | renderer_origins()


class HeadWithoutBodyMiddleware:
    """A HEAD request's answer goes without its body (its headers, Content-Length
    included, stay those of the GET).

    Django leaves that to the server, and gunicorn sends the body anyway: a client or
    proxy that reuses the connection reads those bytes as the next answer (Node.js, which
    the renderer's rewrites of /documents/ and /_util/ to the CMS go through, refuses
    them and answered 500). Next to outermost (after the health probe), so that it sees
    the final answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = iter(())  # its file is still closed with it
            else:
                response.content = b""
        return response


class CorsMiddleware(cors.CorsMiddleware):
    """django-cors-headers' middleware, reading the Origin from the WSGI environ.

    Its own reads `request.headers`, which Django builds from every header of the request
    (a sixth of a cached by-path answer's time in the view and middleware); most API
    requests (the renderer's, from its server) send no Origin, and get only what
    django-cors-headers gives them: `Vary: origin` on the URLs it covers.
    """

    def add_response_headers(self, request: HttpRequest,
                             response: HttpResponseBase) -> HttpResponseBase:
        if request.META.get("HTTP_ORIGIN"):
            return super().add_response_headers(request, response)
        enabled = getattr(request, "_cors_enabled", None)
        if enabled is None:
            enabled = self.is_enabled(request)
        if enabled:
            patch_vary_headers(response, ("origin",))
        return response
