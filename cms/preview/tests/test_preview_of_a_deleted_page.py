"""A preview token shows its draft only while the page (or a new page's parent) exists."""

import datetime
import json

from cms.testing.content import unsaved_child
from cms.testing.pages.models import SampleArticlePage, SampleContentPage, SampleIndexPage

CONTENT = "mortar_testing_pages.samplecontentpage"
ARTICLE = "mortar_testing_pages.samplearticlepage"

URL = "/api/v2/page_preview/"


def get(client, content_type, token):
    response = client.get(URL, {"content_type": content_type}, HTTP_X_PREVIEW_TOKEN=token)
    return response, json.loads(response.content)


def test_a_token_stops_when_its_page_is_deleted(client, home):
    page = SampleContentPage(title="Doomed", slug="doomed")
    home.add_child(instance=page)
    page.save_revision().publish()
    page.title = "Doomed (draft)"
    token = page.create_page_preview().token
    assert get(client, CONTENT, token)[0].status_code == 200

    page.delete()

    response, body = get(client, CONTENT, token)
    assert response.status_code == 404
    assert body == {"message": "The previewed page has been deleted"}
    assert b"Doomed" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_a_new_page_token_stops_when_its_parent_is_deleted(client, home):
    index = SampleIndexPage(title="Articles", slug="articles")
    home.add_child(instance=index)
    index.save_revision().publish()
    draft = unsaved_child(index, SampleArticlePage(title="Brand new", slug="brand-new",
                                                   date=datetime.date(2026, 1, 2)))
    token = draft.create_page_preview().token
    assert get(client, ARTICLE, token)[0].status_code == 200

    index.delete()

    assert get(client, ARTICLE, token)[0].status_code == 404
