"""Browser fixtures for the end-to-end tests: Debian's chromium driven by Playwright."""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from kombu.exceptions import ChannelError
from playwright.sync_api import Browser, Page, sync_playwright

from cms.testing.processes import REPO
from tests.webserver import dev_server  # noqa: F401  (a fixture, owned by web/)

SCREENSHOTS = REPO / "web" / "test-results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@contextmanager
def database(django_db_blocker) -> Iterator[None]:
    """ORM access from a test; Playwright's sync API keeps an event loop in this thread."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(web_server) -> Iterator[Browser]:
    """Launched after the stack, whose fixtures seed the database and copy the environment.

    Playwright's sync API keeps an asyncio loop in this thread, and Django refuses ORM
    calls (the django_db mark's transaction, fixtures) while one exists unless told to.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A visitor: a fresh browser context, no cookies."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def editor(seeded_db, django_db_blocker) -> tuple[str, str]:
    """A Wagtail superuser the browser logs in as."""
    from django.contrib.auth import get_user_model

    credentials = ("e2e-editor", "e2e-editor-password-9431")
    with database(django_db_blocker):
        user_model = get_user_model()
        if not user_model.objects.filter(username=credentials[0]).exists():
            user_model.objects.create_superuser(credentials[0], "editor@example.com",
                                                credentials[1])
    return credentials


@pytest.fixture(scope="session")
def screenshots() -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS)


# The order tests run in (the demo content as seeded first, changes of the whole site
# last): tests/conftest.py.


@pytest.fixture
def quiet_worker(celery_worker) -> None:
    """Waits until the worker has nothing queued or running (at most 60 s).

    The worker starts after seed_demo, so its first minute may go to delivering the
    seed's own revalidations: a test timing a change of its own must not count those.
    """
    from cms.celery import app

    def idle() -> bool:
        with app.connection_for_write() as connection:
            try:
                queued = connection.default_channel.queue_declare(
                    app.conf.task_default_queue, passive=True).message_count
            except ChannelError:  # Redis keeps no empty queue
                queued = 0
        # A task the worker holds waits only while both of its slots run one: no task
        # running means none held. None: the worker's answer came too late.
        active = app.control.inspect(timeout=1.0).active()
        return not queued and active is not None and not any(active.values())

    deadline, seen_idle = time.monotonic() + 60, 0
    while seen_idle < 2:
        assert time.monotonic() < deadline, "the Celery worker stayed busy for 60 s"
        seen_idle = seen_idle + 1 if idle() else 0
        time.sleep(0.5)  # broadcasts sent closer together go unanswered
