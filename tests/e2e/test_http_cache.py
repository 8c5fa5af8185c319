"""The HTTP cache in front of the renderer (Varnish, infra/varnish): pages are served from
it, and every change the CMS makes purges exactly what shows it, within seconds."""

import html
import uuid

import pytest

from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.helpers import await_through, cached, cms_shell, edit_title, fetch, settled

pytestmark = pytest.mark.django_db

# The tag localhost|path:/about/ (the seeded site's; the stack's renderer is pinned to it,
# tests/webserver.py) as header values carry it.
ABOUT_KEY = "localhost%7Cpath%3A%2Fabout%2F"


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


def test_a_new_article_reaches_the_listings_next_page(http_cache, web_server, cms_server,
                                                     celery_worker, cms_env, django_db_blocker):
    """Page 2 of the listing never shows the new article, only the one it pushes over from
    page 1: the CMS purges it by its own tag (under which it recorded the listing's
    children), with no help from the renderer guessing listings from the path."""
    settled(django_db_blocker)
    with database(django_db_blocker):
        from wagtail.models import Page

        index = Page.objects.get(url_path="/home/articles/").specific
        # Page 1's last, as the page's HTML has it.
        pushed = html.escape(index.articles()[index.api_listings[0].per_page - 1].title)
    page2 = f"{http_cache.url}/articles/page/2/"
    before = cached(page2)[2]
    assert f">{pushed}<" not in before
    assert "localhost%7Cpath%3A%2Farticles%2F" not in fetch(
        f"{web_server}/articles/page/2/")[1]["xkey"].split()
    slug = f"newest-{uuid.uuid4().hex[:6]}"
    cms_shell(cms_env, (
        "import datetime\n"
        "from wagtail.models import Page\n"
        "index = Page.objects.get(url_path='/home/articles/').specific\n"
        "model = type(index.get_children().first().specific)\n"
        f"page = model(title='Newest', slug={slug!r}, live=False,\n"
        "             date=datetime.date.today() + datetime.timedelta(days=3650))\n"
        "index.add_child(instance=page)\n"
        "page.save_revision().publish()\n"))
    try:
        await_through(page2, lambda status, headers, body: f">{pushed}<" in body)
    finally:
        cms_shell(cms_env, f"from wagtail.models import Page\n"
                           f"Page.objects.get(url_path='/home/articles/{slug}/').delete()\n")
    await_through(page2, lambda status, headers, body: f">{pushed}<" not in body, timeout=10)


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


def test_search_results_are_never_cached(http_cache, web_server):
    """One entry per query would grow without bound: Next.js answers /search/ private,
    no-store, and Varnish passes it besides."""
    for _ in range(2):
        status, headers, body = fetch(f"{http_cache.url}/search/?q=headache")
        assert status == 200 and "Headless without the headache" in body
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
