"""What the e2e tests do as a visitor (plain HTTP) and as an editor (the admin or a CMS
shell), and waiting for the stack to catch up (caches fresh, the outbox delivered)."""

import atexit
import datetime
import http.client
import json
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

from cms.testing.processes import REPO, stop, wait_until
from tests.e2e.conftest import database

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


class Actor:
    """An editor process of the stack (tests/e2e/actor.py): `actor(op, **args)` sends one
    JSON request a line and returns the op's result once committed. AssertionError with the
    process's traceback when the op fails, or when no answer comes within `timeout` seconds
    (the process is killed then)."""

    def __init__(self, env: dict[str, str], timeout: float = 120) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen([sys.executable, "-m", "tests.e2e.actor"], cwd=REPO,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)

    def __call__(self, op: str, **args: Any) -> Any:
        process = self.process
        assert process.stdin and process.stdout
        assert process.poll() is None, f"the editor process exited ({process.returncode})"
        process.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
        process.stdin.flush()
        if not select.select([process.stdout], [], [], self.timeout)[0]:
            process.kill()
            raise AssertionError(f"{op} got no answer from the editor process in "
                                 f"{self.timeout}s")
        line = process.stdout.readline()
        assert line, f"the editor process died during {op}"
        answer = json.loads(line)
        assert answer["ok"], f"{op}({args}) failed in the editor process:\n{answer['error']}"
        return answer["result"]

    def stop(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()  # its loop ends
        stop(self.process)


_actors: dict[str, Actor] = {}


def editor_process(cms_env: dict[str, str]) -> Actor:
    """The editor process of the stack whose environment is `cms_env`: started on first use,
    kept for the rest of the session (each start is a Django start: 1.5 s of CPU)."""
    key = json.dumps(cms_env, sort_keys=True)
    if key not in _actors or _actors[key].process.poll() is not None:
        _actors[key] = Actor(cms_env)
    return _actors[key]


@atexit.register
def _stop_editor_processes() -> None:
    for actor in _actors.values():
        actor.stop()


def cms_shell(cms_env: dict[str, str], code: str) -> None:
    """Run ORM code in a CMS process of the stack, as `manage.py shell -c` would: committed,
    with every signal, as an editor's request would."""
    editor_process(cms_env)("shell", code=code)


def await_through(url: str, condition: Callable[[int, dict[str, str], str], bool],
                  timeout: float = FRESH_WITHIN) -> float:
    """Seconds until a response through the cache meets `condition`; fails past `timeout`,
    naming the last answer's status."""
    started = time.monotonic()
    last: tuple[int, dict[str, str], str] | None = None

    def met() -> bool:
        nonlocal last
        last = fetch(url)
        return condition(*last)

    wait_until(met, timeout, message=lambda: f"{url} fresh (last answer {last and last[0]})")
    return time.monotonic() - started


def cached(url: str) -> tuple[int, dict[str, str], str]:
    """Fetch until the cache answers from its store (the renderer's probe may lag)."""
    def hit() -> tuple[int, dict[str, str], str] | None:
        answer = fetch(url)
        return answer if answer[0] == 200 and answer[1].get("x-cache") == "HIT" else None

    return wait_until(hit, 20, interval=0.2, message=f"{url} served from the HTTP cache")


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
