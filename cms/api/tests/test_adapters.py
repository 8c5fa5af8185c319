"""Every block kind's JSON conforms to its schema, and a kind without an adapter is refused."""

from dataclasses import dataclass

import jsonschema
import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import blocks
from wagtail.blocks.list_block import ListValue
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api import adapters
from cms.api.adapters import NoAdapter
from cms.api.representation import block_schema, represent_stream
from cms.api.schema import shared_components
from cms.publishing.freshness import dependencies
from cms.testing.pages.models import SampleContentPage


class ColourBlock(blocks.FieldBlock):
    """A block kind no adapter knows."""

    def __init__(self, **kwargs: object) -> None:
        self.field = forms.CharField()
        super().__init__(**kwargs)


def every_kind_block() -> blocks.StreamBlock:
    return blocks.StreamBlock([
        ("snippet", SnippetChooserBlock("wagtailcore.Locale")),
        ("static", blocks.StaticBlock()),
        ("facts", blocks.StructBlock([
            ("count", blocks.IntegerBlock(required=False)),
            ("ratio", blocks.DecimalBlock(required=False)),
            ("on", blocks.BooleanBlock(required=False)),
            ("day", blocks.DateBlock(required=False)),
            ("email", blocks.EmailBlock(required=False)),
            ("tags", blocks.MultipleChoiceBlock(choices=[("a", "A"), ("b", "B")])),
            ("page", blocks.PageChooserBlock(required=False)),
        ])),
    ])


def validate(block, instance):
    components = shared_components()
    schema = block_schema(block, components)
    jsonschema.Draft202012Validator({**schema, "components": {"schemas": components}}
                                    ).validate(instance)


def test_a_snippet_and_a_static_block_conform_to_their_schema(home):
    site = Site.objects.get(is_default_site=True)
    locale = Locale.objects.get()
    block = every_kind_block()
    raw = [
        {"type": "snippet", "id": "1", "value": locale.pk},
        {"type": "snippet", "id": "2", "value": 987654},  # a deleted snippet
        {"type": "static", "id": "3", "value": None},
        {"type": "facts", "id": "4", "value": {
            "count": 3, "ratio": "1.50", "on": True, "day": "2026-01-02", "email": None,
            "tags": ["a"], "page": home.pk}},
    ]

    data, names = represent_stream(block, raw, site, [])

    assert data[0]["value"] == {"id": locale.pk, "type": "wagtailcore.Locale",
                                "title": str(locale)}
    assert data[1]["value"] is None and data[2]["value"] is None
    assert data[3]["value"]["ratio"] == 1.5 and data[3]["value"]["email"] == ""
    assert data[3]["value"]["page"]["html_path"] == "/"
    validate(block, data)
    assert f"snippet:wagtailcore.locale:{locale.pk}" in names and f"page:{home.pk}" in names


def test_the_snippet_schema_rejects_what_the_json_used_to_be():
    with pytest.raises(jsonschema.ValidationError):
        validate(every_kind_block(), [{"type": "snippet", "id": "1", "value": 3}])


def test_a_block_kind_without_an_adapter_fails_export_schema_naming_it(monkeypatch, tmp_path):
    colour = ColourBlock()
    colour.set_name("colour")
    monkeypatch.setitem(SampleContentPage.body.field.stream_block.child_blocks, "colour", colour)

    with pytest.raises(CommandError, match=r"test_adapters\.ColourBlock \('colour'\)"):
        call_command("export_schema", "--output", str(tmp_path / "openapi.json"))
    assert not (tmp_path / "openapi.json").exists()


def test_a_block_with_its_own_json_must_describe_it():
    class BadgeBlock(blocks.CharBlock):
        def get_api_representation(self, value, context=None):
            return {"badge": value}

    with pytest.raises(NoAdapter, match="BadgeBlock"):
        block_schema(BadgeBlock(), {})

    class DescribedBadgeBlock(BadgeBlock):
        def api_schema(self, schema):
            return {"type": "object", "properties": {"badge": schema}}

    components: dict = {}
    block_schema(DescribedBadgeBlock(), components)
    assert components["DescribedBadgeBlockValue"]["properties"]["badge"] == {"type": "string"}


