"""Mortar's own API endpoints: the page document by path, navigation and the sitemap."""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from wagtail.models import Page

from cms.api import cache, dependencies, documents, page_access, schema, streamfield
from cms.api.errors import APIError, BadRequest, NotFound, json_response
from cms.api.listing import MAX_LISTING_PAGE
from cms.api.lookup import find_live_page, find_redirect, load_specific
from cms.api.paths import clean_html_path, html_path
from cms.api.resolver import Refs, Resolver
from cms.api.sites import site_for_request, site_param
from cms.api.visibility import is_private, restricted_paths, visible_q
from cms.core.models import NavigationSettings
from cms.publishing import renderer_tags

View = Callable[[HttpRequest], HttpResponse]


def api_view(known_params: set[str]) -> Callable[[View], View]:
    """GET/HEAD only; unknown query parameters and APIErrors become 4xx JSON."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            try:
                unknown = sorted(set(request.GET) - known_params)
                if unknown:
                    raise BadRequest(f"Unknown query parameters: {', '.join(unknown)}",
                                     allowed=sorted(known_params))
                return view(request)
            except APIError as error:
                return error.response()

        # Read-only and cookie-free: CSRF has nothing to protect, and other methods get 405.
        return csrf_exempt(require_safe(wrapper))

    return decorate


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


def _from_renderer(request: HttpRequest) -> bool:
    """The renderer sends the revalidation secret: only its 404s are worth remembering."""
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    return bool(settings.REVALIDATE_SECRET) and hmac.compare_digest(
        given.encode(), settings.REVALIDATE_SECRET.encode())


def _no_page(request: HttpRequest, site: Any, path: str, tag: str,
             restricted: list[str]) -> HttpResponse:
    """A redirect covering the path, else 404; both change only when routes do."""
    redirect = find_redirect(site, path, restricted)
    names = {dependencies.ROUTES, dependencies.site(site.pk), *dependencies.GLOBAL}
    if redirect is not None and redirect.page_id is not None:
        names.add(dependencies.page(redirect.page_id))
    # Anyone may ask for any path: record only the renderer's, which it caches.
    if _from_renderer(request):
        renderer_tags.record(tag, names)
    if redirect is None:
        raise NotFound(f"No page at {path}")
    return json_response(
        {"message": f"{path} redirects to {redirect.location}",
         "redirect": {"location": redirect.location, "permanent": redirect.permanent}},
        status=301 if redirect.permanent else 302, Location=redirect.location,
    )


@api_view({"html_path", "site", "page"})
def page_by_path(request: HttpRequest) -> HttpResponse:
    path = clean_html_path(request.GET.get("html_path"))
    if error := page_access.header_error(request):
        raise BadRequest(error)
    listing_page = _positive_int(request, "page", 1, MAX_LISTING_PAGE)
    # The raw Host header is enough for a key: only requests that passed every check on
    # the way to a document ever store one under it.
    key = (cache.request_key(site_param(request), request.META.get("HTTP_HOST", ""), path,
                             listing_page) if cache.enabled() else None)
    if key and (entry := cache.get(key)):
        return _document_response(request, entry.body, entry.etag, hit=True)

    # The canonical path, as the renderer asks for it: a document cached for another
    # client's spelling ("/about") is the one the renderer gets ("/about/").
    tag = renderer_tags.path_tag(path)
    site = site_for_request(request)
    # Twice at most: a change that commits while the document is built may have been
    # delivered before the document's names were recorded, so build it again after it.
    for _attempt in range(2):
        # Read before any data: a change landing after this drops what is built from it.
        epoch_before = cache.epoch() if key else None
        restricted = restricted_paths()
        found = find_live_page(site, path, restricted)
        page = load_specific(site, found) if found else None
        if page is None and (protected := page_access.protected_page(site, path)):
            return _password_protected(request, site, tag, protected, listing_page)
        if page is None:
            return _no_page(request, site, path, tag, restricted)
        built = documents.build_with_deps(page, site, restricted, listing_page)
        renderer_tags.record(tag, built.deps)
        body = orjson.dumps(built.document)
        etag = cache.etag_for(body)
        if not key or cache.put(key, cache.CachedDocument(body, etag), epoch_before,
                                built.deps, max_age=_max_age(built)):
            break
        if epoch_before is None:
            break  # Redis cannot say: serve what was built
    return _document_response(request, body, etag, hit=False)


def _password_protected(request: HttpRequest, site: Any, tag: str,
                        protected: page_access.Protected, listing_page: int) -> HttpResponse:
    """401 naming the password to enter, or the page for a visitor who entered them all:
    never from or into a cache, the renderer's included."""
    missing = page_access.first_unpassed(protected, request)
    if missing is not None:
        if _from_renderer(request):  # the form it caches shows until the restriction changes
            renderer_tags.record(tag, {dependencies.page(protected.page.pk),
                                       dependencies.site(site.pk), *dependencies.GLOBAL})
        return json_response(
            {"message": "This page needs a password",
             "password_required": {"restriction_id": missing.pk,
                                   "html_path": html_path(missing.page, site.root_page.url_path)}},
            status=401, Cache_Control="no-cache")
    page = protected.page.specific_class.objects.select_related("locale").get(
        pk=protected.page.pk)
    built = documents.build_with_deps(page, site, restricted_paths(), listing_page)
    return json_response(built.document, Cache_Control="private, no-store")


