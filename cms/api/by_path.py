"""`GET /api/v2/pages/by-path/?html_path=/x/y/`: the page document at a site path.

The renderer's one read of a page. Its own chain is all in this module: the cache
front (`cached_by_path`: a hit is one Redis GET, before DRF's dispatch), the checked
parameters (`ByPathRequest`), routing with Wagtail's own `Page.route()` (`route`:
`RoutablePageMixin` sub-routes and custom `route()` methods included) or a Wagtail
redirect (`find_redirect`), then the document (`cms.api.representation`), kept in the
document cache and recorded for the renderer through `cms.publishing.freshness`. A page
that only password restrictions keep private answers 401 naming the password to enter,
or, given the tokens `page_access/` gives in `X-Page-Access`, the page for that visitor
alone (`cms.api.page_access`).

The endpoint is a viewset of its own (`PageByPathAPIViewSet`), mounted under the pages
endpoint's URL as Wagtail's `find/` is (`cms.api.stock.PagesAPIViewSet`), with its
OpenAPI operation beside it, from its one declaration of its parameters (`PARAMETERS`).
Every module a request runs code in is listed, numbered, in cms/api/README.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLPattern
from django.urls import path as url_path
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from rest_framework.request import Request
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from cms.api import page_access, representation
from cms.api.adapters import INTEGER, NULLABLE_STRING, STRING, obj, ref
from cms.api.errors import APIError, BadRequest, NotFound, json_response
from cms.api.listing import MAX_LISTING_PAGE
from cms.api.requests import (
    ERRORS,
    HTML_PATH_PATTERN,
    MAX_PARAM_LENGTH,
    MAX_PATH_LENGTH,
    SITE,
    MortarAPIViewSet,
    Parameter,
    Schema,
    answer,
    check_text,
    clean_html_path,
    from_renderer,
    html_path,
    positive_int,
    site_for_request,
    site_param,
)
from cms.api.visibility import granted, is_private, restricted_paths, visible_q
from cms.core.pages import RouteAnswer
from cms.publishing import freshness
from cms.publishing.freshness import cache, dependencies

# The parameters, declared once: the query parameters the view accepts (BY_PATH_PARAMETERS)
# and those its OpenAPI operation lists, in that order.
PARAMETERS = (
    Parameter("html_path", {"type": "string", "minLength": 1, "maxLength": MAX_PATH_LENGTH,
                            "pattern": HTML_PATH_PATTERN}, required=True),
    SITE,
    Parameter("X-Page-Access", {"type": "string", "maxLength": page_access.MAX_HEADER_LENGTH},
              location="header", description="Tokens from page_access, comma-separated"),
    Parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_LISTING_PAGE}),
    Parameter("query", {"type": "string", "maxLength": MAX_PARAM_LENGTH,
                        "pattern": "^[^#\\u0000-\\u001f\\u007f-\\u009f\\ufffd]*$"},
              description="The visitor's query string (without '?'): a redirect stored "
                          "with it matches first, and a redirect matched by the path alone "
                          "carries it to its target"),
)
BY_PATH_PARAMETERS = frozenset(parameter.name for parameter in PARAMETERS
                               if parameter.location == "query")


def header_error(request: HttpRequest) -> str | None:
    """Why the request's X-Page-Access cannot be read, if it cannot."""
    if len(request.META.get(page_access.HEADER, "")) > page_access.MAX_HEADER_LENGTH:
        return f"X-Page-Access is longer than {page_access.MAX_HEADER_LENGTH} characters"
    return None


# Routing: what answers a site path, a page or a redirect.


@dataclass(frozen=True)
class Routed:
    page: Page  # the specific page routing ended at: live, unexpired, in the site
    answer: RouteAnswer  # what its sub-route asked for (the default for its own path)
    subpath: bool  # True when a sub-route of the page answered, not the page's own path
    # True when a custom route() chose the page: what it reads is its own business, so the
    # answer is taken to change with any route (a page published, moved or unpublished).
    custom: bool = False
    # True when a view restriction (its own or an ancestor's) keeps the page private: the
    # caller decides what the public sees (a password form, or nothing).
    private: bool = False


def _hands_over(model: type[Page], remaining: list[str]) -> bool:
    """True when a page of `model` would pass `remaining` on to its child by slug, as
    `Page.route` does: the chain query already holds that child, so no need to ask it."""
    route = model.route
    if route is Page.route:
        return True
    if route is RoutablePageMixin.route:
        # Its sub-routes come first; only when none matches does it hand over.
        try:
            model.get_resolver().resolve("/" + "/".join(remaining) + "/")  # type: ignore[attr-defined]
        except (Http404, Resolver404):
            return True
    return False


