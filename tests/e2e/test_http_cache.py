"""The HTTP cache in front of the renderer (Varnish, infra/varnish): pages are served from
it, and every change the CMS makes purges exactly what shows it, within seconds."""

import datetime
import subprocess
import sys
import time
import uuid
from collections.abc import Callable

import pytest

from cms.testing.processes import REPO
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.test_site import fetch

pytestmark = pytest.mark.django_db

FRESH_WITHIN = 3.0  # seconds, from the change's commit
ABOUT_KEY = "path%3A%2Fabout%2F"  # the tag path:/about/ as header values carry it


def cms_shell(cms_env: dict[str, str], code: str) -> None:
    """Run ORM code in a CMS process of the stack: committed, with every signal, as an
    editor's request would."""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=REPO, env=cms_env,
                   check=True, capture_output=True, timeout=60)


def await_through(url: str, condition: Callable[[int, dict[str, str], str], bool],
                  timeout: float = FRESH_WITHIN) -> float:
    """Seconds until a response through the cache meets `condition`; fails past `timeout`."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        last = fetch(url)
        if condition(*last):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{url} not fresh within {timeout}s: last answer {last and last[0]}")


def cached(url: str) -> tuple[int, dict[str, str], str]:
    """Fetch until the cache answers from its store (the renderer's probe may lag)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        answer = fetch(url)
        if answer[0] == 200 and answer[1].get("x-cache") == "HIT":
            return answer
        time.sleep(0.2)
    raise AssertionError(f"{url} never served from the HTTP cache")


def settled(django_db_blocker) -> None:
    """Wait until the outbox has delivered every change made so far (seeding included)."""
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from cms.publishing.models import RevalidationRequest

    deadline = time.monotonic() + 60
    # Each delivery is sent once more REVALIDATE_AGAIN_SECONDS later: wait for that too.
    quiet = datetime.timedelta(seconds=settings.REVALIDATE_AGAIN_SECONDS + 1)
    with database(django_db_blocker):
        while True:
            rows = RevalidationRequest.objects
            last = rows.aggregate(last=Max("delivered_at"))["last"]
            if (not rows.filter(delivered_at__isnull=True).exists()
                    and (last is None or timezone.now() - last > quiet)):
                return
            assert time.monotonic() < deadline, "the outbox never emptied"
            time.sleep(0.2)


def edit_title(cms_env: dict[str, str], url_path: str, title: str) -> None:
    cms_shell(cms_env, (
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(url_path={url_path!r}).specific\n"
        f"page.title = {title!r}\n"
        "page.save_revision().publish()\n"))


def test_pages_are_served_from_the_cache_without_their_tags(http_cache, web_server):
    _status, headers, body = cached(f"{http_cache.url}/about/")
    assert "About" in body
    assert "xkey" not in headers  # tags stay between the renderer and the cache
    # The renderer names them, for the cache.
    assert ABOUT_KEY in fetch(f"{web_server}/about/")[1]["xkey"].split()


def test_a_publish_reaches_the_cache_within_seconds(http_cache, web_server, cms_server,
                                                    celery_worker, cms_env, django_db_blocker):
    settled(django_db_blocker)
    # An article is in no menu: its publish reaches its page and the listing page that
    # shows it (the first: it is among the ten newest), no other.
    url = f"{http_cache.url}/articles/caching-pages-at-the-edge/"
    cached(url)
    listing = f"{http_cache.url}/articles/"
    cached(listing)
    other = cached(f"{http_cache.url}/about/team/")
    title = f"Caching {uuid.uuid4().hex[:6]}"

    edit_title(cms_env, "/home/articles/caching-pages-at-the-edge/", title)

    await_through(url, lambda status, headers, body: f">{title}</h1>" in body)
    await_through(listing, lambda status, headers, body: title in body)
    # A page that does not show the change stays cached.
    assert fetch(f"{http_cache.url}/about/team/")[1]["x-cache"] == "HIT"
    assert fetch(f"{http_cache.url}/about/team/")[2] == other[2]


def test_a_page_made_private_is_gone_from_the_cache_within_seconds(
        http_cache, web_server, cms_server, celery_worker, cms_env):
    url = f"{http_cache.url}/articles/writing-for-the-web/"
    cached(url)
    code = ("from wagtail.models import Page, PageViewRestriction\n"
            "page = Page.objects.get(url_path='/home/articles/writing-for-the-web/')\n"
            "PageViewRestriction.objects.{}\n")
    cms_shell(cms_env, code.format("create(page=page, restriction_type='login')"))
    try:
        await_through(url, lambda status, headers, body: status == 404)
    finally:
        cms_shell(cms_env, code.format("filter(page=page).delete()"))
    await_through(url, lambda status, headers, body: status == 200, timeout=10)


def test_drafts_and_previews_are_never_cached(http_cache, web_server):
    url = f"{http_cache.url}/about/"
    cached(url)
    for _ in range(2):
        _status, headers, _body = fetch(url, headers={"Cookie": "__prerender_bypass=anything"})
        assert headers.get("x-cache") == "MISS"
    _status, headers, _body = fetch(f"{http_cache.url}/api/preview/?token=x&content_type=y")
    assert headers.get("x-cache") == "MISS"


def test_a_response_for_one_hostname_is_never_served_for_another(http_cache, web_server):
    cached(f"{http_cache.url}/about/")
    _status, headers, _ = fetch(f"{http_cache.url}/about/", headers={"Host": "other.localhost"})
    assert headers.get("x-cache") == "MISS"


def test_a_purge_with_a_wrong_secret_is_refused_and_purges_nothing(http_cache, web_server):
    url = f"{http_cache.url}/about/"
    cached(url)
    for secret in ("wrong", ""):
        status, _, body = fetch(http_cache.url + "/", method="PURGE",
                                headers={"X-Purge-Secret": secret, "xkey-purge": ABOUT_KEY})
        assert status == 401 and "secret" in body
    assert fetch(url)[1]["x-cache"] == "HIT"
    status, _, body = fetch(http_cache.url + "/", method="PURGE",
                            headers={"X-Purge-Secret": REVALIDATE_SECRET,
                                     "xkey-purge": ABOUT_KEY})
    assert status == 200
    assert fetch(url)[1]["x-cache"] == "MISS"
