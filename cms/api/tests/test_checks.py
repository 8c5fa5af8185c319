"""The API's system checks (cms.api.checks): a site's own block or an
`APIField(serializer=...)` takes part in the schema and the freshness names like the
built-in kinds, or the CMS refuses to start, saying how."""

from typing import Any

import pytest
from django import forms
from django.core.checks import run_checks
from rest_framework import serializers
from wagtail import blocks
from wagtail.api import APIField
from wagtail.models import Site

from cms.api.adapters import Refs
from cms.api.checks import api_contract
from cms.api.representation import represent_page
from cms.api.schema import openapi
from cms.images.api import IMAGE
from cms.testing.content import add
from cms.testing.pages.models import SampleContentPage


class StampBlock(blocks.FieldBlock):
    """A site's own leaf block that no kind shows, with JSON of its own."""

    def __init__(self, **kwargs: object) -> None:
        self.field = forms.CharField()
        super().__init__(**kwargs)

    def get_api_representation(self, value: Any, context: Any = None) -> dict:
        return {"stamp": value}

    def api_schema(self, schema: dict) -> dict:
        return {"type": "object"}


class HeroImageField(serializers.Field):
    """An `APIField(serializer=...)` showing an image it chooses itself, declared as the
    checks ask: its schema and what it shows, through the image kind."""

    api_schema = IMAGE.schema({})

    def __init__(self, image_pk: int) -> None:
        super().__init__(source="*", read_only=True)
        self.image_pk = image_pk

    def api_collect(self, page: Any, refs: Refs) -> None:
        IMAGE.collect(self.image_pk, refs)

    def to_representation(self, page: Any) -> dict | None:
        return IMAGE.json(self.image_pk, self.context["resolver"])


def errors() -> dict[str, list[str]]:
    """{check id: [messages]} of the API's contract check."""
    found: dict[str, list[str]] = {}
    for message in api_contract(None):
        found.setdefault(message.id, []).append(message.msg)
    return found


def test_the_installed_page_types_pass(db):
    assert api_contract(None) == []
    assert not [m for m in run_checks() if m.id and m.id.startswith("mortar_api.")]


@pytest.mark.parametrize("block", [StampBlock(), blocks.FieldBlock()],
                         ids=["own-json-no-kind", "no-adapter"])
def test_a_site_block_no_kind_shows_is_refused_naming_it_and_saying_how(monkeypatch, block):
    block.set_name("stamp")
    monkeypatch.setitem(SampleContentPage.body.field.stream_block.child_blocks, "stamp", block)

    [message] = errors()["mortar_api.E001"]

    assert f"{type(block).__qualname__} ('stamp')" in message
    assert "register_block_adapter" in message and "Kind" in message


def test_a_block_with_its_own_json_and_no_schema_is_refused(monkeypatch):
    class BadgeBlock(blocks.StructBlock):
        text = blocks.CharBlock()

        def get_api_representation(self, value: Any, context: Any = None) -> dict:
            return {"badge": value["text"]}

    badge = BadgeBlock()
    badge.set_name("badge")
    monkeypatch.setitem(SampleContentPage.body.field.stream_block.child_blocks, "badge", badge)

    [message] = errors()["mortar_api.E001"]

    assert "BadgeBlock ('badge')" in message and "api_schema" in message


def test_a_serializer_field_without_schema_or_freshness_is_refused(monkeypatch):
    monkeypatch.setattr(SampleContentPage, "api_fields", [
        *SampleContentPage.api_fields, APIField("extra", serializer=serializers.Field())])

    found = errors()

    [schema] = found["mortar_api.E002"]
    [freshness] = found["mortar_api.E003"]
    assert "APIField('extra'" in schema and "api_schema" in schema
    assert "APIField('extra'" in freshness and "api_collect(page, refs)" in freshness
    assert "api_reads_page_only" in freshness


def test_a_declared_serializer_field_shows_its_image_with_its_name_and_schema(
        monkeypatch, client, home, make_image):
    image = make_image()
    monkeypatch.setattr(SampleContentPage, "api_fields", [
        *SampleContentPage.api_fields, APIField("hero", serializer=HeroImageField(image.pk))])
    page = add(home, SampleContentPage(title="Hero", slug="hero"))
    site = Site.objects.get(is_default_site=True)

    document = represent_page(page, site, [])
    stock = client.get(f"/api/v2/pages/{page.pk}/").json()
    schema = openapi()["components"]["schemas"]["SampleContentPage"]

    assert errors() == {}
    assert document.data["hero"]["id"] == image.pk and document.data["hero"]["srcset"]
    assert f"image:{image.pk}" in document.deps
    assert stock["hero"] == document.data["hero"]
    assert schema["properties"]["hero"] == IMAGE.schema({})


def test_a_urlconf_wrapping_cms_urls_passes_the_checks_and_serves_the_schema(settings, client):
    """The OpenAPI document comes from API_ROUTER, not from an attribute of ROOT_URLCONF:
    a project URLconf that wraps cms.urls (bench's) once failed the start-up checks, and
    with them its Celery worker."""
    settings.ROOT_URLCONF = "cms.testing.wrapped_urls"
    assert [error for error in api_contract(None) if error.id.startswith("mortar_api")] == []
    response = client.get("/api/v2/schema/")
    assert response.status_code == 200
    assert "/api/v2/pages/by-path/" in response.json()["paths"]