def route(request: HttpRequest, site: Site, path: str, restricted: list[str]) -> Routed | None:
    """The live page (and sub-route answer) at `path` of `site`; None when nothing is.
    A page that `restricted` (cms.api.visibility.restricted_paths) covers comes back with
    `private=True`: never show it without checking its restrictions.

    Where routing starts: Wagtail starts at the site's root page and asks each page on
    the way for its child by slug, two queries a level (the child, then its specific
    row). We read every page on the path in one query instead, then start `route()` at
    the first page that may answer otherwise than by handing over to its child (a custom
    `route()`, or a RoutablePageMixin sub-route matching the rest of the path), else at
    the deepest page. Same result as routing from the root, since the pages skipped
    would only have handed over; a plain page costs two queries, as the old url_path
    lookup did, and the deeper pages below a custom route are Wagtail's own queries.
    """
    root = site.root_page
    components = [part for part in path.split("/") if part]
    prefixes = [root.url_path]
    for part in components:
        prefixes.append(f"{prefixes[-1]}{part}/")
    rows = {row.url_path: row for row in (
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path,
                            depth__gte=root.depth)
        .only("id", "path", "depth", "url_path", "content_type_id"))}
    start: Page | None = None
    remaining: list[str] = []
    for level, prefix in enumerate(prefixes):
        row = rows.get(prefix)
        if row is None or row.specific_class is None:
            break
        start, remaining = row, components[level:]
        if remaining and not _hands_over(row.specific_class, remaining):
            break
    if start is None or start.specific_class is None:
        return None
    if remaining and _hands_over(start.specific_class, remaining):
        return None  # it would look for its child by slug, which is not in `rows`
    page = start.specific_class.objects.select_related("locale").filter(pk=start.pk).first()
    if page is None:
        return None
    try:
        found, args, _kwargs = page.route(request, remaining)
    except Http404:
        return None
    found = found.specific
    if not _is_published_in(found, site):
        return None
    custom = type(page).route not in (Page.route, RoutablePageMixin.route)
    private = is_private(found.path, restricted)
    subpath = bool(remaining) and found.pk == page.pk and isinstance(page, RoutablePageMixin)
    if not subpath:
        return Routed(found, RouteAnswer(), subpath=False, custom=custom, private=private)
    view, view_args, view_kwargs = args
    try:
        answer = view(request, *view_args, **view_kwargs)
    except Http404:
        return None
    # A sub-route made for HTML serving only has no answer for the API.
    return (Routed(found, answer, subpath=True, custom=custom, private=private)
            if isinstance(answer, RouteAnswer) else None)


def _is_published_in(page: Page, site: Site) -> bool:
    """cms.api.visibility's rule but privacy, on the page as routing read it."""
    root = site.root_page
    return (page.live and (page.expire_at is None or page.expire_at > timezone.now())
            and page.path.startswith(root.path) and page.depth >= root.depth)


@dataclass(frozen=True)
class FoundRedirect:
    location: str
    permanent: bool
    page_id: int | None  # the target page, when the redirect points at one


def find_redirect(request: HttpRequest, site: Site, path: str, restricted: list[str],
                  query: str = "") -> FoundRedirect | None:
    """A Wagtail redirect covering this path whose target the public may see, if any.

    Wagtail's own lookup (its middleware's `get_redirect`), for the request's site: it
    tries the path decoded and percent-encoded, as the admin stores non-ASCII paths.
    With the visitor's `query` string (raw, without "?"), the redirect stored for the path
    with that query comes first (its parameters in any order), then the one for the path
    alone, as Wagtail's RedirectMiddleware matches. A redirect matched by the path alone
    carries the visitor's query to its target, unless the target has a query of its own
    (`with_query`); one matched with the query carries none, since the query named the old
    address. A redirect to a page that is not visible answers like an unknown path: its
    location would give the hidden page's path away."""
    redirect, carried = None, ""
    if query:
        redirect = get_redirect(request, Redirect.normalise_path(
            iri_to_uri(f"{path}?{query}"), decode_unicode=False))
    if redirect is None:
        redirect = get_redirect(request, Redirect.normalise_path(iri_to_uri(path),
                                                                 decode_unicode=False))
        carried = query
    if redirect is None:
        return None
    if redirect.redirect_page_id is None:
        if not redirect.redirect_link:
            return None
        return FoundRedirect(with_query(redirect.redirect_link, carried),
                             redirect.is_permanent, None)
    target = redirect.redirect_page
    visible = (Page.objects.filter(visible_q(), pk=target.pk).exists()
               and not is_private(target.path, restricted))
    if not visible:
        return None
    location = html_path(target, site.root_page.url_path)
    if location is None:
        location = target.get_full_url()
    if location and redirect.redirect_page_route_path:
        location = location.rstrip("/") + redirect.redirect_page_route_path
    return (FoundRedirect(with_query(location, carried), redirect.is_permanent, target.pk)
            if location else None)


