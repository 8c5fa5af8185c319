"""The image kind of value: its bulk load, its JSON (the original's size and focal point,
its renditions as a srcset), its schema and its freshness names, in one place.

Which file a rendition is in is Wagtail's choice, made per original: a still GIF's
`width-N` renditions are PNG, a CMYK JPEG's are RGB JPEG, and so on. So `src` is
not "a rendition in the original's file format" but the largest rendition of the
specs that keep Wagtail's choice (`width-N`, no `format-` conversion).
"""

from dataclasses import dataclass
from typing import Any, NamedTuple

from wagtail.blocks import Block
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage

from cms.api.adapters import (
    INTEGER,
    STRING,
    Kind,
    Resolver,
    Schema,
    nullable,
    obj,
    ref,
    register_block_adapter,
    register_component,
    register_model_adapter,
)
from cms.images import renditions
from cms.publishing.freshness import dependencies


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


register_component("Rendition", obj({"url": STRING, "width": INTEGER, "height": INTEGER,
                                     "format": STRING}))
IMAGE_SCHEMA = register_component("Image", obj({
    "id": INTEGER, "title": STRING, "alt": STRING, "width": INTEGER, "height": INTEGER,
    "focal_point": nullable(obj({"x": {"type": "number"}, "y": {"type": "number"}})),
    "src": STRING, "srcset": {"type": "array", "items": ref("Rendition")},
}))


@dataclass(frozen=True)
class ImageKind(Kind):
    """An image id → the Image object (`image_json`), or null for an image that is gone
    or in a private collection."""

    def load(self, keys: set[Any], resolver: Resolver
             ) -> dict[int, tuple[AbstractImage, list[RenditionRow]]]:
        """{id: (image, its existing renditions)}: two queries for any number of images
        (three with a private collection). An image short of renditions queues them and
        marks the document incomplete: a page request never makes one."""
        image_model = get_image_model()
        images = image_model.objects.in_bulk(keys)
        private = resolver.private_collections({image.collection_id
                                                for image in images.values()})
        images = {pk: image for pk, image in images.items() if image.collection_id not in private}
        found: dict[int, list[RenditionRow]] = {pk: [] for pk in images}
        rendition_model = image_model.get_rendition_model()
        storage = rendition_model._meta.get_field("file").storage
        for image_id, spec, name, width, height in rendition_model.objects.filter(
            image_id__in=images.keys(), filter_spec__in=renditions.FILTER_SPECS
        ).values_list("image_id", "filter_spec", "file", "width", "height"):
            found[image_id].append(
                RenditionRow(spec, storage.url(name), width, height, file_format(name)))
        missing = [pk for pk, have in found.items()
                   if len({r.filter_spec for r in have}) < len(renditions.FILTER_SPECS)]
        if missing:
            resolver.incomplete = True
            renditions.queue_missing(missing)
        return {pk: (image, found[pk]) for pk, image in images.items()}

    def dependency_names(self, keys: set[Any]) -> set[str]:
        return {dependencies.image(pk) for pk in keys}

    def json(self, pk: int | None, resolver: Resolver,
             alt: str | None = None) -> dict[str, Any] | None:
        """The Image object of a loaded image, `alt` (when given) instead of its own."""
        entry = resolver.get(self, pk)
        return image_json(entry[0], entry[1], alt) if entry else None

    def represent(self, raw: Any, resolver: Resolver) -> dict[str, Any] | None:
        return self.json(self.key(raw), resolver)

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(IMAGE_SCHEMA)

    def native(self, raw: Any, resolver: Resolver, block: Block) -> AbstractImage | None:
        entry = resolver.get(self, self.key(raw))
        return entry[0] if entry else None


IMAGE = ImageKind()
register_block_adapter(ImageChooserBlock, IMAGE)
register_model_adapter(AbstractImage, IMAGE)
