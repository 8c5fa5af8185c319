"""StreamField values to API JSON, walking the block definitions over the stored raw data.

Working from raw data (ids, not model instances) lets one pass collect every
reference of a page, however deeply nested, before anything is loaded.
A block may shape its own JSON with `api_value(self, value: dict) -> Any`.
"""

from collections.abc import Callable
from typing import Any

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.api import richtext
from cms.api.resolver import Refs, Resolver


def _items(raw: Any) -> list[Any]:
    """ListBlock values are stored as [{"type": "item", "value": ...}] or, older, bare values."""
    if not isinstance(raw, list):
        return []
    return [item["value"] if isinstance(item, dict) and item.get("type") == "item"
            and "value" in item else item for item in raw]


def _as_int(raw: Any) -> int | None:
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    if isinstance(raw, dict) and isinstance(raw.get("id"), int):
        return raw["id"]
    return None


def collect(block: blocks.Block, raw: Any, refs: Refs) -> None:
    if isinstance(block, blocks.StreamBlock):
        for child in raw or []:
            if isinstance(child, dict) and child.get("type") in block.child_blocks:
                collect(block.child_blocks[child["type"]], child.get("value"), refs)
    elif isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        for name, child_block in block.child_blocks.items():
            collect(child_block, raw.get(name), refs)
    elif isinstance(block, blocks.ListBlock):
        for item in _items(raw):
            collect(block.child_block, item, refs)
    elif isinstance(block, ImageChooserBlock):
        if (pk := _as_int(raw)) is not None:
            refs.images.add(pk)
    elif isinstance(block, blocks.PageChooserBlock):
        if (pk := _as_int(raw)) is not None:
            refs.pages.add(pk)
    elif isinstance(block, DocumentChooserBlock):
        if (pk := _as_int(raw)) is not None:
            refs.documents.add(pk)
    elif isinstance(block, EmbedBlock):
        if isinstance(raw, str) and raw:
            refs.embeds.add(raw)
    elif isinstance(block, blocks.RichTextBlock):
        if isinstance(raw, str):
            richtext.collect(raw, refs)


def render(block: blocks.Block, raw: Any, resolver: Resolver) -> Any:
    value = _render(block, raw, resolver)
    shape: Callable[[Any], Any] | None = getattr(block, "api_value", None)
    return shape(value) if shape else value


def _render(block: blocks.Block, raw: Any, resolver: Resolver) -> Any:
    if isinstance(block, blocks.StreamBlock):
        out = []
        for child in raw or []:
            if not isinstance(child, dict):
                continue
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:  # a block type removed from the code since it was saved
                continue
            out.append({"type": child["type"], "id": child.get("id"),
                        "value": render(child_block, child.get("value"), resolver)})
        return out
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        return {name: render(child_block, raw.get(name), resolver)
                for name, child_block in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [render(block.child_block, item, resolver) for item in _items(raw)]
    if isinstance(block, ImageChooserBlock):
        return resolver.image(_as_int(raw))
    if isinstance(block, blocks.PageChooserBlock):
        return resolver.page(_as_int(raw))
    if isinstance(block, DocumentChooserBlock):
        return resolver.document(_as_int(raw))
    if isinstance(block, EmbedBlock):
        return resolver.embed(raw if isinstance(raw, str) else None)
    if isinstance(block, blocks.RichTextBlock):
        return richtext.render(raw, resolver) if isinstance(raw, str) else ""
    if isinstance(block, blocks.URLBlock | blocks.CharBlock | blocks.TextBlock):
        return raw or None if isinstance(block, blocks.URLBlock) else (raw or "")
    return raw