def with_query(location: str, query: str) -> str:
    """`location` with the visitor's `query` string, unless it has a query of its own (or
    there is none to carry): `/contact/` + `utm_source=news` is `/contact/?utm_source=news`,
    before any `#fragment`. The query is percent-encoded where it is not already."""
    if not query:
        return location
    parts = urlsplit(location)
    if parts.query:
        return location
    return parts._replace(query=iri_to_uri(query)).geturl()


def _document_response(request: HttpRequest, body: bytes, etag: str, hit: bool) -> HttpResponse:
    """The document, or 304 when the client has it; clients must revalidate (no-cache)."""
    # META, not request.headers: building the headers view costs more than the rest here.
    if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["X-Mortar-Cache"] = "hit" if hit else "miss"
    return response


def _redirect_response(path: str, location: str, permanent: bool) -> HttpResponse:
    return json_response(
        {"message": f"{path} redirects to {location}",
         "redirect": {"location": location, "permanent": permanent}},
        status=301 if permanent else 302, Location=location,
    )


def _visitor_query(request: HttpRequest) -> str:
    """`query`: the query string the visitor asked for the path with (raw, without "?"),
    which redirects match and carry (`find_redirect`); "" when not given."""
    query = request.GET.get("query", "")
    check_text("query", query)
    if "#" in query:
        raise BadRequest("query is a URL's query string: it cannot hold '#'")
    return query.removeprefix("?")


def _no_page(request: HttpRequest, site: Any, path: str, tag: str,
             restricted: list[str]) -> HttpResponse:
    """A redirect covering the path, else 404; both change only when routes do."""
    redirect = find_redirect(request, site, path, restricted, _visitor_query(request))
    names = {dependencies.routes(site.pk), dependencies.site(site.pk), *dependencies.GLOBAL}
    if redirect is not None and redirect.page_id is not None:
        names.add(dependencies.page(redirect.page_id))
    # Anyone may ask for any path: record only the renderer's, which it caches.
    if from_renderer(request):
        freshness.record(tag, names, site)
    if redirect is None:
        raise NotFound(f"No page at {path}")
    return _redirect_response(path, redirect.location, redirect.permanent)


def _sub_route_answer(request: HttpRequest, site: Any, path: str, tag: str,
                      routed: Routed) -> HttpResponse:
    """A page's sub-route that redirects (e.g. a listing's "page/1/" to the listing)."""
    page, answer = routed.page, routed.answer
    if from_renderer(request):
        freshness.record(tag, {dependencies.routes(site.pk), dependencies.page(page.pk),
                               dependencies.site(site.pk), *dependencies.GLOBAL}, site)
    base = html_path(page, site.root_page.url_path) or "/"
    location = with_query(base + (answer.redirect_to or "").lstrip("/"),
                          _visitor_query(request))
    return _redirect_response(path, location, answer.permanent)


@dataclass(frozen=True)
class ByPathRequest:
    """A by-path request's parameters, checked once: the canonical `path`, the `site`
    parameter (None when not given), `listing_param` (`?page=N`, 0 when not given) and
    the document cache's `key` (None when the cache is off)."""

    path: str
    site: str | None
    listing_param: int
    key: str | None

    @classmethod
    def check(cls, request: HttpRequest) -> "ByPathRequest":
        """The checked parameters, in the order their errors are answered; raises
        BadRequest (or NotFound's sibling APIErrors) naming the first that is wrong."""
        path = clean_html_path(request.GET.get("html_path"))
        _visitor_query(request)  # checked before anything is looked up
        if error := header_error(request):
            raise BadRequest(error)
        listing_param = positive_int(request, "page", 0, MAX_LISTING_PAGE)  # 0: not given
        site = site_param(request)
        # The raw Host header is enough for a key: only requests that passed every check
        # on the way to a document ever store one under it.
        key = (cache.request_key(site, request.META.get("HTTP_HOST", ""), path,
                                 listing_param or 1) if cache.enabled() else None)
        return cls(path, site, listing_param, key)

    def tag(self) -> str:
        """The renderer's tag for the answer: the canonical path, as the renderer asks
        for it, so a document cached for another client's spelling ("/about") is the one
        the renderer gets ("/about/")."""
        return freshness.qualified(freshness.path_tag(self.path), self.site)


