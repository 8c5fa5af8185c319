"""Password-protected pages through the API: a 401 naming the password, a token for the
right one, the page for its holder only, and never from or into a cache."""

import datetime
import json

import pytest
from django.test import Client, override_settings
from wagtail.models import PageViewRestriction

from cms.testing.content import by_path as get
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)

ACCESS = "/api/v2/page_access/"
PASSWORD = "open sesame"


@pytest.fixture
def secret(home):
    page = SampleContentPageFactory(parent=home, title="Members",
                                    body=json.dumps([{"type": "rich_text",
                                                      "value": "<p>Hidden words</p>"}]))
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD)


def enter(client, restriction_id, password, **headers):
    response = client.post(ACCESS, json.dumps({"restriction_id": restriction_id,
                                               "password": password}),
                           content_type="application/json", headers=headers)
    return response, json.loads(response.content)


def test_needs_a_password_without_the_content(client, secret):
    restriction = secret
    response, body = get(client, "/members/")
    assert response.status_code == 401
    assert body == {"message": "This page needs a password",
                    "password_required": {"restriction_id": restriction.pk,
                                          "html_path": "/members/"}}
    assert b"Hidden words" not in response.content and b"Members" not in response.content


def test_right_password_gives_the_page_to_its_holder_only(client, secret):
    restriction = secret
    response, body = enter(client, restriction.pk, PASSWORD)
    assert response.status_code == 200, body
    assert body["max_age"] > 0

    for _ in range(2):  # twice: the second is not a hit of the first
        seen = client.get("/api/v2/pages/by-path/", {"html_path": "/members/"},
                          headers={"X-Page-Access": body["token"]})
        assert seen.status_code == 200
        assert seen.json()["title"] == "Members"
        assert "Hidden words" in json.dumps(seen.json()["body"])
        assert seen["Cache-Control"] == "private, no-store"
        assert "X-Mortar-Cache" not in seen
    # Without the token, straight after: still the password form.
    assert get(client, "/members/")[0].status_code == 401


def test_descendants_need_the_same_password(client, secret):
    restriction = secret
    SampleContentPageFactory(parent=restriction.page.specific, title="Minutes")
    response, body = get(client, "/members/minutes/")
    assert response.status_code == 401
    assert body["password_required"] == {"restriction_id": restriction.pk,
                                         "html_path": "/members/"}
    token = enter(client, restriction.pk, PASSWORD)[1]["token"]
    seen = client.get("/api/v2/pages/by-path/", {"html_path": "/members/minutes/"},
                      headers={"X-Page-Access": f"forged, {token}"})
    assert seen.status_code == 200 and seen.json()["title"] == "Minutes"


def test_wrong_password_is_a_field_error(client, secret):
    restriction = secret
    response, body = enter(client, restriction.pk, "guess")
    assert response.status_code == 401
    assert body["errors"]["password"] == [
        "The password you have entered is not correct. Please try again."]
    assert "token" not in body


def test_changed_password_ends_old_tokens(client, secret):
    restriction = secret
    token = enter(client, restriction.pk, PASSWORD)[1]["token"]
    restriction.password = "new one"
    restriction.save()
    seen = client.get("/api/v2/pages/by-path/", {"html_path": "/members/"},
                      headers={"X-Page-Access": token})
    assert seen.status_code == 401


def test_token_of_another_restriction_opens_nothing(client, secret, home):
    other = SampleContentPageFactory(parent=home, title="Board")
    other_restriction = PageViewRestriction.objects.create(
        page=other, restriction_type=PageViewRestriction.PASSWORD, password="board")
    token = enter(client, other_restriction.pk, "board")[1]["token"]
    seen = client.get("/api/v2/pages/by-path/", {"html_path": "/members/"},
                      headers={"X-Page-Access": token})
    assert seen.status_code == 401


def test_login_restricted_page_stays_not_found(client, home):
    page = SampleContentPageFactory(parent=home, title="Staff")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert get(client, "/staff/")[0].status_code == 404


