"""What every endpoint of the API shares as it answers a request.

Each endpoint is one module holding its viewset, on Wagtail's `WagtailAPIRouter`
(`cms.urls`), and its OpenAPI operation, declared beside it; what they have in common
is here, in the order a request meets it:

- the endpoint's base (`MortarAPIViewSet`): its parameters, declared once (`Parameter`),
  both checked (a query parameter it does not declare is a 400 naming the declared
  ones, as Wagtail's `find_query_parameters` does for `find/`) and listed in its OpenAPI
  operation; errors answered as `{"message": ...}` JSON, like Wagtail's;
- the renderer's credentials (`from_renderer`);
- the form of a query parameter (`check_text`), of a site path (`clean_html_path`) and of
  the `site` parameter, and the Wagtail Site a request is for (`site_for_request`).

What the public may see is the one rule of `cms.api.visibility`, apart: page models use
it too, before this module (which needs them loaded) can be imported. Before they met
here, these were `cms.api.endpoints`, `.params`, `.paths` and `.sites`; the checks only
Wagtail's stock endpoints make are in `cms.api.stock`.
"""

import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Case, Q, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.urls import URLPattern
from django.urls import path as url_path
from rest_framework.authentication import BaseAuthentication
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from cms.api.errors import APIError, BadRequest, NotFound

Schema = dict[str, Any]  # a JSON Schema, or a part of the OpenAPI document


# --- The endpoint: its parameters, its dispatch, its OpenAPI operation ---------------


@dataclass(frozen=True)
class Parameter:
    """A parameter of an endpoint, declared once: the view accepts it (a query parameter
    no view declares is refused) and the OpenAPI operation lists it."""

    name: str
    schema: Schema
    location: str = "query"  # where it is sent: "query", "header" or "path"
    required: bool = False
    description: str = ""

    def openapi(self) -> Schema:
        """The parameter object of the OpenAPI operation."""
        declared = {"name": self.name, "in": self.location, "required": self.required,
                    "schema": self.schema}
        return {**declared, "description": self.description} if self.description else declared


