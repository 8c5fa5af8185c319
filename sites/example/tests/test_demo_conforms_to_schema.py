"""The example site's demo content, and the benchmarks' heavy page on it, conform to the
OpenAPI document the renderer's types come from."""

import json

import jsonschema
from django.core.management import call_command

from cms.api.schema import openapi
from cms.blocks.samples import heavy_body
from sites.example.models import ArticlePage


def assert_valid(name, instance):
    validator = jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                                 **openapi()})
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


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
