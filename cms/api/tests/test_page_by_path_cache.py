"""The by-path cache: hits cost no SQL, and every change a page shows drops it."""

import datetime
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.publishing.freshness import cache, dependencies
from cms.testing.factories import (
    SampleArticlePageFactory,
    SampleContentPageFactory,
    SampleIndexPageFactory,
)
from cms.testing.processes import REPO, gunicorn, server_env

URL = "/api/v2/pages/by-path/"


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish like an editor: the after-commit work (dropping cached documents) runs."""

    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return run


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fetch(client, path="/about/", **headers):
    response = client.get(URL, {"html_path": path}, **headers)
    return response, (json.loads(response.content) if response.status_code == 200 else None)


@pytest.fixture
def about(home, after_commit):
    with after_commit():
        return SampleContentPageFactory(parent=home, title="About")


def test_second_request_is_a_hit_without_sql_and_etag_gives_304(client, about):
    first, doc = fetch(client)
    with CaptureQueriesContext(connection) as queries:
        second, again = fetch(client)
    not_modified, _ = fetch(client, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["X-Mortar-Cache"] == "miss" and second["X-Mortar-Cache"] == "hit"
    assert len(queries) == 0
    assert again == doc and second["ETag"] == first["ETag"]
    assert not_modified.status_code == 304 and not_modified.content == b""


@contextmanager
def redis_commands() -> Iterator[list[list[str]]]:
    """The commands Redis runs meanwhile on this process's keys (its CACHE_KEY_PREFIX), as
    Redis itself reports them (MONITOR): each as its command name (upper case) and first
    argument, in the order run. Other processes sharing the server have keys of their own."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=10)
    ours = f"{settings.CACHE_KEY_PREFIX}:"
    end = f"end-of-watch-{uuid.uuid4().hex}"
    seen: list[list[str]] = []
    with client.monitor() as monitor:
        yield seen
        client.echo(end)  # on a connection of its own, after everything watched
        while end not in (command := monitor.next_command())["command"]:
            name, _, rest = command["command"].partition(" ")
            key = rest.partition(" ")[0]
            if key.startswith(ours):
                seen.append([name.upper(), key])


def test_a_miss_checks_and_reads_once_and_a_hit_is_one_get(client, about):
    """A miss asks Redis for the document once (the cache front's GET, handed on to the
    view that builds it), then stores it; a hit is one GET and nothing else of Redis."""
    with redis_commands() as on_miss:
        miss, doc = fetch(client)
    with redis_commands() as on_hit:
        hit, again = fetch(client)

    assert miss["X-Mortar-Cache"] == "miss" and hit["X-Mortar-Cache"] == "hit"
    assert again == doc
    documents = [[name, key] for name, key in on_miss if ":doc:" in key]
    key = documents[0][1] if documents else None
    assert documents == [["GET", key], ["SET", key]]
    assert on_hit == [["GET", key]]


def test_publishing_the_page_drops_its_document(client, about, publish):
    fetch(client)
    about.title = "About us, new"
    publish(about)

    response, doc = fetch(client)

    assert response["X-Mortar-Cache"] == "miss" and doc["title"] == "About us, new"


def test_a_draft_save_keeps_the_published_document(client, about):
    fetch(client)
    about.title = "Draft title"
    about.save_revision()

    response, doc = fetch(client)

    assert response["X-Mortar-Cache"] == "hit" and doc["title"] == "About"


def test_renaming_a_linked_page_refreshes_the_link(client, home, about, publish, after_commit):
    with after_commit():
        contact = SampleContentPageFactory(parent=home, title="Contact")
    about.body = json.dumps([{"type": "cta", "value": {
        "label": "x", "link": {"page": contact.pk, "url": ""}}}])
    publish(about)
    fetch(client)
    contact.title = "Write to us"
    publish(contact)

    _, doc = fetch(client)

    assert doc["body"][0]["value"]["link"]["page"]["title"] == "Write to us"


def test_unpublishing_and_restricting_give_404_at_once(client, home, about, after_commit):
    with after_commit():
        team = SampleContentPageFactory(parent=home, title="Team")
    fetch(client)
    fetch(client, "/team/")
    with after_commit():
        about.unpublish()
    with after_commit():
        PageViewRestriction.objects.create(page=team, restriction_type="login")

    assert fetch(client)[0].status_code == 404
    assert fetch(client, "/team/")[0].status_code == 404


def test_a_new_article_appears_in_the_cached_listing(client, home, after_commit):
    with after_commit():
        index = SampleIndexPageFactory(parent=home, title="News")
        SampleArticlePageFactory(parent=index, title="First", date=datetime.date(2026, 1, 1))
    assert [i["title"] for i in fetch(client, "/news/")[1]["articles"]["items"]] == ["First"]

    with after_commit():
        SampleArticlePageFactory(parent=index, title="Second", date=datetime.date(2026, 2, 1))

    titles = [i["title"] for i in fetch(client, "/news/")[1]["articles"]["items"]]
    assert titles == ["Second", "First"]


