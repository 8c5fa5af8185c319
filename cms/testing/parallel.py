"""Test processes side by side (pytest-xdist workers, and `make test`'s sessions running at
once): each takes a slot of its own, and with it its own test database, Redis databases,
media folder, cache prefix and ports, so that no process sees another's queue, rows, files
or servers.

Registered with `-p cms.testing.parallel` (pyproject.toml), it runs before pytest-django
reads the settings. A process that runs tests takes the lowest free slot N of SLOTS (a lock
held until it exits; the key is the REDIS_URL and DATABASE_URL it was given). With REDIS_URL
naming database B, its REDIS_URL and CELERY_BROKER_URL name database B+N and
`spare_redis_url()` (a scratch copy's own, tests/test_scaffold.py) names B+SLOTS+N: a
checkout's runs use the 2 x SLOTS databases from B on (Redis has 16, 0-15). Its test database
is `test_<name>_s<N>` (cms.testing.fixtures), its MEDIA_ROOT a folder `s<N>` of the one
given, its CACHE_KEY_PREFIX ends in `-s<N>`, and it takes only ports p with
p % SLOTS == N (cms.testing.ports). Servers the tests start inherit it all through the
environment. An xdist controller, which runs no test, takes no slot.
"""

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import pytest

SLOTS = int(os.environ.get("TEST_SLOTS", "4"))
REDIS_DATABASES = 16  # Redis's default `databases`
SLOT = "MORTAR_TEST_SLOT"  # the slot this process and the servers it starts have
BASE = "MORTAR_TEST_REDIS_DB"  # B
_held: list[IO[str]] = []  # the slot's lock, open for the life of the process


def slot() -> int | None:
    """This test process's slot (inherited by the servers it starts), or None."""
    value = os.environ.get(SLOT)
    return int(value) if value is not None else None


def with_db(url: str, db: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def db_of(url: str) -> int:
    return int(urlsplit(url).path.strip("/") or 0)


def spare_redis_url() -> str:
    """A Redis database that no test process of this checkout uses, for a scratch copy's
    broker and caches."""
    url = os.environ["REDIS_URL"]
    if (own := slot()) is None or BASE not in os.environ:
        return with_db(url, (db_of(url) + 1) % REDIS_DATABASES)
    return with_db(url, int(os.environ[BASE]) + SLOTS + own)


def _take_slot() -> int:
    key = hashlib.sha1(f"{os.environ.get('DATABASE_URL')}|{os.environ.get('REDIS_URL')}"
                       .encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "mortar-test-slots" / key
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(SLOTS):
        lock = (folder / f"{n}.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _held.append(lock)
        return n
    raise pytest.UsageError(
        f"all {SLOTS} test slots of this checkout are taken by test runs still going "
        f"(TEST_SLOTS raises the number; the runs use 2 x TEST_SLOTS Redis databases)")


def isolate() -> None:
    """Take a slot and point this process's environment at what the slot owns."""
    if slot() is not None:
        return  # a server started by a test process: it has its slot's environment already
    n = _take_slot()
    os.environ[SLOT] = str(n)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        base = db_of(redis_url)
        if base + 2 * SLOTS > REDIS_DATABASES:
            raise pytest.UsageError(
                f"the tests use Redis databases {base}-{base + 2 * SLOTS - 1} "
                f"(TEST_REDIS_URL's and the {2 * SLOTS - 1} after it): give it a lower one")
        os.environ[BASE] = str(base)
        for name in ("REDIS_URL", "CELERY_BROKER_URL"):
            if os.environ.get(name, "").startswith("redis"):
                os.environ[name] = with_db(os.environ[name], base + n)
    if os.environ.get("MEDIA_ROOT"):
        os.environ["MEDIA_ROOT"] = os.path.join(os.environ["MEDIA_ROOT"], f"s{n}")
    os.environ["CACHE_KEY_PREFIX"] = f"{os.environ.get('CACHE_KEY_PREFIX', 'test')}-s{n}"


def _is_xdist_controller(config: pytest.Config) -> bool:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return False
    return bool(getattr(config.known_args_namespace, "numprocesses", None))  # -n 0: none


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser,
                                  args: list[str]) -> object:
    if not _is_xdist_controller(early_config):
        isolate()  # before pytest-django's implementation reads the settings
    return (yield)
