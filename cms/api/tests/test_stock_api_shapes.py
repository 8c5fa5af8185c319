"""Wagtail's stock `pages/<id>/` and `pages/?fields=` show a page's fields as by-path does."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from wagtail.api import APIField

from cms.api.schema import openapi
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.pages.models import SampleContentPage


def by_path(client, path):
    response = client.get("/api/v2/pages/by-path/", {"html_path": path})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def stock(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


@pytest.fixture
def pages(home, make_image):
    image = make_image()
    about = SampleContentPageFactory(parent=home, title="About")
    body = [
        {"type": "heading", "value": {"text": "Hi", "level": "3"}},
        {"type": "image", "value": {"image": image.pk, "alt": "Block alt", "caption": "Cap"}},
        {"type": "cta", "value": {"label": "Home", "link": {"page": about.pk, "url": ""}}},
        {"type": "rich_text", "value": f'<p><a linktype="page" id="{about.pk}">About</a></p>'},
        {"type": "two_column", "value": {"left": [
            {"type": "cards", "value": {"heading": "", "cards": [
                {"title": "C", "text": "", "image": image.pk,
                 "link": {"page": home.pk, "url": ""}}]}}], "right": []}},
    ]
    content = SampleContentPageFactory(parent=home, title="Content",
                                       body=json.dumps(body))
    intro = f'<p><a linktype="page" id="{about.pk}">a</a></p>'
    index = SampleIndexPageFactory(parent=home, title="Articles", intro=intro)
    article = SampleArticlePageFactory(parent=index, title="One", date="2026-01-02",
                                       hero_image=image, body=json.dumps(body[:3]))
    article.tags.add("b", "a")
    article.save_revision().publish()
    return {"content": content, "index": index, "article": article, "image": image,
            "about": about}


def test_stock_detail_shows_the_body_as_by_path_does(client, pages):
    content = pages["content"]

    detail = stock(client, f"/api/v2/pages/{content.pk}/")
    document = by_path(client, "/content/")

    assert detail["body"] == document["body"]
    image = detail["body"][1]["value"]["image"]
    assert image["srcset"] and image["src"] and image["alt"] == "Block alt"
    assert detail["body"][2]["value"]["link"]["page"]["html_path"] == "/about/"
    assert '<a href="/about/">' in detail["body"][3]["value"]


def test_stock_detail_shows_every_api_field_as_by_path_does(client, pages):
    for key, path in (("article", "/articles/one/"), ("index", "/articles/")):
        detail = stock(client, f"/api/v2/pages/{pages[key].pk}/")
        document = by_path(client, path)
        names = [field.name for field in type(pages[key]).api_fields]

        assert {name: detail[name] for name in names} == {name: document[name] for name in names}
    assert detail["intro"] == '<p><a href="/about/">a</a></p>'


def test_stock_listing_with_fields_shows_the_same_shapes_in_constant_queries(client, pages):
    url = "/api/v2/pages/"
    params = {"type": "mortar_testing_pages.SampleArticlePage", "fields": "body,hero_image,tags"}
    listing = stock(client, url, **params)
    document = by_path(client, "/articles/one/")

    (item,) = listing["items"]
    assert item["body"] == document["body"] and item["hero_image"] == document["hero_image"]
    assert item["tags"] == ["a", "b"]

    index = pages["index"]
    for n in range(2, 6):
        SampleArticlePageFactory(parent=index, title=f"N{n}", date="2026-01-01",
                                 hero_image=pages["image"], body=pages["article"].body)
    with CaptureQueriesContext(connection) as one:
        stock(client, url, **params, limit="1")
    with CaptureQueriesContext(connection) as five:
        assert len(stock(client, url, **params)["items"]) == 5
    assert len(five) == len(one), "\n".join(q["sql"][:150] for q in five)


def test_an_api_field_serializer_is_honoured_by_by_path_stock_and_schema(client, pages,
                                                                          monkeypatch):
    year = APIField("published_year", serializer=serializers.DateTimeField(
        format="%Y", source="first_published_at"))
    monkeypatch.setattr(SampleContentPage, "api_fields", [*SampleContentPage.api_fields, year])
    published = str(pages["content"].first_published_at.year)

    assert by_path(client, "/content/")["published_year"] == published
    assert stock(client, f"/api/v2/pages/{pages['content'].pk}/")["published_year"] == published
    properties = openapi()["components"]["schemas"]["SampleContentPage"]["properties"]
    assert properties["published_year"] == {"type": ["string", "null"]}
