"""Transitional: the old names of `cms.api.representation`, for the callers not yet moved
(`cms.api.views`, `cms.preview.views`). Delete once they import the new names:
`documents.build` → `representation.page_json`, `documents.build_with_deps` →
`representation.represent_page` (its result's `.document` is now `.data`)."""

from dataclasses import dataclass
from typing import Any

from wagtail.models import Page, Site

from cms.api import representation


@dataclass
class Built:
    document: dict[str, Any]
    deps: set[str]
    complete: bool
    expires_at: Any


def build(page: Page, site: Site, restricted: list[str], listing_page: int = 1) -> dict:
    return representation.represent_page(page, site, restricted, listing_page).data


def build_with_deps(page: Page, site: Site, restricted: list[str],
                    listing_page: int = 1) -> Built:
    # Looked up at each call, so a test that patches representation.represent_page sees it.
    made = representation.represent_page(page, site, restricted, listing_page)
    return Built(made.data, made.deps, made.complete, made.expires_at)
