"""Password guessing is refused after five failures, logged, and ends (or is unlocked);
it locks out the guessing address, never the real user or visitor at another."""

import itertools
import secrets
import time
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.testing.pages.models import SampleContentPage

LIMIT = 5
_addresses = itertools.count(1)


@pytest.fixture
def address() -> str:
    """A client IP of this test's own: failure counts outlive a test in Redis."""
    return f"198.51.{secrets.randbelow(200)}.{next(_addresses) % 250 + 1}"


@pytest.fixture
def editor(db):
    name = f"editor-{secrets.token_hex(4)}"
    user = get_user_model().objects.create_superuser(name, f"{name}@example.com", "right-pass-1")
    return user


def sign_in(client, url: str, username: str, password: str, address: str):
    return client.post(url, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def locked(username: str, address: str) -> bool:
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=address)
    return AxesProxyHandler.is_locked(request, {"username": username})


def await_unlocked(username: str, address: str, within: float) -> float:
    started = time.monotonic()
    while locked(username, address):
        assert time.monotonic() - started < within, "the lockout did not end"
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_the_sixth_wrong_password_is_refused_and_the_lockout_ends(
        client, home, editor, address, url, caplog):
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=2)):
        answers = [sign_in(client, url, editor.username, f"wrong-{n}", address)
                   for n in range(LIMIT + 1)]
        right_while_locked = sign_in(client, url, editor.username, "right-pass-1", address)

        assert [a.status_code for a in answers[:LIMIT - 1]] == [200] * (LIMIT - 1)
        assert answers[LIMIT].status_code == 429
        assert b"Too many wrong passwords" in answers[LIMIT].content
        assert right_while_locked.status_code == 429
        assert any("Locking out" in r.getMessage() and editor.username in r.getMessage()
                   for r in caplog.records)

        waited = await_unlocked(editor.username, address, within=10)
        after = sign_in(client, url, editor.username, "right-pass-1", address)

    assert after.status_code == 302, after.content[:300]
    assert waited < 10


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_an_attackers_guesses_never_lock_the_user_out_from_another_address(
        client, home, editor, url):
    attacker, user = "203.0.113.7", "198.51.100.20"
    guesses = [sign_in(client, url, editor.username, f"guess-{n}", attacker).status_code
               for n in range(20)]
    right_from_attacker = sign_in(client, url, editor.username, "right-pass-1", attacker)
    from_the_user = sign_in(client, url, editor.username, "right-pass-1", user)

    assert guesses[:LIMIT - 1] == [200] * (LIMIT - 1) and set(guesses[LIMIT:]) == {429}
    assert right_from_attacker.status_code == 429
    assert from_the_user.status_code == 302, from_the_user.content[:300]


def test_many_addresses_guessing_one_username_meet_the_brake_but_not_the_users_own(
        client, home, editor, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 12
    own = f"192.0.2.{secrets.randbelow(200) + 1}"
    assert sign_in(client, "/admin/login/", editor.username, "right-pass-1", own).status_code == 302
    client.logout()
    for n in range(4):  # three guesses each: no address reaches its own limit
        for guess in range(3):
            sign_in(client, "/admin/login/", editor.username, f"g{guess}", f"203.0.113.{n + 1}")

    from_a_new_address = sign_in(client, "/admin/login/", editor.username, "right-pass-1",
                                 "203.0.113.99")
    from_the_users_own = sign_in(client, "/admin/login/", editor.username, "right-pass-1", own)

    assert from_a_new_address.status_code == 429
    assert from_the_users_own.status_code == 302, from_the_users_own.content[:300]


def test_an_admin_unlocks_a_username(client, home, editor, address):
    for n in range(LIMIT):
        sign_in(client, "/admin/login/", editor.username, f"wrong-{n}", address)
    assert sign_in(client, "/admin/login/", editor.username, "right-pass-1",
                   address).status_code == 429

    call_command("axes_reset_username", editor.username)
    call_command("axes_reset_ip", address)

    assert sign_in(client, "/admin/login/", editor.username, "right-pass-1",
                   address).status_code == 302


def test_page_password_guessing_is_refused_after_five(client, home, address):
    page = SampleContentPage(title="Members", slug=f"members-{secrets.token_hex(3)}")
    home.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame")
    url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"

    def guess(password: str):
        return client.post(url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)

    answers = [guess(f"guess-{n}") for n in range(LIMIT + 1)]
    right_while_locked = guess("open-sesame")

    assert [a.status_code for a in answers[:LIMIT - 1]] == [200] * (LIMIT - 1)
    assert answers[LIMIT].status_code == 429 and right_while_locked.status_code == 429
    call_command("axes_reset_ip", address)
    call_command("axes_reset_username", f"page-restriction-{restriction.pk}")
    assert guess("open-sesame").status_code == 302


def test_document_password_guessing_is_refused_after_five(client, home, address):
    root = Collection.get_first_root_node()
    collection = root.add_child(name=f"Private {secrets.token_hex(3)}")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD,
        password="open-sesame")
    url = f"/documents/authenticate_with_password/{restriction.pk}/"

    def guess(password: str):
        return client.post(url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)

    answers = [guess(f"guess-{n}") for n in range(LIMIT + 1)]

    assert [a.status_code for a in answers[:LIMIT - 1]] == [200] * (LIMIT - 1)
    assert answers[LIMIT].status_code == 429
    assert guess("open-sesame").status_code == 429


def test_page_password_guesses_never_stop_a_visitor_at_another_address(client, home):
    page = SampleContentPage(title="Members", slug=f"members-{secrets.token_hex(3)}")
    home.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame")
    form = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    attacker, visitor = "203.0.113.50", "198.51.100.50"

    guesses = [client.post(form, {"password": f"guess-{n}", "return_url": "/"},
                           REMOTE_ADDR=attacker).status_code for n in range(10)]
    guesses += [client.post("/api/v2/page_access/", {"restriction_id": restriction.pk,
                                                     "password": f"api-guess-{n}"},
                            content_type="application/json", REMOTE_ADDR=attacker).status_code
                for n in range(10)]
    by_form = client.post(form, {"password": "open-sesame", "return_url": "/"},
                          REMOTE_ADDR=visitor)
    by_api = client.post("/api/v2/page_access/", {"restriction_id": restriction.pk,
                                                  "password": "open-sesame"},
                         content_type="application/json", REMOTE_ADDR=visitor)

    assert guesses.count(429) >= 15
    assert by_form.status_code == 302
    assert by_api.status_code == 200 and by_api.json()["token"]


def test_document_password_guesses_never_stop_a_visitor_at_another_address(client, home):
    root = Collection.get_first_root_node()
    collection = root.add_child(name=f"Private {secrets.token_hex(3)}")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD,
        password="open-sesame")
    url = f"/documents/authenticate_with_password/{restriction.pk}/"

    guesses = [client.post(url, {"password": f"guess-{n}", "return_url": "/"},
                           REMOTE_ADDR="203.0.113.60").status_code for n in range(20)]
    right = client.post(url, {"password": "open-sesame", "return_url": "/"},
                        REMOTE_ADDR="198.51.100.60")

    assert set(guesses[LIMIT:]) == {429}
    assert right.status_code == 302
