"""Wagtail's userbar on the production build, through the HTTP cache (Varnish): a
signed-in editor gets it on the live page and reaches the page's edit view from it;
visitors never get a byte of it, before or after, from the cache or the renderer."""

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import database
from tests.e2e.helpers import cached, fetch, logged_in_admin

pytestmark = pytest.mark.django_db

PATH = "/articles/a-block-library-that-scales/"  # an article no other test changes
# What of the userbar could show up in a page: its element, template, scripts, admin links.
USERBAR_BYTES = ("wagtail-userbar", "data-wagtail-userbar", "userbar.js", "wagtailadmin/",
                 "/admin/pages/")


@pytest.fixture
def article_id(django_db_blocker) -> int:
    from sites.example.models import ArticlePage

    with database(django_db_blocker):
        return ArticlePage.objects.get(url_path__endswith=PATH).pk


def without_userbar(body: str) -> list[str]:
    return [marker for marker in USERBAR_BYTES if marker in body]


def test_an_editor_gets_the_userbar_and_visitors_never_do(browser: Browser, http_cache,
                                                          web_server, cms_server, editor,
                                                          article_id):
    url = f"{http_cache.url}{PATH}"
    before = cached(url)  # a visitor's copy, as the HTTP cache keeps it
    assert before[2].count("<h1") and without_userbar(before[2]) == []

    context, _admin = logged_in_admin(browser, cms_server, editor)
    try:
        # The editor's own page comes without it too: the page asks for it once shown.
        site = context.new_page()
        asked = []
        site.on("request", lambda r: asked.append(r.url) if "/api/userbar" in r.url else None)
        response = site.goto(url)
        assert response is not None and without_userbar(response.text()) == []
        trigger = site.get_by_role("button", name="View Wagtail quick actions")
        expect(trigger).to_be_visible(timeout=15_000)
        assert asked == [f"{http_cache.url}/api/userbar?page_id={article_id}"]
        userbar = site.request.get(asked[0])  # the editor's answer, never a cache's
        assert userbar.headers["cache-control"] == "private, no-store"
        assert userbar.headers.get("x-cache") == "MISS"

        trigger.click()
        menu = site.get_by_role("menu")
        # Wagtail's items for this editor and page (an article takes no child pages).
        expect(menu.get_by_role("menuitem")).to_have_text(
            ["Go to Wagtail admin", "Show in Explorer", "Edit this page",
             re.compile(r"Checks")])
        menu.get_by_role("menuitem", name="Edit this page").click()
        site.wait_for_url(f"{cms_server}/admin/pages/{article_id}/edit/")
        expect(site.locator("#id_title")).to_have_value("A block library that scales")
    finally:
        context.close()

    # Visitors after the editor: the cached copy, byte for byte without it.
    after = cached(url)
    assert without_userbar(after[2]) == [] and after[1].get("x-cache") == "HIT"
    assert fetch(f"{http_cache.url}/api/userbar?page_id={article_id}")[0] == 403


def test_a_visitor_asks_for_no_userbar(browser: Browser, http_cache, web_server):
    """Without the admin's hint cookie, a page does not even ask."""
    context = browser.new_context()
    try:
        page = context.new_page()
        asked = []
        page.on("request", lambda r: asked.append(r.url) if "/api/userbar" in r.url else None)
        page.goto(f"{http_cache.url}{PATH}")
        page.wait_for_load_state("networkidle")
        assert asked == [] and page.locator("wagtail-userbar").count() == 0
    finally:
        context.close()
