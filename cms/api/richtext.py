"""The rich-text kind of value: Wagtail's database format → HTML whose links are site
paths, its images and embeds as HTML. What it points at is loaded by the page link,
document, image and embed kinds, with their freshness names."""

from dataclasses import dataclass
from html import escape
from typing import Any

from wagtail.blocks import RichTextBlock
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from cms.api.adapters import HTML, Adapter, Refs, Resolver, Schema, register_block_adapter
from cms.api.documents import DOCUMENT
from cms.api.embeds import EMBED
from cms.api.pagelinks import PAGE_LINK
from cms.images.api import IMAGE


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def collect(html: str, refs: Refs) -> None:
    for match in FIND_A_TAG.finditer(html):
        attrs = extract_attrs(match.group(1))
        if attrs.get("linktype") == "page" and _int(attrs.get("id")):
            PAGE_LINK.collect(_int(attrs["id"]), refs)
        elif attrs.get("linktype") == "document" and _int(attrs.get("id")):
            DOCUMENT.collect(_int(attrs["id"]), refs)
    for match in FIND_EMBED_TAG.finditer(html):
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") == "image" and _int(attrs.get("id")):
            IMAGE.collect(_int(attrs["id"]), refs)
        elif attrs.get("embedtype") == "media" and attrs.get("url"):
            EMBED.collect(attrs["url"], refs)


def _link(attrs: dict[str, str], resolver: Resolver) -> str:
    linktype = attrs.get("linktype")
    if linktype == "page":
        page = PAGE_LINK.represent(_int(attrs.get("id")), resolver)
        return f'<a href="{escape(page["html_path"])}">' if page else "<a>"
    if linktype == "document":
        doc = DOCUMENT.represent(_int(attrs.get("id")), resolver)
        return f'<a href="{escape(doc["url"])}">' if doc else "<a>"
    # An ordinary link keeps its attributes, escaped again on the way out.
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())
    return f"<a{rendered}>"


def _embed(attrs: dict[str, str], resolver: Resolver) -> str:
    if attrs.get("embedtype") == "image":
        image = IMAGE.json(_int(attrs.get("id")), resolver, attrs.get("alt"))
        if not image:
            return ""
        fmt = escape(attrs.get("format", ""))
        return (f'<img class="richtext-image {fmt}" src="{escape(image["src"])}" '
                f'alt="{escape(image["alt"])}" width="{image["width"]}" '
                f'height="{image["height"]}">')
    if attrs.get("embedtype") == "media":
        embed = EMBED.represent(attrs.get("url"), resolver)
        if embed and embed["html"]:
            return f'<div class="richtext-embed">{embed["html"]}</div>'
        url = escape(attrs.get("url", ""))
        return f'<p class="richtext-embed"><a href="{url}">{url}</a></p>'
    return ""


def site_html(html: str, resolver: Resolver) -> str:
    """Rich text as HTML for the site: internal links as site paths, images and embeds
    as HTML; what is gone (a draft page, a private image) leaves no broken link."""
    html = FIND_A_TAG.sub(lambda m: _link(extract_attrs(m.group(1)), resolver), html)
    return FIND_EMBED_TAG.sub(lambda m: _embed(extract_attrs(m.group(1)), resolver), html)


@dataclass(frozen=True)
class RichTextAdapter(Adapter):
    """Rich text in Wagtail's database format → HTML whose links are site paths."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if isinstance(raw, str):
            collect(raw, refs)

    def represent(self, raw: Any, resolver: Resolver) -> str:
        return site_html(raw, resolver) if isinstance(raw, str) else ""

    def schema(self, components: dict[str, Schema]) -> Schema:
        return HTML


RICH_TEXT = RichTextAdapter()
register_block_adapter(RichTextBlock, RICH_TEXT)
