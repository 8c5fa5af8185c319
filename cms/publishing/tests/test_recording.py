"""Whoever asks first, every renderer entry is recorded: the CMS knows the names each shows.

The renderer asks with its credentials and its `site`; any other client may ask first,
with or without a `site`, and the renderer is then served the document from the CMS's
document cache. Its entry must be recorded all the same, and a later change must reach it.
"""

import hashlib
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.publishing import cache, freshness
from cms.publishing.delivery import deliver
from cms.publishing.models import RendererDependency, RevalidationRequest
from cms.publishing.tests.renderer import add_page
from cms.testing.processes import worker_env
from cms.testing.standins import StandInRenderer
from cms.testing.together import run_together

URL = "/api/v2/pages/by-path/"
RENDERER = {"HTTP_AUTHORIZATION": f"Bearer {django_settings.REVALIDATE_SECRET}"}


@pytest.fixture
def renderer(settings):
    stand_in = StandInRenderer(0, settings.REVALIDATE_SECRET)
    settings.FRONTEND_URL = stand_in.url
    yield stand_in
    stand_in.close()


def get(client, path: str, site: str | None = None, **headers: str):
    return client.get(URL, {"html_path": path, **({"site": site} if site else {})}, **headers)


def tags() -> set[str]:
    return set(RendererDependency.objects.values_list("tag", flat=True))


def deliver_pending() -> None:
    for pk in RevalidationRequest.objects.filter(delivered_at__isnull=True).values_list(
            "pk", flat=True):
        deliver(pk)


def test_a_document_another_client_asked_for_first_is_recorded_when_the_renderer_gets_it(
        client, home, renderer, django_capture_on_commit_callbacks):
    page = add_page(home, "first")
    # A site name no Site has (it falls back to the default one), as a pinned renderer
    # or an alias sends it: nobody's tag is recorded for it as the document is built.
    alias = "alias.localhost"
    assert get(client, "/first/", alias)["X-Mortar-Cache"] == "miss"
    assert get(client, "/first/", alias, HTTP_AUTHORIZATION="Bearer wrong")["X-Mortar-Cache"] \
        == "hit"
    assert "alias.localhost|path:/first/" not in tags()

    served = get(client, "/first/", alias, **RENDERER)

    assert served["X-Mortar-Cache"] == "hit"
    assert "alias.localhost|path:/first/" in tags()
    RevalidationRequest.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "First, again"
        page.save_revision().publish()
    deliver_pending()
    assert "alias.localhost|path:/first/" in renderer.tags()


def test_a_document_built_for_anyone_under_the_sites_own_name_is_recorded_as_built(
        client, home):
    add_page(home, "shared")
    get(client, "/shared/", "localhost")  # no credentials, the Site's own hostname
    assert "localhost|path:/shared/" in tags()
    # The renderer's hit on it then costs no SQL: it is recorded already.
    with CaptureQueriesContext(connection) as queries:
        served = get(client, "/shared/", "localhost", **RENDERER)
    assert served["X-Mortar-Cache"] == "hit" and len(queries) == 0


def test_a_document_dropped_while_the_renderer_was_served_it_is_built_again(
        client, home, monkeypatch, django_capture_on_commit_callbacks):
    """The hit records, then looks again: a change that dropped the document meanwhile may
    have been delivered before the record, so the renderer gets a fresh build."""
    page = add_page(home, "raced")
    get(client, "/raced/", "alias.localhost")
    # The record the API makes, through the surface it calls (cms.publishing.freshness).
    record = freshness.record

    def then_a_change_lands(*args: object) -> None:
        record(*args)
        monkeypatch.setattr(freshness, "record", record)
        with django_capture_on_commit_callbacks(execute=True):
            page.title = "Raced, changed"
            page.save_revision().publish()

    monkeypatch.setattr(freshness, "record", then_a_change_lands)
    served = get(client, "/raced/", "alias.localhost", **RENDERER)

    assert served.status_code == 200 and served["X-Mortar-Cache"] == "miss"
    assert served.json()["title"] == "Raced, changed"
    stored = cache.get(cache.request_key("alias.localhost", "", "/raced/", 1))
    assert stored is not None and stored.recorded


def test_other_clients_never_make_a_tag_per_site_name_they_invent(client, home):
    add_page(home, "bounded")
    for n in range(5):
        assert get(client, "/bounded/", f"invented-{n}.example")["X-Mortar-Cache"] == "miss"
    assert not [tag for tag in tags() if tag.startswith("invented-")]
    # Nor per listing page asked as ?page=: the renderer asks for its pages by path.
    client.get(URL, {"html_path": "/bounded/", "site": "localhost", "page": "1"})
    assert tags() == set()


@pytest.mark.parametrize("slug", [
    "long-" + "wordy-" * 41 + "end",  # a 254-character slug: a 271-character tag
    # A tag of 139 characters as Python counts them, 259 UTF-16 units as JavaScript (and
    # Next.js) does, each 𠀀 being two: a digest on both sides.
    "𠀀" * 120 + "-x",
])
def test_a_page_whose_address_is_longer_than_a_tag_is_recorded_and_told_by_its_digest(
        client, home, renderer, slug, django_capture_on_commit_callbacks):
    """Next.js ignores a tag past 256 characters: such a page's entry is tagged with the
    SHA-256 of its tag, by the renderer (web/lib/cache-tags.ts) and the CMS alike."""
    page = add_page(home, slug)
    path = f"/{slug}/"
    plain = f"localhost|path:{path}"
    assert get(client, path, "localhost", **RENDERER).status_code == 200
    digest = freshness.qualified(freshness.path_tag(path), "localhost")
    assert digest == freshness.DIGEST_PREFIX + hashlib.sha256(plain.encode()).hexdigest()
    assert digest in tags()

    RevalidationRequest.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Told by its digest"
        page.save_revision().publish()
    deliver_pending()
    assert digest in renderer.tags()


def test_a_tag_as_long_as_a_tag_may_be_is_kept_as_it_is():
    tag = "localhost|path:/" + "a" * (freshness.MAX_TAG_LENGTH - len("localhost|path:/"))
    assert freshness.qualified(tag.partition("|")[2], "localhost") == tag


@pytest.mark.skipif(django_settings.DATABASES["default"]["ENGINE"]
                    != "django.db.backends.postgresql", reason="the deadlock is PostgreSQL's")
def test_two_processes_recording_one_entry_at_once_never_deadlock(transactional_db, home,
                                                                  tmp_path):
    """Two CMS processes answering one document at once (two renderers asking for the
    navigation as they start) each record its names, 100 times, together. Each process
    orders a set of names by its own hash seed: rows upserted in two orders deadlock, and
    the loser's request answered 503 (seen in the freshness differential)."""
    site_id = Site.objects.get(root_page=home).pk
    names = [f"menu:{n}" for n in range(60)]
    results = run_together(
        [[sys.executable, "-m", "cms.publishing.tests.record_names", str(tmp_path / "go"), "100",
          str(site_id), "localhost|navigation", *names] for _ in range(2)],
        [worker_env(DJANGO_SETTINGS_MODULE="cms.testing.settings", PYTHONHASHSEED=str(seed))
         for seed in (1, 2)], tmp_path / "go", timeout=120)
    for status, out, err in results:
        assert status == 0 and out.strip() == "recorded 100", err[-3000:]
    assert RendererDependency.objects.filter(tag="localhost|navigation").count() == len(names)
