"""Scheduled publishing and expiry through real Celery workers on Redis."""

import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg2
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from cms.publishing.tasks import publish_scheduled_revision
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage
from cms.testing.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def schedule(page: SampleContentPage, seconds: float) -> tuple[Revision, datetime]:
    """Publish with a go-live time, as an editor's "Publish" with a schedule does."""
    go_live_at = timezone.now() + timedelta(seconds=seconds)
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()
    return revision, go_live_at


def fresh(page: SampleContentPage) -> SampleContentPage:
    return SampleContentPage.objects.get(pk=page.pk)


def log_count(page: SampleContentPage, action: str) -> int:
    return PageLogEntry.objects.filter(page_id=page.pk, action=action).count()


def wait_live(page: SampleContentPage, timeout: float) -> datetime:
    wait_until(lambda: fresh(page).live, timeout, message="page live")
    return timezone.now()


# Polling the database from here adds up to this much to what a visitor would see.
OBSERVATION_SLACK = timedelta(seconds=0.5)


def test_scheduled_page_is_live_within_a_second_of_go_live(home, start_worker):
    start_worker(concurrency=2)
    page = SampleContentPageFactory(parent=home, title="Launch", publish=False)
    revision, go_live_at = schedule(page, 3)
    assert not fresh(page).live
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at == go_live_at

    seen_live_at = wait_live(page, timeout=6)

    page = fresh(page)
    assert timedelta(0) <= page.last_published_at - go_live_at < timedelta(seconds=1)
    assert seen_live_at - go_live_at < timedelta(seconds=1) + OBSERVATION_SLACK
    assert page.live_revision_id == revision.pk
    assert log_count(page, "wagtail.publish.scheduled") == 1
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is None


def test_expiry_unpublishes_on_time(home, start_worker):
    start_worker(concurrency=2)
    page = SampleContentPageFactory(parent=home, title="Offer", publish=False)
    expire_at = timezone.now() + timedelta(seconds=3)
    page.expire_at = expire_at
    page.save_revision().publish()
    assert fresh(page).live

    wait_until(lambda: not fresh(page).live, timeout=6, message="page expired")

    assert timezone.now() - expire_at < timedelta(seconds=1) + OBSERVATION_SLACK
    page = fresh(page)
    assert page.expired
    (entry,) = PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.unpublish.scheduled")
    assert timedelta(0) <= entry.timestamp - expire_at < timedelta(seconds=1)


def test_moved_schedule_publishes_the_new_revision_at_the_new_time(home, start_worker):
    worker = start_worker(concurrency=2)
    page = SampleContentPageFactory(parent=home, title="Moved", publish=False)
    _first, first_at = schedule(page, 2)
    page = fresh(page)
    second, second_at = schedule(page, 5)

    # The first schedule's task runs at its time and finds itself superseded.
    wait_until(lambda: "'stale'" in worker.log() or "'nothing to do'" in worker.log(),
               timeout=(first_at - timezone.now()).total_seconds() + 5,
               message="the first schedule's task done")
    assert not fresh(page).live, "the stale task of the first schedule published"

    seen_live_at = wait_live(page, timeout=6)
    assert timedelta(0) <= fresh(page).last_published_at - second_at < timedelta(seconds=1)
    assert seen_live_at - second_at < timedelta(seconds=1) + OBSERVATION_SLACK
    assert fresh(page).live_revision_id == second.pk
    assert log_count(page, "wagtail.publish.scheduled") == 1


def test_cancelled_schedule_is_not_published(home, start_worker, editor):
    worker = start_worker()
    page = SampleContentPageFactory(parent=home, title="Cancelled", publish=False)
    revision, _go_live_at = schedule(page, 2)
    wait_until(lambda: "publish_scheduled_revision" in worker.log(), 3,
               message="ETA task received")

    response = editor.post(
        reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk]))
    assert response.status_code == 302

    wait_until(lambda: "'nothing to do'" in worker.log(), 5,
               message="the stale task ran and did nothing")
    assert not fresh(page).live
    assert log_count(page, "wagtail.publish.scheduled") == 0


def test_two_workers_and_duplicated_tasks_publish_once(home, start_worker):
    workers = start_worker(concurrency=2, count=2)
    page = SampleContentPageFactory(parent=home, title="Raced", publish=False)
    revisions_before = Revision.objects.filter(object_id=str(page.pk)).count()
    revision, go_live_at = schedule(page, 2)
    for _ in range(7):  # plus the one armed by the schedule itself
        publish_scheduled_revision.apply_async((revision.pk, go_live_at.isoformat()),
                                               eta=go_live_at)

    wait_live(page, timeout=5)
    logs = lambda: "".join(worker.log() for worker in workers)  # noqa: E731
    done = lambda: re.findall(r"publish_scheduled_revision\[.*\] succeeded .*: '(.*)'", logs())  # noqa: E731
    wait_until(lambda: len(done()) == 8, 5, message="all eight tasks done")

    page = fresh(page)
    assert page.live_revision_id == revision.pk
    assert log_count(page, "wagtail.publish.scheduled") == 1
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions_before + 1
    assert sorted(done()) == ["nothing to do"] * 7 + ["published"]


