"""What the e2e tests do as a visitor (plain HTTP) and as an editor (the admin or a CMS
shell), and waiting for the stack to catch up (caches fresh, the outbox delivered)."""

import datetime
import http.client
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

from cms.testing.processes import REPO
from tests.e2e.conftest import database

T = TypeVar("T")
FRESH_WITHIN = 3.0  # seconds, from the change's commit
ARTICLE = "/articles/designing-for-editors/"  # a demo article no test changes


def fetch(url: str, method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One request, redirects not followed, no cookies: what a first-time visitor gets."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return (response.status, {k.lower(): v for k, v in response.getheaders()},
                response.read().decode("utf-8", "replace"))
    finally:
        conn.close()


def logged_in_admin(browser: Browser, cms_server: str,
                    editor: tuple[str, str]) -> tuple[BrowserContext, Page]:
    """A desktop-sized browser page, logged into the Wagtail admin as the editor."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    admin = context.new_page()
    admin.goto(f"{cms_server}/admin/login/")
    admin.fill("#id_username", editor[0])
    admin.fill("#id_password", editor[1])
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url(f"{cms_server}/admin/")
    return context, admin


def await_value(probe: Callable[[], T | None], timeout: float,
                interval: float = 0.05) -> tuple[T | None, float]:
    """Calls `probe` until it returns something truthy or `timeout` seconds pass.

    Returns (the last value, the seconds it took); the value is falsy on time-out.
    """
    started = time.monotonic()
    while True:
        value = probe()
        elapsed = time.monotonic() - started
        if value or elapsed >= timeout:
            return value, elapsed
        time.sleep(interval)


REGION = re.compile(r"<(header|main|footer)\b.*?</\1>", re.S)
PREVIEW_BAR = re.compile(r'<div[^>]*data-testid="preview-bar".*?</div>', re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)


def regions(html: str) -> str:
    """What a visitor reads: the page's <header>, <main> and <footer>, whitespace collapsed.

    The preview bar (draft mode) and React's comment markers are left out, so a page
    rendered in draft mode compares equal to its cached twin.
    """
    found = [PREVIEW_BAR.sub("", match.group(0)) for match in REGION.finditer(html)]
    return re.sub(r"\s+", " ", COMMENT.sub("", "\n".join(found))).strip()


def cms_shell(cms_env: dict[str, str], code: str) -> None:
    """Run ORM code in a CMS process of the stack: committed, with every signal, as an
    editor's request would."""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=REPO, env=cms_env,
                   check=True, capture_output=True, timeout=60)


def await_through(url: str, condition: Callable[[int, dict[str, str], str], bool],
                  timeout: float = FRESH_WITHIN) -> float:
    """Seconds until a response through the cache meets `condition`; fails past `timeout`."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        last = fetch(url)
        if condition(*last):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{url} not fresh within {timeout}s: last answer {last and last[0]}")


def cached(url: str) -> tuple[int, dict[str, str], str]:
    """Fetch until the cache answers from its store (the renderer's probe may lag)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        answer = fetch(url)
        if answer[0] == 200 and answer[1].get("x-cache") == "HIT":
            return answer
        time.sleep(0.2)
    raise AssertionError(f"{url} never served from the HTTP cache")


def settled(django_db_blocker) -> None:
    """Wait until the outbox has delivered every change made so far (seeding included)."""
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from cms.publishing.models import RevalidationRequest

    deadline = time.monotonic() + 60
    # Each delivery is sent once more REVALIDATE_AGAIN_SECONDS later: wait for that too.
    quiet = datetime.timedelta(seconds=settings.REVALIDATE_AGAIN_SECONDS + 1)
    with database(django_db_blocker):
        while True:
            rows = RevalidationRequest.objects
            last = rows.aggregate(last=Max("delivered_at"))["last"]
            if (not rows.filter(delivered_at__isnull=True).exists()
                    and (last is None or timezone.now() - last > quiet)):
                return
            assert time.monotonic() < deadline, "the outbox never emptied"
            time.sleep(0.2)


def edit_title(cms_env: dict[str, str], url_path: str, title: str) -> None:
    cms_shell(cms_env, (
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(url_path={url_path!r}).specific\n"
        f"page.title = {title!r}\n"
        "page.save_revision().publish()\n"))
