"""The stack scaled out, as production runs it: nginx (infra/nginx) in front of two
gunicorns and of Varnish (infra/varnish), which spreads site requests over two
`next start` instances; one Celery worker; one PostgreSQL and one Redis.

The renderers share one ISR/data cache in Redis (web/cache-handler.mjs): the CMS sends
each revalidation to one renderer (FRONTEND_URL, the session's), and every renderer
serves the new version. Each publish is awaited on every instance, within a deadline.
"""

import time
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest

from cms.testing.processes import wait_until
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.helpers import FRESH_WITHIN, cms_shell, edit_title, fetch, settled
from tests.e2e.nginx import Proxy, hostport, nginx
from tests.httpcache import backend_requests

pytestmark = pytest.mark.django_db

Answer = tuple[int, dict[str, str], str]


def upstreams(*urls: str) -> str:
    """Several servers for one MORTAR_*_UPSTREAM of the nginx template, which writes
    `server <value>;` (compose needs one name: it resolves to every replica)."""
    return ";\n    server ".join(hostport(url) for url in urls)


class Front:
    """The public origin: nginx over HTTPS, verified against the test's certificate."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy

    def fetch(self, path: str, method: str = "GET",
              headers: dict[str, str] | None = None) -> Answer:
        answer = self.proxy.request(method, path, headers=headers)
        return (answer.status, {k.lower(): v for k, v in answer.headers.items()},
                answer.body.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def front(cms_server, more_cms_servers, scale_out_cache, web_server,
          more_renderers) -> Iterator[Front]:
    with nginx(upstreams(cms_server, *more_cms_servers), hostport(scale_out_cache.url)) as proxy:
        yield Front(proxy)


@pytest.fixture(scope="module")
def renderers(web_server, more_renderers) -> list[str]:
    return [web_server, *(renderer.url for renderer in more_renderers)]


@pytest.fixture(scope="module")
def cms_servers(cms_server, more_cms_servers) -> list[str]:
    return [cms_server, *more_cms_servers]


def await_all(reads: dict[str, Callable[[], Answer]], condition: Callable[[Answer], bool],
              started: float, timeout: float = FRESH_WITHIN) -> None:
    """Poll every read until each has met `condition` once; fails past `timeout` seconds
    from `started`, naming the ones that had not."""
    waiting = dict(reads)
    last: dict[str, int] = {}
    while waiting:
        for name, read in list(waiting.items()):
            answer = read()
            last[name] = answer[0]
            if condition(answer):
                del waiting[name]
        if not waiting:
            return
        assert time.monotonic() - started < timeout, (
            f"not fresh within {timeout}s: {sorted(waiting)} (last statuses {last})")
        time.sleep(0.05)


def cached_on(url: str, header: str = "x-nextjs-cache") -> Answer:
    """Fetch until the answer comes from a cache (`header` HIT), at most 20 s."""
    deadline = time.monotonic() + 20
    while True:
        answer = fetch(url)
        if answer[0] == 200 and answer[1].get(header) == "HIT":
            return answer
        assert time.monotonic() < deadline, f"{url} never served from cache ({answer[0]})"
        time.sleep(0.2)


def front_cached(front: Front, path: str) -> Answer:
    deadline = time.monotonic() + 20
    while True:
        answer = front.fetch(path)
        if answer[0] == 200 and answer[1].get("x-cache") == "HIT":
            return answer
        assert time.monotonic() < deadline, f"{path} never cached by the front ({answer[0]})"
        time.sleep(0.2)


def document(cms: str, path: str) -> Answer:
    return fetch(f"{cms}/api/v2/pages/by-path/?html_path={quote(path)}")


def every_instance(front: Front, renderers: list[str], cms_servers: list[str],
                   path: str) -> dict[str, Callable[[], Answer]]:
    reads: dict[str, Callable[[], Answer]] = {"front": lambda: front.fetch(path)}
    for n, url in enumerate(renderers, start=1):
        reads[f"renderer {n}"] = lambda url=url: fetch(f"{url}{path}")
    for n, url in enumerate(cms_servers, start=1):
        reads[f"cms {n}"] = lambda url=url: document(url, path)
    return reads


def test_the_front_spreads_the_site_over_every_renderer(front, scale_out_cache):
    before = backend_requests(scale_out_cache)
    deadline = time.monotonic() + 20  # a renderer counts once Varnish's probe saw it up
    while True:
        # A session cookie: passed to a renderer, never answered from the cache.
        front.fetch("/about/", headers={"Cookie": "sessionid=x"})
        after = backend_requests(scale_out_cache)
        if all(after[name] > before.get(name, 0) for name in ("web1", "web2")):
            return
        assert time.monotonic() < deadline, f"requests per renderer: {before} -> {after}"
        time.sleep(0.1)


def test_a_publish_reaches_every_renderer_and_the_front_within_seconds(
        front, renderers, cms_servers, celery_worker, cms_env, django_db_blocker):
    settled(django_db_blocker)
    path = "/articles/measuring-what-matters/"
    for url in renderers:
        cached_on(f"{url}{path}")
    front_cached(front, path)
    title = f"Measured {uuid.uuid4().hex[:6]}"

    started = time.monotonic()
    edit_title(cms_env, f"/home{path}", title)

    await_all(every_instance(front, renderers, cms_servers, path),
              lambda answer: answer[0] == 200 and title in answer[2], started)
    # And again, from cache: no instance falls back to the old version afterwards.
    for name, read in every_instance(front, renderers, cms_servers, path).items():
        assert title in read()[2], name


def test_a_page_made_private_is_gone_from_the_front_within_seconds(
        front, renderers, cms_servers, celery_worker, cms_env, django_db_blocker):
    settled(django_db_blocker)
    path = "/articles/search-that-editors-trust/"
    for url in renderers:
        cached_on(f"{url}{path}")
    front_cached(front, path)
    code = ("from wagtail.models import Page, PageViewRestriction\n"
            f"page = Page.objects.get(url_path='/home{path}')\n"
            "PageViewRestriction.objects.{}\n")
    started = time.monotonic()
    cms_shell(cms_env, code.format("create(page=page, restriction_type='login')"))
    try:
        await_all(every_instance(front, renderers, cms_servers, path),
                  lambda answer: answer[0] == 404, started)
    finally:
        cms_shell(cms_env, code.format("filter(page=page).delete()"))
    await_all(every_instance(front, renderers, cms_servers, path),
              lambda answer: answer[0] == 200, time.monotonic(), timeout=10)


def test_a_preview_request_is_never_cached(front, web_build):
    front_cached(front, "/about/")
    draft = f"__prerender_bypass={web_build.preview_mode_id()}"
    for _ in range(3):
        status, headers, _ = front.fetch("/api/preview/?token=x&content_type=y")
        assert headers.get("x-cache") == "MISS" and status >= 400
        _, headers, _ = front.fetch("/about/", headers={"Cookie": draft})
        assert headers.get("x-cache") == "MISS"
        assert "no-store" in headers.get("cache-control", "") or "private" in headers.get(
            "cache-control", ""), headers.get("cache-control")


def test_a_purge_from_outside_or_with_a_wrong_secret_purges_nothing(front, scale_out_cache,
                                                                   django_db_blocker):
    path = "/about/team/"
    key = quote(f"localhost|path:{path}", safe="")  # the seeded site's tag, as xkey carries it
    # No purge of the CMS's own still to come (an earlier test's delivery is sent again
    # REVALIDATE_AGAIN_SECONDS later): only the purges tried here may touch the entry.
    settled(django_db_blocker)
    kept = front_cached(front, path)
    # nginx passes no PURGE on, whatever it carries: only the CMS, inside, purges.
    for secret in ("wrong", REVALIDATE_SECRET):
        status, _, _ = front.fetch("/", method="PURGE", headers={
            "X-Purge-Secret": secret, "xkey-purge": key})
        assert status == 405
    # Varnish itself refuses a purge without the secret.
    for secret in ("wrong", "", REVALIDATE_SECRET + "x"):
        status, _, body = fetch(f"{scale_out_cache.url}/", method="PURGE", headers={
            "X-Purge-Secret": secret, "xkey-purge": key})
        assert status == 401 and "secret" in body
    status, headers, body = front.fetch(path)
    assert headers.get("x-cache") == "HIT" and body == kept[2]
    # The same purge with the secret, as the CMS sends it, is taken and does purge.
    status, _, _ = fetch(f"{scale_out_cache.url}/", method="PURGE", headers={
        "X-Purge-Secret": REVALIDATE_SECRET, "xkey-purge": key})
    assert status == 200
    assert front.fetch(path)[1].get("x-cache") == "MISS"


def test_a_renderer_down_during_a_publish_does_not_block_the_others(
        front, renderers, cms_servers, more_renderers, celery_worker, cms_env,
        django_db_blocker):
    from cms.publishing.models import RevalidationRequest

    settled(django_db_blocker)
    path = "/articles/publishing-without-a-rebuild/"
    for url in renderers:
        cached_on(f"{url}{path}")
    front_cached(front, path)
    down = more_renderers[0]
    with database(django_db_blocker):
        last_row = RevalidationRequest.objects.order_by("-pk").values_list("pk", flat=True)
        after_pk = last_row.first() or 0
    down.stop()
    try:
        title = f"Without a rebuild {uuid.uuid4().hex[:6]}"
        started = time.monotonic()
        edit_title(cms_env, f"/home{path}", title)
        up = {name: read for name, read in every_instance(
            front, renderers, cms_servers, path).items() if name != "renderer 2"}
        await_all(up, lambda answer: answer[0] == 200 and title in answer[2], started)
        # Its outbox row was delivered, not left retrying for the instance that is down.
        with database(django_db_blocker):
            rows = RevalidationRequest.objects.filter(pk__gt=after_pk)
            wait_until(lambda: rows.exists() and not rows.filter(delivered_at__isnull=True)
                       .exists(), 5, interval=0.1, message="the publish's outbox row delivered")
    finally:
        down.start()
    # Back up, it serves the new version at once: its cache is the one the others share.
    status, _, body = fetch(f"{down.url}{path}")
    assert status == 200 and title in body

