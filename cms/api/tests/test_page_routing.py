"""By-path finds pages by Wagtail's routing: sub-routes, custom route(), redirects, Sites."""

import datetime
import json

import pytest
from django.conf import settings as django_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from cms.publishing import renderer_tags
from cms.publishing.models import RendererDependency
from cms.testing.content import add
from cms.testing.content import by_path as get
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.pages.models import (
    LatestChildPage,
    RoutedPage,
)

URL = "/api/v2/pages/by-path/"


def as_renderer(client, path):
    return client.get(URL, {"html_path": path},
                      HTTP_AUTHORIZATION=f"Bearer {django_settings.REVALIDATE_SECRET}")


def recorded(path):
    tag = renderer_tags.path_tag(path)
    return set(RendererDependency.objects.filter(tag=tag).values_list("name", flat=True))


@pytest.fixture
def articles(home):
    index = SampleIndexPageFactory(parent=home, title="Articles")
    for n in range(12):
        SampleArticlePageFactory(parent=index, title=f"A{n}",
                                 date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    return index


def test_a_listing_page_has_its_own_path(client, articles):
    response, second = get(client, "/articles/page/2/")

    assert response.status_code == 200
    assert second["id"] == articles.pk and second["meta"]["html_path"] == "/articles/"
    assert (second["articles"]["page"], second["articles"]["total_pages"]) == (2, 2)
    assert [item["title"] for item in second["articles"]["items"]] == ["A1", "A0"]
    # The same document as the old query parameter gives.
    _, by_param = get(client, "/articles/", page="2")
    assert by_param == second


def test_the_first_listing_page_redirects_to_the_listing(client, articles):
    response, body = get(client, "/articles/page/1/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/"
    assert body == {"message": "/articles/page/1/ redirects to /articles/",
                    "redirect": {"location": "/articles/", "permanent": True}}


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/articles/page/3/", {}, 404),
    ("/articles/page/999999/", {}, 404),
    ("/articles/page/0/", {}, 404),
    ("/articles/page/01/", {}, 404),
    ("/articles/page/x/", {}, 404),
    ("/articles/page/", {}, 404),
    ("/articles/page/2/extra/", {}, 404),
    ("/articles/page/2/", {"page": "2"}, 400),
])
def test_listing_paths_that_are_not_pages(client, articles, path, params, status):
    response, body = get(client, path, **params)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json" and body["message"]


def test_articles_below_a_routable_index_are_still_found(client, articles):
    response, doc = get(client, "/articles/a3/")

    assert response.status_code == 200 and doc["title"] == "A3"


def test_a_listing_page_records_the_path_asked_for(client, articles):
    assert as_renderer(client, "/articles/page/2/").status_code == 200
    assert as_renderer(client, "/articles/page/7/").status_code == 404

    shown = recorded("/articles/page/2/")
    assert {f"page:{articles.pk}", f"children:{articles.pk}"} <= shown
    # A listing page past the last exists once enough articles are published.
    assert {f"page:{articles.pk}", f"children:{articles.pk}"} <= recorded("/articles/page/7/")


def test_the_cms_sends_visitors_of_a_listing_page_to_the_renderer(client, articles, settings):
    response = client.get("/articles/page/2/")

    assert response.status_code == 302
    assert response["Location"].endswith("/articles/page/2/")
    assert response["Location"].startswith(django_settings.FRONTEND_URL)


@pytest.fixture
def routed(home):
    return add(home, RoutedPage(title="Routed", slug="routed"))


def test_a_routable_page_sub_route_answers_its_document(client, routed):
    response, doc = get(client, "/routed/archive/2024/")

    assert response.status_code == 200
    assert doc["id"] == routed.pk and doc["meta"]["html_path"] == "/routed/"
    assert doc["meta"]["type"] == "mortar_testing_pages.RoutedPage"


def test_a_routable_page_sub_route_redirects(client, routed):
    response, body = get(client, "/routed/moved/")

    assert response.status_code == 302
    assert body["redirect"] == {"location": "/routed/archive/2024/", "permanent": False}


@pytest.mark.parametrize("path", ["/routed/archive/1999/", "/routed/html-only/",
                                  "/routed/nowhere/", "/routed/archive/2024/x/"])
def test_sub_routes_without_an_api_answer_are_404(client, routed, path):
    response, body = get(client, path)

    assert response.status_code == 404 and body == {"message": f"No page at {path}"}


def test_sub_routes_of_a_hidden_page_are_404(client, routed):
    routed.unpublish()
    assert get(client, "/routed/archive/2024/")[0].status_code == 404
    routed.save_revision().publish()
    PageViewRestriction.objects.create(page=routed, restriction_type="login")
    assert get(client, "/routed/archive/2024/")[0].status_code == 404


