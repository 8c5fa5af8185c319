"""The OpenAPI document: generated from the models, and every real response conforms to it."""

import json
import os
import subprocess
import sys

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.test.utils import isolate_apps
from wagtail import blocks
from wagtail.api import APIField

from cms.api.representation import block_schema
from cms.api.schema import component_name, openapi
from cms.blocks.links import CallToActionBlock
from cms.blocks.samples import heavy_body
from cms.core.models import BasePage
from cms.testing.contract import assert_site_conforms, validator
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.pages.models import ARTICLES_PER_PAGE, SampleContentPage
from cms.testing.processes import REPO


def test_schema_endpoint_serves_the_generated_document(client, db):
    response = client.get("/api/v2/schema/")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert json.dumps(document, sort_keys=True) == json.dumps(openapi(), sort_keys=True)
    jsonschema.Draft202012Validator.check_schema(
        {"$ref": "#/components/schemas/PageDocument", **document})


def sample_site(home, make_image) -> None:
    """Every test page type, every block (the heavy body), images, tags and a listing of
    two pages: what a site's content exercises of the contract."""
    images = [make_image() for _ in range(3)]
    about = SampleContentPageFactory(parent=home, title="About", show_in_menus=True)
    index = SampleIndexPageFactory(parent=home, title="Articles", show_in_menus=True,
                                   intro="<p>All</p>")
    articles = [SampleArticlePageFactory(parent=index, slug=f"a{n}", intro="An article",
                                         hero_image=images[n % 3], body=heavy_body([about],
                                                                                    images, 5))
                for n in range(ARTICLES_PER_PAGE + 2)]
    articles[0].tags.add("news")
    articles[0].save_revision().publish()
    home.hero_heading, home.hero_image = "Welcome", images[0]
    home.hero_cta = json.dumps([{"type": "cta", "value": {
        "label": "About", "link": {"page": about.pk, "url": ""}}}])
    home.body = heavy_body([about, index], images, 10)
    home.save_revision().publish()
    SampleArticlePageFactory(parent=index, slug="heavy", body=heavy_body(articles, images, 50))


def test_every_page_type_and_the_heavy_page_conform(client, home, make_image):
    sample_site(home, make_image)

    types = assert_site_conforms(client, "/articles/")

    assert "/articles/heavy/" in types and len(types) == ARTICLES_PER_PAGE + 6
    assert set(types.values()) == {f"mortar_testing_pages.{name}" for name in (
        "SampleHomePage", "SampleContentPage", "SampleIndexPage", "SampleArticlePage")}


def test_a_document_that_breaks_the_contract_is_caught(client, home):
    SampleContentPageFactory(parent=home, title="About", body=json.dumps(
        [{"type": "heading", "value": {"text": "Hi", "level": "2"}}]))
    doc = json.loads(client.get("/api/v2/pages/by-path/", {"html_path": "/about/"}).content)
    assert not list(validator("PageDocument").iter_errors(doc))
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
    before = openapi()["components"]["schemas"]["SampleContentPage"]
    monkeypatch.setattr(SampleContentPage, "api_fields",
                        [*SampleContentPage.api_fields, APIField("show_in_menus")])

    after = openapi()["components"]["schemas"]["SampleContentPage"]

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
    # Under the CMS's own settings, as `make types` writes it: the test-only page types
    # this suite installs are not part of it. Fails with: "web/lib/openapi.json is stale:
    # run `make types` and commit the result".
    result = subprocess.run(
        [sys.executable, "manage.py", "export_schema", "--check"], cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "up to date" in result.stdout


@isolate_apps("cms.core")
def test_page_types_of_one_class_name_in_two_apps_keep_their_own_components():
    class SampleContentPage(BasePage):  # a second site's page type of the same name
        class Meta:
            app_label = "core"

    from cms.testing.pages.models import SampleContentPage as Installed
    both = [Installed, SampleContentPage]
    assert component_name(Installed, both) == "mortar_testing_pages.SampleContentPage"
    assert component_name(SampleContentPage, both) == "core.SampleContentPage"
    assert component_name(Installed) == "SampleContentPage"  # alone: its class name


def test_every_endpoint_on_the_router_owns_its_operation(db):
    """The document's paths are those the endpoints on the router declare beside their
    views, and no others; an operation lists the query parameters its view accepts,
    from the one declaration of them (a view refusing others names them)."""
    from cms.api.requests import MortarAPIViewSet
    from cms.urls import api_router

    document = openapi()
    declared: dict = {}
    for name, endpoint in api_router._endpoints.items():
        paths = endpoint.openapi_paths(f"/api/v2/{name}/", {})
        declared.update(paths)
        if not (issubclass(endpoint, MortarAPIViewSet) and endpoint.refuses_unknown_parameters):
            continue
        listed = {parameter["name"] for item in paths.values() for operation in item.values()
                  for parameter in operation.get("parameters", [])
                  if parameter["in"] == "query"}
        assert listed == set(endpoint.view_parameters), name
    assert declared == document["paths"]
    assert {"/api/v2/pages/by-path/", "/api/v2/page_access/",
            "/api/v2/forms/{page_id}/submissions/"} <= set(declared)
