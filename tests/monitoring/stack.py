"""The monitoring test stack: the CMS under gunicorn, a worker, beat, a renderer and nginx,
each with its metrics, error reports (to a local Sentry receiver) and JSON logs in files.

Its own processes rather than the session's, which run without metrics listeners: they
share the session's test database, Redis cache and `next build`, but not its broker (a
filesystem broker of its own, so the session's worker never takes its tasks).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cms.testing.ports import free_port
from cms.testing.processes import REPO, Worker, database_url, stop, wait_for, wait_until
from tests.monitoring.sentry import Receiver
from tests.webserver import WebBuild, next_start

REVALIDATE_SECRET = "monitoring-revalidate-secret-5f0c2a9e"
METRICS_TOKEN = "monitoring-metrics-token-93b1d6e4"
SECRET_KEY = "monitoring-secret-key-" + "k" * 40
RELEASE = "mortar@monitoring-test"
PROBE_TASK_SECRET = "probe-task-argument-" + "7d" * 8


def json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


@dataclass
class Renderer:
    """`next start` of the session's build, that a test may stop and start again."""

    build: WebBuild
    port: int
    env: dict[str, str]
    log: Path
    _running: ExitStack | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        stack = ExitStack()
        output = stack.enter_context(self.log.open("ab"))
        stack.enter_context(next_start(self.build, self.port, self.env, stdout=output,
                                       stderr=subprocess.STDOUT))
        self._running = stack

    def stop(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None


@dataclass
class Stack:
    folder: Path
    env: dict[str, str]
    cms_url: str
    renderer: Renderer
    worker: Worker
    worker_metrics_port: int
    renderer_metrics_port: int
    receiver: Receiver
    cms_log: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def shell(self, code: str, **env: str) -> None:
        """ORM code in a CMS process of this stack (its broker: the tasks go to its worker)."""
        subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=REPO,
                       env={**self.env, **env}, check=True, capture_output=True, timeout=60)

    def republish(self, url_path: str) -> None:
        """Publish the page at `url_path` again, unchanged: a change to deliver all the same."""
        self.shell("from wagtail.models import Page\n"
                   f"Page.objects.get(url_path={url_path!r}).specific"
                   ".save_revision().publish()\n")

    def deliver_pending(self) -> None:
        """Changes made before this stack (the seed's, queued on the session's broker) are
        delivered by its worker, so that its outbox starts empty."""
        self.shell("from cms.publishing.models import RevalidationRequest\n"
                   "from cms.publishing.tasks import deliver_revalidation\n"
                   "for pk in RevalidationRequest.objects.filter(delivered_at__isnull=True)"
                   ".values_list('pk', flat=True):\n"
                   "    deliver_revalidation.delay(pk)\n")

        def empty() -> bool:
            from cms.publishing.models import RevalidationRequest

            return not RevalidationRequest.objects.filter(delivered_at__isnull=True).exists()
        wait_until(empty, 120, interval=0.5, message="the outbox delivered")

    @contextmanager
    def beat(self) -> Iterator[subprocess.Popen]:
        log = (self.folder / "beat.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", "beat", "--loglevel", "INFO",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
             "--pidfile", str(self.folder / "beat.pid")],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: "beat: Starting" in (self.folder / "beat.log").read_text(),
                       30, interval=0.1, message="beat started")
            yield process
        finally:
            stop(process)
            log.close()


@contextmanager
def monitoring_stack(build: WebBuild, receiver: Receiver) -> Iterator[Stack]:
    folder = Path(tempfile.mkdtemp(prefix="mortar-monitoring-"))
    cms_port, web_port = free_port(), free_port()
    worker_metrics_port, renderer_metrics_port = free_port(), free_port()
    cms_url, web_url = f"http://127.0.0.1:{cms_port}", f"http://127.0.0.1:{web_port}"
    prefix = f"monitoring-{os.getpid()}-"
    env = {**os.environ, "DATABASE_URL": database_url(),
           "DJANGO_SETTINGS_MODULE": "tests.monitoring.settings", "PYTHONUNBUFFERED": "1",
           "CELERY_BROKER_URL": "filesystem://localhost//",
           "CELERY_BROKER_DIR": str(folder / "broker"), "CACHE_KEY_PREFIX": prefix,
           "SECRET_KEY": SECRET_KEY, "WAGTAILADMIN_BASE_URL": cms_url, "FRONTEND_URL": web_url,
           "REVALIDATE_SECRET": REVALIDATE_SECRET, "REVALIDATE_RETRY_BACKOFF_MAX": "1",
           "HTTP_CACHE_PURGE_URLS": "", "METRICS_TOKEN": METRICS_TOKEN,
           "SENTRY_DSN": receiver.dsn(1), "SENTRY_RELEASE": RELEASE,
           "LOG_FORMAT": "json", "LOG_REQUESTS": "true", "DATABASE_CONN_MAX_AGE": "0",
           "PROBE_TASK_SECRET": PROBE_TASK_SECRET}
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)  # last, once all stopped
        for name in ("prometheus-cms", "prometheus-worker"):
            (folder / name).mkdir()
        cms_log = folder / "cms.log"
        output = stack.enter_context(cms_log.open("wb"))
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
             f"127.0.0.1:{cms_port}", "--workers", "2"],
            cwd=REPO, env={**env, "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus-cms")},
            stdout=output, stderr=subprocess.STDOUT)
        stack.callback(stop, gunicorn)
        wait_for(f"{cms_url}/metrics", gunicorn)
        worker = Worker("monitoring", folder / "worker.log",
                        {**env, "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus-worker"),
                         "WORKER_METRICS_PORT": str(worker_metrics_port)}, concurrency=1)
        stack.callback(worker.stop)
        renderer = Renderer(build, web_port, {
            "CMS_API_URL": cms_url, "REVALIDATE_SECRET": REVALIDATE_SECRET,
            "NEXT_PUBLIC_SITE_URL": web_url, "CACHE_KEY_PREFIX": prefix,
            "METRICS_PORT": str(renderer_metrics_port), "SENTRY_DSN": receiver.dsn(2),
            "SENTRY_RELEASE": RELEASE, "LOG_REQUESTS": "true"}, folder / "renderer.log")
        renderer.start()
        stack.callback(renderer.stop)
        worker.wait_ready()
        yield Stack(folder, env, cms_url, renderer, worker, worker_metrics_port,
                    renderer_metrics_port, receiver, cms_log, [gunicorn])

