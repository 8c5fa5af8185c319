"""The page-link kind of value: a page id → {"id", "title", "html_path"}, loaded in bulk,
with its schema and its freshness name, in one place. As a block's Python value, a page
link is the `Page` (not its specific class: id, title, url_path, path, expire_at)."""

from dataclasses import dataclass
from typing import Any

from wagtail.blocks import PageChooserBlock
from wagtail.models import Page, Site

from cms.api.adapters import (
    INTEGER,
    STRING,
    Kind,
    Loaded,
    Resolver,
    Schema,
    nullable,
    obj,
    register_block_adapter,
    register_component,
    register_model_adapter,
)
from cms.api.requests import html_path
from cms.api.visibility import is_private, not_expired_q
from cms.publishing.freshness import dependencies

PAGE_LINK_SCHEMA = register_component("PageLink", obj(
    {"id": INTEGER, "title": STRING, "html_path": STRING},
    description="A link to a live page: `html_path` is a site path, or a full "
                "URL for a page of another site."))


@dataclass(frozen=True)
class PageLinkKind(Kind):
    """A page id → {"id", "title", "html_path"}, or null for a page not live and public."""

    def load(self, keys: set[Any], resolver: Resolver) -> dict[int, Loaded]:
        """One query (two with a page of another site); a linked page's expiry makes the
        document stale from then on (`resolver.note_expiry`)."""
        pages = (
            Page.objects.filter(not_expired_q(), pk__in=keys, live=True)
            .only("id", "title", "url_path", "path", "expire_at")
        )
        found: dict[int, Loaded] = {}
        root_paths = None
        for page in pages:
            if is_private(page.path, resolver.restricted):
                continue
            resolver.note_expiry(page.expire_at)
            path = html_path(page, resolver.root_path)
            if path is None:
                # A page of another site: link to it with its full URL.
                root_paths = root_paths or Site.get_site_root_paths()
                path = next((root.root_url + page.url_path[len(root.root_path) - 1:]
                             for root in root_paths if page.url_path.startswith(root.root_path)),
                            None)
            if path is not None:
                found[page.pk] = Loaded(page, {"id": page.pk, "title": page.title,
                                               "html_path": path})
        return found

    def dependency_names(self, keys: set[Any]) -> set[str]:
        return {dependencies.page(pk) for pk in keys}

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(PAGE_LINK_SCHEMA)


PAGE_LINK = PageLinkKind()
register_block_adapter(PageChooserBlock, PAGE_LINK)
register_model_adapter(Page, PAGE_LINK)
