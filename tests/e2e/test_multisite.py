"""One `next start` serving two Wagtail Sites by the request's Host (web/lib/site.ts).

The seeded demo site answers at localhost, a second site made here at docs.localhost: its
own home page under the tree's root, an "About the docs" page at the same path as the
demo's "About us", and a "Guide" only it has. The renderer under test is a second
`next start` of the session's build with no CMS_SITE_HOSTNAME, reached on 127.0.0.1 with
each site's Host header (Chromium: with the host names, which it resolves to loopback).
Its last test gives the docs Site a renderer URL of its own and takes that renderer away
for 30 s: the other Site is told at once, the docs renderer everything once it is back.
"""

import http.client
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, expect

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_until
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.helpers import FRESH_WITHIN, cached, cms_shell, edit_title, fetch, settled
from tests.tcpproxy import TcpProxy
from tests.webserver import WebBuild, next_start

pytestmark = pytest.mark.django_db

DOCS = "docs.localhost"
EXAMPLE = "localhost"  # the seeded default site

MAKE_DOCS = f"""
from wagtail.models import Page, Site
from sites.example.models import ContentPage, HomePage
home = HomePage(slug="docs-home", title="Docs", hero_heading="The docs site")
Page.get_first_root_node().add_child(instance=home)
home.save_revision().publish()
for slug, title in (("about", "About the docs"), ("guide", "Guide")):
    page = ContentPage(slug=slug, title=title, show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
Site.objects.create(hostname={DOCS!r}, port=80, root_page=home, site_name="Docs")
"""
REMOVE_DOCS = f"""
from wagtail.models import Page, Site
Site.objects.filter(hostname={DOCS!r}).delete()
Page.objects.get(url_path="/docs-home/").delete()
"""


@dataclass(frozen=True)
class Renderer:
    port: int

    def get(self, host: str, path: str, headers: dict[str, str] | None = None,
            ) -> tuple[int, dict[str, str], str]:
        return fetch(f"http://127.0.0.1:{self.port}{path}",
                     headers={"Host": f"{host}:{self.port}", **(headers or {})})

    def origin(self, host: str) -> str:
        return f"http://{host}:{self.port}"


@pytest.fixture(scope="module")
def docs_site(cms_env, celery_worker) -> Iterator[None]:
    cms_shell(cms_env, MAKE_DOCS)
    try:
        yield
    finally:
        cms_shell(cms_env, REMOVE_DOCS)


