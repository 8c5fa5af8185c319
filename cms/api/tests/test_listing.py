"""The listing (cms.api.listing): a page type's declared `api_listings`, its page of
items, JSON, schema and dependency names; and the start-up check that refuses one
declared badly (mortar_api.E005), saying how."""

import pytest
from django.core.checks import run_checks
from wagtail.models import Site

from cms.api.errors import NotFound
from cms.api.listing import Listing
from cms.api.representation import represent_page
from cms.api.schema import openapi
from cms.testing.factories import SampleArticlePageFactory, SampleIndexPageFactory
from cms.testing.pages.models import SampleIndexPage

ARTICLE = "mortar_testing_pages.SampleArticlePage"


def listing_errors() -> list[str]:
    return [message.msg for message in run_checks() if message.id == "mortar_api.E005"]


def test_the_installed_page_types_declare_their_listings_well(db):
    assert listing_errors() == []


@pytest.mark.parametrize(("declared", "says"), [
    ({"articles": ARTICLE},
     f"api_listings = [Listing('articles', '{ARTICLE}', per_page=10)]"),
    ([("articles", ARTICLE)], "must be a list of cms.api.listing.Listing"),
    ([Listing("articles", "mortar_testing_pages.Nothing")], "is no installed model"),
    ([Listing("articles", "nothing")], "is no installed model"),
    ([Listing("articles", "wagtailimages.Image")], "is not a page type"),
    ([Listing("news", ARTICLE)], "has no method news(): give it `def news(self)"),
    ([Listing("intro", ARTICLE)], "'intro' is already a field of the document"),
    ([Listing("articles", ARTICLE), Listing("articles", ARTICLE)],
     "'articles' is already a field of the document"),
    ([Listing("articles", ARTICLE, per_page=0)], "per_page must be a whole number"),
], ids=["old-dict", "not-listings", "unknown-model", "bad-label", "not-pages",
        "no-method", "a-field-name", "twice", "per-page-0"])
def test_a_listing_declared_badly_is_refused_at_start_up_saying_how(monkeypatch, declared,
                                                                     says):
    monkeypatch.setattr(SampleIndexPage, "api_listings", declared)

    messages = listing_errors()

    assert messages and all(message.startswith(
        "mortar_testing_pages.SampleIndexPage.api_listings") for message in messages)
    assert any(says in message for message in messages), messages


def test_the_old_per_page_attribute_is_refused_as_unread(monkeypatch):
    monkeypatch.setattr(SampleIndexPage, "listing_per_page", 5, raising=False)

    [message] = listing_errors()

    assert "listing_per_page is no longer read" in message


def test_a_listing_shows_its_page_of_items_with_their_names(monkeypatch, home):
    monkeypatch.setattr(SampleIndexPage, "api_listings", [Listing("articles", ARTICLE,
                                                                  per_page=2)])
    index = SampleIndexPageFactory(parent=home, slug="news")
    first, second, third = (SampleArticlePageFactory(parent=index) for _ in range(3))
    site = Site.objects.get(is_default_site=True)

    document = represent_page(index, site, [], listing_page=2)
    schema = openapi()["components"]["schemas"]["SampleIndexPage"]["properties"]["articles"]

    assert document.data["articles"]["items"][0]["id"] == first.pk  # newest first
    assert {key: document.data["articles"][key] for key in schema["required"][1:]} == {
        "page": 2, "per_page": 2, "total": 3, "total_pages": 2}
    assert {f"children:{index.pk}", f"page:{first.pk}"} <= document.deps
    assert f"page:{third.pk}" not in document.deps and f"page:{second.pk}" not in document.deps
    assert schema["required"] == ["items", "page", "per_page", "total", "total_pages"]
    with pytest.raises(NotFound):
        represent_page(index, site, [], listing_page=3)
