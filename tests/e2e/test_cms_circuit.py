"""The renderer alone (`next start`, no HTTP cache) while the CMS is down: its circuit
breaker (web/lib/cms-circuit.ts) stops it asking the CMS, pages it has cached keep being
served, the others are its error page as a 503 with Retry-After, and it recovers by itself
once the CMS answers again."""

import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from cms.testing.processes import wait_until
from tests.conftest import REVALIDATE_SECRET, free_port
from tests.e2e.helpers import fetch
from tests.tcpproxy import TcpProxy
from tests.webserver import next_start

pytestmark = pytest.mark.django_db

# Small figures so that the test is quick; production keeps the defaults (README).
VOLUME_THRESHOLD = 4
RESET_MS = 5000
# Without the circuit, a page that cannot be made asks the CMS for its document twice
# (measured: 40 such pages, 80 connections).
CONNECTIONS_PER_PAGE = 2


@dataclass
class Renderer:
    url: str
    cms: TcpProxy  # between the renderer and the CMS: counts its connections


@pytest.fixture
def renderer(web_build, cms_server) -> Iterator[Renderer]:
    proxy = TcpProxy(int(cms_server.rsplit(":", 1)[1]))
    port = free_port()
    env = {"CMS_API_URL": f"http://127.0.0.1:{proxy.port}", "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "NEXT_PUBLIC_SITE_URL": f"http://127.0.0.1:{port}",
           "CMS_CIRCUIT_VOLUME_THRESHOLD": str(VOLUME_THRESHOLD),
           "CMS_CIRCUIT_WINDOW_MS": "60000", "CMS_CIRCUIT_RESET_MS": str(RESET_MS),
           # A cache of its own: a change delivered to the session's renderer (an earlier
           # module's, still on its way) must not drop the /about/ it serves while the CMS
           # is down.
           "CACHE_KEY_PREFIX": f"circuit-{uuid.uuid4().hex[:6]}-"}
    try:
        with next_start(web_build, port, env):
            yield Renderer(f"http://127.0.0.1:{port}", proxy)
    finally:
        proxy.close()


def uncached(renderer: Renderer) -> str:
    """A path this renderer has not made yet."""
    return f"{renderer.url}/not-rendered-yet-{uuid.uuid4().hex[:8]}/"


def assert_error_page(answer: tuple[int, dict[str, str], str]) -> None:
    status, headers, body = answer
    assert status == 503, (status, body[:300])
    assert int(headers["retry-after"]) == RESET_MS // 1000
    # Nothing of the failure itself reaches the visitor (the page is drawn in the browser).
    for leak in ("CmsUnavailableError", "CircuitOpenError", "fetch failed", "    at "):
        assert leak not in body


def test_cms_down_the_circuit_opens_cached_pages_serve_and_it_recovers(renderer: Renderer,
                                                                       page: Page):
    about = wait_until(lambda: (answer := fetch(f"{renderer.url}/about/"))[0] == 200
                       and answer[1].get("x-nextjs-cache") == "HIT" and answer, timeout=30,
                       message="/about/ served from the renderer's cache")

    renderer.cms.drop()
    # Before the circuit has seen enough to open: the first failure is a 503 already.
    assert_error_page(fetch(uncached(renderer)))

    attempts = 60
    before, started = renderer.cms.connections, time.monotonic()
    for _ in range(attempts):
        assert_error_page(fetch(uncached(renderer)))
    made, elapsed = renderer.cms.connections - before, time.monotonic() - started
    print(f"{attempts} uncached pages in {elapsed:.1f}s during the outage: {made} connections "
          f"to the CMS (without the circuit: {attempts * CONNECTIONS_PER_PAGE})")
    # Until it opens, then one trial each time CMS_CIRCUIT_RESET_MS has passed.
    trials = math.ceil(elapsed * 1000 / RESET_MS) + 1
    assert made <= CONNECTIONS_PER_PAGE * (VOLUME_THRESHOLD + trials), made

    status, _, body = fetch(f"{renderer.url}/about/")
    assert (status, body) == (200, about[2])
    # What a visitor sees elsewhere: the site's own error page, with its way to try again.
    answer = page.goto(uncached(renderer))
    assert answer is not None and answer.status == 503
    expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()

    renderer.cms.forward()
    # After CMS_CIRCUIT_RESET_MS the circuit lets a trial through, which closes it. Only the
    # CMS can say that a path it has never seen is no page (404).
    started = time.monotonic()
    wait_until(lambda: fetch(uncached(renderer))[0] == 404, timeout=30, interval=0.2,
               message="the renderer recovered without a restart")
    seconds = time.monotonic() - started
    print(f"recovered {seconds:.1f}s after the CMS came back")
    status, headers, _ = fetch(uncached(renderer))
    assert status == 404 and "retry-after" not in headers


# Preview addresses whose token or model no HTTP header could carry to the CMS (%00, %ff,
# a character above U+00FF): the renderer once counted each as the CMS failing, so ten of
# them from one anonymous visitor closed the whole site for CMS_CIRCUIT_RESET_MS.
UNSENDABLE = ["/api/preview?content_type=x&token=%ff", "/api/preview?content_type=a.b&token=%00",
              "/api/preview?content_type=a.b&token=%C4%80",
              "/api/preview?content_type=a.%ff&token=t",
              "/mortar-preview/about/?content_type=a.b&token=%ff"]


def test_what_a_visitor_gets_wrong_never_opens_the_circuit(renderer: Renderer):
    for _ in range(3 * VOLUME_THRESHOLD):
        for path in UNSENDABLE:
            status, _, body = fetch(f"{renderer.url}{path}")
            assert status < 500, (path, status, body[:300])
    status, _, body = fetch(f"{renderer.url}{UNSENDABLE[0]}")
    assert status == 400 and "preview token" in body, (status, body[:300])
    # The CMS is still asked: only it can say that a path it has never seen is no page.
    status, headers, _ = fetch(uncached(renderer))
    assert status == 404 and "retry-after" not in headers
