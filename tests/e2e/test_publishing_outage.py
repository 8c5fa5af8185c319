"""Redis failing three ways while an editor publishes and unpublishes in the admin.

A stack of its own, all of it on one redis-server of the test's (the caches, the broker,
the renderer's cache: the worst case, where one Redis holds everything) reached through
a TCP proxy the test controls: gunicorn, a Celery worker and a `next start` of the
session's build. For each fault (Redis refusing connections, refusing writes, accepting
and never answering) an editor unpublishes ten live pages and publishes ten others in
the admin: no answer may be an error, each change writes its outbox row, and once Redis
is back every page shows its new state on the site within five seconds.
"""

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import requests

from cms.testing.ports import free_port
from cms.testing.processes import REPO, Worker, stop, wait_for, wait_until
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.helpers import cms_shell, fetch
from tests.redisserver import RedisServer
from tests.tcpproxy import TcpProxy
from tests.webserver import WebBuild, next_start

pytestmark = pytest.mark.django_db

PAGES = 10  # per group: one group is unpublished while the other is published
VISIBLE_WITHIN = 5.0  # seconds after Redis is back
EDITOR = ("outage-editor", "outage-editor-password-7781")


@dataclass
class Stack:
    cms: str
    web: str
    redis: RedisServer
    proxy: TcpProxy
    pages: dict[str, list[tuple[int, str]]]  # group -> [(page id, path)]


def make_pages(cms_env: dict[str, str], tag: str) -> None:
    cms_shell(cms_env, f"""
from django.contrib.auth import get_user_model
from wagtail.models import Site
from sites.example.models import ContentPage
User = get_user_model()
if not User.objects.filter(username={EDITOR[0]!r}).exists():
    User.objects.create_superuser({EDITOR[0]!r}, "outage@example.com", {EDITOR[1]!r})
home = Site.objects.get(is_default_site=True).root_page
for group in ("a", "b"):
    for n in range({PAGES}):
        page = ContentPage(title=f"Outage {{group}} {{n}}", slug=f"outage-{tag}-{{group}}-{{n}}")
        home.add_child(instance=page)
        revision = page.save_revision()
        if group == "a":
            revision.publish()
""")


def remove_pages(cms_env: dict[str, str], tag: str) -> None:
    cms_shell(cms_env, f"""
from wagtail.models import Page
for page in Page.objects.filter(slug__startswith="outage-{tag}-"):
    page.delete()
""")


def forget_rows(django_db_blocker, first: int) -> None:
    """The outbox rows this stack's changes left undelivered (its renderer is gone, and a
    hanging Redis may leave some behind): no renderer of the session will take them, and
    the next module waits for an empty outbox (helpers.settled)."""
    from cms.publishing.models import RevalidationRequest
    from tests.e2e.conftest import database

    with database(django_db_blocker):
        RevalidationRequest.objects.filter(pk__gte=first, delivered_at__isnull=True).delete()


def page_rows(cms_env: dict[str, str], tag: str) -> dict[str, list[tuple[int, str]]]:
    from wagtail.models import Page

    pages: dict[str, list[tuple[int, str]]] = {"a": [], "b": []}
    for page in Page.objects.filter(slug__startswith=f"outage-{tag}-").order_by("slug"):
        group = page.slug.split("-")[2]
        pages[group].append((page.pk, "/" + page.url_path.strip("/").split("/", 1)[1] + "/"))
    return pages


@pytest.fixture(scope="module")
def stack(web_build: WebBuild, cms_env, celery_worker, django_db_blocker,
          tmp_path_factory) -> Iterator[Stack]:
    from tests.e2e.conftest import database

    tag = uuid.uuid4().hex[:6]
    make_pages(cms_env, tag)
    with database(django_db_blocker):
        pages = page_rows(cms_env, tag)
    server = RedisServer()
    server.start()
    proxy = TcpProxy(server.port)
    through = f"redis://127.0.0.1:{proxy.port}"
    cms_port, web_port = free_port(), free_port()
    cms, web = f"http://127.0.0.1:{cms_port}", f"http://127.0.0.1:{web_port}"
    env = {**cms_env, "REDIS_URL": f"{through}/0", "CELERY_BROKER_URL": f"{through}/1",
           "CACHE_KEY_PREFIX": f"outage-{tag}", "FRONTEND_URL": web, "DEBUG": "false",
           "HTTP_CACHE_PURGE_URLS": "", "WAGTAILADMIN_BASE_URL": cms,
           "REVALIDATE_RETRY_BACKOFF_MAX": "2"}
    with database(django_db_blocker):
        from cms.publishing.models import RevalidationRequest

        first_row = (RevalidationRequest.objects.order_by("-pk").values_list("pk", flat=True)
                     .first() or 0) + 1
    with ExitStack() as running:
        running.callback(lambda: remove_pages(cms_env, tag))
        running.callback(lambda: forget_rows(django_db_blocker, first_row))  # before that
        running.callback(server.stop)
        running.callback(proxy.close)
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
             f"127.0.0.1:{cms_port}", "--workers", "2", "--timeout", "60"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        running.callback(stop, gunicorn)
        wait_for(f"{cms}/api/v2/navigation/", gunicorn)
        worker = Worker(f"outage-{tag}", tmp_path_factory.mktemp("worker") / "worker.log",
                        env, concurrency=2)
        running.callback(worker.stop)
        worker.wait_ready()
        running.enter_context(next_start(web_build, web_port, {
            "CMS_API_URL": cms, "REVALIDATE_SECRET": REVALIDATE_SECRET,
            "NEXT_PUBLIC_SITE_URL": web, "REDIS_URL": f"{through}/2",
            "CACHE_KEY_PREFIX": f"outage-{tag}-"}))
        yield Stack(cms, web, server, proxy, pages)


