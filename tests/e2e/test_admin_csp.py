"""The Wagtail admin works in Chromium under its Content-Security-Policy.

Editing, an image chooser, the preview panel and saving a draft, with every CSP violation
the browser reports collected (console and `securitypolicyviolation` events): none.
"""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import database
from tests.e2e.helpers import logged_in_admin

pytestmark = pytest.mark.django_db

REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
document.addEventListener('w-unsaved:watch-edits', () => { window.mortarWatching = true; });
"""


@pytest.fixture
def article_id(django_db_blocker) -> int:
    """An article no other test edits (the preview test edits "scheduling-a-launch")."""
    from sites.example.models import ArticlePage

    with database(django_db_blocker):
        return ArticlePage.objects.exclude(slug="scheduling-a-launch").order_by("pk").first().pk


def test_editing_choosers_and_preview_work_under_the_admin_csp(
        browser: Browser, cms_server: str, web_server: str, editor, article_id, screenshots):
    context, admin = logged_in_admin(browser, cms_server, editor)
    violations: list[str] = []
    admin.on("console", lambda message: violations.append(message.text)
             if "Content Security Policy" in message.text or "CSP violation" in message.text
             else None)
    context.add_init_script(REPORT_VIOLATIONS)

    response = admin.goto(f"{cms_server}/admin/pages/{article_id}/edit/")
    assert "script-src 'self' 'unsafe-inline';" in response.headers["content-security-policy"]
    admin.wait_for_function("() => window.mortarWatching === true")

    # An image chooser: the modal lists images and choosing one fills the field.
    chooser = admin.locator("#id_hero_image-chooser")
    if "blank" in (chooser.get_attribute("class") or ""):
        chooser.locator(".chooser__choose-button").click()
    else:  # an image is chosen: "Change image" sits in the field's actions menu
        chooser.get_by_role("button", name="Actions").click()
        chooser.locator("[data-w-dropdown-target='content'] [data-chooser-action-choose]").click()
    modal = admin.locator(".modal-dialog")
    expect(modal.locator("a[data-chooser-modal-choice]").first).to_be_visible(timeout=15_000)
    modal.locator("a[data-chooser-modal-choice]").first.click()
    expect(modal).to_be_hidden(timeout=15_000)

    # The preview panel shows the renderer's draft, following the title as it is typed.
    admin.fill("#id_title", "Edited under the admin CSP")
    admin.locator("[data-side-panel-toggle='preview']").click()
    draft = admin.frame_locator("#w-preview-iframe")
    expect(draft.get_by_test_id("preview-bar")).to_be_visible(timeout=15_000)

    # Saving a draft goes through the admin's own scripts and forms.
    admin.locator("button[name='action-save']").or_(
        admin.get_by_role("button", name="Save draft")).first.click()
    expect(admin.locator(".messages")).to_contain_text("has been updated", timeout=15_000)
    admin.screenshot(path=f"{screenshots}/admin-csp.png")
    context.close()

    assert violations == []
