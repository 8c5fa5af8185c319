"""Fixtures with real Celery workers on Redis for the publishing tests."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings

from cms.publishing.tests.workers import Worker, clear_broker, make_home, worker_env


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start real workers: `start_worker(concurrency=1, **env_overrides)`; stopped at the end."""
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("worker tests need CELERY_BROKER_URL=redis://...")
    clear_broker()
    workers: list[Worker] = []

    def start(concurrency: int = 1, **env: str) -> Worker:
        name = f"w{len(workers) + 1}"
        worker = Worker(name, tmp_path / f"{name}.log", worker_env(**env), concurrency)
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    clear_broker()


@pytest.fixture
def admin_client_db(transactional_db, client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def home(transactional_db):
    """The root conftest's home page, on a tree whose root a transactional flush removed."""
    return make_home()
