"""Media blocks: image and embed."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.images.api import IMAGE


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False, max_length=250,
        help_text="Describes the image for screen readers; leave empty to use the image's own.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Image"

    def get_api_representation(self, value: blocks.StructValue,
                               context: dict | None = None) -> dict:
        """{"image": Image | None, "caption": str}: this block's alt, when given, overrides
        the image's own on the image object, where the renderer reads it. `value["image"]`
        is the Image (None when gone or private), its renditions loaded with the page's
        in `context["resolver"]`."""
        image, alt = value.get("image"), value.get("alt")
        json = IMAGE.json(image.pk, context["resolver"], alt if isinstance(alt, str) else None) \
            if image is not None and context else None
        caption = value.get("caption")
        return {"image": json, "caption": caption if isinstance(caption, str) else ""}

    def api_schema(self, schema: dict) -> dict:
        properties = {"image": schema["properties"]["image"], "caption": {"type": "string"}}
        return {**schema, "properties": properties, "required": list(properties)}


class EmbedBlock(WagtailEmbedBlock):
    """A YouTube, Vimeo or other oEmbed URL; the API adds the provider's HTML once fetched."""

    class Meta:
        icon = "media"
        label = "Embed"
