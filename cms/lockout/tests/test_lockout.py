"""Password guessing is refused after five failures, logged, and ends (or is unlocked)."""

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


def test_one_address_guessing_many_usernames_is_locked_out(client, home, address):
    answers = [sign_in(client, "/admin/login/", f"nobody-{n}-{address}", "x", address)
               for n in range(LIMIT + 1)]

    assert answers[LIMIT - 2].status_code == 200
    assert answers[LIMIT].status_code == 429


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
