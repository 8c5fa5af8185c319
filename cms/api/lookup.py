"""Finding the live, public page (or the redirect) for a site path."""

from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.api.paths import html_path
from cms.api.resolver import is_private


def live_pages(site: Site) -> "Q":
    """Live, not expired pages of this site's tree (view restrictions are checked apart)."""
    root = site.root_page
    return (Q(path__startswith=root.path, depth__gte=root.depth, live=True)
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())))


def find_live_page(site: Site, path: str, restricted: list[str]) -> Page | None:
    """The generic Page row at a path, if live and public; its fields come from `specific`."""
    url_path = site.root_page.url_path + path.lstrip("/")
    page = Page.objects.filter(live_pages(site), url_path=url_path).only(
        "id", "path", "content_type_id").first()
    if page is None or page.specific_class is None or is_private(page.path, restricted):
        return None
    return page


def load_specific(site: Site, page: Page) -> Page | None:
    """The page with all its fields, read afresh: it may have been unpublished meanwhile."""
    model = page.specific_class
    if model is None:
        return None
    return model.objects.select_related("locale").filter(live_pages(site), pk=page.pk).first()


def find_redirect(site: Site, path: str) -> tuple[str, bool] | None:
    """(location, permanent) of a Wagtail redirect covering this path, if any."""
    old_path = Redirect.normalise_path(path)
    redirect = (
        Redirect.get_for_site(site).filter(old_path=old_path)
        .select_related("redirect_page").order_by("site_id").first()
    )
    if redirect is None:
        return None
    if redirect.redirect_page is not None:
        target = redirect.redirect_page
        if not target.live:
            return None
        location = html_path(target, site.root_page.url_path)
        if location is None:
            location = target.get_full_url()
        if location and redirect.redirect_page_route_path:
            location = location.rstrip("/") + redirect.redirect_page_route_path
        return (location, redirect.is_permanent) if location else None
    return (redirect.redirect_link, redirect.is_permanent) if redirect.redirect_link else None
