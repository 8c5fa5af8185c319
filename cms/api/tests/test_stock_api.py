"""Wagtail's own v2 endpoints keep working beside ours, without leaking drafts."""

import json

from cms.testing.pages.models import SampleContentPage


def test_stock_pages_images_documents_and_find(client, home, make_image):
    page = SampleContentPage(title="About", slug="about", live=False)
    home.add_child(instance=page)
    page.save_revision().publish()
    draft = SampleContentPage(title="Draft", slug="draft", live=False)
    home.add_child(instance=draft)
    image = make_image(renditions=False)

    listing = json.loads(client.get(
        "/api/v2/pages/", {"type": "mortar_testing_pages.SampleContentPage"}).content)
    detail = client.get(f"/api/v2/pages/{page.pk}/", {"fields": "*"})
    found = client.get("/api/v2/pages/find/", {"html_path": "/about/"})
    images = json.loads(client.get("/api/v2/images/").content)

    assert [item["title"] for item in listing["items"]] == ["About"]
    assert detail.status_code == 200 and json.loads(detail.content)["body"] == []
    assert found.status_code == 302 and f"/api/v2/pages/{page.pk}/" in found["Location"]
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert image.pk in [item["id"] for item in images["items"]]
    assert client.get("/api/v2/documents/").status_code == 200


def test_stock_errors_are_json_messages(client, home):
    response = client.get("/api/v2/pages/", {"bogus": "1"})

    assert response.status_code == 400
    assert "bogus" in json.loads(response.content)["message"]
