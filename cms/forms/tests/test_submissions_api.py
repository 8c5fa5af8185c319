"""POST /api/v2/forms/<page_id>/submissions/: Wagtail's form validates, Wagtail's
submissions store, and abuse (honeypot, rate, size) is refused without storing."""

import json
import random

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, PageViewRestriction, Site

from cms.api.representation import page_json
from cms.forms.schema import HONEYPOT_FIELD
from cms.testing.content import by_path, unsaved_child
from cms.testing.contract import assert_valid
from cms.testing.factories import SampleContentPageFactory, SampleHomePageFactory
from cms.testing.forms import VALID, form_page
from cms.testing.pages.models import SampleFormField, SampleFormPage


def random_ip() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def submit(client, page_or_id, data, ip=None, content_type="application/json", **headers):
    """POST a submission as a visitor at `ip` (a fresh address unless given: the rate
    limit counts per address, in Redis, across tests)."""
    page_id = getattr(page_or_id, "pk", page_or_id)
    body = json.dumps(data) if content_type == "application/json" and not isinstance(
        data, str | bytes) else data
    return client.post(f"/api/v2/forms/{page_id}/submissions/", body,
                       content_type=content_type, REMOTE_ADDR=ip or random_ip(),
                       headers=headers)


@pytest.fixture
def contact(home):
    return form_page(home)


def test_the_page_document_gives_the_form_as_a_schema(client, contact):
    response, page = by_path(client, "/contact/")
    assert response.status_code == 200
    assert page["meta"]["type"] == "mortar_testing_pages.SampleFormPage"
    assert page["thank_you_text"] == "<p>Thanks, we will <b>reply</b> soon.</p>"
    form = page["form"]
    assert form["honeypot"] == HONEYPOT_FIELD
    assert form["action"] == f"/api/v2/forms/{contact.pk}/submissions/"
    fields = {field["name"]: field for field in form["fields"]}
    assert list(fields) == ["your_name", "email", "topic", "message", "visitors", "extras",
                            "subscribe", "visit_day"]
    assert fields["your_name"] == {
        "name": "your_name", "label": "Your name", "type": "singleline", "required": True,
        "help_text": "", "choices": [], "default": "", "max_length": 255}
    assert fields["topic"]["choices"] == ["Question", "Quote", "Other"]
    assert fields["topic"]["default"] == "Question"
    assert fields["extras"]["default"] == ["Tea"]
    assert fields["extras"]["choices"] == ["Tea", "Coffee"]
    assert fields["subscribe"]["default"] is False
    assert fields["message"]["max_length"] is None
    assert_valid("PageDocument", page)


def test_a_valid_submission_is_stored_as_wagtail_stores_it(client, editor, contact):
    response = submit(client, contact, VALID)
    assert response.status_code == 201, response.content
    assert response.json() == {"message": "Thank you: your submission was received.",
                               "thank_you_text": "<p>Thanks, we will <b>reply</b> soon.</p>"}
    assert response["Cache-Control"] == "no-store"
    stored = FormSubmission.objects.get(page=contact)
    assert stored.form_data == {**VALID, "visitors": "3"}  # Wagtail's number: a decimal
    # The email is the worker's (test_notification_email_goes_out_from_the_worker).
    assert mail.outbox == []

    # In the admin's form submissions, and in its CSV export.
    listing = editor.get(f"/admin/forms/submissions/{contact.pk}/")
    assert listing.status_code == 200 and b"ada@example.com" in listing.content
    exported = editor.get(f"/admin/forms/submissions/{contact.pk}/?export=csv")
    assert exported.status_code == 200
    csv = b"".join(exported.streaming_content if exported.streaming else [exported.content])
    assert b"ada@example.com" in csv and b"Lime mortar for a 1890 wall?" in csv


