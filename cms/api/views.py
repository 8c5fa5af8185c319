"""Mortar's own API v2 endpoints: the page document by path, navigation and the sitemap.

Viewsets on Wagtail's `WagtailAPIRouter` (`cms.urls`), like Wagtail's own
`pages/find/`: `pages/by-path/` is an extra URL of the pages endpoint; `navigation/`
and `sitemap/` are endpoints of their own. DRF dispatches them (methods, 405s); what
every endpoint shares (known parameters, errors as JSON) is in `cms.api.endpoints`.

A by-path request, from URL to JSON: cms.urls and its router → a cache hit
(cms.publishing.cache) as a plain HttpResponse before DRF's dispatch (`cached_by_path`);
else PagesAPIViewSet.by_path_view → `page_by_path`, with the parameters the front checked.
Every module it runs code in is listed, numbered, in cms/api/README.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import orjson
from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern
from django.urls import path as url_path
from django.utils import timezone
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from wagtail.models import Page

from cms.api import page_access, representation, visibility
from cms.api.endpoints import MortarAPIViewSet, MortarEndpointMixin, from_renderer
from cms.api.errors import APIError, BadRequest, NotFound, json_response
from cms.api.listing import MAX_LISTING_PAGE
from cms.api.lookup import Routed, find_redirect, route, with_query
from cms.api.params import check_text
from cms.api.paths import clean_html_path, html_path
from cms.api.sites import site_for_request, site_param
from cms.api.stock import PagesAPIViewSet as StockPagesAPIViewSet
from cms.api.visibility import restricted_paths, visible_q
from cms.brand.api import brand_json
from cms.core.models import NavigationSettings
from cms.publishing import freshness
from cms.publishing.freshness import cache, dependencies


def _positive_int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"{name} must be a whole number from 1 to {maximum}")
    return int(raw)


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


def _records(request: HttpRequest, site: Any) -> bool:
    """Whether what this answer shows is recorded under its renderer tag as it is built
    (`freshness.records`)."""
    return freshness.records(site_param(request), site, from_renderer(request))


def _redirect_response(path: str, location: str, permanent: bool) -> HttpResponse:
    return json_response(
        {"message": f"{path} redirects to {location}",
         "redirect": {"location": location, "permanent": permanent}},
        status=301 if permanent else 302, Location=location,
    )


def _visitor_query(request: HttpRequest) -> str:
    """`query`: the query string the visitor asked for the path with (raw, without "?"),
    which redirects match and carry (cms.api.lookup.find_redirect); "" when not given."""
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


BY_PATH_PARAMETERS = frozenset({"html_path", "site", "page", "query"})


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
        if error := page_access.header_error(request):
            raise BadRequest(error)
        listing_param = _positive_int(request, "page", 0, MAX_LISTING_PAGE)  # 0: not given
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
        epoch_before = cache.epoch() if key else None
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
        if not key or cache.put(key, cache.CachedDocument.of(body, etag, site.pk, built.deps,
                                                             recorded),
                                epoch_before, max_age=_max_age(built)):
            break
        if epoch_before is None:
            break  # Redis cannot say: serve what was built
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
    with visibility.granted(passed):
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


def _menu_item(page: Page, root_path: str) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "html_path": html_path(page, root_path),
            "children": []}


def _menu_pages(site: Any, restricted: list[str]) -> tuple[list[Page], list[Page]]:
    """The menu's pages: its first NAVIGATION_MAX_ITEMS, and the first as many below each.

    Two queries whatever the number of pages; private pages are left out in them, so that
    the limit counts only pages that are shown.
    """
    root, limit = site.root_page, settings.NAVIGATION_MAX_ITEMS
    shown = Page.objects.filter(visible_q(site), show_in_menus=True)
    for path in restricted:
        shown = shown.exclude(path__startswith=path)
    shown = shown.only("id", "title", "url_path", "path", "depth")
    top = list(shown.filter(depth=root.depth + 1).order_by("path")[:limit])
    if not top:
        return top, []
    parent_length = len(top[0].path)
    children = list(
        shown.filter(depth=root.depth + 2)
        .annotate(parent_path=Substr("path", 1, parent_length))
        .filter(parent_path__in=[page.path for page in top])
        .annotate(rank=Window(RowNumber(), partition_by=F("parent_path"), order_by=F("path").asc()))
        .filter(rank__lte=limit).order_by("path"))
    return top, children


def navigation(request: HttpRequest) -> HttpResponse:
    """The main menu (pages shown in menus, two levels), the footer and the brand of a
    site; at most NAVIGATION_MAX_ITEMS items in each level of the menu and in the footer's
    links."""
    site = site_for_request(request)
    root = site.root_page
    restricted = restricted_paths()
    top, children = _menu_pages(site, restricted)
    # Which pages are in the menu follows the root's menu and its items' menus.
    names = {dependencies.site(site.pk), dependencies.menu(root.pk),
             dependencies.setting(NavigationSettings._meta.label), *dependencies.GLOBAL}
    menu: list[dict[str, Any]] = []
    by_path: dict[str, dict[str, Any]] = {}
    for page in top:
        names.update((dependencies.page(page.pk), dependencies.menu(page.pk)))
        item = _menu_item(page, root.url_path)
        menu.append(item)
        by_path[page.path] = item
    for page in children:
        names.add(dependencies.page(page.pk))
        by_path[page.path[: -Page.steplen]]["children"].append(_menu_item(page, root.url_path))

    footer = NavigationSettings.for_site(site)
    links, link_names = representation.represent_stream(
        NavigationSettings.footer_links.field.stream_block, footer.footer_links, site, restricted)
    footer_links = [item["value"] for item in links][:settings.NAVIGATION_MAX_ITEMS]
    names |= link_names
    brand, brand_names = brand_json(site, restricted)
    names |= brand_names
    if _records(request, site):
        freshness.record(freshness.qualified(freshness.NAVIGATION, site_param(request)),
                         names, site)
    return json_response({
        "site": {"id": site.pk, "hostname": site.hostname, "name": site.site_name,
                 "root": {"id": root.pk, "title": root.title, "html_path": "/"}},
        "menu": menu,
        "footer": {"text": footer.footer_text, "links": footer_links},
        "brand": brand,
    })


# URLs per sitemap page: a child sitemap holds one page, well under the protocol's
# 50,000 URLs and 50 MB, and one answer stays small whatever the size of the site.
SITEMAP_PAGE_SIZE = 10_000


def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live, public page of a site, SITEMAP_PAGE_SIZE a page (`?page=N`, from 1),
    for sitemap.xml (an index of child sitemaps, one per page)."""
    site = site_for_request(request)
    number = _positive_int(request, "page", 1, MAX_LISTING_PAGE)
    restricted = restricted_paths()
    pages = Page.objects.filter(visible_q(site)).order_by("path")
    for path in restricted:  # in the query, so pages count what they list
        pages = pages.exclude(path__startswith=path)
    total = pages.count()
    total_pages = max(1, -(-total // SITEMAP_PAGE_SIZE))
    if number > total_pages:
        raise NotFound(f"Sitemap page {number} does not exist; there are {total_pages}.")
    root_path = site.root_page.url_path
    if _records(request, site):
        freshness.record(freshness.qualified(freshness.SITEMAP, site_param(request)),
                         {dependencies.pages(site.pk), dependencies.site(site.pk),
                          *dependencies.GLOBAL},
                         site)
    start = (number - 1) * SITEMAP_PAGE_SIZE
    # Rows, not model instances: a page of the sitemap is thousands of them.
    rows = pages.values_list("id", "url_path", "last_published_at")[
        start:start + SITEMAP_PAGE_SIZE]
    return json_response({
        "pages": [
            {"id": pk, "html_path": "/" + url_path[len(root_path):],
             "last_published_at": published.isoformat() if published else None}
            for pk, url_path, published in rows
        ],
        "page": number, "per_page": SITEMAP_PAGE_SIZE, "total": total,
        "total_pages": total_pages,
    })


_JSON = JSONRenderer()


class PagesAPIViewSet(MortarEndpointMixin, StockPagesAPIViewSet):
    """`/api/v2/pages/` (Wagtail's, see cms.api.stock) and `pages/by-path/`."""

    action_parameters = {"by_path_view": BY_PATH_PARAMETERS}

    def by_path_view(self, request: Request) -> HttpResponse:
        return page_by_path(request._request)

    # by-path's own checks accept nothing but a clean path, a hostname and a number, and
    # refuse every other parameter; its answers are JSON whatever the Accept header.
    # Skipping the stock endpoint's field checks and content negotiation keeps a cache
    # hit's cost near that of a plain Django view.
    def check_parameters(self, query: QueryDict) -> None:
        if self.action != "by_path_view":
            super().check_parameters(query)

    def perform_content_negotiation(self, request: Request,
                                    force: bool = False) -> tuple[BaseRenderer, str]:
        if self.action == "by_path_view":
            return _JSON, _JSON.media_type
        return super().perform_content_negotiation(request, force)

    @property
    def default_response_headers(self) -> dict[str, str]:
        if self.action == "by_path_view":
            # The headers of a cache hit, which DRF never sees: no "Vary: Accept" (one
            # representation, whatever the Accept header), no "Allow".
            return {}
        return super().default_response_headers

    @classmethod
    def by_path_as_view(cls) -> Callable[..., HttpResponse]:
        """The by-path view, with its document cache in front of DRF's dispatch (as
        Django's cache middleware sits in front of a view): a hit costs one Redis GET
        and no more; a miss, and every error, is the viewset's to answer."""
        # GET and HEAD only, as before: OPTIONS too answers 405, not DRF's metadata.
        viewset = cls.as_view({"get": "by_path_view"}, http_method_names=["get", "head"])

        @wraps(viewset)
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return cached_by_path(request) or viewset(request, *args, **kwargs)

        return view

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [*super().get_urlpatterns(),
                url_path("by-path/", cls.by_path_as_view(), name="by-path")]


class NavigationAPIViewSet(MortarAPIViewSet):
    """`/api/v2/navigation/`."""

    view_parameters = frozenset({"site"})

    def root_view(self, request: Request) -> HttpResponse:
        return navigation(request._request)


class SitemapAPIViewSet(MortarAPIViewSet):
    """`/api/v2/sitemap/`."""

    view_parameters = frozenset({"site", "page"})

    def root_view(self, request: Request) -> HttpResponse:
        return sitemap(request._request)