@pytest.fixture(scope="module")
def renderer(web_build: WebBuild, cms_server: str, docs_site) -> Iterator[Renderer]:
    port = free_port()
    env = {"CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "CMS_SITE_HOSTNAME": ""}  # no pin: every site, by Host
    with next_start(web_build, port, env):
        yield Renderer(port)


def h1(body: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    assert match, "no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def canonical(body: str) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]+)"', body)
    assert match, "no canonical link"
    return match.group(1)


def test_each_host_gets_its_own_site_at_the_same_path(renderer: Renderer):
    for host, title in ((EXAMPLE, "About us"), (DOCS, "About the docs")):
        status, headers, body = renderer.get(host, "/about/")
        assert status == 200 and h1(body) == title
        assert canonical(body) == f"{renderer.origin(host)}/about/"
        assert f'<meta property="og:url" content="{renderer.origin(host)}/about/"/>' in body
        # The HTTP cache's tags name the site too (percent-encoded, as the CMS purges them).
        assert headers["xkey"].split() == [f"{host}%7Cpath%3A%2Fabout%2F", f"{host}%7Cnavigation"]


def test_each_sites_pages_stay_static(renderer: Renderer):
    """ISR per host: the second request of a host is served from Next.js's cache, and the
    other host's entry at the same path is another one."""
    for host, title in ((DOCS, "Guide"), (EXAMPLE, "Contact")):
        path = "/guide/" if host == DOCS else "/contact/"
        renderer.get(host, path)
        status, headers, body = wait_until(
            lambda host=host, path=path: (answer := renderer.get(host, path))[1].get(
                "x-nextjs-cache") == "HIT" and answer, 10, message=f"{host}{path} cached")
        assert status == 200 and title in h1(body)
        assert "s-maxage" in headers["cache-control"]


def test_a_page_of_one_site_is_never_served_on_the_other(renderer: Renderer):
    assert renderer.get(DOCS, "/guide/")[0] == 200
    status, _, body = renderer.get(EXAMPLE, "/guide/")
    assert status == 404 and "Guide" not in body
    assert renderer.get(EXAMPLE, "/articles/")[0] == 200
    assert renderer.get(DOCS, "/articles/")[0] == 404


@pytest.mark.parametrize("segment", [DOCS, f"{DOCS}:{{port}}", "docs.localhost%3A{port}"])
def test_the_internal_route_cannot_cross_to_another_site(renderer: Renderer, segment: str):
    path = f"/mortar-site/{segment.format(port=renderer.port)}/guide/"
    status, _, body = renderer.get(EXAMPLE, path)
    assert status == 404 and "Guide" not in body
    # Not even on the docs host: the path is a page path of the site it is asked on.
    assert renderer.get(DOCS, path)[0] == 404


def test_each_site_has_its_own_menu(browser: Browser, renderer: Renderer):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{renderer.origin(DOCS)}/")
        menu = page.get_by_role("navigation", name="Main")
        expect(menu.get_by_role("link", name="Articles")).to_have_count(0)
        menu.get_by_role("link", name="Guide").click()
        expect(page.locator("h1")).to_have_text("Guide")
        assert page.url == f"{renderer.origin(DOCS)}/guide/"
        page.goto(f"{renderer.origin(EXAMPLE)}/")
        expect(menu.get_by_role("link", name="Articles")).to_be_visible()
        expect(menu.get_by_role("link", name="Guide")).to_have_count(0)
    finally:
        context.close()


def test_each_sites_sitemap_and_robots_are_its_own(renderer: Renderer):
    for host, own, other in ((DOCS, "/guide/", "/articles/"), (EXAMPLE, "/articles/", "/guide/")):
        origin = renderer.origin(host)
        status, headers, index = renderer.get(host, "/sitemap.xml")
        assert status == 200 and f"<loc>{origin}/sitemap/1.xml</loc>" in index
        assert headers["xkey"] == f"{host}%7Csitemap"
        status, _, urls = renderer.get(host, "/sitemap/1.xml")
        locs = re.findall(r"<loc>([^<]+)</loc>", urls)
        assert status == 200 and locs and all(loc.startswith(f"{origin}/") for loc in locs)
        assert f"{origin}{own}" in locs and f"{origin}{other}" not in locs
        status, _, robots = renderer.get(host, "/robots.txt")
        assert status == 200 and f"Sitemap: {origin}/sitemap.xml" in robots


def test_search_finds_the_hosts_site_only(renderer: Renderer):
    status, _, body = renderer.get(DOCS, "/search/?" + urlencode({"q": "Guide"}))
    assert status == 200 and 'href="/guide/"' in body
    status, _, body = renderer.get(EXAMPLE, "/search/?" + urlencode({"q": "Guide"}))
    assert status == 200 and 'href="/guide/"' not in body


def test_another_host_never_gets_a_sites_pages_and_a_malformed_one_is_a_400(renderer: Renderer):
    """A hostname no Site has is refused before rendering (421, web/lib/site-hosts.ts),
    never given the docs site's pages."""
    status, _, body = renderer.get("nowhere.localhost", "/guide/")
    assert status == 421 and "Guide" not in body
    status, _, body = fetch(f"http://127.0.0.1:{renderer.port}/about/", headers={"Host": "a_b"})
    assert status == 400 and "host name" in body


PREVIEW_TOKEN = """
from wagtail.models import Page
page = Page.objects.get(url_path="/docs-home/guide/").specific
page.title = {title!r}
print(page.create_page_preview().token)
"""


def test_preview_shows_the_draft_on_its_own_sites_host(renderer: Renderer, cms_env):
    title = "Guide, a draft"
    shell = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                            PREVIEW_TOKEN.format(title=title)],
                           cwd=REPO, env=cms_env, check=True, capture_output=True, text=True,
                           timeout=60)
    token = shell.stdout.strip().splitlines()[-1]
    query = urlencode({"content_type": "example.contentpage", "token": token})
    conn = http.client.HTTPConnection("127.0.0.1", renderer.port, timeout=30)
    try:
        conn.request("GET", f"/api/preview?{query}", headers={"Host": f"{DOCS}:{renderer.port}"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    # To the draft's own preview address on that host, the token along: no cookie.
    assert response.status == 307
    assert response.headers["Location"] == f"/mortar-preview/guide/?{query}"
    assert not response.headers.get_all("Set-Cookie")
    status, _, body = renderer.get(DOCS, response.headers["Location"])
    assert status == 200 and h1(body) == title and 'data-testid="preview-bar"' in body
    # Visitors still get the live page.
    assert h1(renderer.get(DOCS, "/guide/")[2]) == "Guide"


def test_a_revalidation_reaches_the_named_sites_entries_only(renderer: Renderer,
                                                             django_db_blocker):
    """`<site>|path:/about/` (as the CMS sends it) drops docs' /about/ entry, not the
    demo's at the same path."""
    # Deliveries of earlier changes (and their resends) revalidate the demo's /about/ too,
    # through the renderers' shared cache: failed twice in 4 runs while one was on its way.
    settled(django_db_blocker)

    def hit(host: str) -> bool:
        return renderer.get(host, "/about/")[1].get("x-nextjs-cache") == "HIT"

    for host in (DOCS, EXAMPLE):
        wait_until(lambda host=host: hit(host), 10, message=f"{host}/about/ cached")
    body = json.dumps({"tags": [f"{DOCS}|path:/about/"]}).encode()
    status, _, _ = fetch(f"http://127.0.0.1:{renderer.port}/api/revalidate", "POST", body,
                         {"Authorization": f"Bearer {REVALIDATE_SECRET}",
                          "Content-Type": "application/json"})
    assert status == 200
    assert not hit(DOCS)
    assert hit(EXAMPLE)


def test_an_edit_on_one_site_shows_on_its_host(renderer: Renderer, cms_env):
    for host in (DOCS, EXAMPLE):
        renderer.get(host, "/about/")
    edit_title(cms_env, "/docs-home/about/", "About the docs, edited")
    wait_until(lambda: h1(renderer.get(DOCS, "/about/")[2]) == "About the docs, edited",
               FRESH_WITHIN, message="the edit on the docs host")
    assert h1(renderer.get(EXAMPLE, "/about/")[2]) == "About us"


DOWN_SECONDS = 30
BACK_WITHIN = 5.0  # seconds from the renderer's return to every change it missed showing

SET_RENDERER = """
from wagtail.models import Site
from cms.core.models import RendererSettings
RendererSettings.objects.update_or_create(site=Site.objects.get(hostname={host!r}),
                                          defaults={{"url": {url!r}}})
"""


@pytest.fixture
def docs_renderer_url(renderer: Renderer, cms_env) -> Iterator[TcpProxy]:
    """The docs Site's Settings → Renderer names the module's renderer through a proxy the
    test controls (the example Site keeps FRONTEND_URL, the session's renderer)."""
    proxy = TcpProxy(renderer.port)
    cms_shell(cms_env, SET_RENDERER.format(host=DOCS, url=f"http://127.0.0.1:{proxy.port}"))
    try:
        yield proxy
    finally:
        proxy.forward()
        cms_shell(cms_env, SET_RENDERER.format(host=DOCS, url=""))
        proxy.close()


def test_one_sites_renderer_down_holds_back_no_other_site_and_gets_all_it_missed(
        renderer: Renderer, docs_renderer_url: TcpProxy, web_server, http_cache, cms_env,
        django_db_blocker):
    """The example Site's renderer is FRONTEND_URL's (`web_server`, sharing its cache in
    Redis with this module's), the docs Site's this module's, behind the proxy."""
    settled(django_db_blocker)
    for host, path in ((DOCS, "/guide/"), (EXAMPLE, "/contact/")):
        wait_until(lambda host=host, path=path: renderer.get(host, path)[1].get(
            "x-nextjs-cache") == "HIT", 10, message=f"{host}{path} cached")
    cached(f"{http_cache.url}/contact/")
    docs_down = time.monotonic()
    docs_renderer_url.refuse()
    try:
        edit_title(cms_env, "/docs-home/guide/", "Guide, while its renderer is down")
        edit_title(cms_env, "/home/contact/", "Contact, while docs is down")
        # The other Site at once, its renderer and the HTTP cache in front of it.
        wait_until(lambda: h1(renderer.get(EXAMPLE, "/contact/")[2])
                   == "Contact, while docs is down", FRESH_WITHIN, interval=0.1,
                   message="the example site's change")
        wait_until(lambda: "Contact, while docs is down" in fetch(f"{http_cache.url}/contact/")[2],
                   FRESH_WITHIN, interval=0.1, message="the HTTP cache purged")
        # The docs renderer was not told, and the admin says which renderer is behind.
        assert h1(renderer.get(DOCS, "/guide/")[2]) == "Guide"
        with database(django_db_blocker):
            from cms.publishing.models import DeliveryTarget, RevalidationRequest

            behind = DeliveryTarget.objects.get(url=f"http://127.0.0.1:{docs_renderer_url.port}")
            assert behind.failing_since and "Connection refused" in behind.last_error
            waiting = RevalidationRequest.objects.filter(delivered_at__isnull=True)
            assert any(f"{behind.url}: " in row.outcome for row in waiting)

        time.sleep(max(0.0, docs_down + DOWN_SECONDS - time.monotonic()))
        docs_renderer_url.forward()
        back = time.monotonic()
        wait_until(lambda: h1(renderer.get(DOCS, "/guide/")[2])
                   == "Guide, while its renderer is down", BACK_WITHIN, interval=0.1,
                   message="the docs renderer told what it missed")
        print(f"docs renderer caught up {time.monotonic() - back:.2f}s after it came back")
    finally:
        docs_renderer_url.forward()
        edit_title(cms_env, "/docs-home/guide/", "Guide")
        edit_title(cms_env, "/home/contact/", "Contact")
        wait_until(lambda: h1(renderer.get(DOCS, "/guide/")[2]) == "Guide"
                   and h1(renderer.get(EXAMPLE, "/contact/")[2]) == "Contact", 15,
                   interval=0.2, message="the titles back")
        settled(django_db_blocker)