def test_form_data_is_taken_too(client, contact):
    response = client.post(f"/api/v2/forms/{contact.pk}/submissions/",
                           {"your_name": "Bo", "email": "bo@example.com", "message": "Hi",
                            "extras": ["Tea", "Coffee"]}, REMOTE_ADDR=random_ip())
    assert response.status_code == 201, response.content
    assert FormSubmission.objects.get(page=contact).form_data["extras"] == ["Tea", "Coffee"]


def test_each_wrong_field_gets_its_messages_and_nothing_is_stored(client, contact):
    response = submit(client, contact, {**VALID, "your_name": "", "email": "not an email",
                                        "topic": "Spam", "visit_day": "2027-13-45",
                                        "extras": ["Milk"], "message": {"nested": 1}})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"your_name", "email", "topic", "visit_day", "extras", "message"}
    assert errors["your_name"] == ["This field is required."]
    assert errors["email"] == ["Enter a valid email address."]
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert not FormSubmission.objects.exists()


def test_unknown_fields_are_ignored(client, contact):
    response = submit(client, contact, {**VALID, "not_a_field": "x", "submit_time": "never"})
    assert response.status_code == 201
    assert "not_a_field" not in FormSubmission.objects.get(page=contact).form_data


def test_a_filled_honeypot_is_refused_and_not_stored(client, contact):
    response = submit(client, contact, {**VALID, HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["The submission was refused."]}
    assert not FormSubmission.objects.exists()
    # Empty (as the site sends it): a normal submission.
    assert submit(client, contact, {**VALID, HONEYPOT_FIELD: ""}).status_code == 201


@override_settings(FORM_SUBMISSION_RATE="3/m")
def test_the_rate_limit_refuses_an_address_without_storing(client, contact):
    ip = random_ip()
    for _ in range(3):
        assert submit(client, contact, VALID, ip=ip).status_code == 201
    refused = submit(client, contact, VALID, ip=ip)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Invalid submissions count too.
    assert submit(client, contact, {}, ip=ip).status_code == 429
    assert FormSubmission.objects.count() == 3
    assert submit(client, contact, VALID).status_code == 201  # another address


@override_settings(FORM_SUBMISSION_RATE="2/m")
def test_the_visitor_address_is_trusted_only_from_the_renderer(client, contact):
    renderer = {"Authorization": f"Bearer {settings.REVALIDATE_SECRET}"}
    server_ip = random_ip()  # the renderer's own address, the same for every visitor
    for _ in range(3):  # three visitors through the renderer: each counted apart
        assert submit(client, contact, VALID, ip=server_ip, X_Mortar_Visitor_IP=random_ip(),
                      **renderer).status_code == 201
    # Anyone else naming an address is counted under their own.
    spoofer = random_ip()
    statuses = [submit(client, contact, VALID, ip=spoofer,
                       X_Mortar_Visitor_IP=random_ip()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_a_body_over_the_limit_is_413(client, contact):
    too_long = "x" * settings.FORM_SUBMISSION_MAX_BYTES
    response = submit(client, contact, {**VALID, "message": too_long})
    assert response.status_code == 413
    assert str(settings.FORM_SUBMISSION_MAX_BYTES) in response.json()["message"]
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ("not json", "application/json", 400),
    ("[1, 2]", "application/json", 400),
    ("", "application/json", 400),
    ("[" * 5000, "application/json", 400),
    ('{"your_name": "\\ud800"}', "application/json", 400),
    ('{"your_name": "a\\u0000b"}', "application/json", 400),
    ("<xml/>", "application/xml", 415),
    ("--x\r\nbroken", "multipart/form-data; boundary=x", 400),
])
def test_bodies_that_cannot_be_read_are_4xx(client, contact, body, content_type, status):
    response = submit(client, contact, body, content_type=content_type)
    assert response.status_code == status, response.content
    assert "message" in response.json()
    assert not FormSubmission.objects.exists()


def test_only_live_public_form_pages_of_the_site_take_submissions(client, home, contact):
    draft = form_page(home, slug="draft-form", publish=False)
    private = form_page(home, slug="private-form")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    expired = form_page(home, slug="expired-form")
    Page.objects.filter(pk=expired.pk).update(expire_at="2020-01-01T00:00:00Z")
    not_a_form = SampleContentPageFactory(parent=home, title="Plain")
    other_root = SampleHomePageFactory(parent=Page.get_first_root_node(), slug="other")
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    elsewhere = form_page(other_root, slug="contact")

    for page_id in (draft.pk, private.pk, expired.pk, not_a_form.pk, elsewhere.pk, 0,
                    2**31, 10**30):
        response = submit(client, page_id, VALID)
        assert response.status_code == 404, (page_id, response.content)
        assert response.json()["message"]
    assert not FormSubmission.objects.exists()
    # The other site's form, asked for on its own site.
    assert client.post(f"/api/v2/forms/{elsewhere.pk}/submissions/?site=other.example",
                       json.dumps(VALID), content_type="application/json",
                       REMOTE_ADDR=random_ip()).status_code == 201
    assert submit(client, contact, VALID).status_code == 201


def test_an_admin_session_without_a_csrf_token_is_no_reason_to_refuse(contact,
                                                                    django_user_model):
    """The endpoint reads no user: a browser holding an editor's session cookie posts as
    anyone does (DRF's session authentication would ask it for a CSRF token)."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_superuser("e", "e@example.com", "pw"))
    response = submit(browser, contact, VALID)
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"


def test_only_post(client, contact):
    response = client.get(f"/api/v2/forms/{contact.pk}/submissions/")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_editors_build_the_form_in_the_admin(editor, home, contact):
    add = editor.get(f"/admin/pages/add/mortar_testing_pages/sampleformpage/{home.pk}/")
    assert add.status_code == 200 and b"form_fields-FORMS" in add.content
    edit = editor.get(f"/admin/pages/{contact.pk}/edit/")
    assert edit.status_code == 200 and b"Your name" in edit.content


def test_the_stock_endpoint_shows_the_same_form(client, contact):
    stock = client.get(f"/api/v2/pages/{contact.pk}/", {"fields": "form,thank_you_text"})
    assert stock.status_code == 200, stock.content
    assert stock.json()["form"] == by_path(client, "/contact/")[1]["form"]


def test_a_form_page_previewed_before_its_first_save_shows_its_form(home):
    page = unsaved_child(home, SampleFormPage(title="New form", slug="new-form",
                                              locale=home.locale))
    page.form_fields = [SampleFormField(label="Full name", field_type="singleline")]
    form = page_json(page, Site.objects.get(is_default_site=True), [])["form"]
    assert [field["name"] for field in form["fields"]] == ["full_name"]
    assert form["action"] == ""  # nothing to post to yet


def test_the_pages_cms_url_sends_every_method_to_the_renderer_and_takes_nothing(client, contact):
    """Wagtail's FormMixin would render a template (none here: a 500) and store a POST
    with no honeypot, rate or size check; the page's CMS URL redirects like any page's."""
    for response in (client.get("/contact/"), client.post("/contact/", VALID)):
        assert response.status_code == 302
        assert response["Location"] == f"{settings.FRONTEND_URL}/contact/"
    assert FormSubmission.objects.count() == 0
    assert [mode for mode, _label in contact.preview_modes] == [""]


def test_a_field_labelled_like_the_honeypot_is_a_field_of_its_own(client, home):
    """No label's clean name is the honeypot's: "Website address" is an editor's field."""
    page = form_page(home, slug="site-form")
    page.form_fields.add(SampleFormField(label="Website address", field_type="url",
                                         required=False, sort_order=99))
    page.save_revision().publish()

    response = submit(client, page, {**VALID, "website_address": "https://ada.example"})

    assert response.status_code == 201, response.content
    assert FormSubmission.objects.get().get_data()["website_address"] == "https://ada.example"
