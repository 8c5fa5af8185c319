"""The CMS down, seen from the site through the HTTP cache: pages it has keep being
served; a page it cannot render is the site's own error page, as a 503 with Retry-After
(never a bare 500, never cached)."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from cms.testing.ports import free_port
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.helpers import cached, fetch
from tests.httpcache import Varnish
from tests.tcpproxy import TcpProxy
from tests.webserver import next_start

pytestmark = pytest.mark.django_db


@dataclass
class Front:
    url: str  # the HTTP cache, in front of a renderer of its own
    cms: TcpProxy  # between that renderer and the CMS: the test takes the CMS away here


@pytest.fixture
def front(web_build, cms_server) -> Iterator[Front]:
    proxy = TcpProxy(int(cms_server.rsplit(":", 1)[1]))
    port = free_port()
    env = {"CMS_API_URL": f"http://127.0.0.1:{proxy.port}", "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "NEXT_PUBLIC_SITE_URL": f"http://127.0.0.1:{port}"}
    try:
        with next_start(web_build, port, env):
            varnish = Varnish([("127.0.0.1", port)])
            try:
                varnish.wait_ready()
                yield Front(varnish.url, proxy)
            finally:
                varnish.stop()
    finally:
        proxy.close()


def test_cms_down_cached_pages_serve_and_the_rest_is_a_503_page(front: Front, page: Page):
    about = cached(f"{front.url}/about/")
    front.cms.refuse()

    status, headers, body = fetch(f"{front.url}/about/")
    assert (status, body) == (200, about[2])
    missing = f"{front.url}/not-rendered-yet-{uuid.uuid4().hex[:8]}/"
    for _ in range(2):  # and the error is not cached in its place
        status, headers, body = fetch(missing)
        assert status == 503, (status, body[:300])
        assert int(headers["retry-after"]) > 0
        assert headers.get("x-cache") == "MISS"
    # What a visitor sees there: the site's own error page, with its way to try again.
    answer = page.goto(missing)
    assert answer is not None and answer.status == 503
    expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()

    front.cms.forward()
    status, _, _ = fetch(f"{front.url}/about/")
    assert status == 200