def answer(schema: Schema, description: str) -> Schema:
    """An OpenAPI response of JSON in the shape `schema`."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_JSON = JSONRenderer()
ERROR: Schema = {"$ref": "#/components/schemas/Error"}
# The errors every endpoint that reads a site and its parameters may answer.
ERRORS: Schema = {"400": answer(ERROR, "Bad input"), "404": answer(ERROR, "Not found")}


class MortarAPIViewSet(BaseAPIViewSet):
    """An endpoint of Mortar's own, with one view at its root (`root_view`).

    It declares its `parameters` (query parameters, headers), from which come both the
    query parameters it accepts and those its OpenAPI operation lists; the operation
    (`openapi_operation`) is written beside the view, in the endpoint's module, and
    `cms.api.schema` asks every endpoint on the router for it."""

    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head"]  # the first is the one its root view answers
    model = Page  # what the router matches models against; the listed objects are pages
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    # False for a view whose input is its body: nothing in its query string is refused.
    refuses_unknown_parameters: ClassVar[bool] = True
    # The query parameters each view (the viewset's action) accepts: from `parameters`.
    action_parameters: ClassVar[dict[str, frozenset[str]]] = {}
    view_parameters: ClassVar[frozenset[str]] = frozenset()
    # True for a view whose every answer is its own JSON, whatever the Accept header: no
    # content negotiation (nor its 406).
    json_whatever_accept: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.view_parameters = frozenset(parameter.name for parameter in cls.parameters
                                        if parameter.location == "query")
        cls.action_parameters = ({"root_view": cls.view_parameters}
                                 if cls.refuses_unknown_parameters else {})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        known = self.action_parameters.get(self.action or "")
        if known is not None:
            self.check_action_parameters(request, known)

    def perform_content_negotiation(self, request: Request,
                                    force: bool = False) -> tuple[BaseRenderer, str]:
        if self.json_whatever_accept:
            return _JSON, _JSON.media_type
        return super().perform_content_negotiation(request, force)

    def check_action_parameters(self, request: Request, known: frozenset[str]) -> None:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise BadRequest(f"Unknown query parameters: {', '.join(unknown)}",
                             allowed=sorted(known))

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, APIError):
            return exc.response()
        return super().handle_exception(exc)

    def root_view(self, request: Request) -> HttpResponse:
        raise NotImplementedError

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [url_path("", cls.as_view({cls.http_method_names[0]: "root_view"}),
                         name="root")]

    @classmethod
    def openapi_parameters(cls) -> list[Schema]:
        """The declared parameters, as the OpenAPI operation lists them."""
        return [parameter.openapi() for parameter in cls.parameters]

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        """This endpoint's OpenAPI operation, by method (`{"get": {...}}`), its parameters
        `openapi_parameters()`; it adds the named schemas only it uses to `components`."""
        raise NotImplementedError(f"{cls.__name__} declares no OpenAPI operation")

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Schema]) -> dict[str, Schema]:
        """The OpenAPI path items of this endpoint, mounted at `url` ("/api/v2/sitemap/")."""
        return {url: cls.openapi_operation(components)}


class PostAPIViewSet(MortarAPIViewSet):
    """An endpoint the renderer's server POSTs to, with no cookie: its input is the body,
    its answers JSON whatever the Accept header."""

    http_method_names = ["post"]
    # The query string is not its input: nothing in it is refused.
    refuses_unknown_parameters = False
    json_whatever_accept = True
    # Nothing for CSRF to protect (DRF's views are exempt), and no user to know: DRF's
    # session authentication would refuse the POST of a browser holding an admin session
    # cookie without a CSRF token.
    authentication_classes: ClassVar[list[type[BaseAuthentication]]] = []


def from_renderer(request: HttpRequest) -> bool:
    """True when the request carries the renderer's credentials (`Authorization: Bearer
    REVALIDATE_SECRET`): only the renderer's 404s are worth remembering, and only its word
    on a visitor's address is believed (cms.forms)."""
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    return bool(settings.REVALIDATE_SECRET) and hmac.compare_digest(
        given.encode(), settings.REVALIDATE_SECRET.encode())


# --- Query parameters: checks that run before anything reaches the database ---------
# PostgreSQL refuses NUL bytes in text and numbers beyond its column types; each of those
# surfaced as a 500. These turn such values into a `BadRequest` naming the parameter.

MAX_PARAM_LENGTH = 2048


def check_text(name: str, value: str) -> None:
    """A value (or a name) is at most MAX_PARAM_LENGTH characters, with no control
    characters (NUL included), lone surrogates or U+FFFD (what undecodable bytes become)."""
    if len(value) > MAX_PARAM_LENGTH:
        raise BadRequest(f"{name[:64]!r} is longer than {MAX_PARAM_LENGTH} characters")
    if any(ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise BadRequest(f"{name[:64]!r} contains control or undecodable characters")


def check_query_text(query: QueryDict) -> None:
    """check_text on every name and every value of a query string."""
    for name, values in query.lists():
        check_text(name, name)
        for value in values:
            check_text(name, value)


def whole_number(name: str, raw: str, low: int, high: int) -> int:
    """`raw` as an int in [low, high], ASCII digits only (no sign, spaces or underscores)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 20 or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def positive_int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    """The query parameter `name` as 1..maximum; `default` when it is not given."""
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"{name} must be a whole number from 1 to {maximum}")
    return int(raw)


# --- Site paths: Wagtail's internal url_paths as site paths, and back --------------

MAX_PATH_LENGTH = 1024
_CHAR = r"[^/?#\\\x00-\x1f\x7f-\x9f\ufffd]"
_NOT_DOT = r"[^/?#\\.\x00-\x1f\x7f-\x9f\ufffd]"
_SEGMENT = rf"(?:{_NOT_DOT}{_CHAR}*|\.{_NOT_DOT}{_CHAR}*|\.\.{_CHAR}+)"
# What clean_html_path accepts, for the OpenAPI document: '/', then segments that are
# not empty, '.' or '..', each followed by '/' (optional after the last).
HTML_PATH_PATTERN = rf"^/(?:{_SEGMENT}/)*(?:{_SEGMENT})?$"

_VALID_PATH = re.compile(HTML_PATH_PATTERN)


def path_error(raw: str | None) -> str | None:
    """Which rule a path breaks, in words; None for a valid path. The rules, spelled out,
    that HTML_PATH_PATTERN states in one expression (a test holds the two together)."""
    if raw is None or raw == "":
        return "html_path is required, for example ?html_path=/about/"
    if len(raw) > MAX_PATH_LENGTH:
        return f"html_path is longer than {MAX_PATH_LENGTH} characters"
    if not raw.startswith("/"):
        return "html_path must start with '/'"
    if any(ch in "\\?#\ufffd" or unicodedata.category(ch) in ("Cc", "Cs") for ch in raw):
        return "html_path contains characters that cannot appear in a page path"
    if raw != "/" and any(segment in ("", ".", "..")
                          for segment in raw[1:].removesuffix("/").split("/")):
        return "html_path must not contain empty, '.' or '..' segments"
    return None


def clean_html_path(raw: str | None) -> str:
    """Validate a visitor-supplied path and give it its canonical form, '/a/b/'.

    One regular expression on the hot path; the rule-by-rule check only to explain."""
    # fullmatch: Python's `$` also matches before a final newline ("/\n" passed), where
    # the pattern's own language (ECMA-262, as OpenAPI reads it) ends at the end.
    if not raw or len(raw) > MAX_PATH_LENGTH or not _VALID_PATH.fullmatch(raw):
        raise BadRequest(path_error(raw) or "html_path is not a page path")
    return raw if raw.endswith("/") else raw + "/"


def html_path(page: Page, site_root_path: str) -> str | None:
    """The path of a page on the site whose root page has url_path `site_root_path`."""
    if page.url_path and page.url_path.startswith(site_root_path):
        return "/" + page.url_path[len(site_root_path):]
    return None


# --- The Site: `?site=hostname[:port]`, else the Host header -----------------------
# Both are looked up as Wagtail looks up a Host: the Site with that hostname (and port, if
# one is given), else the Site with that hostname, else the default Site. The renderer
# sends its visitor's hostname as `site`, so a hostname no Site names (an IP address, an
# alias) shows the default Site, as Wagtail itself would; 404 only when there is no Site
# to fall back to.

HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")
SITE = Parameter("site", {"type": "string", "pattern": HOSTNAME.pattern},
                 description="hostname[:port] of the Wagtail Site; else the Host header")


def site_param(request: HttpRequest) -> str | None:
    """The `site` parameter, checked for form (not existence), lower-cased; None if absent."""
    requested = request.GET.get("site")
    if requested is not None and not HOSTNAME.fullmatch(requested):
        raise BadRequest("site must be a hostname, optionally with :port")
    # "docs.example.com." is the same name as nginx matches it (and a browser may send it).
    return re.sub(r"\.(?=:|$)", "", requested.lower()) if requested is not None else None


def site_for_request(request: HttpRequest) -> Site:
    """The Site by Wagtail's own hostname-and-port lookup, remembered on the request
    where Wagtail keeps it, so its own code (routing, redirects, URLs) agrees."""
    site = _find_site(request)
    request._wagtail_site = site  # type: ignore[attr-defined]  # Site.find_for_request's cache
    return site


def _find_site(request: HttpRequest) -> Site:
    requested = site_param(request)
    if requested is None:
        # The port the client asked for (Host: localhost:8080), which Wagtail's own
        # Site.find_for_request ignores for the port the server listens on; the server's
        # when the Host header names none.
        hostname, port = split_domain_port(request._get_raw_host())  # type: ignore[attr-defined]
        try:
            return get_site_for_hostname(hostname, int(port) if port else request.get_port())
        except Site.DoesNotExist:
            raise NotFound("No site is configured for this host") from None
    hostname, _, port = requested.partition(":")
    if port:
        try:
            return get_site_for_hostname(hostname, int(port))
        except Site.DoesNotExist:
            raise NotFound(f"Unknown site '{requested}'") from None
    # No port: any Site of the hostname (the default one first), else the default Site.
    site = (Site.objects.select_related("root_page")
            .filter(Q(hostname=hostname) | Q(is_default_site=True))
            .order_by(Case(When(hostname=hostname, then=0), default=1),
                      "-is_default_site", "port")
            .first())
    if site is None:
        raise NotFound(f"Unknown site '{requested}'")
    return site
