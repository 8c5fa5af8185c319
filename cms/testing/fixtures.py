"""The pytest fixtures every suite may use, registered by the root conftest.py
(`pytest_plugins`): no suite imports another suite's fixtures.

- `home`: a published home page as the default site's root.
- `make_image`: images drawn with Pillow and saved like an upload.
- `editor`: the test client signed in as a superuser (`editor.user`).
- `start_worker`: real Celery workers on the test Redis (needs `transactional_db`).
- `django_db_modify_db_settings` (pytest-django's): each test database a clone of one
  migrated template (cms.testing.databases), named after the process's slot.
- `moto_endpoint`, `stoppable_moto`, `s3_env`, `s3_media`: a real S3 endpoint.
"""

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings

from cms.testing.content import make_home
from cms.testing.pages.models import SampleHomePage
from cms.testing.processes import Worker, clear_broker, worker_env


@pytest.fixture
def home(db) -> SampleHomePage:
    """A published home page as the default site's root, replacing Wagtail's starter page
    (also on a tree whose root a transactional test's flush removed)."""
    return make_home()


@pytest.fixture
def make_image(db):
    """Images drawn with Pillow and saved like an upload; renditions made when asked."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from cms.images.drawing import draw
    from cms.images.renditions import FILTER_SPECS

    counter = iter(range(10_000))

    def make(title: str | None = None, renditions: bool = True, width: int = 800,
             height: int = 500):
        n = next(counter)
        image = get_image_model()(title=title or f"Test image {n}", description=f"Alt {n}")
        # Unique pixels: Wagtail caches renditions by file hash, across test databases.
        pixels = draw(secrets.randbelow(10**9), width, height)
        image.file = ImageFile(ContentFile(pixels, name=f"test-{n}.jpg"))
        image.save()
        image.get_file_hash()  # as an upload through the admin sets it
        if renditions:
            image.get_renditions(*FILTER_SPECS)
        return image

    return make


@pytest.fixture
def editor(db, client, django_user_model):
    """A test client signed in as a superuser (`editor.user`), posting admin forms like
    an editor does."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., Worker | list[Worker]]]:
    """Start real workers: `start_worker(concurrency=1, count=1, **env)`; killed at the end.

    Each test gets fresh workers because pytest-django's flush between transactional
    tests re-creates content types under new ids, which a long-lived worker would still
    have cached."""
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("worker tests need CELERY_BROKER_URL=redis://...")
    clear_broker()
    workers: list[Worker] = []

    def start(concurrency: int = 1, count: int = 1, **env: str) -> Worker | list[Worker]:
        """One worker, or `count` of them started side by side (a list)."""
        started = []
        for _ in range(count):
            name = f"w{len(workers) + 1}"
            worker = Worker(name, tmp_path / f"{name}.log", worker_env(**env), concurrency)
            workers.append(worker)
            started.append(worker)
        for worker in started:
            worker.wait_ready()
        return started if count > 1 else started[0]

    yield start
    for worker in workers:
        worker.stop()
    clear_broker()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """pytest-django's hook before it makes the test database: on PostgreSQL, named after
    the process's test slot (cms.testing.parallel) and cloned from the migrated template
    (cms.testing.databases) instead of migrated."""
    import os

    from cms.testing.databases import ensure_template
    from cms.testing.parallel import slot

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        return
    base = f"test_{db['NAME']}"
    if (own := slot()) is not None:
        db["TEST"]["NAME"] = f"{base}_s{own}"
    db["TEST"]["TEMPLATE"] = ensure_template(db, base, os.environ["DJANGO_SETTINGS_MODULE"])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto S3 server for the whole session; its endpoint URL."""
    from cms.testing.s3 import start_moto

    server, endpoint = start_moto()
    yield endpoint
    server.stop()


@pytest.fixture
def stoppable_moto() -> Iterator[Any]:
    """A server of the test's own, for tests that take S3 away: (server, endpoint)."""
    from cms.testing.s3 import start_moto

    server, endpoint = start_moto()
    yield server, endpoint
    try:
        server.stop()
    except Exception:  # already stopped by the test
        pass


@pytest.fixture
def s3_env(monkeypatch) -> Iterator[Any]:
    """Returns `activate(endpoint, create_bucket=True, cdn=False, **env)`: real settings
    from the environment, on a fresh bucket; undone at the end of the test."""
    from cms.testing.s3 import activate_s3, deactivate_s3

    overrides: list = []
    yield lambda endpoint, **options: activate_s3(monkeypatch, overrides, endpoint, **options)
    deactivate_s3(monkeypatch, overrides)


@pytest.fixture
def s3_media(s3_env, moto_endpoint):
    """Real settings on a fresh bucket of the session's moto server (a `S3Media`)."""
    return s3_env(moto_endpoint)
