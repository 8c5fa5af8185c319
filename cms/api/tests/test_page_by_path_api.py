"""GET /api/v2/pages/by-path/: the whole page document, and nothing that is not public."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

from cms.blocks.samples import heavy_body
from cms.images.renditions import FILTER_SPECS
from cms.testing.content import add
from cms.testing.content import by_path as get
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.pages.models import SampleArticlePage

URL = "/api/v2/pages/by-path/"


@pytest.fixture
def articles(home):
    return SampleIndexPageFactory(parent=home, title="Articles", intro="<p>All</p>")


@pytest.fixture
def about(home):
    return SampleContentPageFactory(parent=home, title="About", show_in_menus=True)


def stream(*blocks):
    return json.dumps(list(blocks))


def test_content_page_document_shape(client, home, about, make_image):
    image = make_image()
    about.seo_title = "About us | Mortar"
    about.search_description = "Who we are"
    about.social_image = image
    about.body = stream(
        {"type": "heading", "value": {"text": "Hi", "level": "3"}},
        {"type": "image", "value": {"image": image.pk, "alt": "Block alt", "caption": "Cap"}},
        {"type": "cta", "value": {"label": "Home", "link": {"page": home.pk, "url": ""}}},
        {"type": "cta", "value": {"label": "Out", "link": {"page": None,
                                                           "url": "https://example.org/"}}},
        {"type": "rich_text", "value": f'<p><a linktype="page" id="{home.pk}">home</a></p>'},
    )
    about.save_revision().publish()

    response, doc = get(client, "/about/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert doc["id"] == about.pk and doc["title"] == "About"
    meta = doc["meta"]
    assert meta["type"] == "mortar_testing_pages.SampleContentPage"
    assert meta["html_path"] == "/about/"
    assert meta["locale"] == "en"
    assert meta["first_published_at"] and meta["last_published_at"]
    assert meta["seo"]["title"] == "About us | Mortar"
    assert meta["seo"]["description"] == "Who we are"
    assert meta["seo"]["image"]["id"] == image.pk
    assert meta["breadcrumbs"] == [{"id": home.pk, "title": "Home", "html_path": "/"}]

    heading, image_block, cta_page, cta_url, rich = doc["body"]
    assert heading["type"] == "heading" and heading["id"]
    assert heading["value"] == {"text": "Hi", "level": 3}
    img = image_block["value"]["image"]
    assert image_block["value"]["caption"] == "Cap"
    assert img["alt"] == "Block alt"
    assert (img["width"], img["height"]) == (800, 500)
    assert img["focal_point"] is None
    formats = {entry["format"] for entry in img["srcset"]}
    assert {"webp", "jpeg"} <= formats
    assert all(entry["url"].startswith("/media/images/") for entry in img["srcset"])
    assert cta_page["value"] == {"label": "Home", "link": {
        "page": {"id": home.pk, "title": "Home", "html_path": "/"}, "url": None}}
    assert cta_url["value"]["link"] == {"page": None, "url": "https://example.org/"}
    assert rich["value"] == '<p><a href="/">home</a></p>'


def test_article_document_has_fields_tags_and_focal_point(client, articles, make_image):
    image = make_image()
    image.set_focal_point(None)
    image.focal_point_x, image.focal_point_y = 200, 100
    image.focal_point_width = image.focal_point_height = 50
    image.save()
    article = SampleArticlePage(title="Hello", slug="hello", date=datetime.date(2026, 1, 2),
                          intro="Intro", hero_image=image)
    add(articles, article, publish=False)
    article.tags.add("news", "alpha")
    article.save_revision().publish()

    response, doc = get(client, "/articles/hello/")

    assert response.status_code == 200
    assert doc["meta"]["type"] == "mortar_testing_pages.SampleArticlePage"
    assert doc["date"] == "2026-01-02"
    assert doc["intro"] == "Intro"
    assert doc["tags"] == ["alpha", "news"]
    assert doc["hero_image"]["focal_point"] == {"x": 0.25, "y": 0.2}
    assert [crumb["html_path"] for crumb in doc["meta"]["breadcrumbs"]] == ["/", "/articles/"]


def test_home_and_index_documents(client, home, articles):
    for n in range(12):
        SampleArticlePageFactory(parent=articles, title=f"A{n}",
                                 date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    _, home_doc = get(client, "/")
    assert home_doc["meta"]["type"] == "mortar_testing_pages.SampleHomePage"
    assert {"hero_heading", "hero_text", "hero_image", "hero_cta", "body"} <= home_doc.keys()

    response, first = get(client, "/articles/")
    assert response.status_code == 200
    assert first["intro"] == "<p>All</p>"
    listing = first["articles"]
    assert (listing["page"], listing["total"], listing["total_pages"]) == (1, 12, 2)
    assert [item["title"] for item in listing["items"][:2]] == ["A11", "A10"]
    assert listing["items"][0]["html_path"] == "/articles/a11/"
    assert {"date", "intro", "hero_image", "tags"} <= listing["items"][0].keys()

    _, second = get(client, "/articles/", page="2")
    assert [item["title"] for item in second["articles"]["items"]] == ["A1", "A0"]

    response, body = get(client, "/articles/", page="3")
    assert response.status_code == 404 and "does not exist" in body["message"]


def test_a_draft_change_is_not_served(client, about):
    about.title = "About (draft)"
    about.save_revision()  # saved, not published

    _, doc = get(client, "/about/")

    assert doc["title"] == "About"


@pytest.mark.parametrize("state", ["never_published", "unpublished", "expired", "private",
                                   "private_parent"])
def test_pages_that_are_not_public_are_404(client, home, state):
    parent = home
    if state == "private_parent":
        parent = SampleContentPageFactory(parent=home, title="Members")
        PageViewRestriction.objects.create(page=parent, restriction_type="login")
    page = SampleContentPageFactory(parent=parent, title="Secret",
                                    publish=state != "never_published")
    if state == "unpublished":
        page.unpublish()
    elif state == "expired":
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save()
    elif state == "private":
        # Groups: a password restriction answers 401 instead (test_page_access).
        PageViewRestriction.objects.create(page=page, restriction_type="groups")
    path = "/members/secret/" if state == "private_parent" else "/secret/"

    response, body = get(client, path)

    assert response.status_code == 404
    assert body == {"message": f"No page at {path}"}
    assert b"Secret" not in response.content


def test_links_to_private_or_draft_pages_are_dropped(client, home, about):
    draft = SampleContentPageFactory(parent=home, title="Hidden draft", slug="hidden",
                                     publish=False)
    about.body = stream(
        {"type": "cta", "value": {"label": "x", "link": {"page": draft.pk, "url": ""}}},
        {"type": "rich_text", "value": f'<p><a linktype="page" id="{draft.pk}">x</a></p>'},
    )
    about.save_revision().publish()

    response, doc = get(client, "/about/")

    assert doc["body"][0]["value"]["link"]["page"] is None
    assert doc["body"][1]["value"] == "<p><a>x</a></p>"
    assert b"Hidden draft" not in response.content


def test_wagtail_redirect_is_answered(client, home, about):
    site = Site.objects.get(is_default_site=True)
    Redirect.objects.create(old_path="/old-about", site=site, redirect_page=about)
    Redirect.objects.create(old_path="/elsewhere", site=site, is_permanent=False,
                            redirect_link="https://example.org/x")

    response, body = get(client, "/old-about/")
    assert response.status_code == 301
    assert response["Location"] == "/about/"
    assert body["redirect"] == {"location": "/about/", "permanent": True}

    response, body = get(client, "/elsewhere/")
    assert response.status_code == 302
    assert body["redirect"] == {"location": "https://example.org/x", "permanent": False}


def test_site_parameter_or_host_chooses_the_site(client, settings, home, about):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.com"]
    other_home = SampleContentPageFactory(parent=home.get_parent(), title="Other",
                                          slug="other-home")
    Site.objects.create(hostname="other.example.com", port=443, root_page=other_home)
    SampleContentPageFactory(parent=other_home, title="Other about", slug="about")

    _, mine = get(client, "/about/")
    _, theirs = get(client, "/about/", site="other.example.com")
    by_host = json.loads(client.get(URL, {"html_path": "/about/"},
                                    HTTP_HOST="other.example.com").content)

    assert mine["title"] == "About"
    assert theirs["title"] == "Other about"
    assert by_host["title"] == "Other about"
    assert theirs["meta"]["breadcrumbs"][0]["title"] == "Other"


def test_a_hostname_no_site_names_gets_the_default_site_as_in_wagtail(client, home, about):
    """The renderer sends its visitor's hostname: an alias or an IP address is answered
    as Wagtail answers such a Host, by the default Site; a named Site is never."""
    other_home = SampleContentPageFactory(parent=home.get_parent(), title="Other",
                                          slug="other-home")
    Site.objects.create(hostname="other.example.com", port=443, root_page=other_home)

    _, by_alias = get(client, "/about/", site="alias.example.com")
    assert by_alias["title"] == "About"
    response, _ = get(client, "/about/", site="other.example.com")
    assert response.status_code == 404  # its own tree, which has no /about/

    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    response, body = get(client, "/about/", site="alias2.example.com")
    assert response.status_code == 404
    assert body == {"message": "Unknown site 'alias2.example.com'"}
    response, body = get(client, "/about/", site="alias2.example.com:8080")
    assert response.status_code == 404 and "Unknown site" in body["message"]


@pytest.mark.parametrize(("params", "status", "message"), [
    ({}, 400, "html_path is required"),
    ({"html_path": ""}, 400, "html_path is required"),
    ({"html_path": "about/"}, 400, "must start with '/'"),
    ({"html_path": "/" + "a" * 1100}, 400, "longer than"),
    ({"html_path": "/a/../b/"}, 400, "'..'"),
    ({"html_path": "/./"}, 400, "'..'"),
    ({"html_path": "//about/"}, 400, "empty"),
    ({"html_path": "/ab\x00c/"}, 400, "characters"),
    ({"html_path": "/a\u0007b/"}, 400, "characters"),
    ({"html_path": "/a\\b/"}, 400, "characters"),
    ({"html_path": "/ünïcødé/日本/"}, 404, "No page"),
    ({"html_path": "/about/", "site": "bad host!"}, 400, "hostname"),
    ({"html_path": "/about/", "page": "0"}, 400, "whole number"),
    ({"html_path": "/about/", "page": "x"}, 400, "whole number"),
    ({"html_path": "/about/", "page": "٣"}, 400, "whole number"),
    ({"html_path": "/about/", "fields": "*"}, 400, "Unknown query parameters: fields"),
])
def test_bad_input_gets_a_json_4xx(client, about, params, status, message):
    response = client.get(URL, params)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert message in json.loads(response.content)["message"]


def test_undecodable_bytes_in_the_path_get_a_json_400(client, about):
    response = client.get(URL + "?html_path=/%ED%A0%80%FF/")

    assert response.status_code == 400
    assert "characters" in json.loads(response.content)["message"]


def test_only_get_is_allowed(client, about):
    assert client.post(URL, {"html_path": "/about/"}).status_code == 405


def test_queries_do_not_grow_with_blocks_images_and_links(client, settings, home, make_image):
    settings.API_CACHE_SECONDS = 0  # measure the cold path
    images = [make_image(renditions=False) for _ in range(20)]
    pages = [SampleContentPageFactory(parent=home, title=f"P{n}") for n in range(20)]
    light = SampleContentPageFactory(parent=home, title="Light",
                                     body=heavy_body(pages[:1], images[:1], 5))
    heavy = SampleContentPageFactory(parent=home, title="Heavy",
                                     body=heavy_body(pages, images, 50))
    for image in images[:2]:
        image.get_renditions(*FILTER_SPECS)
    get(client, "/light/")  # warm Django's own per-process caches (content types)

    with CaptureQueriesContext(connection) as light_queries:
        light_response, _ = get(client, "/light/")
    with CaptureQueriesContext(connection) as heavy_queries:
        heavy_response, heavy_doc = get(client, "/heavy/")

    assert light_response.status_code == heavy_response.status_code == 200
    assert len(heavy_doc["body"]) == 50
    linked = set(re.findall(r'(?:"html_path":"|href=\\")/(p\d+)/', heavy_response.content.decode()))
    body = heavy_response.content.decode()
    served_images = set(re.findall(r"/test-(\d+)[._]", body))
    assert len(linked) == 20 and len(served_images) == 20
    assert len(heavy_queries) == len(light_queries), [q["sql"] for q in heavy_queries]
    assert len(heavy_queries) <= 12, [q["sql"] for q in heavy_queries]
    assert heavy.pk and light.pk


def test_a_page_request_never_makes_renditions(client, about, make_image):
    image = make_image(renditions=False)
    about.body = stream({"type": "image", "value": {"image": image.pk, "alt": "", "caption": ""}})
    about.save_revision().publish()
    rendition_model = image.get_rendition_model()

    _, doc = get(client, "/about/")

    assert rendition_model.objects.filter(image=image).count() == 0
    served = doc["body"][0]["value"]["image"]
    assert served["srcset"] == [] and served["src"] == image.file.url


@pytest.mark.parametrize("method", ["post", "put", "delete", "options", "trace"])
def test_another_method_is_a_405_saying_which_are_allowed(client, about, method):
    response = getattr(client, method)("/api/v2/pages/by-path/?html_path=/about/")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    assert "message" in response.json()
