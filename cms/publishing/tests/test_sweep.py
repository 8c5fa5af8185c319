"""The minute sweep, its registration in the beat schedule, and the admin report."""

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from wagtail.models import PageLogEntry, Revision

from cms.publishing import scheduling
from cms.publishing.apps import SWEEP_NAME
from cms.publishing.tasks import SWEEP_TASK
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage
from cms.testing.processes import REPO, clear_broker, redis_client, wait_until, worker_env

pytestmark = pytest.mark.django_db


def scheduled_revision(page: SampleContentPage, seconds: float) -> Revision:
    """A revision scheduled behind the signals' back, like one whose ETA task was lost."""
    revision = page.save_revision()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=timezone.now() + timedelta(seconds=seconds))
    return revision


def test_sweep_task_is_registered_in_the_database_scheduler_and_survives_migrate():
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    task = PeriodicTask.objects.get(name=SWEEP_NAME)
    assert task.task == SWEEP_TASK
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (60, IntervalSchedule.SECONDS)
    assert PeriodicTask.objects.filter(task=SWEEP_TASK).count() == 1
    assert IntervalSchedule.objects.filter(every=60, period=IntervalSchedule.SECONDS).count() == 1


def test_sweep_publishes_missed_schedules_once_and_expires_overdue_pages(home):
    clear_broker()
    missed = SampleContentPageFactory(parent=home, title="Missed", publish=False)
    revision = scheduled_revision(missed, -30)
    live = SampleContentPageFactory(parent=home, title="Expiring", publish=False)
    live.save_revision().publish()
    SampleContentPage.objects.filter(pk=live.pk).update(
        expire_at=timezone.now() - timedelta(seconds=5))

    first = scheduling.sweep()
    second = scheduling.sweep()

    assert (first.published, first.expired, first.failed) == (1, 1, 0)
    assert (second.published, second.expired) == (0, 0)
    assert SampleContentPage.objects.get(pk=missed.pk).live_revision_id == revision.pk
    assert PageLogEntry.objects.filter(page_id=missed.pk,
                                       action="wagtail.publish.scheduled").count() == 1
    expired = SampleContentPage.objects.get(pk=live.pk)
    assert not expired.live and expired.expired


def test_sweep_arms_only_changes_due_before_the_next_sweep(home):
    clear_broker()
    soon = scheduled_revision(
        SampleContentPageFactory(parent=home, title="Soon", publish=False), 30)
    scheduled_revision(
        SampleContentPageFactory(parent=home, title="Later", publish=False), 2 * 60 * 60)

    assert scheduling.sweep().armed == 1
    assert scheduling.sweep().armed == 0  # already armed, not sent again

    queued = redis_client().lrange("celery", 0, -1)
    assert len(queued) == 1
    assert str(soon.pk).encode() in queued[0] and b"publish_scheduled_revision" in queued[0]


def test_stale_or_early_tasks_do_nothing(home):
    revision = scheduled_revision(
        SampleContentPageFactory(parent=home, title="Guarded", publish=False), 60)
    go_live_at = Revision.objects.get(pk=revision.pk).approved_go_live_at
    assert scheduling.publish_revision_if_due(revision.pk, go_live_at.isoformat()) == "early"
    moved = (go_live_at - timedelta(minutes=5)).isoformat()
    assert scheduling.publish_revision_if_due(revision.pk, moved) == "stale"
    assert scheduling.publish_revision_if_due(10**9, None) == "nothing to do"
    assert not SampleContentPage.objects.get(slug="guarded").live


def test_admin_report_lists_upcoming_publishes_and_expiries(home, editor):
    page = SampleContentPageFactory(parent=home, title="Upcoming", publish=False)
    page.go_live_at = timezone.now() + timedelta(days=2)
    revision = page.save_revision(user=editor.user)
    revision.publish(user=editor.user)
    ending = SampleContentPageFactory(parent=home, title="Ending", publish=False)
    ending.expire_at = timezone.now() + timedelta(days=3)
    ending.save_revision().publish()

    response = editor.get(reverse("mortar_publishing:scheduled"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Upcoming" in html and "Ending" in html
    assert "publish" in html and "unpublish" in html
    assert str(revision.pk) in html and "editor" in html
    csv = editor.get(reverse("mortar_publishing:scheduled") + "?export=csv")
    assert csv.status_code == 200 and b"Upcoming" in b"".join(csv.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_beat_and_worker_run_the_sweep_on_the_embedded_filesystem_broker(tmp_path):
    """No Redis: kombu's filesystem transport in a folder, as `make dev` uses by default."""
    call_command("migrate", verbosity=0)  # the flush of an earlier test removed the schedule
    # Last run a day ago: beat's DatabaseScheduler finds the sweep due as it starts.
    PeriodicTask.objects.filter(name=SWEEP_NAME).update(
        last_run_at=timezone.now() - timedelta(days=1))
    env = worker_env(CELERY_BROKER_URL="filesystem://localhost//",
                     CELERY_BROKER_DIR=str(tmp_path / "q"))
    del env["REDIS_URL"]
    worker_log = tmp_path / "worker.log"
    with worker_log.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", "worker", "--concurrency", "1",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", "beat", "--loglevel", "INFO"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: re.search(r"tasks\.sweep\[.*\] succeeded", worker_log.read_text()),
                       30, 0.2, "beat sent the sweep and the worker ran it")
            assert beat.poll() is None, "beat exited"
        finally:
            for process in (worker, beat):
                process.terminate()
                process.wait(timeout=15)
