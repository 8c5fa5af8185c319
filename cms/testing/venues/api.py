"""The venue kind of value: a venue id → {"id", "name", "city"}, loaded in bulk, with
its schema and its freshness names, in one module of the site's (declared in its
AppConfig's `api_kinds`), as the platform's kinds are (cms/images/api.py)."""

from dataclasses import dataclass
from typing import Any

from cms.api.adapters import (
    INTEGER,
    STRING,
    Kind,
    Loaded,
    Resolver,
    Schema,
    nullable,
    obj,
    register_block_adapter,
    register_component,
    register_model_adapter,
)
from cms.publishing.freshness import dependencies, watch
from cms.testing.venues.blocks import VenueChooserBlock
from cms.testing.venues.models import Venue

VENUE_SCHEMA = register_component("Venue", obj(
    {"id": INTEGER, "name": STRING, "city": STRING}, description="A venue of the site's."))


@dataclass(frozen=True)
class VenueKind(Kind):
    """A venue id → its JSON, or null for a venue that is gone."""

    def load(self, keys: set[Any], resolver: Resolver) -> dict[int, Loaded]:
        """One query for any number of venues."""
        return {pk: Loaded(venue, {"id": pk, "name": venue.name, "city": venue.city})
                for pk, venue in Venue.objects.in_bulk(keys).items()}

    def dependency_names(self, keys: set[Any]) -> set[str]:
        return {dependencies.instance(Venue._meta.label, pk) for pk in keys}

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(VENUE_SCHEMA)


VENUE = VenueKind()
register_block_adapter(VenueChooserBlock, VENUE)
register_model_adapter(Venue, VENUE)
watch(Venue)  # a saved or deleted venue: its dependencies.instance name, as above
