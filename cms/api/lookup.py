"""Finding the page the public may see (or the redirect) at a site path."""

from dataclasses import dataclass

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.api.paths import html_path
from cms.api.visibility import is_private, visible_q


def find_live_page(site: Site, path: str, restricted: list[str]) -> Page | None:
    """The generic Page row at a path, if visible; its fields come from `specific`."""
    url_path = site.root_page.url_path + path.lstrip("/")
    page = Page.objects.filter(visible_q(site), url_path=url_path).only(
        "id", "path", "content_type_id").first()
    if page is None or page.specific_class is None or is_private(page.path, restricted):
        return None
    return page


def load_specific(site: Site, page: Page) -> Page | None:
    """The page with all its fields, read afresh: it may have been unpublished meanwhile."""
    model = page.specific_class
    if model is None:
        return None
    return model.objects.select_related("locale").filter(visible_q(site), pk=page.pk).first()


@dataclass(frozen=True)
class FoundRedirect:
    location: str
    permanent: bool
    page_id: int | None  # the target page, when the redirect points at one


def find_redirect(site: Site, path: str, restricted: list[str]) -> FoundRedirect | None:
    """A Wagtail redirect covering this path whose target the public may see, if any.

    A redirect to a page that is not visible answers like an unknown path: its
    location would give the hidden page's path away."""
    old_path = Redirect.normalise_path(path)
    redirect = (
        Redirect.get_for_site(site).filter(old_path=old_path)
        .select_related("redirect_page").order_by("site_id").first()
    )
    if redirect is None:
        return None
    if redirect.redirect_page is None:
        if not redirect.redirect_link:
            return None
        return FoundRedirect(redirect.redirect_link, redirect.is_permanent, None)
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
    return FoundRedirect(location, redirect.is_permanent, target.pk) if location else None
