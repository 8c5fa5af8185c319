"""Odd query parameters on the stock endpoints and the preview endpoint are 400 JSON, not 500."""

import json

import pytest

# The seven classes of 500 found by hand (issue 15), and their neighbours.
ODD = [
    ("/api/v2/pages/", {"offset": "99999999999999999999999999"}, "offset"),
    ("/api/v2/pages/", {"limit": "-1"}, "limit"),
    ("/api/v2/pages/", {"search": "\x00"}, "search"),
    ("/api/v2/pages/", {"search": "\x00", "order": "title"}, "search"),
    ("/api/v2/pages/", {"search": "about", "search_operator": "xor"}, "search_operator"),
    ("/api/v2/pages/", {"first_published_at": "not-a-date"}, "first_published_at"),
    ("/api/v2/pages/", {"id": "99999999999999999999"}, "id"),
    ("/api/v2/pages/", {"child_of": "99999999999999999999"}, "child_of"),
    ("/api/v2/pages/", {"title": "a\x1bb"}, "title"),
    ("/api/v2/pages/", {"type": "mortar_testing_pages.SampleContentPage", "intro": "\x00"},
     "intro"),
    ("/api/v2/pages/find/", {"id": "abc"}, "id"),
    ("/api/v2/pages/find/", {"html_path": "/\x00/"}, "html_path"),
    ("/api/v2/pages/find/", {"html_path": "/a/../b/"}, "html_path"),
    ("/api/v2/pages/1/", {"fields": "title\x00"}, "fields"),
    ("/api/v2/images/", {"width": "99999999999999999999"}, "width"),
    ("/api/v2/images/", {"created_at": "2026-13-45"}, "created_at"),
    ("/api/v2/images/find/", {"id": "-3"}, "id"),
    ("/api/v2/documents/", {"search": "x", "search_operator": "AND"}, "search_operator"),
    ("/api/v2/documents/", {"offset": "1" * 30}, "offset"),
]


@pytest.mark.parametrize(("url", "params", "named"), ODD)
def test_odd_parameters_are_a_400_naming_the_parameter(client, home, url, params, named):
    response = client.get(url, params)

    assert response.status_code == 400, response.content[:300]
    assert named in json.loads(response.content)["message"]


def test_preview_content_type_with_a_nul_byte_is_a_400(client, home):
    response = client.get("/api/v2/page_preview/", {"content_type": "mortar_testing_pages.\x00"},
                          HTTP_X_PREVIEW_TOKEN="id=1:abc:def")

    assert response.status_code == 400
    assert "content_type" in json.loads(response.content)["message"]


@pytest.mark.parametrize("params", [
    {"offset": "0", "limit": "100"},
    {"search": "Home", "search_operator": "and"},
    {"first_published_at": "2026-01-01T00:00:00Z"},
    {"child_of": "root"},
    {"id": "-1"},
])
def test_valid_parameters_still_pass(client, home, params):
    assert client.get("/api/v2/pages/", params).status_code == 200
