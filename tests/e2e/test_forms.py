"""An editor-built form on the site (seed_demo's /contact/message/), through the HTTP
cache: the server action's POST passes it to the renderer, which posts to the CMS. With
JavaScript and without (the browser posts the form itself)."""

import threading
import time
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DESKTOP, database
from tests.e2e.helpers import ARTICLE, cached, fetch

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


def test_the_form_works_without_javascript_and_the_site_keeps_answering(
        browser: Browser, http_cache, web_server, cms_server, django_db_blocker):
    """With scripts off, the browser posts the form to the page; the answer is the page
    with the CMS's errors, then with the thank-you text. Meanwhile other pages answer
    (a form posted without JavaScript once made `next start` spin for minutes)."""
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    slowest: list[float] = []
    answers: list[int] = []
    stop = threading.Event()

    def visit_other_pages() -> None:
        while not stop.is_set():
            started = time.monotonic()
            answers.append(fetch(f"{web_server}{ARTICLE}")[0])
            slowest.append(time.monotonic() - started)

    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    visitor = threading.Thread(target=visit_other_pages, daemon=True)
    visitor.start()
    try:
        page = context.new_page()
        page.goto(f"{http_cache.url}{FORM}")
        form = page.locator("main form")
        form.get_by_label("Your name").fill("Grace")
        form.get_by_label("Email").fill("grace@example")
        form.get_by_label("Message").fill("Can lime mortar set in winter?")
        with page.expect_navigation():
            form.get_by_role("button", name="Send").click()

        expect(page.get_by_test_id("error-email")).to_have_text("Enter a valid email address.")
        expect(form.get_by_label("Your name")).to_have_value("Grace")
        assert stored(django_db_blocker, "grace@example") == []

        form.get_by_label("Email").fill(email)
        with page.expect_navigation():
            form.get_by_role("button", name="Send").click()
        expect(page.get_by_test_id("form-thank-you")).to_contain_text(
            "Thank you for your message. We will reply soon.")
    finally:
        stop.set()
        visitor.join(timeout=30)
        context.close()

    assert stored(django_db_blocker, email) == [{
        "your_name": "Grace", "email": email, "topic": "Question",
        "message": "Can lime mortar set in winter?", "send_me_the_newsletter": False}]
    assert answers and set(answers) == {200}, answers
    assert max(slowest) < 5, f"another page took {max(slowest):.1f}s while the form was posted"
