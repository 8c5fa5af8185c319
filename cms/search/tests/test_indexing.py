"""The search index: written by the Celery worker after commit, never deadlocked by two
writers at once (`_refresh_title_norms`), and searchable with what was published."""

import json
import sys

import pytest
from django.conf import settings as django_settings
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from cms.testing.factories import SampleContentPageFactory
from cms.testing.processes import wait_until, worker_env
from cms.testing.together import run_together

ROUNDS = 50
CELERY_TASKS = {"default": {"BACKEND": "cms.search.tasks.CeleryTaskBackend"}}

pytestmark = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the deadlock and its lock are PostgreSQL's")


def paragraph(word):
    """A page body of one rich-text paragraph: `word`."""
    return json.dumps([{"type": "rich_text", "value": f"<p>{word}</p>"}])


def found(word):
    return list(Page.objects.live().search(word).get_queryset().values_list("title", flat=True))


def test_two_processes_publishing_at_once_never_deadlock(transactional_db, home, tmp_path):
    """Two processes each publish their pages 50 times, together, writing the index in
    their own transaction (the harshest case: the worker's is shorter). Every title is
    one word, as "Home" is: every title norm is then 1.0, so each `_refresh_title_norms`
    rewrites every entry, and two at once, each holding the entry it just wrote, deadlock
    without the advisory lock. With it every save succeeds and the index holds each
    page's last title and words."""
    pages = {prefix: [SampleContentPageFactory(parent=home, title=f"{prefix}page{n}",
                                               body=paragraph("start")).pk for n in range(2)]
             for prefix in ("alpha", "bravo")}
    env = worker_env(DJANGO_SETTINGS_MODULE="cms.testing.settings")
    results = run_together(
        [[sys.executable, "-m", "cms.search.tests.save_pages", str(tmp_path / "go"), str(ROUNDS),
          prefix, *map(str, ids)] for prefix, ids in pages.items()],
        [env] * len(pages), tmp_path / "go", timeout=300)
    for status, out, err in results:
        errors = [line for line in err.splitlines() if "Error" in line or "DETAIL" in line]
        assert status == 0, "\n".join(errors) or err[-3000:]
        assert out.strip() == f"saved {ROUNDS * 2}"
        assert "deadlock" not in err.lower()
    last = ROUNDS - 1
    for prefix, ids in pages.items():
        titles = IndexEntry.objects.filter(object_id__in=[str(pk) for pk in ids]).values_list(
            "title_text", flat=True)
        assert list(titles) == [f"{prefix}{last}"] * 2
        assert found(f"{prefix}{last}") == [f"{prefix}{last}"] * 2
        assert found(f"{prefix}{last - 1}") == []


def test_the_worker_writes_the_index_after_commit(transactional_db, home, settings,
                                                   start_worker):
    """Publishing queues the index update: nothing is written in the saving process; a
    Celery worker (the production settings) writes it."""
    settings.TASKS = CELERY_TASKS
    page = SampleContentPageFactory(parent=home, title="Quarry", body=paragraph("travertine"))
    assert found("travertine") == []  # queued, not written on the editor's request
    start_worker()
    wait_until(lambda: found("travertine") == ["Quarry"], timeout=30,
               message="the worker indexed the published page")

    page.body = paragraph("sandstone")
    page.save_revision().publish()
    wait_until(lambda: found("sandstone") == ["Quarry"], timeout=30,
               message="the worker re-indexed the page")
    assert found("travertine") == []
