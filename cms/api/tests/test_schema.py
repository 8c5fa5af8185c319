"""The OpenAPI document: generated from the models, and every real response conforms to it."""

import json

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from wagtail import blocks
from wagtail.api import APIField

from cms.api.schema import block_schema, openapi
from cms.blocks.links import CallToActionBlock
from sites.example.demo import heavy_body
from sites.example.models import ArticlePage, ContentPage


def validator(name):
    document = openapi()
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", **document})


def assert_valid(name, instance):
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


def test_schema_endpoint_serves_the_generated_document(client, db):
    response = client.get("/api/v2/schema/")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert json.dumps(document, sort_keys=True) == json.dumps(openapi(), sort_keys=True)
    jsonschema.Draft202012Validator.check_schema(
        {"$ref": "#/components/schemas/PageDocument", **document})


def test_every_demo_page_and_the_heavy_page_conform(client, db):
    call_command("seed_demo", verbosity=0)
    articles = ArticlePage.objects.live().order_by("pk")
    images = list({page.hero_image for page in articles if page.hero_image})
    index = articles[0].get_parent()
    heavy = ArticlePage(title="Heavy", slug="heavy", date="2026-01-01", live=False,
                        body=heavy_body(list(articles[:12]), images, 50))
    index.add_child(instance=heavy)
    heavy.save_revision().publish()

    paths = [page["html_path"] for page in
             json.loads(client.get("/api/v2/sitemap/").content)["pages"]]
    assert "/articles/heavy/" in paths and len(paths) >= 18
    for path in paths:
        response = client.get("/api/v2/pages/by-path/", {"html_path": path})
        assert response.status_code == 200, path
        assert_valid("PageDocument", json.loads(response.content))
    listing_2 = client.get("/api/v2/pages/by-path/", {"html_path": "/articles/", "page": "2"})
    assert_valid("PageDocument", json.loads(listing_2.content))

    nav = openapi()["paths"]["/api/v2/navigation/"]["get"]["responses"]["200"]
    nav_schema = nav["content"]["application/json"]["schema"]
    jsonschema.validate(json.loads(client.get("/api/v2/navigation/").content),
                        {**nav_schema, **openapi()})


def test_a_document_that_breaks_the_contract_is_caught(client, db):
    call_command("seed_demo", verbosity=0)
    doc = json.loads(client.get("/api/v2/pages/by-path/", {"html_path": "/about/"}).content)
    doc["body"][0]["value"]["level"] = "2"  # a heading level must be a number

    assert list(validator("PageDocument").iter_errors(doc))


def test_adding_a_field_to_a_block_changes_the_schema():
    class CallToActionWithIconBlock(CallToActionBlock):
        icon = blocks.CharBlock(required=False)

    components: dict = {}
    block_schema(CallToActionBlock(), components)
    block_schema(CallToActionWithIconBlock(), components)

    plain = components["CallToActionBlockValue"]["properties"]
    extended = components["CallToActionWithIconBlockValue"]["properties"]
    assert set(extended) - set(plain) == {"icon"}
    assert extended["icon"] == {"type": "string"}


def test_adding_a_field_to_a_page_type_changes_the_schema(monkeypatch):
    before = openapi()["components"]["schemas"]["ContentPage"]
    monkeypatch.setattr(ContentPage, "api_fields",
                        [*ContentPage.api_fields, APIField("show_in_menus")])

    after = openapi()["components"]["schemas"]["ContentPage"]

    assert set(after["properties"]) - set(before["properties"]) == {"show_in_menus"}
    assert after["properties"]["show_in_menus"] == {"type": "boolean"}


def test_export_schema_check_fails_on_a_stale_file(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("export_schema", "--output", str(target), verbosity=0)
    call_command("export_schema", "--check", "--output", str(target), verbosity=0)

    target.write_text(target.read_text().replace("HeadingBlockValue", "OldHeading"))

    with pytest.raises(CommandError, match="is stale: run `make types`"):
        call_command("export_schema", "--check", "--output", str(target), verbosity=0)


def test_the_committed_openapi_document_is_what_the_models_give():
    # Fails with: "web/lib/openapi.json is stale: run `make types` and commit the result".
    call_command("export_schema", "--check", verbosity=0)
