"""Demo content is what the editor saves: every seeded page opens in the admin's edit
form and publishes unchanged (a Cards item stored without its id used to open empty
and fail with "This field is required")."""

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import database
from tests.e2e.helpers import logged_in_admin

pytestmark = pytest.mark.django_db


def stored_content(django_db_blocker) -> dict[int, dict[str, object]]:
    """Title and the raw StreamField data (block ids included) of each live seeded page
    without unpublished changes (pages other tests left as drafts are not ours to publish)."""
    from wagtail.fields import StreamField
    from wagtail.models import Page

    with database(django_db_blocker):
        content = {}
        for page in Page.objects.filter(depth__gt=1, live=True, has_unpublished_changes=False
                                        ).specific().order_by("path"):
            fields = {field.name: list(getattr(page, field.name).raw_data)
                      for field in page._meta.get_fields() if isinstance(field, StreamField)}
            content[page.pk] = {"title": page.title, "url_path": page.url_path, **fields}
        return content


def test_every_seeded_page_publishes_unchanged_from_the_admin(
        browser: Browser, cms_server: str, editor, django_db_blocker):
    before = stored_content(django_db_blocker)
    assert len(before) >= 19 and any(block["type"] == "cards"
                                     for page in before.values()
                                     for block in page.get("body", []))
    context, admin = logged_in_admin(browser, cms_server, editor)
    try:
        for page_id in before:
            admin.goto(f"{cms_server}/admin/pages/{page_id}/edit/")
            admin.wait_for_load_state("load")  # the StreamField editor has read the data
            admin.get_by_role("button", name="More actions").click()
            admin.locator("button[name='action-publish']").click()
            try:
                admin.wait_for_url(lambda url: "/edit/" not in url, timeout=15_000)
            except PlaywrightTimeout:
                errors = admin.locator(".error-message, .help-critical, [role=alert]")
                raise AssertionError(f"page {page_id} ({before[page_id]['title']}) did not "
                                     f"publish: {errors.all_inner_texts()}") from None
    finally:
        context.close()

    after = stored_content(django_db_blocker)
    for page_id, content in before.items():
        assert after[page_id] == content, content["title"]
