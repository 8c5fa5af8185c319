"""Real Celery worker processes for tests, on the test database and the test Redis.

The worker is another process, so tests that use one need `transactional_db`: it
must see committed rows. Each test gets fresh workers because pytest-django's flush
between transactional tests re-creates content types under new ids, which a
long-lived worker would still have cached.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

REPO = Path(__file__).resolve().parents[3]
QUEUE_KEYS = ("celery", "revalidation", "images", "unacked", "unacked_index", "unacked_mutex")


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def clear_broker() -> None:
    """Drop queued messages and our cache marks left by earlier tests (our own Redis db only)."""
    client = redis_client()
    client.delete(*QUEUE_KEYS)
    for key in client.scan_iter(match="*mortar:*", count=500):
        client.delete(key)


def wait_until(check: Callable[[], object], timeout: float, interval: float = 0.05,
               message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not reached within {timeout}s")
        time.sleep(interval)


class Worker:
    """One `celery -A cms worker` process writing its log to a file."""

    def __init__(self, name: str, log_path: Path, env: dict[str, str], concurrency: int) -> None:
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", "worker", "--loglevel", "INFO",
             "--concurrency", str(concurrency), "--pool", "prefork", "-n", f"{name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log()[-3000:]}")
            return " ready." in self.log()
        wait_until(ready, timeout, interval=0.1, message=f"worker {self.name} ready")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        """Kill the worker and its pool: the tests are done with whatever it still holds."""
        children = self._leftover_children() if self.process.poll() is None else []
        for pid in [self.process.pid, *children]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        self._log.close()

    def _leftover_children(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids


def worker_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": test_database_url(),
           "DJANGO_SETTINGS_MODULE": "cms.settings", "PYTHONUNBUFFERED": "1",
           "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "REDIS_URL": os.environ.get("REDIS_URL", settings.CELERY_BROKER_URL),
           "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "FRONTEND_URL": "http://127.0.0.1:9", "REVALIDATE_SECRET": settings.REVALIDATE_SECRET,
           "REVALIDATE_RETRY_BACKOFF_MAX": "2", "DATABASE_CONN_MAX_AGE": "0"}
    env.update(overrides)
    return env


@pytest.fixture(scope="session", autouse=True)
def leave_migrated_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Give the next `--reuse-db` session the database that migrations made.

    A transactional test ends with a flush that also removes what Wagtail's data
    migrations created (root page, locale, root collection, groups); tests using plain
    `db` in a later session rely on it. The state is copied when the first test of
    this folder starts (pytest-django runs all `db` tests before transactional ones)
    and put back at the end of the session if a flush removed it.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from wagtail.models import Page

    with django_db_blocker.unblock():
        contents = connection.creation.serialize_db_to_string() if Page.objects.exists() else None
    yield
    if not contents:
        return
    with django_db_blocker.unblock():
        if Page.objects.exists():
            return
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(contents)
        # The flush restarted the id sequences; move them past the restored rows.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        ContentType.objects.clear_cache()