# Where the cache front leaves the checked parameters of a request it missed, for the
# viewset: a miss checks them and asks Redis once, as a hit does.
_MISSED = "_mortar_by_path_missed"


def _hit(request: HttpRequest, checked: ByPathRequest) -> HttpResponse | None:
    """The cached document under `checked.key`, or None (a miss, or one to build afresh).

    A document built for another client (a `site=` the renderer tags are not recorded for
    as it is built) is recorded under the renderer's tag once the renderer is served it,
    from the Site and names stored beside it. If a change dropped it meanwhile, that
    change may have been delivered before the record: None, so it is built again."""
    if checked.key is None:
        return None
    entry = cache.get(checked.key)
    if entry is None:
        return None
    if not entry.recorded and not checked.listing_param and from_renderer(request):
        freshness.record(checked.tag(), entry.names(), entry.site_id)
        if not cache.exists(checked.key):
            return None
    return _document_response(request, entry.body, entry.etag, hit=True)


def cached_by_path(request: HttpRequest) -> HttpResponse | None:
    """A cache hit for a by-path request whose parameters are all known and valid, as a
    plain HttpResponse (no SQL, unless the renderer is served a document it has no record
    of yet); None for anything else, which the viewset answers. On a miss the checked
    parameters stay on the request, so the viewset neither checks them nor asks the cache
    again."""
    if request.method not in ("GET", "HEAD") or not set(request.GET) <= BY_PATH_PARAMETERS:
        return None
    try:
        checked = ByPathRequest.check(request)
    except APIError:
        return None  # the viewset answers it, as JSON
    if hit := _hit(request, checked):
        return hit
    setattr(request, _MISSED, checked)
    return None


def page_by_path(request: HttpRequest) -> HttpResponse:
    """The page document at `html_path` (what `pages/by-path/` answers). With `query`, the
    visitor's query string, a redirect for the path matches and carries it; a page at the
    path answers as without it."""
    checked: ByPathRequest | None = getattr(request, _MISSED, None)
    if checked is None:  # not through the cache front (cached_by_path)
        checked = ByPathRequest.check(request)
        if hit := _hit(request, checked):
            return hit
    path, listing_param, key = checked.path, checked.listing_param, checked.key

    tag = checked.tag()
    site = site_for_request(request)
    # `?page=N` is no renderer's entry (it asks for "/articles/page/2/").
    recorded = not listing_param and freshness.records(checked.site, site,
                                                       from_renderer(request))
    # Twice at most: a change that commits while the document is built may have been
    # delivered before the document's names were recorded, so build it again after it.
    for _attempt in range(2):
        # Read before any data: a change landing after this drops what is built from it.
        epoch_before = cache.epoch()
        restricted = restricted_paths()
        routed = route(request, site, path, restricted)
        if routed is not None and routed.private:
            if protected := page_access.protection(routed.page):
                return _password_protected(request, site, path, tag, protected, routed,
                                           restricted, listing_param)
            routed = None  # a login or group restriction: as if there were no page
        if routed is None:
            return _no_page(request, site, path, tag, restricted)
        if routed.answer.redirect_to is not None:
            return _sub_route_answer(request, site, path, tag, routed)
        listing_page = _listing_page(routed, listing_param)
        page = routed.page
        try:
            built = representation.represent_page(page, site, restricted, listing_page)
        except NotFound:
            # A listing page past the last: it exists once enough pages are added.
            if from_renderer(request):
                freshness.record(tag, {dependencies.routes(site.pk),
                                       dependencies.page(page.pk),
                                       dependencies.children(page.pk),
                                       dependencies.site(site.pk), *dependencies.GLOBAL},
                                 site)
            raise
        if routed.custom:
            built.deps.add(dependencies.routes(site.pk))
        if recorded:
            freshness.record(tag, built.deps, site)
        body = orjson.dumps(built.data)
        etag = cache.etag_for(body)
        if key:
            kept = cache.put(key, cache.CachedDocument.of(body, etag, site.pk, built.deps,
                                                          recorded),
                             epoch_before, max_age=_max_age(built))
        else:
            # No document cache: a renderer would keep this answer instead, so the count of
            # changes alone says whether one came while it was built.
            kept = epoch_before is not None and cache.epoch() == epoch_before
        if kept or epoch_before is None:
            break  # stored, or Redis cannot say: serve what was built
    return _document_response(request, body, etag, hit=False)


