"""The site as an agency shows it to a client, on the production build through the HTTP
cache: every page fits from 320 px up (no sideways scrolling, the header's menu in view),
the menu marks where the visitor is, and a change of brand (colour, logo) in Settings >
Brand shows on every page within seconds, without a rebuild."""

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from cms.testing.processes import REPO
from tests.e2e.conftest import database
from tests.e2e.helpers import ARTICLE, FRESH_WITHIN, fetch

pytestmark = pytest.mark.django_db

PAGES = {"home": "/", "listing": "/articles/", "article": ARTICLE,
         "form": "/contact/message/", "search": "/search/?q=editors", "404": "/no-such-page/"}
WIDTHS = (320, 390, 768)
# The new colour on the page's wrapper: in its HTML, or in the React payload the browser
# draws it from (Next.js sends a 404's body that way alone).
BRANDED = re.compile(r'--color-brand(?::|\\?":\\?")#1d4ed8')

SET_BRAND = """
import json, sys, time
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Site
from cms.brand.models import BrandSettings
from cms.images.drawing import draw_logo
brand = BrandSettings.for_site(Site.objects.get(is_default_site=True))
wanted = json.loads(sys.argv[2])
if wanted.get("logo_color"):
    image = get_image_model()(title="Client logo " + wanted["logo_color"])
    rgb = tuple(int(wanted["logo_color"][i:i + 2], 16) for i in (1, 3, 5))
    image.file = ImageFile(ContentFile(draw_logo(rgb), name="client-logo.png"))
    image.save()
    image.get_file_hash()
    brand.logo = image
elif "logo" in wanted:
    brand.logo_id = wanted["logo"]
brand.primary_color = wanted["primary_color"]
brand.full_clean()
brand.save()  # autocommit: the change is committed here
print(json.dumps({"committed_at": time.time(), "logo_file": brand.logo.file.name}))
"""


def set_brand(cms_env: dict[str, str], **wanted: object) -> dict:
    """Settings > Brand changed as the admin saves it, in a process of the stack."""
    done = subprocess.run(
        [sys.executable, "-c", "import django, sys; django.setup(); exec(sys.argv[1])",
         SET_BRAND, json.dumps(wanted)], cwd=REPO, env=cms_env, check=True,
        capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(params=WIDTHS)
def narrow(browser: Browser, request) -> Iterator:
    context = browser.new_context(viewport={"width": request.param, "height": 800},
                                  is_mobile=request.param < 768, has_touch=request.param < 768)
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


def test_every_page_fits_the_screen(narrow, http_cache, web_server, screenshots):
    page, width = narrow
    for name, path in PAGES.items():
        page.goto(f"{http_cache.url}{path}")
        expect(page.locator("h1").first).to_be_visible()
        sizes = page.evaluate("() => [document.documentElement.scrollWidth,"
                              " document.documentElement.clientWidth]")
        assert sizes[0] == sizes[1] == width, f"{path} scrolls sideways at {width} px: {sizes}"
        menu_button = page.locator("header summary") if width < 768 else \
            page.get_by_role("navigation", name="Main", exact=True)
        box = menu_button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (path, box)
        page.screenshot(path=f"{screenshots}/{name}-{width}.png", full_page=True)


def test_the_menu_marks_where_the_visitor_is(page, http_cache, web_server):
    page.goto(f"{http_cache.url}{ARTICLE}")
    menu = page.get_by_role("navigation", name="Main", exact=True)
    expect(menu.get_by_role("link", name="Articles")).to_have_attribute("aria-current", "true")
    expect(menu.get_by_role("link", name="About us")).not_to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Articles").click()
    expect(page).to_have_url(f"{http_cache.url}/articles/")
    expect(menu.get_by_role("link", name="Articles")).to_have_attribute("aria-current", "page")
    # The brand's colour marks it, and a bar below, not the colour alone.
    color, bar = menu.get_by_role("link", name="Articles").evaluate(
        "link => [getComputedStyle(link).color, getComputedStyle(link).borderBottomColor]")
    assert color == bar == "rgb(15, 118, 110)"  # the demo's brand, #0f766e


@pytest.fixture
def brand_restored(cms_env, django_db_blocker) -> Iterator[None]:
    """The demo's brand again afterwards, for the tests that come after."""
    from wagtail.models import Site

    from cms.brand.models import BrandSettings

    with database(django_db_blocker):
        brand = BrandSettings.for_site(Site.objects.get(is_default_site=True))
        before = {"primary_color": brand.primary_color, "logo": brand.logo_id}
    try:
        yield
    finally:
        set_brand(cms_env, **before)


def test_a_brand_change_shows_on_every_page_within_seconds(http_cache, web_server, cms_env,
                                                          celery_worker, quiet_worker,
                                                          brand_restored, screenshots):
    urls = {name: f"{http_cache.url}{path}" for name, path in PAGES.items()}
    for url in urls.values():
        fetch(url)  # every page in the caches, as visitors left them
    change = set_brand(cms_env, primary_color="#1d4ed8", logo_color="#1d4ed8")
    # The logo's file, as its original and renditions are named (images/<stem>.<spec>.png).
    stem = Path(change["logo_file"]).stem.split(".")[0]

    seen: dict[str, float] = {}
    while len(seen) < len(urls) and time.time() - change["committed_at"] < FRESH_WITHIN + 2:
        for name, url in urls.items():
            if name not in seen:
                body = fetch(url)[2]
                if BRANDED.search(body) and stem in body:
                    seen[name] = round(time.time() - change["committed_at"], 2)
        time.sleep(0.05)
    (Path(screenshots) / "brand-timings.json").write_text(json.dumps(seen))
    late = {}
    for name in set(urls) - set(seen):
        status, headers, body = fetch(urls[name])
        late[name] = (status, headers.get("x-cache"), bool(BRANDED.search(body)), stem in body)
    assert set(seen) == set(urls), f"not rebranded in time: {late}"
    assert max(seen.values()) <= FRESH_WITHIN, seen
