"""A scratch site for the platform's tests, installed only under cms.testing.settings: a
model of its own (`Venue`, not a snippet) shown through a kind of value of its own
(`cms.testing.venues.api`, declared in `apps.py`'s `api_kinds`) in a block of its own
(`VenueCardBlock`) and a foreign key, without anything in cms/ naming it."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.testing.venues.blocks import VenueCardBlock


class Venue(models.Model):
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name


class VenuePage(Page):
    """A page naming a venue of its own and showing venue cards in its body."""

    main_venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    body = StreamField([("venue_card", VenueCardBlock()), ("text", blocks.CharBlock())],
                       blank=True)

    content_panels = [*Page.content_panels, FieldPanel("main_venue"), FieldPanel("body")]
    api_fields = [APIField("main_venue"), APIField("body")]