def _listing_page(routed: Routed, listing_param: int) -> int:
    """Which page of its listings the document shows: `?page=` or its sub-route's."""
    if listing_param and routed.subpath:
        raise BadRequest("page is given twice: in the path and as ?page=")
    return listing_param or routed.answer.listing_page


def _password_protected(request: HttpRequest, site: Any, path: str, tag: str,
                        protected: page_access.Protected, routed: Routed,
                        restricted: list[str], listing_param: int) -> HttpResponse:
    """401 naming the password to enter, or the page (or its sub-route's answer) for a
    visitor who entered them all: never from or into a cache, the renderer's included."""
    missing = page_access.first_unpassed(protected, request)
    if missing is not None:
        if from_renderer(request):  # the form it caches shows until the restriction changes
            freshness.record(tag, {dependencies.page(protected.page.pk),
                                   dependencies.site(site.pk), *dependencies.GLOBAL}, site)
        return json_response(
            {"message": "This page needs a password",
             "password_required": {"restriction_id": missing.pk,
                                   "html_path": html_path(missing.page, site.root_page.url_path)}},
            status=401, Cache_Control="no-cache")
    if routed.answer.redirect_to is not None:
        response = _sub_route_answer(request, site, path, tag, routed)
        response["Cache-Control"] = "private, no-store"
        return response
    passed = {restriction.page.path for restriction in protected.restrictions}
    with granted(passed):
        built = representation.represent_page(
            routed.page, site, [path for path in restricted if path not in passed],
            _listing_page(routed, listing_param))
    return json_response(built.data, Cache_Control="private, no-store")


def _max_age(built: representation.Representation) -> float | None:
    """Seconds until the document must be rebuilt: a page it shows expires, or renditions."""
    ages = []
    if not built.complete:
        ages.append(cache.INCOMPLETE_SECONDS)
    if built.expires_at is not None:
        ages.append((built.expires_at - timezone.now()).total_seconds())
    return min(ages) if ages else None


class PageByPathAPIViewSet(MortarAPIViewSet):
    """`/api/v2/pages/by-path/`: an endpoint of its own, mounted under the pages endpoint's
    URL (cms.api.stock.PagesAPIViewSet), as Wagtail's `find/` is."""

    parameters = PARAMETERS
    # by-path's own checks accept nothing but a clean path, a hostname and a number, and
    # refuse every other parameter; its answers are JSON whatever the Accept header.
    # Skipping content negotiation keeps a cache miss's cost near that of a plain view.
    json_whatever_accept = True

    def root_view(self, request: Request) -> HttpResponse:
        return page_by_path(request._request)

    @property
    def default_response_headers(self) -> dict[str, str]:
        if self.action == "root_view":
            # The headers of a cache hit, which DRF never sees: no "Vary: Accept" (one
            # representation, whatever the Accept header), no "Allow".
            return {}
        # Any other method: a 405 says which are allowed (RFC 9110).
        return super().default_response_headers

    @classmethod
    def by_path_as_view(cls) -> Callable[..., HttpResponse]:
        """The by-path view, with its document cache in front of DRF's dispatch (as
        Django's cache middleware sits in front of a view): a hit costs one Redis GET
        and no more; a miss, and every error, is the viewset's to answer."""
        # GET and HEAD only, as before: OPTIONS too answers 405, not DRF's metadata.
        viewset = cls.as_view({"get": "root_view"}, http_method_names=["get", "head"])

        @wraps(viewset)
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return cached_by_path(request) or viewset(request, *args, **kwargs)

        return view

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [url_path("by-path/", cls.by_path_as_view(), name="by-path")]

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        components.update({
            "PasswordRequired": obj({"message": STRING, "password_required": obj({
                "restriction_id": INTEGER, "html_path": NULLABLE_STRING})},
                description="A page only a password opens; `html_path` is the page it is "
                            "set on."),
            "Redirect": obj({"message": STRING, "redirect": obj({
                "location": STRING, "permanent": {"type": "boolean"}})}),
        })
        return {"get": {
            "operationId": "pageByPath",
            "parameters": cls.openapi_parameters(),
            "responses": {
                "200": answer(ref("PageDocument"), "The live page"),
                "301": answer(ref("Redirect"), "A permanent Wagtail redirect"),
                "302": answer(ref("Redirect"), "A temporary Wagtail redirect"),
                "304": {"description": "Not modified (If-None-Match)"},
                "401": answer(ref("PasswordRequired"),
                              "A password-protected page, without its content"),
                **ERRORS,
            },
        }}
