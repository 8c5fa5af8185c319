"""The body stream every page type uses, and the two-column section that nests it.

The attribute name of each block is its `type` in the API's JSON.
"""

from wagtail import blocks

from cms.blocks.cards import CardsBlock
from cms.blocks.links import CallToActionBlock
from cms.blocks.media import EmbedBlock, ImageBlock
from cms.blocks.text import HeadingBlock, QuoteBlock, RichTextBlock


class ColumnStreamBlock(blocks.StreamBlock):
    """The blocks allowed anywhere content goes."""

    heading = HeadingBlock()
    rich_text = RichTextBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    cta = CallToActionBlock()
    embed = EmbedBlock()
    cards = CardsBlock()

    def get_searchable_content(self, value: blocks.StreamValue) -> list[str]:
        """The blocks' words, without the empty values of optional fields (an image's
        alt left empty, a card without text), which showed as ", ," in search snippets."""
        return [text for text in super().get_searchable_content(value) if text.strip()]


class TwoColumnBlock(blocks.StructBlock):
    left = ColumnStreamBlock()
    right = ColumnStreamBlock()

    class Meta:
        icon = "grip"
        label = "Two columns"


class BodyStreamBlock(ColumnStreamBlock):
    two_column = TwoColumnBlock()
