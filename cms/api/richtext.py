"""Rich text from the database format to HTML whose links are site paths."""

from html import escape

from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from cms.api.resolver import Refs, Resolver


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def collect(html: str, refs: Refs) -> None:
    for match in FIND_A_TAG.finditer(html):
        attrs = extract_attrs(match.group(1))
        if attrs.get("linktype") == "page" and _int(attrs.get("id")):
            refs.pages.add(_int(attrs["id"]))  # type: ignore[arg-type]
        elif attrs.get("linktype") == "document" and _int(attrs.get("id")):
            refs.documents.add(_int(attrs["id"]))  # type: ignore[arg-type]
    for match in FIND_EMBED_TAG.finditer(html):
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") == "image" and _int(attrs.get("id")):
            refs.images.add(_int(attrs["id"]))  # type: ignore[arg-type]
        elif attrs.get("embedtype") == "media" and attrs.get("url"):
            refs.embeds.add(attrs["url"])


def _link(attrs: dict[str, str], resolver: Resolver) -> str:
    linktype = attrs.get("linktype")
    if linktype == "page":
        page = resolver.page(_int(attrs.get("id")))
        return f'<a href="{escape(page["html_path"])}">' if page else "<a>"
    if linktype == "document":
        doc = resolver.document(_int(attrs.get("id")))
        return f'<a href="{escape(doc["url"])}">' if doc else "<a>"
    # An ordinary link keeps its attributes, escaped again on the way out.
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())
    return f"<a{rendered}>"


def _embed(attrs: dict[str, str], resolver: Resolver) -> str:
    if attrs.get("embedtype") == "image":
        image = resolver.image(_int(attrs.get("id")), attrs.get("alt"))
        if not image:
            return ""
        fmt = escape(attrs.get("format", ""))
        return (f'<img class="richtext-image {fmt}" src="{escape(image["src"])}" '
                f'alt="{escape(image["alt"])}" width="{image["width"]}" '
                f'height="{image["height"]}">')
    if attrs.get("embedtype") == "media":
        embed = resolver.embed(attrs.get("url"))
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
