"""The API's image object: the original's size and focal point, its renditions as a srcset.

Which file a rendition is in is Wagtail's choice, made per original: a still GIF's
`width-N` renditions are PNG, a CMYK JPEG's are RGB JPEG, and so on. So `src` is
not "a rendition in the original's file format" but the largest rendition of the
specs that keep Wagtail's choice (`width-N`, no `format-` conversion).
"""

from typing import Any, NamedTuple

from wagtail.images.models import AbstractImage

from cms.images import renditions


class RenditionRow(NamedTuple):
    """An existing rendition, read without building model instances (a page shows hundreds)."""

    filter_spec: str
    url: str
    width: int
    height: int
    format: str


def file_format(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return "jpeg" if ext == "jpg" else ext


def src_row(found: list[RenditionRow]) -> RenditionRow | None:
    """The rendition `src` points at: the largest in the format Wagtail chose for the
    original; while those are still being made, the largest of any format."""
    own = [row for row in found if row.filter_spec in renditions.OWN_FORMAT_SPECS]
    candidates = own or found
    return max(candidates, key=lambda row: row.width) if candidates else None


def image_json(image: AbstractImage, found: list[RenditionRow],
               alt: str | None = None) -> dict[str, Any]:
    """{"id", "title", "alt", "width", "height", "focal_point": {"x", "y"} | None,
    "src", "srcset": [{"url", "width", "height", "format"}]}: the original's size and
    focal point (fractions of its size); `src` a rendition, the original only until
    one exists."""
    focal = None
    if image.has_focal_point() and image.width and image.height:
        focal = {"x": round(image.focal_point_x / image.width, 4),
                 "y": round(image.focal_point_y / image.height, 4)}
    src = src_row(found)
    srcset: list[dict[str, Any]] = []
    # One entry per format and width: a WebP original's `width-960` and its
    # `width-960|format-webp` are the same picture; the one `src` names is kept.
    at: dict[tuple[str, int], int] = {}
    for rendition in sorted(found, key=lambda r: r.width):
        entry = {"url": rendition.url, "width": rendition.width,
                 "height": rendition.height, "format": rendition.format}
        key = (rendition.format, rendition.width)
        if key not in at:
            at[key] = len(srcset)
            srcset.append(entry)
        elif rendition == src:
            srcset[at[key]] = entry
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt or image.default_alt_text,
        "width": image.width,
        "height": image.height,
        "focal_point": focal,
        "src": src.url if src else image.file.url,
        "srcset": srcset,
    }