def test_moving_a_page_drops_documents_below_it(client, home, about, after_commit):
    with after_commit():
        team = SampleContentPageFactory(parent=about, title="Team")
        other = SampleContentPageFactory(parent=home, title="Other")
    fetch(client, "/about/team/")

    with after_commit():
        team.move(other, pos="last-child")

    moved = fetch(client, "/about/team/")[0]
    assert moved.status_code == 301 and moved["Location"] == "/other/team/"  # Wagtail's redirect
    assert fetch(client, "/other/team/")[1]["meta"]["breadcrumbs"][-1]["title"] == "Other"


def test_changing_an_image_refreshes_pages_that_show_it(client, about, make_image, publish,
                                                        after_commit):
    image = make_image()
    about.body = json.dumps([{"type": "image", "value": {"image": image.pk, "alt": "",
                                                         "caption": ""}}])
    publish(about)
    fetch(client)
    with after_commit():
        image.title = "Renamed"
        image.description = "A new description"
        image.save()

    _, doc = fetch(client)

    assert doc["body"][0]["value"]["image"]["alt"] == "A new description"


def test_a_change_during_a_build_is_not_hidden_by_the_cache(client, about, publish,
                                                            monkeypatch):
    """A publish that lands while a document is being built: that document is not kept."""
    from cms.api import representation

    real_build = representation.represent_page

    def build_then_publish_elsewhere(*args, **kwargs):
        built = real_build(*args, **kwargs)
        cache.bump([dependencies.page(about.pk)])  # what the publish's after-commit does
        return built

    monkeypatch.setattr(representation, "represent_page", build_then_publish_elsewhere)
    fetch(client)
    monkeypatch.setattr(representation, "represent_page", real_build)

    assert fetch(client)[0]["X-Mortar-Cache"] == "miss"


def test_a_change_during_a_build_is_built_again_with_the_cache_off(client, settings, about,
                                                                  monkeypatch):
    """Without the document cache, a document built while a change committed is built
    again: the renderer would keep it, and that change's revalidation may have been planned
    before this document's names were recorded."""
    from cms.api import representation

    settings.API_CACHE_SECONDS = 0
    real_build = representation.represent_page
    builds = []

    def build_then_rename(*args, **kwargs):
        built = real_build(*args, **kwargs)
        if not builds:  # the change commits once, during the first build
            type(about).objects.filter(pk=about.pk).update(title="Renamed meanwhile")
            cache.bump([dependencies.page(about.pk)])  # its delivery, before it is planned
        builds.append(built)
        return built

    monkeypatch.setattr(representation, "represent_page", build_then_rename)
    headers, doc = fetch(client)

    assert len(builds) == 2 and doc["title"] == "Renamed meanwhile"
    assert headers["X-Mortar-Cache"] == "miss"


def test_the_cache_can_be_turned_off(client, settings, about):
    settings.API_CACHE_SECONDS = 0
    fetch(client)

    assert fetch(client)[0]["X-Mortar-Cache"] == "miss"


def test_bad_parameters_are_refused_even_when_a_document_is_cached(client, about):
    fetch(client)

    response = client.get(URL, {"html_path": "/about/", "site": ""})

    assert response.status_code == 400
    assert "hostname" in json.loads(response.content)["message"]


@pytest.mark.django_db(transaction=True)
def test_two_stacks_with_their_own_prefix_on_one_redis_never_share_documents(home):
    """Two CMS deployments (here: two gunicorns on one database, so that only the cache can
    tell them apart) on one Redis database, each with its CACHE_KEY_PREFIX: neither is
    served the other's documents, and a change dropped by one leaves the other's."""
    about = SampleContentPageFactory(parent=home, title="About")
    blue_env = server_env(CACHE_KEY_PREFIX="blue-" + uuid.uuid4().hex[:8])
    green_env = server_env(CACHE_KEY_PREFIX="green-" + uuid.uuid4().hex[:8])
    with gunicorn(blue_env, workers=1, quiet=True) as blue, \
            gunicorn(green_env, workers=1, quiet=True) as green:
        def served(stack: str) -> str:
            answer = requests.get(f"{stack}{URL}", {"html_path": "/about/"}, timeout=10)
            assert answer.status_code == 200, answer.text
            return answer.headers["X-Mortar-Cache"]

        assert [served(blue), served(blue)] == ["miss", "hit"]
        assert [served(green), served(green)] == ["miss", "hit"]  # not blue's
        # Green's change, as its worker delivers it, drops green's copy only.
        bump = f"from cms.publishing import cache\ncache.bump(['page:{about.pk}'])"
        subprocess.run([sys.executable, "manage.py", "shell", "-c", bump], cwd=REPO,
                       env=green_env, check=True, capture_output=True, timeout=60)
        assert served(green) == "miss"
        assert served(blue) == "hit"
