"""An editor-built form on the site (seed_demo's /contact/message/), through the HTTP
cache: the server action's POST passes it to the renderer, which posts to the CMS."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import database
from tests.e2e.helpers import cached

pytestmark = pytest.mark.django_db

FORM = "/contact/message/"


def stored(django_db_blocker, email: str) -> list[dict]:
    with database(django_db_blocker):
        from wagtail.contrib.forms.models import FormSubmission

        return [submission.form_data for submission in FormSubmission.objects.all()
                if submission.form_data.get("email") == email]


def test_the_form_shows_errors_then_thanks_and_is_stored(page: Page, http_cache, web_server,
                                                        cms_server, django_db_blocker):
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    # The form page is cached like any page (the probe may lag: fetched until a HIT).
    cached(f"{http_cache.url}{FORM}")
    page.goto(f"{http_cache.url}{FORM}")
    expect(page.locator("h1")).to_have_text("Send us a message")
    form = page.locator("main form")
    name = form.get_by_label("Your name")
    expect(name).to_have_attribute("required", "")
    expect(form.get_by_label("Email")).to_have_attribute("type", "email")
    expect(form.get_by_label("Topic")).to_have_value("Question")
    # The honeypot is not in the accessibility tree, nor reachable by Tab.
    expect(form.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

    # By keyboard: fields in order, then the button. "ada@example" passes the browser's
    # email check; the CMS (Django's EmailValidator) refuses it.
    name.focus()
    page.keyboard.type("Ada")
    page.keyboard.press("Tab")
    page.keyboard.type("ada@example")
    form.get_by_label("Topic").select_option("Quote")
    form.get_by_label("Message").fill("Lime mortar for an 1890 wall?")
    form.get_by_role("button", name="Send").focus()
    page.keyboard.press("Enter")

    error = form.get_by_test_id("error-email")
    expect(error).to_have_text("Enter a valid email address.")
    email_box = form.get_by_label("Email")
    expect(email_box).to_have_attribute("aria-invalid", "true")
    assert error.get_attribute("id") in (email_box.get_attribute("aria-describedby") or "")
    expect(form.get_by_label("Your name")).to_have_value("Ada")  # what was sent stays
    expect(form.get_by_label("Topic")).to_have_value("Quote")
    assert stored(django_db_blocker, "ada@example") == []

    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Send").click()
    thanks = page.get_by_test_id("form-thank-you")
    expect(thanks).to_contain_text("Thank you for your message. We will reply soon.")
    expect(thanks).to_be_focused()
    assert stored(django_db_blocker, email) == [{
        "your_name": "Ada", "email": email, "topic": "Quote",
        "message": "Lime mortar for an 1890 wall?", "send_me_the_newsletter": False}]
