"""One rule for what the public sees, through every endpoint: expiry, privacy, media, redirects."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.publishing.freshness import cache
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.pages.models import SampleIndexPage

BY_PATH = "/api/v2/pages/by-path/"


def body(response) -> dict:
    return json.loads(response.content)


class ArticleFactory(SampleArticlePageFactory):
    """A published article of the same day as every other, in the menus."""

    date = datetime.date(2026, 1, 1)
    show_in_menus = True


@pytest.fixture
def index(home) -> SampleIndexPage:
    return SampleIndexPageFactory(parent=home, title="Articles", show_in_menus=True)


def expire_without_the_task(page: Page) -> None:
    """What the site sees in the second between expire_at and the expiry task."""
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))


def test_an_expired_page_is_gone_everywhere_before_the_expiry_task_runs(client, home, index):
    kept = ArticleFactory(parent=index, title="Kept")
    expired = ArticleFactory(parent=index, title="Expired")
    linking = SampleContentPageFactory(parent=home, title="Linking", body=json.dumps([
        {"type": "cta", "value": {"label": "Go", "link": {"page": expired.pk, "url": ""}}}]))
    expire_without_the_task(expired)
    assert Page.objects.get(pk=expired.pk).live  # nothing has unpublished it

    assert client.get(BY_PATH, {"html_path": "/articles/expired/"}).status_code == 404
    listing = body(client.get(BY_PATH, {"html_path": "/articles/"}))["articles"]
    assert [item["id"] for item in listing["items"]] == [kept.pk]
    assert listing["total"] == 1
    cta = body(client.get(BY_PATH, {"html_path": "/linking/"}))["body"][0]["value"]
    assert cta["link"]["page"] is None
    menu = body(client.get("/api/v2/navigation/"))["menu"]
    assert [child["id"] for child in menu[0]["children"]] == [kept.pk]
    sitemap = {page["id"] for page in body(client.get("/api/v2/sitemap/"))["pages"]}
    assert expired.pk not in sitemap and linking.pk in sitemap
    # Wagtail's own endpoints follow the same rule.
    stock = body(client.get("/api/v2/pages/", {"child_of": index.pk}))
    assert [item["id"] for item in stock["items"]] == [kept.pk]
    assert client.get(f"/api/v2/pages/{expired.pk}/").status_code == 404
    assert client.get("/api/v2/pages/find/", {"html_path": "/articles/expired/"}
                      ).status_code == 404
    assert expired.pk not in {item["id"] for item in body(
        client.get("/api/v2/pages/", {"descendant_of": home.pk}))["items"]}
    def search(words: str) -> set[int]:
        return {item["id"] for item in body(client.get("/api/v2/pages/", {"search": words}))[
            "items"]}

    assert kept.pk in search("Kept") and expired.pk not in search("Expired")


def test_a_cached_document_lives_no_longer_than_a_page_it_shows(client, home, index):
    if not cache.enabled():
        pytest.skip("needs the Redis document cache")
    ArticleFactory(parent=index, title="Soon",
                   expire_at=timezone.now() + datetime.timedelta(seconds=30))
    assert client.get(BY_PATH, {"html_path": "/articles/"}, HTTP_HOST="localhost"
                      ).status_code == 200
    key = cache.request_key(None, "localhost", "/articles/", 1)
    ttl = cache._redis().ttl(key)
    assert 0 < ttl <= 30


def test_media_in_a_restricted_collection_is_not_shown_on_public_pages(client, home, make_image):
    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    hidden_image = make_image(title="Hidden")
    hidden_image.collection = private
    hidden_image.save()
    shown_image = make_image(title="Shown")
    document = get_document_model().objects.create(
        title="Secret plan", collection=private, file=ContentFile(b"plan", name="plan.txt"))
    SampleContentPageFactory(parent=home, title="Media", body=json.dumps([
        {"type": "image", "value": {"image": hidden_image.pk, "alt": "", "caption": ""}},
        {"type": "image", "value": {"image": shown_image.pk, "alt": "", "caption": ""}},
        {"type": "rich_text", "value":
            f'<p><a linktype="document" id="{document.pk}">plan</a></p>'
            f'<embed embedtype="image" id="{hidden_image.pk}" format="left" alt="x"/>'},
    ]))

    response = client.get(BY_PATH, {"html_path": "/media/"})
    text = response.content.decode()
    blocks = body(response)["body"]
    assert blocks[0]["value"]["image"] is None
    assert blocks[1]["value"]["image"]["title"] == "Shown"
    assert "Hidden" not in text and "Secret plan" not in text and "plan.txt" not in text
    assert blocks[2]["value"] == "<p><a>plan</a></p>"


def test_a_redirect_to_a_page_the_public_cannot_see_answers_like_an_unknown_path(client, home):
    target = SampleContentPageFactory(parent=home, title="Members")
    Redirect.objects.create(old_path="/old-members", redirect_page=target)
    assert client.get(BY_PATH, {"html_path": "/old-members/"}).status_code == 301

    PageViewRestriction.objects.create(page=target, restriction_type="password",
                                       password="letmein")
    response = client.get(BY_PATH, {"html_path": "/old-members/"})
    assert response.status_code == 404
    assert "members" not in response.get("Location", "")
    assert "/members/" not in response.content.decode()
