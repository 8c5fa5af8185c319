"""Redirects and the visitor's query string (`query` of pages/by-path/).

The rule (README, "The page API"): a redirect stored with a query string matches that
query, its parameters in any order, before the redirect of the path alone, as Wagtail's
RedirectMiddleware matches; a redirect matched by the path alone carries the visitor's
query to its target unless the target has a query of its own; one matched with the query
carries none, since the query named the old address.
"""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from cms.api.by_path import with_query
from cms.testing.content import by_path as get
from cms.testing.factories import SampleContentPageFactory, SampleIndexPageFactory
from cms.testing.pages.models import SampleContentPage


@pytest.fixture
def site(home) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def pages(home) -> dict[str, SampleContentPage]:
    return {slug: SampleContentPageFactory(parent=home, title=slug.title(), slug=slug)
            for slug in ("contact", "shop", "news")}


def redirect(site: Site, old_path: str, **target: object) -> Redirect:
    """As the admin stores it: the old path normalised (query parameters sorted)."""
    return Redirect.objects.create(old_path=Redirect.normalise_path(old_path), site=site,
                                   **target)


def location(client, path: str, query: str | None = None) -> tuple[int, str | None]:
    response, body = get(client, path, **({} if query is None else {"query": query}))
    return response.status_code, (body or {}).get("redirect", {}).get("location")


def test_an_old_path_with_a_query_string_matches_that_query(client, site, pages):
    redirect(site, "/products?id=123", redirect_page=pages["shop"])
    redirect(site, "/index.php?page=5&lang=en", redirect_page=pages["news"])

    assert location(client, "/products/", "id=123") == (301, "/shop/")
    # Parameters in any order, as Wagtail's middleware normalises them.
    assert location(client, "/index.php/", "lang=en&page=5") == (301, "/news/")
    # Another query, or none, is not that old address.
    assert location(client, "/products/", "id=124")[0] == 404
    assert location(client, "/products/")[0] == 404


def test_the_query_redirect_wins_over_the_path_redirect(client, site, pages):
    redirect(site, "/products?id=123", redirect_page=pages["shop"])
    redirect(site, "/products", redirect_page=pages["news"])

    assert location(client, "/products/", "id=123") == (301, "/shop/")
    # Any other query falls back to the path's redirect, and goes along (see below).
    assert location(client, "/products/", "id=9") == (301, "/news/?id=9")


def test_the_visitors_query_is_carried_to_the_target(client, site, pages):
    redirect(site, "/law", redirect_page=pages["contact"])
    redirect(site, "/away", redirect_link="https://example.org/landing#top")

    assert location(client, "/law/", "utm_source=news&utm_medium=email") == (
        301, "/contact/?utm_source=news&utm_medium=email")
    assert location(client, "/away/", "utm_source=news") == (
        301, "https://example.org/landing?utm_source=news#top")
    # Without a query, the target as stored.
    assert location(client, "/law/") == (301, "/contact/")


def test_a_target_with_its_own_query_keeps_it(client, site, pages):
    redirect(site, "/campaign", redirect_link="https://example.org/?ref=mortar")

    assert location(client, "/campaign/", "utm_source=news") == (
        301, "https://example.org/?ref=mortar")


def test_a_query_matched_redirect_hands_no_query_on(client, site, pages):
    """`?id=123` named the old product: the new address needs none of it."""
    redirect(site, "/products?id=123", redirect_page=pages["shop"])

    assert location(client, "/products/", "id=123") == (301, "/shop/")


def test_a_sub_routes_redirect_carries_the_query_too(client, home):
    SampleIndexPageFactory(parent=home, title="Articles")

    assert location(client, "/articles/page/1/", "utm_source=news") == (
        301, "/articles/?utm_source=news")


def test_a_page_at_the_path_answers_whatever_the_query(client, site, pages):
    """Wagtail's middleware redirects only what would be a 404: a live page wins."""
    redirect(site, "/contact?id=1", redirect_page=pages["shop"])

    response, body = get(client, "/contact/", query="id=1")
    assert response.status_code == 200 and body["title"] == "Contact"


@pytest.mark.parametrize(("query", "message"), [
    ("a=1#frag", "cannot hold '#'"),
    ("a=\x01", "control"),
    ("a=" + "x" * 2100, "longer than"),
])
def test_a_malformed_query_is_a_400(client, pages, query, message):
    response, body = get(client, "/contact/", query=query)
    assert response.status_code == 400 and message in body["message"]


def test_with_query_encodes_and_respects_fragments():
    assert with_query("/contact/", "") == "/contact/"
    assert with_query("/contact/", "q=café") == "/contact/?q=caf%C3%A9"
    assert with_query("/contact/#map", "a=1") == "/contact/?a=1#map"
    assert with_query("/contact/?x=1", "a=1") == "/contact/?x=1"