@pytest.mark.parametrize("body, status", [
    (b"not json", 400),
    (b"[1, 2]", 400),
    (b'{"restriction_id": "1", "password": "x"}', 400),
    (b'{"restriction_id": true, "password": "x"}', 400),
    (b'{"restriction_id": 99999999999, "password": "x"}', 400),
    (b'{"restriction_id": 1}', 400),
    (b'{"restriction_id": 1, "password": "a\\u0000b"}', 400),
    (b'{"restriction_id": 2147483647, "password": "x"}', 404),
    (b'{"password": "' + b"x" * 5000 + b'"}', 413),
])
def test_bad_input_is_a_clear_4xx(client, secret, body, status):
    response = client.post(ACCESS, body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["message"]


def test_an_admin_session_without_a_csrf_token_is_no_reason_to_refuse(secret,
                                                                    django_user_model):
    """The endpoint reads no user: a browser holding an editor's session cookie posts as
    anyone does (DRF's session authentication would ask it for a CSRF token)."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_superuser("e", "e@example.com", "pw"))
    response, body = enter(browser, secret.pk, PASSWORD)
    assert response.status_code == 200, body
    assert enter(browser, secret.pk, "wrong")[0].status_code == 401


def test_answers_json_whatever_the_accept_header(client, secret):
    response, body = enter(client, secret.pk, PASSWORD, Accept="text/html")
    assert response.status_code == 200 and body["token"]
    assert response["Content-Type"] == "application/json"


def test_only_post(client, secret):
    assert client.get(ACCESS).status_code == 405


@override_settings(AXES_FAILURE_LIMIT=5)
def test_guessing_is_throttled(client, secret):
    restriction = secret
    answers = [enter(client, restriction.pk, f"guess {n}")[0].status_code for n in range(6)]
    assert answers == [401] * 4 + [429] * 2  # the 5th wrong one starts the lockout
    right = enter(client, restriction.pk, PASSWORD)[0]
    assert right.status_code == 429  # locked out, even with the right password
    assert int(right["Retry-After"]) > 0


def test_over_long_header_is_a_400_even_for_a_cached_document(client, home):
    assert get(client, "/")[0].status_code == 200  # cached now
    response = client.get("/api/v2/pages/by-path/", {"html_path": "/"},
                          headers={"X-Page-Access": "0" * 2001})
    assert response.status_code == 400
    assert "X-Page-Access" in response.json()["message"]


def test_sub_routes_of_a_protected_page_need_its_password(client, home):
    """A listing's page/2/ is the listing's own route: the same 401, then its page 2."""
    listing = SampleIndexPageFactory(parent=home, title="Members news", slug="news")
    for n in range(12):
        SampleArticlePageFactory(parent=listing, title=f"N{n}",
                                 date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    restriction = PageViewRestriction.objects.create(
        page=listing, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD)

    for path in ("/news/page/2/", "/news/page/1/", "/news/n3/"):
        response, body = get(client, path)
        assert response.status_code == 401, path
        assert body["password_required"] == {"restriction_id": restriction.pk,
                                             "html_path": "/news/"}
        assert b"N1" not in response.content
    assert get(client, "/news/page/9/")[0].status_code == 401  # says nothing of its size

    token = enter(client, restriction.pk, PASSWORD)[1]["token"]
    second = client.get("/api/v2/pages/by-path/", {"html_path": "/news/page/2/"},
                        headers={"X-Page-Access": token})
    assert second.status_code == 200
    assert [item["title"] for item in second.json()["articles"]["items"]] == ["N1", "N0"]
    assert second["Cache-Control"] == "private, no-store"
    first = client.get("/api/v2/pages/by-path/", {"html_path": "/news/page/1/"},
                       headers={"X-Page-Access": token})
    assert (first.status_code, first["Location"]) == (301, "/news/")
    assert first["Cache-Control"] == "private, no-store"


def test_a_login_restricted_listing_says_nothing_of_its_sub_routes(client, home):
    listing = SampleIndexPageFactory(parent=home, title="Staff news")
    PageViewRestriction.objects.create(page=listing, restriction_type=PageViewRestriction.LOGIN)
    # ?page= beside a sub-route is a 400 on a public listing: here, as if nothing were there.
    response, body = get(client, "/staff-news/page/2/", page="3")
    assert response.status_code == 404 and body == {"message": "No page at /staff-news/page/2/"}
