"""Which renderer cache tags a page change touches, and the outbox that carries them.

Tags follow the renderer's contract: `path:<html_path>` for a page's by-path
document, `navigation` for menus and footer, `sitemap`.
"""

import logging
from collections.abc import Iterable

import django.dispatch
from django.db import transaction
from wagtail.models import Page, ReferenceIndex, Site

from cms.api.paths import html_path
from cms.publishing.models import RevalidationRequest

logger = logging.getLogger(__name__)

NAVIGATION = "navigation"
SITEMAP = "sitemap"
# A move or slug change of a big section re-paths every descendant; beyond this many
# the renderer is better served by its own expiry than by one huge request.
MAX_DESCENDANTS = 500
MAX_REFERRERS = 200
# The renderer's limits per request (web/lib/revalidation.ts, web/lib/cache-tags.ts).
MAX_ITEMS = 1000
MAX_TAG_LENGTH = 256

# Sent after the commit of every change that wrote an outbox row, with the same tags:
# for caches inside the CMS (the by-path document cache) to drop their copies.
content_changed = django.dispatch.Signal()  # kwargs: tags (list[str]), paths (list[str])


def _site_roots() -> list[str]:
    return [site.root_page.url_path for site in Site.objects.select_related("root_page")]


def path_tags(url_paths: Iterable[str], roots: list[str] | None = None) -> set[str]:
    """`path:` tags of these Wagtail url_paths on every site that contains them."""
    roots = _site_roots() if roots is None else roots
    tags: set[str] = set()
    for url_path in url_paths:
        for root in roots:
            path = html_path(Page(url_path=url_path), root)
            if path is not None:
                tags.add(f"path:{path}")
    return tags


def _in_menus(page: Page, roots: list[str]) -> bool:
    """Menus list the first two levels below a site root; be generous, tags are cheap."""
    if page.show_in_menus:
        return True
    return any(page.url_path.startswith(root) and page.url_path[len(root):].count("/") <= 2
               for root in roots)


def _referrer_paths(page: Page) -> list[str]:
    """url_paths of live pages that link to this one (Wagtail's reference index)."""
    page_ids = (
        ReferenceIndex.get_references_to(page)
        .filter(base_content_type__app_label="wagtailcore",
                base_content_type__model="page")
        .values_list("object_id", flat=True)[:MAX_REFERRERS]
    )
    ids = [int(pk) for pk in page_ids if str(pk).isdigit()]
    return list(Page.objects.filter(pk__in=ids, live=True).values_list("url_path", flat=True))


def page_tags(page: Page, old_url_path: str | None = None) -> set[str]:
    """Everything the renderer shows that changes when this page changes."""
    roots = _site_roots()
    url_paths = {page.url_path}
    if old_url_path and old_url_path != page.url_path:
        url_paths.add(old_url_path)
        # Descendants moved along with the page: their old and new paths.
        for descendant in (Page.objects.descendant_of(page).filter(live=True)
                           .values_list("url_path", flat=True)[:MAX_DESCENDANTS]):
            url_paths.add(descendant)
            url_paths.add(old_url_path + descendant[len(page.url_path):])
    parent = page.get_parent()
    if parent is not None:
        url_paths.add(parent.url_path)
    if old_url_path and old_url_path != page.url_path:
        old_parent = old_url_path.rstrip("/").rsplit("/", 1)[0] + "/"
        url_paths.add(old_parent)
    try:
        url_paths.update(_referrer_paths(page))
    except Exception:  # the reference index is a bonus; never let it block a publish
        logger.exception("reference lookup failed for page %s", page.pk)
    tags = path_tags(url_paths, roots)
    if _in_menus(page, roots):
        tags.add(NAVIGATION)
    tags.add(SITEMAP)
    return tags


def request_revalidation(tags: Iterable[str], reason: str = "",
                         paths: Iterable[str] = ()) -> list[RevalidationRequest]:
    """Write outbox rows in the current transaction; deliver them once that commits.

    The renderer takes at most MAX_ITEMS tags of MAX_TAG_LENGTH characters per request
    (web/lib/revalidation.ts), so a big change is split over several rows; a longer
    path cannot be a renderer cache tag at all and is left out.
    """
    from cms.publishing.tasks import deliver_revalidation

    tag_list = sorted({tag for tag in tags if len(tag) <= MAX_TAG_LENGTH})
    path_list = sorted({path for path in paths if len(path) <= MAX_TAG_LENGTH})
    rows = []
    for start in range(0, max(len(tag_list), len(path_list), 1), MAX_ITEMS):
        row = RevalidationRequest.objects.create(
            tags=tag_list[start:start + MAX_ITEMS], paths=path_list[start:start + MAX_ITEMS],
            reason=reason[:255])
        deliver_revalidation.delay_on_commit(row.pk)
        rows.append(row)
    transaction.on_commit(lambda: content_changed.send(sender=RevalidationRequest,
                                                       tags=tag_list, paths=path_list))
    return rows
