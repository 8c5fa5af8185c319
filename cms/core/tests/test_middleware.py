"""APPEND_SLASH for forms posted to an address without its slash."""

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