class TeaserBlock(blocks.StructBlock):
    """A site's block written from Wagtail's documentation: its own
    `get_api_representation` reads the block's Python value and builds on Wagtail's."""

    image = ImageChooserBlock(required=False)
    page = blocks.PageChooserBlock(required=False)
    text = blocks.RichTextBlock(required=False)
    tags = blocks.ListBlock(blocks.CharBlock())

    seen: list = []

    def get_api_representation(self, value, context=None):
        type(self).seen.append(value)
        return {"wagtail": super().get_api_representation(value, context),
                "image_title": value["image"].title if value["image"] else None,
                "page_title": value["page"].title if value["page"] else None}

    def api_schema(self, schema):
        return {"type": "object"}


def test_a_blocks_own_representation_receives_its_python_value_without_queries(
        home, make_image):
    site = Site.objects.get(is_default_site=True)
    image = make_image()
    block = blocks.StreamBlock([("teaser", TeaserBlock())])
    teaser = {"image": image.pk, "page": home.pk, "text": "<p>Hi</p>",
              "tags": [{"type": "item", "value": "a", "id": "t1"}]}
    raw = [{"type": "teaser", "id": str(n), "value": teaser} for n in range(3)]
    TeaserBlock.seen = []
    represent_stream(block, raw[:1], site, [])  # first-use work (content types) done

    with CaptureQueriesContext(connection) as one_block:
        represent_stream(block, raw[:1], site, [])
    with CaptureQueriesContext(connection) as three_blocks:
        data, names = represent_stream(block, raw, site, [])

    value = TeaserBlock.seen[-1]
    assert isinstance(value, blocks.StructValue)
    assert isinstance(value["image"], get_image_model()) and value["image"].pk == image.pk
    assert isinstance(value["page"], Page) and value["page"].pk == home.pk
    assert isinstance(value["text"], RichText) and value["text"].source == "<p>Hi</p>"
    assert isinstance(value["tags"], ListValue) and list(value["tags"]) == ["a"]
    # Wagtail's own default, as its documentation describes it, works on that value.
    assert data[0]["value"]["wagtail"]["image"] == image.pk
    assert data[0]["value"]["wagtail"]["tags"] == ["a"]
    assert data[2]["value"]["image_title"] == image.title
    assert data[2]["value"]["page_title"] == home.title
    # Building the values costs no query: as many for three blocks as for one.
    assert len(three_blocks.captured_queries) == len(one_block.captured_queries)
    assert {f"image:{image.pk}", f"page:{home.pk}"} <= names


def test_a_new_kind_is_one_module_and_its_registration(monkeypatch, home):
    """What a site adds for a leaf kind of its own (here: a locale chosen by id): one
    Kind with its load, JSON, schema and names, and its registrations; the document,
    the schema and the freshness names follow."""
    # Registrations for this test only: the registries are put back afterwards.
    monkeypatch.setattr(adapters, "_BLOCK_ADAPTERS", dict(adapters._BLOCK_ADAPTERS))
    monkeypatch.setattr(adapters, "_COMPONENTS", dict(adapters._COMPONENTS))

    class LocaleBlock(blocks.FieldBlock):
        def __init__(self, **kwargs: object) -> None:
            self.field = forms.IntegerField()
            super().__init__(**kwargs)

    locale_schema = adapters.register_component(
        "LocaleLink", adapters.obj({"id": adapters.INTEGER, "language_code": adapters.STRING}))

    @dataclass(frozen=True)
    class LocaleKind(adapters.Kind):
        def load(self, keys, resolver):
            return {pk: adapters.Loaded(locale, {"id": pk,
                                                 "language_code": locale.language_code})
                    for pk, locale in Locale.objects.in_bulk(keys).items()}

        def dependency_names(self, keys):
            return {dependencies.setting("wagtailcore.Locale")}

        def schema(self, components):
            return adapters.nullable(locale_schema)

    adapters.register_block_adapter(LocaleBlock, LocaleKind())
    site = Site.objects.get(is_default_site=True)
    locale = Locale.objects.get()
    block = blocks.StreamBlock([("locale", LocaleBlock())])
    raw = [{"type": "locale", "id": "1", "value": locale.pk},
           {"type": "locale", "id": "2", "value": 987654}]

    with CaptureQueriesContext(connection) as queries:
        data, names = represent_stream(block, raw, site, [])

    assert data[0]["value"] == {"id": locale.pk, "language_code": locale.language_code}
    assert data[1]["value"] is None
    assert "setting:wagtailcore.locale" in names
    assert sum("wagtailcore_locale" in q["sql"] for q in queries.captured_queries) == 1
    validate(block, data)
    assert shared_components()["LocaleLink"]["properties"]["language_code"] == {"type": "string"}
