"""What answers a site path: a page found by Wagtail's routing (`Page.route()`), or a redirect.

Pages are found the way Wagtail serves them: the `route()` of a page takes the rest of
the path and answers with a page (`RoutablePageMixin` sub-routes and custom `route()`
methods included). What the public may see is still decided by `cms.api.visibility`,
on the page routing ends at.

A page's sub-route answers through the API by returning a `RouteAnswer` (see
`cms.core.pages`); a page's own path always answers its document.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest
from django.urls import Resolver404
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from cms.api.paths import html_path
from cms.api.visibility import is_private, visible_q
from cms.core.pages import RouteAnswer


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
