"""A site adds a kind of value of its own and a block using it, without editing cms/: the
scratch site cms.testing.venues declares its venue kind in its AppConfig's `api_kinds`
(cms.api.kinds). The kind and the block show in the by-path document, in the OpenAPI
document, in the TypeScript types generated from it, and in freshness: a changed venue
refreshes exactly the pages showing it, through the outbox and its delivery to the
renderer, judged as the freshness differential (tests/e2e/test_freshness_differential.py)
judges the live site: once the change is delivered, what the renderer holds equals what a
build with every cache off gives."""

import json
import subprocess

import jsonschema
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from cms.api.schema import openapi
from cms.publishing.delivery import deliver
from cms.publishing.models import RevalidationRequest
from cms.testing.factories import SampleContentPageFactory
from cms.testing.processes import REPO
from cms.testing.standins import StandInRenderer
from cms.testing.venues.factories import VenueFactory, VenuePageFactory, venue_card
from cms.testing.venues.models import Venue

pytestmark = pytest.mark.django_db

PATHS = ["/", "/hall/", "/both/", "/barn/", "/plain/", "/missing/"]


def as_renderer(client: Client, path: str) -> tuple[int, dict]:
    """The renderer's request for a page by path (recorded under `path:<path>`)."""
    response = client.get("/api/v2/pages/by-path/", {"html_path": path},
                          HTTP_AUTHORIZATION=f"Bearer {settings.REVALIDATE_SECRET}")
    return response.status_code, response.json()


def uncached(client: Client, settings) -> dict[str, tuple[int, dict]]:
    """The reference: every page built with the CMS's document cache off."""
    seconds, settings.API_CACHE_SECONDS = settings.API_CACHE_SECONDS, 0
    try:
        return {path: as_renderer(client, path) for path in PATHS}
    finally:
        settings.API_CACHE_SECONDS = seconds


def deliver_change(renderer: StandInRenderer) -> set[str]:
    """Deliver the change's outbox rows as the worker does; the renderer tags told."""
    renderer.bodies.clear()
    rows = RevalidationRequest.objects.filter(delivered_at__isnull=True)
    for pk in rows.values_list("pk", flat=True):
        deliver(pk)
    return renderer.tags()


def settle(client: Client, settings, renderer: StandInRenderer,
           held: dict[str, tuple[int, dict]]) -> set[str]:
    """Deliver the change, then judge as the differential does: the renderer keeps what
    it holds unless a tag of it was told, and asks again for those; every page must then
    equal the reference. Returns the paths told, which must be exactly those whose page
    changed. Updates `held` to what the renderer holds now."""
    told = {tag.removeprefix("path:") for tag in deliver_change(renderer)}
    live = {path: as_renderer(client, path) if path in told else held[path]
            for path in PATHS}
    reference = uncached(client, settings)
    assert live == reference, "a page showing the change was not told, or was told too soon"
    assert told == {path for path in PATHS if reference[path] != held[path]}
    held.update(live)
    return told


@pytest.fixture
def renderer(settings):
    stand_in = StandInRenderer(0, settings.REVALIDATE_SECRET)
    settings.FRONTEND_URL = stand_in.url
    yield stand_in
    stand_in.close()


def test_a_sites_own_kind_and_block_show_everywhere_and_refresh_exactly_their_pages(
        home, client, renderer, settings, tmp_path):
    hall = VenueFactory(name="Hall", city="Ghent")
    barn = VenueFactory(name="Barn", city="Bruges")
    attic = VenueFactory(name="Attic")  # shown by no page
    VenuePageFactory(parent=home, slug="hall", body=[venue_card(hall)])
    VenuePageFactory(parent=home, slug="both", main_venue=barn,
                     body=[venue_card(hall, "First"), {"type": "text", "value": "then"},
                           venue_card(barn, "Second")])
    VenuePageFactory(parent=home, slug="barn", main_venue=barn)
    SampleContentPageFactory(parent=home, title="Plain", slug="plain")

    # The document: the block's JSON with the kind's, as the foreign key's too.
    held = {path: as_renderer(client, path) for path in PATHS}
    status, hall_page = held["/hall/"]
    assert status == 200 and hall_page["meta"]["type"] == "mortar_testing_venues.VenuePage"
    hall_json = {"id": hall.pk, "name": "Hall", "city": "Ghent"}
    barn_json = {"id": barn.pk, "name": "Barn", "city": "Bruges"}
    assert [block["value"] for block in hall_page["body"]] == [
        {"heading": "Where", "venue": hall_json}]
    assert hall_page["main_venue"] is None
    both = held["/both/"][1]
    assert [block["type"] for block in both["body"]] == ["venue_card", "text", "venue_card"]
    assert both["body"][2]["value"]["venue"] == barn_json and both["main_venue"] == barn_json

    # The OpenAPI document names the kind's schema and the block's, and the documents
    # conform to it.
    document = openapi()
    schemas = document["components"]["schemas"]
    assert schemas["Venue"]["properties"] == {"id": {"type": "integer"},
                                              "name": {"type": "string"},
                                              "city": {"type": "string"}}
    assert schemas["VenueCardBlockValue"]["properties"]["venue"] == {
        "$ref": "#/components/schemas/VenueChooserBlockValue"}
    page_schema = {"$ref": "#/components/schemas/VenuePage", "components": {"schemas": schemas}}
    for path in ("/hall/", "/both/", "/barn/"):
        jsonschema.Draft202012Validator(page_schema).validate(held[path][1])
    with pytest.raises(jsonschema.ValidationError):  # the schema can fail
        jsonschema.Draft202012Validator(page_schema).validate(
            {**both, "main_venue": {"id": barn.pk, "name": "Barn"}})

    # The TypeScript types, generated from what `export_schema` writes as `make types` does.
    call_command("export_schema", "--output", str(tmp_path / "openapi.json"), verbosity=0)
    assert json.loads((tmp_path / "openapi.json").read_text())["components"]["schemas"][
        "VenueCardBlockValue"] == schemas["VenueCardBlockValue"]
    subprocess.run(["npx", "openapi-typescript", str(tmp_path / "openapi.json"), "-o",
                    str(tmp_path / "api.generated.ts")],
                   cwd=REPO / "web", check=True, capture_output=True, timeout=120)
    types = (tmp_path / "api.generated.ts").read_text()
    assert 'venue: components["schemas"]["VenueChooserBlockValue"];' in types
    assert 'VenueChooserBlockValue: components["schemas"]["Venue"] | null;' in types
    assert 'main_venue: components["schemas"]["Venue"] | null;' in types
    assert 'type: "mortar_testing_venues.VenuePage";' in types

    # Freshness: each change reaches exactly the pages showing the venue.
    deliver_change(renderer)  # the pages' publishing, before anything was recorded
    hall.name = "Great Hall"
    hall.save()
    assert settle(client, settings, renderer, held) == {"/hall/", "/both/"}
    assert held["/hall/"][1]["body"][0]["value"]["venue"]["name"] == "Great Hall"

    attic.city = "Antwerp"
    attic.save()
    assert settle(client, settings, renderer, held) == set()

    Venue.objects.get(pk=barn.pk).delete()
    assert settle(client, settings, renderer, held) == {"/both/", "/barn/"}
    assert held["/barn/"][1]["main_venue"] is None
    assert held["/both/"][1]["body"][2]["value"]["venue"] is None