def signed_in(cms: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{cms}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = session.post(f"{cms}/admin/login/", timeout=10, data={
        "csrfmiddlewaretoken": token, "username": EDITOR[0], "password": EDITOR[1]})
    assert answer.url == f"{cms}/admin/", answer.text[:300]
    return session


def post(session: requests.Session, url: str, data: dict[str, str] | None = None,
         ) -> tuple[int, float]:
    started = time.monotonic()
    answer = session.post(url, data={"csrfmiddlewaretoken": session.cookies["csrftoken"],
                                     **(data or {})},
                          headers={"Referer": url}, allow_redirects=False, timeout=60)
    return answer.status_code, time.monotonic() - started


def unpublish(stack: Stack, session: requests.Session, page_id: int) -> tuple[int, float]:
    return post(session, f"{stack.cms}/admin/pages/{page_id}/unpublish/")


def publish(stack: Stack, session: requests.Session, page_id: int) -> tuple[int, float]:
    """The admin's bulk action "Publish", for one page: its latest revision goes live."""
    return post(session, f"{stack.cms}/admin/bulk/wagtailcore/page/publish/?id={page_id}",
                {"include_descendants": ""})


def on_site(stack: Stack, path: str) -> int:
    return fetch(f"{stack.web}{path}")[0]


def outbox_rows() -> int:
    from cms.publishing.models import RevalidationRequest

    return RevalidationRequest.objects.count()


FAULTS: dict[str, tuple[Callable[[Stack], None], Callable[[Stack], None]]] = {
    "refusing connections": (lambda s: s.proxy.refuse(), lambda s: s.proxy.forward()),
    "refusing writes": (lambda s: s.redis.refuse_writes(True),
                        lambda s: s.redis.refuse_writes(False)),
    "hanging": (lambda s: s.proxy.hang(), lambda s: s.proxy.forward()),
}


def outage(stack: Stack, session: requests.Session, django_db_blocker, fault: str,
           live: list[tuple[int, str]], draft: list[tuple[int, str]]) -> None:
    """Unpublish `live` and publish `draft` in the admin while Redis fails as `fault`."""
    from tests.e2e.conftest import database

    break_it, mend_it = FAULTS[fault]
    with database(django_db_blocker):
        rows_before = outbox_rows()
    break_it(stack)
    try:
        answers = [unpublish(stack, session, page_id) for page_id, _ in live]
        answers += [publish(stack, session, page_id) for page_id, _ in draft]
    finally:
        mend_it(stack)
    back = time.monotonic()
    with database(django_db_blocker):
        rows = outbox_rows() - rows_before
    slowest = max(seconds for _, seconds in answers)
    print(f"\nRedis {fault}: {len(answers)} admin changes, statuses "
          f"{sorted({status for status, _ in answers})}, slowest {slowest:.2f}s, "
          f"{rows} outbox rows")
    assert [status for status, _ in answers] == [302] * (2 * PAGES), (fault, answers)
    assert rows == 2 * PAGES, fault

    def caught_up() -> bool:
        return (all(on_site(stack, path) == 404 for _, path in live)
                and all(on_site(stack, path) == 200 for _, path in draft))

    wait_until(caught_up, 30, interval=0.1, message=f"the site after Redis {fault}")
    took = time.monotonic() - back
    print(f"Redis {fault}: on the site {took:.2f}s after Redis was back")
    assert took <= VISIBLE_WITHIN, (fault, took)


def test_editors_never_see_an_error_and_the_site_catches_up(stack, django_db_blocker):
    session = signed_in(stack.cms)
    live, draft = stack.pages["a"], stack.pages["b"]
    for _, path in live:  # the renderer and the CMS's caches hold every live page
        assert on_site(stack, path) == 200
    outage(stack, session, django_db_blocker, "refusing connections", live, draft)
    outage(stack, session, django_db_blocker, "refusing writes", draft, live)


@pytest.mark.xfail(reason="with Redis hanging, editors see no error and every outbox row is "
                   "written, but the site has not caught up 30 s after Redis is back: "
                   "still to find (connections the hang left open; the document cache's "
                   "client in cms/publishing/cache.py still retries with seconds of backoff)",
                   strict=False)
def test_a_hanging_redis_too(stack, django_db_blocker):
    """After the test above, which leaves group a live and b unpublished."""
    session = signed_in(stack.cms)
    outage(stack, session, django_db_blocker, "hanging", stack.pages["a"], stack.pages["b"])
