"""The whole stack, started for real: the CMS under gunicorn on the test database.

These tests run in their own pytest session (`make test-e2e`) so that the demo content they
seed is never flushed by transactional unit tests. Under pytest-xdist each worker runs a
stack of its own (its own database, Redis, CMS, worker, caches and renderers: see
cms.testing.parallel) on the run's one `next build` (`web_build`), so tests that change the
site only change their worker's.
"""

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from cms.testing.ports import free_port
from cms.testing.processes import REPO, database_url, gunicorn, stop


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker) -> None:
    from django.db import connection

    # pytest-django makes the test database only when a collected test asks for one.
    assert connection.settings_dict["NAME"].startswith("test_"), (
        "no test database: mark a test of this session with @pytest.mark.django_db")
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


RUN = "MORTAR_TEST_RUN"  # names what the processes of one run share (its `next build`)


def pytest_configure(config: pytest.Config) -> None:
    """The first process of a run (the xdist controller, or the only one) names the run;
    the workers it starts inherit the name."""
    if RUN not in os.environ:
        os.environ[RUN] = f"{os.getpid()}"
        config.stash[_owns_run] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_owns_run, False):
        from tests.webserver import remove_run_builds

        remove_run_builds(os.environ.pop(RUN))


_owns_run = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def test_run() -> str:
    """The name of this run, the same in all its processes."""
    return os.environ[RUN]


# What tests need the stack for, in the order each process runs them (pytest-xdist's
# loadfile hands out files in this order): the longest files, which start no stack of the
# session's, first (last, they left one worker running them alone while the other idled);
# then tests that read the demo content as seed_demo made it, those that change the whole
# site last, tests of no stack at all after them.
LONGEST_WITHOUT_STACK = ("test_scaffold.py", "test_make_dev.py", "test_scaffold_refusals.py")
SEED_READING = ("test_site_editing_seeded_pages.py",)
SITE_CHANGING = ("test_freshness.py", "test_freshness_differential.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        if item.path.name in LONGEST_WITHOUT_STACK:
            return -1
        if item.path.name in SEED_READING:
            return 0
        if item.path.name in SITE_CHANGING:
            return 2
        return 1 if "seeded_db" in getattr(item, "fixturenames", ()) else 3
    items.sort(key=rank)


REVALIDATE_SECRET = "e2e-revalidate-secret-0123456789"
# `next start` instances of the scale-out test (tests/scaleout.py), the session's included.
RENDERERS = 2


@pytest.fixture(scope="session")
def ports() -> dict[str, int]:
    """Chosen up front: the CMS must know the renderer's URL and the renderer the CMS's."""
    # web2..webN: the renderers the scale-out test adds behind its own HTTP cache
    # (tests/scaleout.py); nothing else starts them.
    return {"cms": free_port(), "web": free_port(),
            **{f"web{n}": free_port() for n in range(2, RENDERERS + 1)}}


@pytest.fixture(scope="session")
def cms_url(ports) -> str:
    return f"http://127.0.0.1:{ports['cms']}"


@pytest.fixture(scope="session")
def web_url(ports) -> str:
    return f"http://127.0.0.1:{ports['web']}"


@pytest.fixture(scope="session")
def cms_env(seeded_db, cms_url, web_url, http_cache,  # noqa: F811
            scale_out_cache) -> dict[str, str]:  # noqa: F811
    """The environment every CMS process of the stack shares: the test database, Redis,
    the renderer and the HTTP caches in front of it (the session's, and the scale-out
    test's in front of all its renderers)."""
    return {**os.environ, "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "cms.settings", "PYTHONUNBUFFERED": "1",
            "WAGTAILADMIN_BASE_URL": cms_url, "FRONTEND_URL": web_url,
            "REVALIDATE_SECRET": REVALIDATE_SECRET,
            "HTTP_CACHE_PURGE_URLS": f"{http_cache.url},{scale_out_cache.url}",
            # Every test signs in from 127.0.0.1, some with wrong passwords on purpose: the
            # lockout itself is tested in cms/lockout, not by locking the whole suite out.
            "LOGIN_FAILURE_LIMIT": "1000",
            # Likewise every form posted in the session is 127.0.0.1's; the limit itself
            # is tested in cms/forms/tests/test_submissions_api.py.
            "FORM_SUBMISSION_RATE": "1000/m",
            # Outage tests break a part, then ask /healthz: no answer from before the break.
            "HEALTH_CHECK_CACHE_SECONDS": "0"}


@pytest.fixture(scope="session")
def celery_worker(cms_env) -> Iterator[subprocess.Popen]:
    """A real Celery worker on the Redis broker, for the stack's background work."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--loglevel", "INFO",
         "--concurrency", "2", "--without-gossip", "--without-mingle"],
        cwd=REPO, env=cms_env,
    )
    try:
        yield process
    finally:
        stop(process)


# What the stack's gunicorn runs with: access log on stdout, no request-line limit
# (the path tests send long paths; nginx limits them in front).
GUNICORN_ARGS = ("--access-logfile", "-", "--limit-request-line", "0")


@pytest.fixture(scope="session")
def cms_server(cms_env, cms_url, ports) -> Iterator[str]:
    with gunicorn(cms_env, ports["cms"], args=GUNICORN_ARGS) as url:
        assert url == cms_url
        yield url


from tests.httpcache import http_cache, scale_out_cache  # noqa: E402, F401  (fixtures, infra/)
from tests.scaleout import more_cms_servers, more_renderers  # noqa: E402, F401  (fixtures)
from tests.webserver import web_build, web_server  # noqa: E402, F401  (fixtures, owned by web/)
