"""Factories of the scratch site's content: venues and pages showing them."""

import factory
from factory.django import DjangoModelFactory

from cms.testing.factories import PublishedPageFactory
from cms.testing.venues import models


class VenueFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Venue {n}")
    city = "Ghent"

    class Meta:
        model = models.Venue


class VenuePageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Venue page {n}")

    class Meta:
        model = models.VenuePage


def venue_card(venue: models.Venue, heading: str = "Where") -> dict:
    """A `venue_card` block's stored data, for a VenuePage's body."""
    return {"type": "venue_card", "value": {"heading": heading, "venue": venue.pk}}
