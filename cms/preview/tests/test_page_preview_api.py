"""GET /api/v2/page_preview/: drafts behind a valid, fresh, stored token and nothing else."""

import datetime
import json
import time

import pytest
from django.core.signing import TimestampSigner, b62_encode
from django.test import override_settings

from cms.core.pages import PreviewMixin
from cms.testing.content import unsaved_child
from cms.testing.pages.models import SampleArticlePage, SampleContentPage, SampleIndexPage

CONTENT = "mortar_testing_pages.samplecontentpage"
ARTICLE = "mortar_testing_pages.samplearticlepage"
INDEX = "mortar_testing_pages.sampleindexpage"

URL = "/api/v2/page_preview/"


def get(client, content_type, token, **params):
    response = client.get(URL, {"content_type": content_type, **params},
                          HTTP_X_PREVIEW_TOKEN=token)
    return response, json.loads(response.content)


@pytest.fixture
def about(home):
    page = SampleContentPage(title="About", slug="about")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_draft_document_is_served_without_touching_the_live_page(client, about):
    about.title = "About (draft)"
    preview = about.create_page_preview()

    response, document = get(client, CONTENT, preview.token)

    assert response.status_code == 200
    assert document["title"] == "About (draft)"
    assert document["meta"]["type"] == "mortar_testing_pages.SampleContentPage"
    assert document["meta"]["html_path"] == "/about/"
    assert document["meta"]["preview"] is True
    assert "no-store" in response["Cache-Control"]
    live = json.loads(client.get("/api/v2/pages/by-path/", {"html_path": "/about/"}).content)
    assert live["title"] == "About"


def test_a_page_never_saved_is_previewed_under_its_parent(client, home):
    index = SampleIndexPage(title="Articles", slug="articles")
    home.add_child(instance=index)
    index.save_revision().publish()
    draft = unsaved_child(index, SampleArticlePage(title="Brand new", slug="brand-new",
                                                   date=datetime.date(2026, 1, 2)))
    preview = draft.create_page_preview()

    response, document = get(client, ARTICLE, preview.token)

    assert response.status_code == 200, document
    assert document["title"] == "Brand new"
    assert document["meta"]["html_path"] == "/articles/brand-new/"


def test_an_index_page_preview_lists_its_live_articles(client, home):
    index = SampleIndexPage(title="Articles", slug="articles")
    home.add_child(instance=index)
    index.save_revision().publish()
    article = SampleArticlePage(title="Live one", slug="live-one", date=datetime.date(2026, 1, 1))
    index.add_child(instance=article)
    article.save_revision().publish()
    index.title = "All articles"
    preview = index.create_page_preview()

    response, document = get(client, INDEX, preview.token)

    assert response.status_code == 200
    assert document["title"] == "All articles"
    assert [item["title"] for item in document["articles"]["items"]] == ["Live one"]


def test_expired_token_is_refused(client, about):
    class SignedTwoHoursAgo(TimestampSigner):
        def timestamp(self):
            return b62_encode(int(time.time()) - 2 * 60 * 60)

    token = SignedTwoHoursAgo(salt="headlesspreview.token").sign(f"id={about.pk}")
    about.title = "Secret draft"
    about.update_page_preview(token)

    response, body = get(client, CONTENT, token)

    assert response.status_code == 401
    assert body == {"message": "Preview token expired; press Preview again"}
    assert "Secret draft" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@override_settings(PREVIEW_TOKEN_MAX_AGE=10 * 60 * 60)
def test_max_age_is_a_setting(client, about):
    class SignedTwoHoursAgo(TimestampSigner):
        def timestamp(self):
            return b62_encode(int(time.time()) - 2 * 60 * 60)

    token = SignedTwoHoursAgo(salt="headlesspreview.token").sign(f"id={about.pk}")
    about.update_page_preview(token)

    assert get(client, CONTENT, token)[0].status_code == 200


def test_forged_token_is_refused_even_when_stored(client, about):
    # The package's README looks tokens up without checking them; a stored row is not enough.
    forged = f"id={about.pk}:1abcde:forgedsignature"
    about.title = "Secret draft"
    about.update_page_preview(forged)

    response, body = get(client, CONTENT, forged)

    assert response.status_code == 401
    assert body == {"message": "Invalid preview token"}


def test_valid_token_without_a_stored_preview_is_not_found(client, about):
    token = TimestampSigner(salt="headlesspreview.token").sign(f"id={about.pk}")

    response, body = get(client, CONTENT, token)

    assert response.status_code == 404
    assert body == {"message": "No preview stored for this token"}


def test_token_for_another_page_type_is_not_found(client, about):
    preview = about.create_page_preview()

    response, _ = get(client, ARTICLE, preview.token)

    assert response.status_code == 404


@pytest.mark.parametrize(("content_type", "status"), [
    ("", 400), ("nodot", 400), ("mortar_testing_pages.nosuchpage", 404), ("auth.user", 404),
])
def test_bad_content_type(client, about, content_type, status):
    preview = about.create_page_preview()
    assert get(client, content_type, preview.token)[0].status_code == status


def test_missing_token_is_refused(client, about):
    response = client.get(URL, {"content_type": CONTENT})
    assert response.status_code == 401
    assert json.loads(response.content) == {"message": "A preview token is required"}


def test_token_in_the_query_string_is_refused(client, about):
    # Query strings end up in access logs; the header does not.
    preview = about.create_page_preview()
    response = client.get(URL, {"content_type": CONTENT, "token": preview.token})
    assert response.status_code == 400
    assert "X-Preview-Token" in json.loads(response.content)["message"]


def test_unknown_parameter_and_wrong_method(client, about):
    preview = about.create_page_preview()
    assert get(client, CONTENT, preview.token, foo="1")[0].status_code == 400
    response = client.post(URL, HTTP_X_PREVIEW_TOKEN=preview.token)
    assert response.status_code == 405


def test_every_page_type_checks_token_age_and_signature(about):
    """BasePage uses PreviewMixin, so Wagtail's own token lookups refuse bad tokens too."""
    assert issubclass(SampleContentPage, PreviewMixin)
    preview = about.create_page_preview()
    assert SampleContentPage.get_page_from_preview_token(preview.token).title == "About"
    with pytest.raises(Exception, match="Invalid preview token"):
        SampleContentPage.get_page_from_preview_token(preview.token + "x")