def test_a_custom_route_answers_the_page_it_routes_to(client, home, settings):
    settings.API_CACHE_SECONDS = 0  # the restriction below is made without its signals
    news = add(home, LatestChildPage(title="News", slug="news"))
    SampleContentPageFactory(parent=news, title="Older")
    newest = SampleContentPageFactory(parent=news, title="Newest")

    response = as_renderer(client, "/news/latest/")
    doc = json.loads(response.content)
    assert response.status_code == 200
    assert doc["id"] == newest.pk and doc["meta"]["html_path"] == "/news/newest/"
    # Which page it is changes with the routes (a newer child published), not only with it.
    assert {f"routes:{Site.objects.get().pk}", f"page:{newest.pk}"} <= recorded("/news/latest/")
    assert get(client, "/news/older/")[1]["title"] == "Older"

    # The custom route may pick a page the public may not see: by-path still hides it,
    # asking for the password as Wagtail's serving would, or as if there were no page.
    restriction = PageViewRestriction.objects.create(page=newest, restriction_type="password",
                                                     password="x")
    response, body = get(client, "/news/latest/")
    assert response.status_code == 401 and b"Newest" not in response.content
    assert body["password_required"]["restriction_id"] == restriction.pk
    restriction.restriction_type = "groups"
    restriction.save()
    response, body = get(client, "/news/latest/")
    assert response.status_code == 404 and body == {"message": "No page at /news/latest/"}


def test_queries_for_a_plain_page_stay_two_for_routing(client, home, settings,
                                                       django_assert_max_num_queries):
    settings.API_CACHE_SECONDS = 0
    section = SampleContentPageFactory(parent=home, title="Section")
    SampleContentPageFactory(parent=section, title="Deep")
    get(client, "/section/deep/")  # warm Django's per-process caches
    with django_assert_max_num_queries(8):
        response, doc = get(client, "/section/deep/")
    assert response.status_code == 200 and doc["title"] == "Deep"


@pytest.fixture
def games(home):
    return SampleContentPageFactory(parent=home, title="Games")


@pytest.mark.parametrize("stored", ["/games/%EB%A1%9C%EB%B4%87", "/games/로봇"])
def test_a_redirect_matches_encoded_and_decoded(client, games, stored):
    Redirect.objects.create(old_path=stored, site=Site.objects.get(), redirect_page=games)

    response, body = get(client, "/games/로봇/")

    assert response.status_code == 301
    assert body["redirect"] == {"location": "/games/", "permanent": True}


def test_a_redirect_to_a_hidden_page_is_404(client, games):
    draft = SampleContentPageFactory(parent=games, title="Draft", publish=False)
    Redirect.objects.create(old_path="/games/%EB%A1%9C%EB%B4%87", site=Site.objects.get(),
                            redirect_page=draft)

    response, body = get(client, "/games/로봇/")

    assert response.status_code == 404 and body == {"message": "No page at /games/로봇/"}


def test_the_host_port_chooses_the_site(client, settings, home):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    other = SampleContentPageFactory(parent=Page.get_first_root_node(), title="Other home",
                                     slug="other")
    Site.objects.create(hostname="localhost", port=8080, root_page=other)

    on_8080 = json.loads(client.get(URL, {"html_path": "/"}, HTTP_HOST="localhost:8080").content)
    on_80 = json.loads(client.get(URL, {"html_path": "/"}, HTTP_HOST="localhost").content)
    by_param = json.loads(client.get(URL, {"html_path": "/", "site": "localhost:8080"}).content)

    assert on_8080["title"] == by_param["title"] == "Other home"
    assert on_80["title"] == "Home"


@pytest.mark.parametrize("url", [URL + "?html_path=/", "/api/v2/navigation/", "/api/v2/sitemap/",
                                 "/api/v2/schema/"])
def test_mortar_endpoints_answer_get_and_head_only(client, home, url):
    assert client.head(url).status_code == 200
    for method in (client.options, client.post, client.put, client.delete):
        response = method(url)
        assert response.status_code == 405, method
        assert "message" in json.loads(response.content)


def test_a_cached_document_still_refuses_bad_parameters(client, home):
    """Cache hits are answered before DRF's dispatch: never for a request it would refuse."""
    assert get(client, "/")[0]["X-Mortar-Cache"] == "miss"
    assert get(client, "/")[0]["X-Mortar-Cache"] == "hit"

    response, body = get(client, "/", fields="*")
    assert response.status_code == 400
    assert body == {"message": "Unknown query parameters: fields",
                    "allowed": ["html_path", "page", "query", "site"]}
    assert get(client, "/", page="0")[0].status_code == 400
    assert client.post(URL + "?html_path=/").status_code == 405
