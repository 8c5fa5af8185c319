"""Link blocks: a link to a page or an external URL, and the call to action."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class LinkBlock(blocks.StructBlock):
    """A page in this CMS or an external URL: exactly one of them."""

    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="External URL")

    class Meta:
        icon = "link"
        label = "Link"

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose a page or enter an external URL (one of them)."
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        label = "Call to action"
