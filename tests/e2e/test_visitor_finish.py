"""The visitor's finish on the production build: the mobile menu, images, the favicon,
and Lighthouse's Best Practices and Accessibility (axe-core) audits."""

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from cms.testing.processes import REPO
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, MOBILE
from tests.e2e.helpers import ARTICLE, fetch

pytestmark = pytest.mark.django_db

LISTING = "/articles/"

# An editor's upload of a 1x1 PNG, shown by an image block and a card, published.
TINY_IMAGE_PAGE = """
import io, sys
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Site
from cms.blocks.content import editor_json
from sites.example.models import ContentPage

buffer = io.BytesIO()
Image.new("RGB", (1, 1), (200, 80, 40)).save(buffer, "PNG")
image = get_image_model()(title="One pixel")
image.file = ImageFile(ContentFile(buffer.getvalue(), name="one-pixel.png"))
image.save()
image.get_file_hash()  # as an upload sets it: Wagtail's rendition cache keys on it
body = editor_json(ContentPage._meta.get_field("body").stream_block, [
    {"type": "image", "value": {"image": image.pk, "alt": "One pixel", "caption": "A 1x1 PNG"}},
    {"type": "cards", "value": {"heading": "Tiny", "cards": [
        {"title": "One pixel card", "text": "", "image": image.pk,
         "link": {"page": None, "url": "https://example.com/"}}]}},
])
page = ContentPage(title="Tiny image", slug=sys.argv[2], body=body)
Site.objects.get(is_default_site=True).root_page.add_child(instance=page)
page.save_revision().publish()
"""


@pytest.fixture
def mobile_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=MOBILE, is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_mobile_menu_closes_after_navigating(mobile_page: Page, web_server: str):
    mobile_page.goto(f"{web_server}/")
    menu = mobile_page.locator("header details")
    summary = menu.locator("summary")
    links = mobile_page.get_by_role("navigation", name="Main (small screens)")

    summary.click()
    expect(menu).to_have_attribute("open", "")
    links.get_by_role("link", name="Articles").click()
    expect(mobile_page).to_have_url(f"{web_server}{LISTING}")
    expect(mobile_page.locator("h1")).to_have_text("Articles")
    expect(menu).not_to_have_attribute("open", "")
    expect(links).to_be_hidden()

    # The page already shown: no path change, the menu closes all the same.
    summary.click()
    expect(links).to_be_visible()
    links.get_by_role("link", name="Articles").click()
    expect(menu).not_to_have_attribute("open", "")


def test_small_images_are_never_drawn_larger_than_they_are(page: Page, web_server: str,
                                                          cms_env):
    slug = f"tiny-image-{uuid.uuid4().hex[:8]}"
    subprocess.run([sys.executable, "-c", "import django, sys; django.setup(); exec(sys.argv[1])",
                    TINY_IMAGE_PAGE, slug], cwd=REPO, env=cms_env, check=True, timeout=120)

    page.goto(f"{web_server}/{slug}/")
    images = page.locator("main img")
    expect(images).to_have_count(2)
    for image in images.all():
        image.scroll_into_view_if_needed()
        image.wait_for(state="visible")
        box = image.bounding_box()
        assert box is not None
        # The file the browser chose, decoded on its own (naturalWidth of the <img> itself
        # is scaled by its srcset's w descriptor to the slot `sizes` gives).
        assert image.evaluate("""img => new Promise((resolve) => {
            const probe = new Image();
            probe.onload = () => resolve([probe.naturalWidth, probe.naturalHeight]);
            probe.onerror = () => resolve(null);
            probe.src = img.currentSrc;
        })""") == [1, 1]
        assert box["width"] <= 1 and box["height"] <= 1, box
    # A large image still fills its column.
    page.goto(f"{web_server}{ARTICLE}")
    figure = page.locator("article figure img").first
    box = figure.bounding_box()
    assert box is not None and box["width"] > 600


def test_the_listings_first_image_is_fetched_first(page: Page, web_server: str):
    page.goto(f"{web_server}{LISTING}")
    images = page.locator("main li img")
    expect(images.first).to_have_attribute("loading", "eager")
    expect(images.first).to_have_attribute("fetchpriority", "high")
    for image in images.all()[1:]:
        expect(image).to_have_attribute("loading", "lazy")
        expect(image).not_to_have_attribute("fetchpriority", "high")


def test_favicon_and_no_failed_request_or_console_error(page: Page, web_server: str):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    for path in ("/", LISTING, ARTICLE):
        page.goto(f"{web_server}{path}")
        page.wait_for_load_state("networkidle")
        icon = page.locator("link[rel=icon]").first
        expect(icon).to_have_attribute("href", re.compile(r"^/favicon\.ico(\?|$)"))
    assert problems == []
    status, headers, _ = fetch(f"{web_server}/favicon.ico")
    assert status == 200 and headers["content-type"] in ("image/x-icon",
                                                         "image/vnd.microsoft.icon")


def lighthouse(url: str, categories: str) -> dict:
    """Lighthouse's mobile run of `url` in Debian's chromium; the JSON report."""
    done = subprocess.run(
        [str(REPO / "web" / "node_modules" / ".bin" / "lighthouse"), url, "--quiet",
         "--output=json", "--output-path=stdout", f"--only-categories={categories}",
         f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("path", ["/", LISTING, ARTICLE])
def test_lighthouse_best_practices_and_accessibility(web_server: str, path):
    report = lighthouse(f"{web_server}{path}", "best-practices,accessibility")
    scores = {key: category["score"] for key, category in report["categories"].items()}
    failed = {audit["id"]: audit["title"] for audit in report["audits"].values()
              if audit["score"] is not None and audit["score"] < 1
              and audit["scoreDisplayMode"] in ("binary", "numeric")}
    assert report["configSettings"]["formFactor"] == "mobile"
    assert scores == {"best-practices": 1, "accessibility": 1}, failed
