"""Site search in the browser: the header's search box, the server-rendered /search/ page."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fetch

ARTICLE = "/articles/headless-without-the-headache/"

# The mark makes pytest-django set up the test database that the stack's fixtures seed
# (seed_demo writes the search index as it publishes).
pytestmark = pytest.mark.django_db


def test_search_from_the_header_finds_the_article(page: Page, web_server: str):
    page.goto(f"{web_server}/")
    box = page.get_by_role("searchbox", name="Search the site")
    box.focus()  # the keyboard alone: type, Enter
    page.keyboard.type("headache")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=headache")
    expect(page.locator("h1")).to_have_text("Search")
    results = page.get_by_role("region", name="Search results")
    link = results.get_by_role("link", name="Headless without the headache")
    expect(link).to_have_attribute("href", ARTICLE)
    expect(results.locator("mark").first).to_have_text("headache")
    # The query stays in the URL and in the page's own box.
    expect(page.locator("#search-page-query")).to_have_value("headache")
    link.click()
    page.wait_for_url(f"**{ARTICLE}")
    expect(page.locator("h1")).to_have_text("Headless without the headache")


def test_search_page_is_never_cached_and_refuses_bad_input(page: Page, web_server: str):
    status, headers, html = fetch(f"{web_server}/search/?q=headache")
    assert status == 200 and "Headless without the headache" in html
    assert "no-store" in headers["cache-control"] and "private" in headers["cache-control"]
    assert "x-nextjs-cache" not in headers

    page.goto(f"{web_server}/search/?q={'x' * 300}")
    expect(page.locator("main").get_by_role("alert")).to_have_text(
        "q is longer than 200 characters")
    page.goto(f"{web_server}/search/?q=zzzznothing")
    expect(page.locator("main").get_by_role("status")).to_have_text(
        "No pages match “zzzznothing”.")
