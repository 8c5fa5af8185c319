"""Fixtures with real Celery workers on Redis for the publishing tests."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings

from cms.core.testing import make_home
from cms.publishing.tests.workers import (  # noqa: F401  (fixtures)
    Worker,
    clear_broker,
    leave_migrated_data,
    worker_env,
)


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., Worker | list[Worker]]]:
    """Start real workers: `start_worker(concurrency=1, count=1, **env)`; killed at the end."""
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


@pytest.fixture
def admin_client_db(db, client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def home(db):
    """The root conftest's home page, also on a tree whose root a flush removed."""
    return make_home()