@contextmanager
def task_blocked_on(revision: Revision) -> Iterator[None]:
    """Hold the revision's row lock until the publish task waits on it inside its transaction,
    so the body can kill the worker mid-task; the lock is released on the way out."""
    db = settings.DATABASES["default"]
    blocker = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                               host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    try:
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM wagtailcore_revision WHERE id = %s FOR UPDATE",
                           [revision.pk])

            def task_waits_on_lock() -> bool:
                # Statistics are a snapshot per transaction; this one stays open.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                               "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
                               [db["NAME"]])
                return cursor.fetchone()[0] == 1

            wait_until(task_waits_on_lock, 6, message="task blocked mid-transaction")
            yield
        blocker.rollback()
    finally:
        blocker.close()


def test_worker_killed_mid_task_publishes_once_after_restart(home, start_worker):
    worker = start_worker(concurrency=1)
    page = SampleContentPageFactory(parent=home, title="Killed", publish=False)
    revision, _go_live_at = schedule(page, 1.5)

    with task_blocked_on(revision):
        (child,) = worker.children()
        os.kill(child, signal.SIGKILL)
        wait_until(lambda: "WorkerLostError" in worker.log(), 5, message="worker lost")
        assert not fresh(page).live

    wait_live(page, timeout=8)
    page = fresh(page)
    assert page.live_revision_id == revision.pk
    assert log_count(page, "wagtail.publish.scheduled") == 1
    wait_until(lambda: "'published'" in worker.log(), 3, message="task success logged")
    assert worker.log().count("'published'") == 1


def test_whole_worker_killed_mid_task_publishes_once_after_restart(home, start_worker):
    """The machine dies, not just a pool process: the broker hands the task to a new worker."""
    visibility_timeout = timedelta(seconds=3)
    broker_env = {"CELERY_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout.seconds)}
    worker = start_worker(concurrency=1, **broker_env)
    page = SampleContentPageFactory(parent=home, title="Crashed", publish=False)
    revision, go_live_at = schedule(page, 1.5)

    with task_blocked_on(revision):
        for pid in [worker.process.pid, *worker.children()]:
            os.kill(pid, signal.SIGKILL)
        worker.process.wait()
    # Past the go-live time with no worker: nothing publishes it.
    wait_until(lambda: timezone.now() > go_live_at, timeout=5, message="go-live time passed")
    assert not fresh(page).live

    # The dead worker's message goes back to the queue when a worker starts once it has been
    # unacknowledged for the visibility timeout (it was taken before go-live); kombu's next
    # sweep is 100 s later (unacked_restore_interval x unacked_restore_throttle).
    wait_until(lambda: timezone.now() > go_live_at + visibility_timeout, timeout=5,
               message="visibility timeout passed")
    restarted = start_worker(concurrency=1, **broker_env)
    wait_live(page, timeout=15)
    page = fresh(page)
    assert page.live_revision_id == revision.pk
    assert log_count(page, "wagtail.publish.scheduled") == 1
    wait_until(lambda: "'published'" in restarted.log(), 3, message="task success logged")


def test_a_revalidation_backlog_does_not_delay_a_scheduled_publish(home, start_worker):
    """Renderer down with hundreds of requests queued: publishes have their own queue."""
    from cms.publishing import renderer_tags
    from cms.publishing.models import RevalidationRequest
    from cms.publishing.tasks import deliver_revalidation

    start_worker(concurrency=1)
    from wagtail.models import Site

    site = Site.objects.get()
    # Each row has a tag to send.
    renderer_tags.record(renderer_tags.SITEMAP, [f"pages:{site.pk}"], site)
    rows = RevalidationRequest.objects.bulk_create(
        RevalidationRequest(tags=[f"pages:{site.pk}"]) for n in range(600))
    for row in rows:
        deliver_revalidation.delay(row.pk)
    page = SampleContentPageFactory(parent=home, title="On-Time", publish=False)
    _revision, go_live_at = schedule(page, 2)

    wait_live(page, timeout=6)

    assert timedelta(0) <= fresh(page).last_published_at - go_live_at < timedelta(seconds=1)
    assert RevalidationRequest.objects.filter(delivered_at__isnull=True).count() > 500
