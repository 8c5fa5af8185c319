"""The embed kind of value: an oEmbed URL → the provider's fields once Wagtail fetched
them, loaded in bulk, with its schema, in one place. An embed has no freshness name:
what the provider answers is Wagtail's to cache, not a change an editor makes."""

from dataclasses import dataclass
from typing import Any

from wagtail.blocks import Block
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.models import Embed

from cms.api.adapters import (
    NULLABLE_STRING,
    STRING,
    Adapter,
    Kind,
    Resolver,
    Schema,
    nullable,
    obj,
    register_block_adapter,
    register_component,
)

EMBED_SCHEMA = register_component("Embed", obj({
    "url": STRING, "html": NULLABLE_STRING, "title": NULLABLE_STRING,
    "provider_name": NULLABLE_STRING, "width": {"type": ["integer", "null"]},
    "height": {"type": ["integer", "null"]}, "thumbnail_url": NULLABLE_STRING}))
_NOT_FETCHED = {"html": None, "title": None, "provider_name": None, "width": None,
                "height": None, "thumbnail_url": None}


@dataclass(frozen=True)
class EmbedKind(Kind):
    """An oEmbed URL → {"url", "html", "title", ...}: the provider's fields once fetched,
    nulls until then; null for no URL."""

    def key(self, raw: Any) -> str | None:
        return raw if isinstance(raw, str) and raw else None

    def load(self, keys: set[Any], resolver: Resolver) -> dict[str, dict[str, Any]]:
        """One query for any number of URLs; the first fetch of a URL wins."""
        found: dict[str, dict[str, Any]] = {}
        for embed in Embed.objects.filter(url__in=keys):
            found.setdefault(embed.url, {
                "html": embed.html, "title": embed.title,
                "provider_name": embed.provider_name, "width": embed.width,
                "height": embed.height, "thumbnail_url": embed.thumbnail_url or None,
            })
        return found

    def represent(self, raw: Any, resolver: Resolver) -> dict[str, Any] | None:
        url = self.key(raw)
        return {"url": url, **(resolver.get(self, url) or _NOT_FETCHED)} if url else None

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(EMBED_SCHEMA)

    def native(self, raw: Any, resolver: Resolver, block: Block) -> Any:
        # Wagtail's EmbedValue: it fetches from the provider only when read.
        return Adapter.native(self, raw, resolver, block)


EMBED = EmbedKind()
register_block_adapter(EmbedBlock, EMBED)
