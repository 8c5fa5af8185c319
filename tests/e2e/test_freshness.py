"""An editor's change reaches every page of the live site within 3 s, whatever it changed.

Each test warms the renderer's cache first (every page it watches answers
`x-nextjs-cache: HIT`), so what it proves is invalidation, not a cold render. Editors
act through the admin under gunicorn; the test then polls the site, never sleeps.
Each test puts the demo site back as it found it, through the admin too.
"""

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from cms.testing.processes import wait_until
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.helpers import FRESH_WITHIN, fetch, logged_in_admin, regions

pytestmark = pytest.mark.django_db

# Made private (and public again) by the privacy test: if the site misses that, these
# stay wrong, so the other tests watch other pages and stay independent of it.
PRIVATE = {"/about/": ["/about/team/"], "/articles/one-api-many-sites/": []}
# Pages rendered and cached before each change; every one of them must follow it.
WATCHED = ["/", "/contact/", "/articles/", "/articles/page/2/",
           "/articles/designing-for-editors/", "/articles/headless-without-the-headache/",
           "/articles/previewing-drafts-safely/"]


def warm(web_server: str, paths: list[str]) -> dict[str, str]:
    """Each path rendered and then served from the renderer's cache; returns its regions."""
    def cached(path: str) -> tuple[int, dict[str, str], str] | None:
        answer = fetch(f"{web_server}{path}")
        return answer if answer[1].get("x-nextjs-cache") == "HIT" else None

    seen = {}
    for path in paths:
        answer = wait_until(lambda p=path: cached(p), 10,
                            message=f"{path} from the renderer's cache")
        assert answer[0] == 200, f"{path} answered {answer[0]} before the change"
        seen[path] = regions(answer[2])
    return seen


def await_fresh(stale: Callable[[], list[str]], change: str) -> float:
    """Seconds until `stale()` lists nothing; fails after FRESH_WITHIN."""
    started = time.monotonic()
    wait_until(lambda: not stale(), FRESH_WITHIN,
               message=lambda: f"after {change}, nothing stale (still: {stale()})")
    return time.monotonic() - started


def site_regions(web_server: str, paths: list[str]) -> dict[str, tuple[int, str]]:
    answers = {path: fetch(f"{web_server}{path}") for path in paths}
    return {path: (status, regions(body)) for path, (status, _, body) in answers.items()}


@contextmanager
def admin_session(browser: Browser, cms_server: str, editor: tuple[str, str]) -> Iterator[Page]:
    context, admin = logged_in_admin(browser, cms_server, editor)
    try:
        yield admin
    finally:
        context.close()


def set_privacy(admin: Page, cms_server: str, page_id: int, restriction: str) -> None:
    """What the admin's Privacy dialog sends: its form, posted with the editor's session."""
    url = f"{cms_server}/admin/pages/{page_id}/privacy/"
    dialog = admin.request.get(url)
    assert dialog.ok, dialog.status
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dialog.json()["html"])
    assert token, "the privacy dialog has no CSRF token"
    form = {"csrfmiddlewaretoken": token.group(1), "restriction_type": restriction,
            "password": "a-visitor-password-8812" if restriction == "password" else ""}
    answer = admin.request.post(url, form=form, headers={"Referer": url})
    assert answer.ok, answer.status
    assert answer.json().get("step") == "set_privacy_done", answer.text()[:500]


def page_id(url_path_tail: str, django_db_blocker) -> tuple[int, str]:
    from wagtail.models import Page as WagtailPage

    with database(django_db_blocker):
        page = WagtailPage.objects.get(url_path=f"/home{url_path_tail}")
        return page.pk, page.title


@pytest.mark.parametrize(("path", "restriction"), [
    ("/about/", "login"),  # in the menu, the footer and many links
    ("/articles/one-api-many-sites/", "password"),  # listed on page 2 of the index
])
def test_a_page_made_private_leaves_the_site_within_3s(
        browser: Browser, web_server: str, cms_server: str, quiet_worker, editor,
        django_db_blocker, path: str, restriction: str):
    private_id, title = page_id(path, django_db_blocker)
    gone_too = PRIVATE[path]
    others = [p for p in WATCHED if p != path]
    before = warm(web_server, [path, *gone_too, *others])
    link = f'href="{path}"'

    def shows(p: str, html: str) -> bool:
        """A link to the page, or its title in the menu or a listing."""
        listed = html if p.startswith("/articles/page/") or p == "/articles/" else \
            html.split("</header>")[0]
        return link in html or f">{title}<" in listed

    showing = [p for p in others if shows(p, before[p])]
    assert showing, f"no watched page links to {path}: the test would prove nothing"

    with admin_session(browser, cms_server, editor) as admin:
        set_privacy(admin, cms_server, private_id, restriction)
        try:
            def stale() -> list[str]:
                found = []
                answers = site_regions(web_server, [path, *gone_too, *others])
                for p, (status, html) in answers.items():
                    if p in (path, *gone_too):
                        # A password opens the page on the site: its form, without the page.
                        if restriction == "password" and not (
                                status == 200 and 'data-testid="page-password"' in html
                                and f">{title}</h1>" not in html):
                            found.append(f"{p} answers {status} without the password form")
                        elif restriction != "password" and status != 404:
                            found.append(f"{p} answers {status}")
                    elif status != 200:
                        found.append(f"{p} answers {status}")
                    elif shows(p, html):
                        found.append(f"{p} still shows {path}")
                return found

            elapsed = await_fresh(stale, f"{path} was made private")
        finally:
            set_privacy(admin, cms_server, private_id, "none")
    print(f"private {path}: gone in {elapsed:.2f}s")


