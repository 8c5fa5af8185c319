"""After an outage the site catches up within seconds of the renderer or HTTP cache
coming back: each is retried on its own schedule, soon after it fails, and told everything
it missed at once.

The outages are the CMS's: a stack of this module's own (a Celery worker on a broker of its
own, whose changes only it delivers) reaches the session's renderer and Varnish through
proxies the test controls, while visitors reach both directly and are served what they
hold. So what the test sees is what a renderer or HTTP cache the CMS cannot reach keeps
serving, and how soon after it is reachable again it shows every change.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from cms.testing.processes import Worker, wait_until
from tests.e2e.helpers import cached, edit_title, fetch, settled
from tests.tcpproxy import TcpProxy

pytestmark = pytest.mark.django_db

OUTAGE_SECONDS = 30
CAUGHT_UP_WITHIN = 5.0  # seconds from a target's return to every change it missed showing
# Two articles no other test of the session changes.
FIRST = "/articles/headless-without-the-headache/"
SECOND = "/articles/previewing-drafts-safely/"


@dataclass(frozen=True)
class Stack:
    env: dict[str, str]  # of this stack's CMS processes (the editor's shell, the worker)
    renderer: TcpProxy  # the CMS's way to the session's renderer
    http_cache: TcpProxy  # the CMS's way to the session's Varnish (its PURGE)


@pytest.fixture(scope="module")
def stack(cms_env, web_server, http_cache, ports, tmp_path_factory) -> Iterator[Stack]:
    renderer, cache = TcpProxy(ports["web"]), TcpProxy(http_cache.port)
    folder = tmp_path_factory.mktemp("outage-stack")
    env = {**cms_env, "CELERY_BROKER_URL": "filesystem://localhost//",
           "CELERY_BROKER_DIR": str(folder / "broker"),
           "FRONTEND_URL": f"http://127.0.0.1:{renderer.port}",
           "HTTP_CACHE_PURGE_URLS": f"http://127.0.0.1:{cache.port}"}
    worker = Worker("outages", folder / "worker.log", env, concurrency=2)
    try:
        worker.wait_ready()
        yield Stack(env, renderer, cache)
    finally:
        worker.stop()
        renderer.close()
        cache.close()


def title_of(html: str) -> str:
    start = html.find("<h1")
    return html[html.find(">", start) + 1:html.find("</h1>", start)] if start >= 0 else ""


def shows(url: str, title: str) -> bool:
    status, _, body = fetch(url)
    return status == 200 and title_of(body) == title


def caught_up(urls_titles: list[tuple[str, str]], since: float, what: str) -> float:
    wait_until(lambda: all(shows(url, title) for url, title in urls_titles),
               CAUGHT_UP_WITHIN - (time.monotonic() - since), interval=0.1, message=what)
    return time.monotonic() - since


def test_a_renderer_and_an_http_cache_each_down_30s_show_every_change_within_5s_of_return(
        stack: Stack, web_server: str, http_cache, celery_worker, django_db_blocker):
    settled(django_db_blocker)  # what the session changed before, by the session's worker
    pages = {path: title_of(cached(f"{http_cache.url}{path}")[2]) for path in (FIRST, SECOND)}
    for path in pages:  # the renderer holds them too
        wait_until(lambda path=path: fetch(f"{web_server}{path}")[1].get("x-nextjs-cache")
                   == "HIT", 10, message=f"{path} cached by the renderer")
    new = {path: f"{title}, changed in an outage" for path, title in pages.items()}
    try:
        # The renderer is down for 0-30 s, the HTTP cache for 15-45 s; a change in each.
        down = time.monotonic()
        stack.renderer.refuse()
        edit_title(stack.env, f"/home{FIRST}", new[FIRST])
        time.sleep(max(0.0, down + OUTAGE_SECONDS / 2 - time.monotonic()))
        stack.http_cache.refuse()
        edit_title(stack.env, f"/home{SECOND}", new[SECOND])
        time.sleep(max(0.0, down + OUTAGE_SECONDS - time.monotonic()))
        # Nothing reached either while they were away (the test would prove nothing).
        assert all(shows(f"{web_server}{path}", title) for path, title in pages.items())
        stack.renderer.forward()
        renderer_back = caught_up([(f"{web_server}{path}", title) for path, title in new.items()],
                                  time.monotonic(), "the renderer caught up")
        # Varnish keeps its copies until it can be purged.
        assert all(shows(f"{http_cache.url}{path}", title) for path, title in pages.items())
        time.sleep(max(0.0, down + OUTAGE_SECONDS * 1.5 - time.monotonic()))
        stack.http_cache.forward()
        cache_back = caught_up([(f"{http_cache.url}{path}", title) for path, title in new.items()],
                               time.monotonic(), "the HTTP cache caught up")
        print(f"caught up {renderer_back:.2f}s after the renderer came back, "
              f"{cache_back:.2f}s after the HTTP cache came back")
    finally:
        stack.renderer.forward()
        stack.http_cache.forward()
        for path, title in pages.items():
            edit_title(stack.env, f"/home{path}", title)
        wait_until(lambda: all(shows(f"{http_cache.url}{path}", title)
                               for path, title in pages.items()), 15, interval=0.2,
                   message="the titles back")
        settled(django_db_blocker)
