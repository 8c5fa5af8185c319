"""What the e2e tests do as a visitor (plain HTTP) and as an editor (the admin)."""

import http.client
import re
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

T = TypeVar("T")


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
