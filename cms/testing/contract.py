"""The API contract in tests: documents checked against the OpenAPI document
(cms.api.schema) that the renderer's types are generated from."""

import json
from typing import Any

import jsonschema
from django.test import Client

from cms.api.schema import openapi


def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for the component schema `name` (e.g. "PageDocument")."""
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                            **openapi()})


def assert_valid(name: str, instance: Any) -> None:
    """AssertionError naming the first five places where `instance` breaks schema `name`."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


def assert_site_conforms(client: Client, listing_path: str) -> dict[str, str]:
    """Every page of the sitemap, page 2 of the listing at `listing_path` and the
    navigation conform; returns each page's path -> its `meta.type`."""
    paths = [page["html_path"] for page in
             json.loads(client.get("/api/v2/sitemap/").content)["pages"]]
    types = {}
    for path in paths:
        response = client.get("/api/v2/pages/by-path/", {"html_path": path})
        assert response.status_code == 200, path
        document = json.loads(response.content)
        assert_valid("PageDocument", document)
        types[path] = document["meta"]["type"]
    listing_2 = client.get("/api/v2/pages/by-path/", {"html_path": listing_path, "page": "2"})
    assert listing_2.status_code == 200, listing_2.content[:500]
    assert_valid("PageDocument", json.loads(listing_2.content))

    nav = openapi()["paths"]["/api/v2/navigation/"]["get"]["responses"]["200"]
    nav_schema = nav["content"]["application/json"]["schema"]
    jsonschema.validate(json.loads(client.get("/api/v2/navigation/").content),
                        {**nav_schema, **openapi()})
    return types
