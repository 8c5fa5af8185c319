"""The site's own blocks: a venue chosen from a list, and a card showing one."""

from functools import cached_property

from django import forms
from django.apps import apps
from wagtail import blocks


class VenueChooserBlock(blocks.ChooserBlock):
    """A venue, chosen from a select list of them; stored as its id."""

    @cached_property
    def target_model(self) -> type:
        return apps.get_model("mortar_testing_venues", "Venue")  # models.py imports this

    @cached_property
    def widget(self) -> forms.Widget:
        return forms.Select()


class VenueCardBlock(blocks.StructBlock):
    """A heading over a venue (`"venue_card"` in the JSON, `VenueCardBlockValue` in the
    TypeScript types)."""

    heading = blocks.CharBlock(required=False)
    venue = VenueChooserBlock()
