"""Servers tests start for real, on the test database and the test Redis, and waiting
for them: the test database's URL, `wait_until`, gunicorn, Celery workers.

A server is another process, so tests that use one need `transactional_db`: it must
see committed rows.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.error import HTTPError
from urllib.request import HTTPRedirectHandler, build_opener

import redis
from django.conf import settings

from cms.testing.ports import free_port

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def database_url() -> str:
    """The test database (pytest-django's `test_...`), as `DATABASE_URL` for a server."""
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")


def wait_until(check: Callable[[], T], timeout: float, interval: float = 0.05,
               message: str | Callable[[], str] = "condition") -> T:
    """Call `check` every `interval` seconds until it returns something truthy, and return
    that (time it with time.monotonic() around the call where the wait is the figure).
    The test suites' one polling helper.

    AssertionError "<message> not reached within <timeout>s" once `timeout` seconds have
    passed; `message` may be a function, called then, to tell the state it ended in.
    Exceptions of `check` propagate."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            what = message() if callable(message) else message
            raise AssertionError(f"{what} not reached within {timeout}s")
        time.sleep(interval)


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer (HTTPError): the server is up


_opener = build_opener(_NoRedirects)


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until `url` answers with any HTTP status (redirects not followed);
    RuntimeError if `process` exits first or nothing answers within `timeout` seconds."""
    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            _opener.open(url, timeout=2).close()
        except HTTPError:
            return True  # an error status is an answer: the server is up
        except OSError:
            return False
        return True
    try:
        wait_until(answers, timeout, interval=0.2, message=f"{url} answering")
    except AssertionError as error:
        raise RuntimeError(str(error)) from None


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate `process`, killing it if it has not exited within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_env(settings_module: str | None = None, **overrides: str) -> dict[str, str]:
    """The environment of a CMS process on the test database: this process's, with
    `DATABASE_URL` pointed at the test database and `settings_module` (default: the
    settings this test runs under, so the server knows the same page types)."""
    return {**os.environ, "DATABASE_URL": database_url(),
            # The environment's, not settings.SETTINGS_MODULE: override_settings hides that.
            "DJANGO_SETTINGS_MODULE": settings_module or os.environ["DJANGO_SETTINGS_MODULE"],
            "PYTHONUNBUFFERED": "1", **overrides}


@contextmanager
def gunicorn(env: dict[str, str], port: int | None = None, workers: int = 2,
             ready_path: str = "/api/v2/navigation/", args: Sequence[str] = (),
             quiet: bool = False, cwd: Path = REPO) -> Iterator[str]:
    """The CMS under gunicorn on 127.0.0.1:`port` (default: a free one); yields its base
    URL once `ready_path` answers, and stops it on exit. `cwd`: the checkout whose code
    it runs (another one: a scratch copy, tests/test_scaffold.py)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), *args],
        cwd=cwd, env=env, stdout=output, stderr=output,
    )
    try:
        wait_for(f"{url}{ready_path}", process)
        yield url
    finally:
        stop(process)


QUEUE_KEYS = ("celery", "revalidation", "images", "unacked", "unacked_index", "unacked_mutex")


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def clear_broker() -> None:
    """Drop queued messages and our cache marks left by earlier tests (our own Redis db only)."""
    client = redis_client()
    client.delete(*QUEUE_KEYS)
    for key in client.scan_iter(match="*mortar:*", count=500):
        client.delete(key)


def worker_env(**overrides: str) -> dict[str, str]:
    """A worker's environment: the test database and broker, the test's media folder, a
    renderer nobody listens on (tests that want one say so) and short retries."""
    return server_env(**{
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": os.environ.get("REDIS_URL", settings.CELERY_BROKER_URL),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "FRONTEND_URL": "http://127.0.0.1:9", "REVALIDATE_SECRET": settings.REVALIDATE_SECRET,
        "REVALIDATE_RETRY_BACKOFF_MAX": "2", "DATABASE_CONN_MAX_AGE": "0", **overrides})


class Worker:
    """One `celery -A cms worker` process writing its log to a file; `cwd`: the checkout
    whose code it runs."""

    def __init__(self, name: str, log_path: Path, env: dict[str, str], concurrency: int,
                 cwd: Path = REPO) -> None:
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cms", "worker", "--loglevel", "INFO",
             "--concurrency", str(concurrency), "--pool", "prefork", "-n", f"{name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        # Generous: a worker's start (Django, Celery, its pool) is slow on two busy cores,
        # and readiness is not what the tests check.
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


def embedded_env(folder: Path) -> dict[str, str]:
    """The environment of the embedded default (`make dev` on a laptop) in `folder`: a
    SQLite file, local media and the filesystem broker; no PostgreSQL, Redis or broker URL."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    return {**env, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"), "CELERY_BROKER_DIR": str(folder / "broker"),
            "DJANGO_SETTINGS_MODULE": "cms.settings", "PYTHONUNBUFFERED": "1"}
