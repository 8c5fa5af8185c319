"""The preview panel shows the draft being typed whatever the admin's and the renderer's
sites are: the admin on 127.0.0.1 and the renderer on localhost (two sites, whose
cookies a framed page cannot set), then both on 127.0.0.1. And the page editor's content
checks run in the previewed page, across that frame."""

import re
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import database
from tests.e2e.helpers import cms_shell, logged_in_admin

pytestmark = pytest.mark.django_db

SLUG = "accessible-by-default"  # an article no other test changes or previews
SET_RENDERER = """
from wagtail.models import Site
from cms.core.models import RendererSettings
renderer = RendererSettings.for_site(Site.objects.get(is_default_site=True))
renderer.url = {url!r}
renderer.save()
"""


@pytest.fixture
def article_id(django_db_blocker) -> int:
    from sites.example.models import ArticlePage

    with database(django_db_blocker):
        return ArticlePage.objects.get(slug=SLUG).pk


@pytest.fixture(params=["localhost", "127.0.0.1"])
def renderer_host(request, cms_env, web_server, ports) -> Iterator[str]:
    """The Site's renderer URL (Settings > Renderer) on this host name; the admin is on
    127.0.0.1. Blank again afterwards: FRONTEND_URL, the session's renderer."""
    host = request.param
    cms_shell(cms_env, SET_RENDERER.format(url=f"http://{host}:{ports['web']}"))
    try:
        yield host
    finally:
        cms_shell(cms_env, SET_RENDERER.format(url=""))


def test_the_panel_shows_the_typed_draft_and_runs_the_checks(
        browser: Browser, cms_server, web_server, editor, article_id, renderer_host,
        screenshots):
    context, admin = logged_in_admin(browser, cms_server, editor)
    try:
        admin.add_init_script("document.addEventListener('w-unsaved:watch-edits',"
                              " () => { window.mortarWatching = true; })")
        admin.goto(f"{cms_server}/admin/pages/{article_id}/edit/")
        admin.wait_for_function("() => window.mortarWatching === true")
        # Never saved: a typed title, and an image block's alt text named like a file,
        # which Wagtail's content checks name as an issue.
        title = f"Accessible, typed {uuid.uuid4().hex[:6]}"
        admin.fill("#id_title", title)
        admin.locator("[name='body-3-value-alt']").fill("figure_final.jpg")
        admin.locator("[data-side-panel-toggle='preview']").click()
        panel = admin.frame_locator("#w-preview-iframe")
        expect(panel.locator("h1")).to_have_text(title, timeout=15_000)
        expect(panel.get_by_test_id("preview-bar")).to_be_visible()
        expect(panel.locator("img[alt='figure_final.jpg']")).to_have_count(1)
        frame = admin.frame(url=re.compile(r"/mortar-preview/"))
        assert frame is not None and urlsplit(frame.url).hostname == renderer_host
        # Nothing the draft needed was a cookie of the framed site.
        assert not any(cookie["domain"].lstrip(".") == renderer_host
                       for cookie in context.cookies() if renderer_host == "localhost")

        # The checks: run by the admin's Axe in the previewed page, through its userbar.
        admin.locator("[data-side-panel-toggle='checks']").click()
        checks = admin.locator("[data-side-panel='checks']")
        expect(checks.get_by_text("Image alt text has inappropriate pattern")).to_be_visible(
            timeout=20_000)
        # And the content metrics, from the previewed page's text.
        expect(checks.locator("[data-content-word-count]")).to_have_text(
            re.compile(r"^[1-9][0-9]*$"))
        admin.screenshot(path=f"{screenshots}/preview-checks-{renderer_host}.png")
    finally:
        context.close()
