"""A password-protected page on the site, in Chromium through nginx and the HTTP cache:
the visitor sees a password form (never the page), a wrong password is a form error,
the right one shows the page to that visitor alone, and no other visitor gets it from
any cache."""

import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import cms_shell
from tests.e2e.nginx import hostport, nginx

pytestmark = pytest.mark.django_db

PASSWORD = "members-only-5521"
PATH = "/about/team/"
CODE = ("from wagtail.models import Page, PageViewRestriction\n"
        "page = Page.objects.get(url_path='/home/about/team/')\n"
        "PageViewRestriction.objects.{}\n")


@pytest.fixture(scope="module")
def front(cms_server, http_cache, web_server) -> Iterator[str]:
    """nginx, as in production, in front of the CMS and of the HTTP cache before the site."""
    with nginx(hostport(cms_server), hostport(http_cache.url)) as proxy:
        yield f"https://localhost:{proxy.https_port}"


@pytest.fixture
def protected(cms_env, celery_worker, django_db_blocker) -> Iterator[str]:
    """/about/team/ behind a password, for this test only; its title."""
    from wagtail.models import Page as WagtailPage

    from tests.e2e.conftest import database

    with database(django_db_blocker):
        title = WagtailPage.objects.get(url_path="/home/about/team/").title
    cms_shell(cms_env, CODE.format(
        f"create(page=page, restriction_type='password', password={PASSWORD!r})"))
    try:
        yield title
    finally:
        cms_shell(cms_env, CODE.format("filter(page=page).delete()"))


def visitor(browser: Browser) -> Page:
    return browser.new_context(ignore_https_errors=True).new_page()


def shows_form(page: Page, url: str, title: str) -> None:
    """Open `url` until it shows the password form: the restriction reaches the site
    (and its caches) within seconds of being saved."""
    for _ in range(50):
        page.goto(url)
        if page.get_by_test_id("page-password").count():
            break
        page.wait_for_timeout(200)
    expect(page.get_by_test_id("page-password")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(title)


def test_the_password_opens_the_page_for_that_visitor_only(browser, front, protected):
    title = protected
    url = f"{front}{PATH}"
    first = visitor(browser)
    try:
        shows_form(first, url, title)
        field = first.get_by_label("Password")
        field.fill(f"wrong-{uuid.uuid4().hex[:6]}")
        field.press("Enter")  # the keyboard is enough
        error = first.locator("#page-password-error")
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_contain_text("not correct")
        expect(first.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
        # The page's own address, never the route that renders it.
        assert first.url == f"{url}?access_error=wrong"

        first.get_by_label("Password").fill(PASSWORD)
        first.get_by_role("button", name="Continue").click()
        expect(first.get_by_role("heading", level=1)).to_have_text(title)
        assert first.url == url
        # Reloaded, still open to this visitor; rendered for them, never stored.
        first.reload()
        expect(first.get_by_role("heading", level=1)).to_have_text(title)
        answer = first.request.get(url)
        assert "no-store" in answer.headers["cache-control"]
        assert answer.headers.get("x-cache") != "HIT"

        # Another visitor, and anonymous requests straight after: the form, not the page.
        second = visitor(browser)
        try:
            shows_form(second, url, title)
        finally:
            second.context.close()
        for _ in range(2):
            anonymous = requests.get(url, verify=False, timeout=30)
            assert anonymous.status_code == 200
            assert 'data-testid="page-password"' in anonymous.text
            assert f">{title}</h1>" not in anonymous.text
    finally:
        first.context.close()


def test_the_page_is_open_to_all_again_once_the_restriction_goes(
        browser, front, cms_env, protected):
    title = protected
    url = f"{front}{PATH}"
    page = visitor(browser)
    try:
        shows_form(page, url, title)
        cms_shell(cms_env, CODE.format("filter(page=page).delete()"))
        for _ in range(50):
            page.goto(url)
            if page.get_by_test_id("page-password").count() == 0:
                break
            page.wait_for_timeout(200)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    finally:
        page.context.close()
