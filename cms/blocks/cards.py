"""Cards: a list of title, text, image and link."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks.links import LinkBlock


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    image = ImageChooserBlock(required=False)
    link = LinkBlock(required=False)

    class Meta:
        icon = "doc-full"
        label = "Card"


class CardsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    cards = blocks.ListBlock(CardBlock(), min_num=1)

    class Meta:
        icon = "table"
        label = "Cards"
