"""APPEND_SLASH for forms posted to an address without its slash; CORS answers as
django-cors-headers' own, with or without an Origin."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_a_post_without_the_slash_is_redirected_with_its_method(client, debug):
    # Django's own answers DEBUG's RuntimeError (a 500) here, or a 301 that turns it into GET.
    with override_settings(DEBUG=debug):
        response = client.post("/documents/authenticate_with_password/1?next=/x/",
                               {"password": "x"})
    assert response.status_code == 308
    assert response["Location"] == "/documents/authenticate_with_password/1/?next=/x/"


def test_a_get_without_the_slash_is_redirected_as_before(client):
    response = client.get("/admin/login")
    assert response.status_code == 301 and response["Location"] == "/admin/login/"


def test_a_post_to_an_address_that_exists_is_left_alone(client):
    assert client.post("/documents/authenticate_with_password/999999/").status_code == 404


@pytest.mark.parametrize("origin, allowed", [(None, None), ("", None),
                                             ("https://app.example", "https://app.example"),
                                             ("https://other.example", None)])
def test_cors_answers_as_django_cors_headers(client, origin, allowed):
    headers = {} if origin is None else {"HTTP_ORIGIN": origin}
    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"]):
        api = client.get("/api/v2/navigation/", **headers)
        other = client.get("/admin/login/", **headers)
    assert "origin" in api["Vary"].lower().split(", ")
    assert api.get("Access-Control-Allow-Origin") == allowed
    assert "origin" not in other.get("Vary", "").lower()
    assert other.get("Access-Control-Allow-Origin") is None


def test_a_cors_preflight_is_answered(client):
    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"]):
        response = client.options("/api/v2/navigation/", HTTP_ORIGIN="https://app.example",
                                  HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