@pytest.fixture
def site_id(django_db_blocker) -> int:
    from wagtail.models import Site

    with database(django_db_blocker):
        return Site.objects.get(is_default_site=True).pk


def edit_footer_text(admin: Page, cms_server: str, site_id: int, text: str) -> str:
    """Settings → Navigation and footer, as an editor fills it in; returns the text before."""
    admin.goto(f"{cms_server}/admin/settings/core/navigationsettings/{site_id}/")
    field = admin.locator("#id_footer_text")
    before = field.input_value()
    field.fill(text)
    admin.get_by_role("button", name="Save").first.click()
    expect(admin.locator(".messages .success")).to_be_visible()
    return before


def test_a_footer_edit_reaches_every_page_within_3s(
        browser: Browser, web_server: str, cms_server: str, quiet_worker, editor, site_id):
    before = warm(web_server, WATCHED)
    new_text = f"Footer written at {uuid.uuid4().hex[:8]}."
    with admin_session(browser, cms_server, editor) as admin:
        old_text = edit_footer_text(admin, cms_server, site_id, new_text)
        try:
            assert all(old_text in html for html in before.values())

            def stale() -> list[str]:
                return [p for p, (status, html) in site_regions(web_server, WATCHED).items()
                        if status != 200 or new_text not in html or old_text in html]

            elapsed = await_fresh(stale, "the footer edit")
            # A page nobody had asked for yet shows it too.
            assert new_text in regions(fetch(f"{web_server}/articles/scheduling-a-launch/")[2])
        finally:
            edit_footer_text(admin, cms_server, site_id, old_text)
    print(f"footer: fresh in {elapsed:.2f}s")


@pytest.fixture
def shown_image(django_db_blocker) -> tuple[int, str]:
    """A demo image some pages show with its own alt text (no alt of their own)."""
    from wagtail.images import get_image_model

    with database(django_db_blocker):
        image = get_image_model().objects.get(title="Demo image 5")
        return image.pk, image.default_alt_text


def edit_image_alt(admin: Page, cms_server: str, image_id: int, alt: str) -> str:
    """The image's edit form in the admin: its alt text field, then Save; returns the old one."""
    admin.goto(f"{cms_server}/admin/images/{image_id}/")
    field = admin.locator("#id_description")
    before = field.input_value()
    field.fill(alt)
    admin.locator("form button[type=submit]").filter(has_text="Save").first.click()
    expect(admin.locator(".messages .success")).to_be_visible()
    return before


def test_an_alt_text_edit_reaches_its_pages_within_3s(
        browser: Browser, web_server: str, cms_server: str, quiet_worker, editor, shown_image):
    image_id, old_alt = shown_image
    before = warm(web_server, WATCHED)
    showing = [path for path, html in before.items() if f'alt="{old_alt}"' in html]
    assert "/articles/headless-without-the-headache/" in showing, "the image is not on its page"
    new_alt = f"Pattern five, described {uuid.uuid4().hex[:8]}"
    with admin_session(browser, cms_server, editor) as admin:
        assert edit_image_alt(admin, cms_server, image_id, new_alt) == old_alt
        try:
            def stale() -> list[str]:
                return [p for p, (status, html) in site_regions(web_server, showing).items()
                        if status != 200 or f'alt="{new_alt}"' not in html
                        or f'alt="{old_alt}"' in html]

            elapsed = await_fresh(stale, "the alt text edit")
        finally:
            edit_image_alt(admin, cms_server, image_id, old_alt)
    print(f"alt text on {len(showing)} pages: fresh in {elapsed:.2f}s")


def test_the_renderer_answers_the_cms_probe_only_with_the_secret(web_server: str):
    """GET /api/revalidate: how the CMS asks whether a renderer would take its changes
    (runstack's start-up lines, /healthz, Settings → Renderer)."""
    url = f"{web_server}/api/revalidate"
    assert fetch(url, headers={"Authorization": f"Bearer {REVALIDATE_SECRET}"})[0] == 200
    for headers in ({}, {"Authorization": "Bearer not-the-secret"}):
        status, _, body = fetch(url, headers=headers)
        assert status == 401 and "revalidate" not in body
