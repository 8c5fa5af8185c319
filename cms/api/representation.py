"""A page's JSON: one object with everything the renderer needs for a page, and the
dependency names (cms.publishing.dependencies) of everything it shows.

`represent_page` serves by-path and preview; `represent_stream` a StreamField outside a
page (the navigation's footer links); the stock endpoints (`cms.api.stock`) show the
same fields through `cms.api.fields`, so there is one contract.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from wagtail.models import Page, Site

from cms.api import fields, streams
from cms.api.adapters import Refs, Resolver
from cms.api.listing import PendingListing, paginate
from cms.api.paths import html_path
from cms.api.visibility import visible_q
from cms.images.api import IMAGE
from cms.publishing.freshness import dependencies


def page_type(page: Page) -> str:
    return f"{page._meta.app_label}.{type(page).__name__}"


def breadcrumbs(page: Page, site: Site) -> list[dict[str, Any]]:
    root = site.root_page
    if not page.path:  # a page being previewed before its first save
        return []
    ancestors = (
        Page.objects.ancestor_of(page).filter(visible_q(), depth__gte=root.depth)
        .only("id", "title", "url_path").order_by("depth")
    )
    return [{"id": a.pk, "title": a.title, "html_path": html_path(a, root.url_path)}
            for a in ancestors]


def summary_field_names(page: Page) -> list[str]:
    return list(getattr(type(page), "summary_fields", []))


def page_summary(page: Page, resolver: Resolver) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "type": page_type(page),
            "html_path": html_path(page, resolver.root_path),
            **fields.represent(page, summary_field_names(page), resolver)}


@dataclass
class Representation:
    data: dict[str, Any]  # the page's JSON
    deps: set[str]  # the names of everything it shows (cms.publishing.dependencies)
    complete: bool  # False while renditions it needs are still being made
    expires_at: datetime.datetime | None  # the soonest expiry of a page it shows


def page_json(page: Page, site: Site, restricted: list[str],
              listing_page: int = 1) -> dict[str, Any]:
    """The whole JSON of a live page; queries stay constant whatever the page holds."""
    return represent_page(page, site, restricted, listing_page).data


def represent_page(page: Page, site: Site, restricted: list[str],
                   listing_page: int = 1) -> Representation:
    """The page's JSON with its dependency names; `listing_page` picks the page of its
    listings (`api_listings`). Raises NotFound for a listing page past the last."""
    names = fields.api_field_names(type(page))
    extras: dict[str, PendingListing] = {
        name: paginate(getattr(page, name)(), listing_page, page.listing_per_page)
        for name in getattr(page, "api_listings", {})
    }

    refs = Refs()
    fields.collect(page, names, refs)
    IMAGE.collect(getattr(page, "social_image_id", None), refs)
    for extra in extras.values():
        for item in extra.items:
            fields.collect(item, summary_field_names(item), refs)

    resolver = Resolver(site, restricted)
    resolver.load(refs)

    data: dict[str, Any] = {
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
                "image": IMAGE.json(getattr(page, "social_image_id", None), resolver),
            },
            "breadcrumbs": breadcrumbs(page, site),
        },
        **fields.represent(page, names, resolver),
    }
    resolver.note_expiry(page.expire_at)
    deps = {dependencies.page(page.pk), dependencies.site(site.pk), *dependencies.GLOBAL}
    deps.update(dependencies.page(crumb["id"]) for crumb in data["meta"]["breadcrumbs"])
    deps.update(refs.dependency_names())
    for key, extra in extras.items():
        data[key] = {"items": [page_summary(item, resolver) for item in extra.items],
                         **extra.meta()}
        deps.add(dependencies.children(page.pk))
        deps.update(dependencies.page(item.pk) for item in extra.items)
        for item in extra.items:
            resolver.note_expiry(item.expire_at)
    return Representation(data, deps, complete=not resolver.incomplete,
                          expires_at=resolver.expires_at)


def represent_stream(stream_block: Any, value: Any, site: Site,
                     restricted: list[str]) -> tuple[list[dict[str, Any]], set[str]]:
    """A StreamField's JSON ([{"type", "id", "value"}]) from its StreamValue or raw data,
    with the dependency names of what it shows; queries stay constant whatever it holds."""
    raw = streams.raw_data(value)
    refs = Refs()
    streams.collect(stream_block, raw, refs)
    resolver = Resolver(site, restricted)
    resolver.load(refs)
    return streams.represent(stream_block, raw, streams.context_for(resolver)), \
        refs.dependency_names()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