def _max_age(built: documents.Built) -> float | None:
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


@api_view({"site"})
def navigation(request: HttpRequest) -> HttpResponse:
    """The main menu (pages shown in menus, two levels) and the footer of a site."""
    site = site_for_request(request)
    root = site.root_page
    restricted = restricted_paths()
    pages = (
        Page.objects.filter(visible_q(site), show_in_menus=True,
                            depth__in=(root.depth + 1, root.depth + 2))
        .only("id", "title", "url_path", "path", "depth").order_by("path")
    )
    menu: list[dict[str, Any]] = []
    by_path: dict[str, dict[str, Any]] = {}
    # Which pages are in the menu follows the root's menu and its children's.
    names = {dependencies.site(site.pk), dependencies.menu(root.pk),
             dependencies.setting(NavigationSettings._meta.label), *dependencies.GLOBAL}
    top_level = Page.objects.child_of(root).values_list("pk", flat=True)
    names.update(dependencies.menu(pk) for pk in top_level)
    for page in pages:
        if is_private(page.path, restricted):
            continue
        names.add(dependencies.page(page.pk))
        item = _menu_item(page, root.url_path)
        if page.depth == root.depth + 1:
            menu.append(item)
            by_path[page.path] = item
        elif (parent := by_path.get(page.path[: -Page.steplen])) is not None:
            parent["children"].append(item)

    settings = NavigationSettings.for_site(site)
    refs = Refs()
    link_block = NavigationSettings.footer_links.field.stream_block

    raw_links = list(settings.footer_links.raw_data)
    streamfield.collect(link_block, raw_links, refs)
    resolver = Resolver(site, restricted)
    resolver.load(refs)
    footer_links = [item["value"] for item in streamfield.render(link_block, raw_links, resolver)]
    names.update(dependencies.page(pk) for pk in refs.pages)
    names.update(dependencies.image(pk) for pk in refs.images)
    names.update(dependencies.document(pk) for pk in refs.documents)
    renderer_tags.record(renderer_tags.NAVIGATION, names)
    return json_response({
        "site": {"id": site.pk, "hostname": site.hostname, "name": site.site_name,
                 "root": {"id": root.pk, "title": root.title, "html_path": "/"}},
        "menu": menu,
        "footer": {"text": settings.footer_text, "links": footer_links},
    })


# URLs per sitemap page: a child sitemap holds one page, well under the protocol's
# 50,000 URLs and 50 MB, and one answer stays small whatever the size of the site.
SITEMAP_PAGE_SIZE = 10_000


@api_view({"site", "page"})
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
    renderer_tags.record(renderer_tags.SITEMAP, {dependencies.PAGES, dependencies.site(site.pk),
                                                 *dependencies.GLOBAL})
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


@api_view(set())
def openapi_schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document, generated from the page models and blocks."""
    return json_response(schema.openapi())
