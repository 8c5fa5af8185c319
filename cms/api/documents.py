"""The page document: one JSON object with everything the renderer needs for a page."""

from typing import Any

from wagtail.models import Page, Site

from cms.api import fields
from cms.api.listing import PendingListing
from cms.api.paths import html_path
from cms.api.resolver import Refs, Resolver


def page_type(page: Page) -> str:
    return f"{page._meta.app_label}.{type(page).__name__}"


def breadcrumbs(page: Page, site: Site) -> list[dict[str, Any]]:
    root = site.root_page
    if not page.path:  # a page being previewed before its first save
        return []
    ancestors = (
        Page.objects.ancestor_of(page).filter(depth__gte=root.depth, live=True)
        .only("id", "title", "url_path").order_by("depth")
    )
    return [{"id": a.pk, "title": a.title, "html_path": html_path(a, root.url_path)}
            for a in ancestors]


def summary_field_names(page: Page) -> list[str]:
    return list(getattr(type(page), "summary_fields", []))


def page_summary(page: Page, resolver: Resolver) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "type": page_type(page),
            "html_path": html_path(page, resolver.root_path),
            **fields.render(page, summary_field_names(page), resolver)}


def build(page: Page, site: Site, restricted: list[str], listing_page: int = 1) -> dict[str, Any]:
    """The whole document for a live page; queries stay constant whatever the page holds."""
    names = fields.api_field_names(type(page))
    extras: dict[str, Any] = page.api_extra(listing_page) if hasattr(page, "api_extra") else {}

    refs = Refs()
    fields.collect(page, names, refs)
    if getattr(page, "social_image_id", None):
        refs.images.add(page.social_image_id)
    for extra in extras.values():
        if isinstance(extra, PendingListing):
            for item in extra.items:
                fields.collect(item, summary_field_names(item), refs)

    resolver = Resolver(site, restricted)
    resolver.load(refs)

    document: dict[str, Any] = {
        "id": page.pk,
        "title": page.title,
        "meta": {
            "type": page_type(page),
            "html_path": html_path(page, site.root_page.url_path),
            "locale": page.locale.language_code,
            "first_published_at": _iso(page.first_published_at),
            "last_published_at": _iso(page.last_published_at),
            "seo": {
                "title": page.seo_title or page.title,
                "description": page.search_description or "",
                "image": resolver.image(getattr(page, "social_image_id", None)),
            },
            "breadcrumbs": breadcrumbs(page, site),
        },
        **fields.render(page, names, resolver),
    }
    for key, extra in extras.items():
        if isinstance(extra, PendingListing):
            document[key] = {"items": [page_summary(item, resolver) for item in extra.items],
                             **extra.meta()}
        else:
            document[key] = extra
    return document


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
