"""Page paths that are not plain ASCII, from the browser to the CMS and back.

Slugs in several scripts, upper case and the punctuation Wagtail allows in a slug, asked
for percent-encoded (as browsers send them) and in the other spellings visitors and
crawlers use, through `next start` and through nginx in front of it. Each page renders,
every link to it leads to it, the sitemap lists it encoded, and a publish shows on the site.
"""

import socket
import ssl
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import requests
from playwright.sync_api import Browser, expect

from cms.testing.processes import wait_until
from tests.e2e.conftest import DESKTOP, database
from tests.e2e.helpers import cms_shell, logged_in_admin
from tests.e2e.nginx import NGINX, hostport, nginx

# The mark makes pytest-django set up the test database; content changes go through the
# stack (module fixtures commit theirs before any test's rolled-back transaction begins).
pytestmark = pytest.mark.django_db

# slug: title; "über-uns" holds a child so that breadcrumbs have a non-ASCII link, and
# "café" links to "日本語". (The main menu is left alone: other tests count its links.)
SLUGS = {
    "über-uns": "Über uns",
    "café": "Café au lait",
    "日本語": "日本語のページ",
    "русский": "Русская страница",
    "العربية": "صفحة عربية",
    "ελληνικά": "Ελληνική σελίδα",
    "한국어": "한국어 페이지",
    "Groß-Äpfel": "Große Äpfel",  # Wagtail keeps the case of a slug typed by hand
    "a_b-2026": "Underscore, hyphen and digits",  # all the punctuation a slug may hold
}
CHILD = ("straße", "Straße")  # under über-uns
PUBLISHED = "日本語"  # the page the publish test edits


@dataclass
class Site:
    origin: str
    verify: str | bool

    def get(self, path: str, follow: bool = True) -> requests.Response:
        """`path` goes on the wire exactly as given (requests would re-encode some of it)."""
        request = requests.Request("GET", self.origin + "/").prepare()
        request.url = self.origin + path
        with requests.Session() as session:
            response = session.send(request, allow_redirects=False, verify=self.verify,
                                    timeout=120)
            hops = 0
            while follow and response.is_redirect and hops < 5:
                # Next.js sends a page's redirect with its Location twice (the same value)
                # on the first render. A Location must be ASCII: clients read raw UTF-8
                # there as Latin-1.
                (location,) = set(response.raw.headers.getlist("Location"))
                assert location.isascii(), location
                response = session.get(requests.compat.urljoin(response.url, location),
                                       allow_redirects=False, verify=self.verify, timeout=120)
                hops += 1
        assert response.status_code < 500, f"{path}: {response.status_code}"
        return response


def encoded(html_path: str) -> str:
    return quote(html_path, safe="/")


@pytest.fixture(scope="module")
def pages(seeded_db, django_db_blocker) -> Iterator[dict[str, int]]:
    """The pages, live and in the main menu, committed where the stack can see them."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Site as WagtailSite

    from sites.example.models import ContentPage

    ids: dict[str, int] = {}
    with database(django_db_blocker):
        home = WagtailSite.objects.get(is_default_site=True).root_page
        for slug, title in SLUGS.items():
            page = home.add_child(instance=ContentPage(title=title, slug=slug))
            page.save_revision().publish()
            ids[f"/{slug}/"] = page.pk
        # A call to action on "café" that links to "日本語", as an editor would choose it.
        cafe = ContentPage.objects.get(pk=ids["/café/"])
        cafe.body = [("cta", {"label": "Zum japanischen Text",
                              "link": {"page": ContentPage.objects.get(pk=ids["/日本語/"]),
                                       "url": ""}})]
        cafe.save_revision().publish()
        parent = ContentPage.objects.get(pk=ids["/über-uns/"])
        child = parent.add_child(instance=ContentPage(title=CHILD[1], slug=CHILD[0]))
        child.save_revision().publish()
        ids[f"/über-uns/{CHILD[0]}/"] = child.pk
        redirects = [Redirect.objects.create(old_path=Redirect.normalise_path(old),
                                             redirect_page_id=ids[target])
                     for old, target in (("/alt-cafe", "/café/"), ("/alt-日", "/日本語/"))]
    try:
        yield ids
    finally:
        with database(django_db_blocker):
            for redirect in redirects:
                redirect.delete()
            for page in ContentPage.objects.filter(pk__in=ids.values()).order_by("-depth"):
                page.delete()


@pytest.fixture(scope="module")
def behind_nginx(cms_server, web_server) -> Iterator[Site]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    with nginx(hostport(cms_server), hostport(web_server)) as proxy:
        yield Site(f"https://127.0.0.1:{proxy.https_port}", str(proxy.cafile))


@pytest.fixture(params=["next start", "nginx"])
def site(request, pages) -> Site:
    if request.param == "next start":
        return Site(request.getfixturevalue("web_server"), True)
    return request.getfixturevalue("behind_nginx")


def h1(response: requests.Response) -> str:
    start = response.text.index("<h1")
    return response.text[response.text.index(">", start) + 1:response.text.index("</h1>", start)]


ALL_PATHS = [*(f"/{slug}/" for slug in SLUGS), f"/über-uns/{CHILD[0]}/"]
TITLES = {**{f"/{slug}/": title for slug, title in SLUGS.items()},
          f"/über-uns/{CHILD[0]}/": CHILD[1]}


@pytest.mark.parametrize("path", ALL_PATHS)
def test_the_page_renders_at_its_encoded_path(site, path):
    answer = site.get(encoded(path), follow=False)
    assert answer.status_code == 200 and h1(answer) == TITLES[path]


@pytest.mark.parametrize(("asked", "path"), [
    (encoded("/über-uns/straße/"), "/über-uns/straße/"),
    (encoded("/日本語"), "/日本語/"),
    ("/alt-cafe/", "/café/"),
])
def test_next_dev_serves_the_same_paths(dev_server, pages, asked, path):
    """`make dev` runs the renderer under `next dev`, whose routing is its own."""
    answer = Site(dev_server, True).get(asked)
    assert answer.status_code == 200 and h1(answer) == TITLES[path]
    assert unquote(answer.url) == dev_server + path


@pytest.mark.parametrize(("asked", "path"), [
    ("/caf%c3%a9/", "/café/"),  # lower-case hex digits: the same URL
    ("/caf%C3%A9", "/café/"),  # no trailing slash: redirected to the page's own address
    ("/%E6%97%A5%E6%9C%AC%E8%AA%9E", "/日本語/"),
    ("/%C3%BCber-uns/stra%C3%9Fe", "/über-uns/straße/"),
    ("//caf%C3%A9/", "/café/"),  # a double slash
    ("/%C3%BCber-uns//stra%C3%9Fe/", "/über-uns/straße/"),
    ("/alt-cafe/", "/café/"),  # a Wagtail redirect to a non-ASCII page
    ("/alt-%E6%97%A5/", "/日本語/"),  # ... and from a non-ASCII old path ("/alt-日/")
    ("/a_b-2026", "/a_b-2026/"),
])
def test_other_spellings_lead_to_the_page(site, asked, path):
    answer = site.get(asked)
    assert answer.status_code == 200 and h1(answer) == TITLES[path]
    # Where the visitor ends up is the page's address (in either case of hex digits).
    assert unquote(answer.url) == site.origin + path


@pytest.mark.parametrize("asked", [
    "/CAF%C3%89/",  # slugs are case-sensitive in Wagtail: another address
    "/gro%C3%9F-%C3%A4pfel/",  # ... either way round
    "/%C3%BCber-uns%2Fstra%C3%9Fe/",  # an encoded "/" is part of a segment, not a separator
    "/%25C3%25A9/",  # encoded twice
])
def test_what_names_no_page_is_the_sites_404(site, asked):
    answer = site.get(asked)
    # The 404 page's heading comes in the streamed payload, not in an <h1> of the HTML.
    assert answer.status_code == 404 and "Page not found" in answer.text


@pytest.mark.parametrize("asked", [
    "/%E0%A4%A/",  # malformed percent-encoding
    "/caf%E9/",  # Latin-1, not UTF-8
    "/caf%E9",  # ... without its slash
])
def test_what_is_not_utf8_is_a_bad_request(site, asked):
    status, body = raw_request(site, asked.encode())  # HTTP clients would "repair" these
    # nginx refuses the malformed escape itself, with its own page.
    assert status == 400 and ("not valid UTF-8" in body or "<h1>400 Bad Request</h1>" in body)


def raw_request(site: Site, target: bytes) -> tuple[int, str]:
    """A request line with raw UTF-8 bytes, as some crawlers and scripts send it."""
    host, port = site.origin.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=120) as raw:
        stream = raw
        if site.origin.startswith("https"):
            context = ssl.create_default_context(cafile=site.verify)
            stream = context.wrap_socket(raw, server_hostname="127.0.0.1")
        stream.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Connection: close\r\n\r\n")
        data = b""
        while chunk := stream.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode("utf-8", "replace")


@pytest.mark.parametrize("path", ["/über-uns/", "/日本語/"])
def test_the_decoded_twin_of_an_encoded_path(site, path):
    status, body = raw_request(site, path.encode())
    # Not a page (an HTTP request line is ASCII), but never an error of ours either.
    assert status in (200, 400), status
    if status == 200:
        assert f">{TITLES[path]}</h1>" in body


def test_links_breadcrumbs_and_canonical(browser: Browser, web_server: str, pages):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        # Typed into the address bar as text: the browser encodes it.
        page.goto(f"{web_server}/café/")
        page.locator("main").get_by_role("link", name="Zum japanischen Text").click()
        expect(page).to_have_url(f"{web_server}{encoded('/日本語/')}")
        expect(page.locator("h1")).to_have_text(TITLES["/日本語/"])
        expect(page.locator("link[rel=canonical]")).to_have_attribute(
            "href", f"{web_server}{encoded('/日本語/')}")

        page.goto(f"{web_server}/über-uns/straße/")
        expect(page.locator("h1")).to_have_text("Straße")
        expect(page.locator("link[rel=canonical]")).to_have_attribute(
            "href", f"{web_server}/%C3%BCber-uns/stra%C3%9Fe/")
        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        crumbs.get_by_role("link", name="Über uns").click()
        expect(page).to_have_url(f"{web_server}/%C3%BCber-uns/")
        expect(page.locator("h1")).to_have_text("Über uns")
    finally:
        context.close()


def test_the_sitemap_lists_each_page_encoded(web_server: str, pages):
    body = Site(web_server, True).get("/sitemap/1.xml").text  # the first of the index
    for path in ALL_PATHS:
        assert f"<loc>{web_server}{encoded(path)}</loc>" in body
    assert "über" not in body and "日本語" not in body


def test_preview_exit_returns_to_a_non_ascii_page(site):
    answer = site.get("/api/preview/exit/?path=" + quote("/日本語/", safe=""))
    assert answer.status_code == 200 and h1(answer) == TITLES["/日本語/"]
    assert answer.url == site.origin + encoded("/日本語/")


def test_a_publish_shows_on_the_site(browser: Browser, behind_nginx, web_server, cms_server,
                                     celery_worker, editor, pages):
    fronts = [Site(web_server, True), behind_nginx]
    path = encoded(f"/{PUBLISHED}/")
    for front in fronts:  # cached by both before the change
        assert h1(front.get(path)) == TITLES[f"/{PUBLISHED}/"]
    title = f"日本語 {uuid.uuid4().hex[:6]}"
    context, admin = logged_in_admin(browser, cms_server, editor)
    try:
        admin.goto(f"{cms_server}/admin/pages/{pages[f'/{PUBLISHED}/']}/edit/")
        admin.fill("#id_title", title)
        admin.get_by_role("button", name="More actions").click()
        admin.locator("button[name='action-publish']").click()
        admin.wait_for_url(lambda url: "/edit/" not in url, timeout=15_000)
    finally:
        context.close()
    deadline = time.monotonic() + 15
    for front in fronts:
        wait_until(lambda front=front: h1(front.get(path)) == title,
                   max(0.0, deadline - time.monotonic()), interval=0.2,
                   message=f"{front.origin}{path} showing the new title")


# Slugs whose tag (`localhost|path:/<slug>/`) is longer than the 256 characters a Next.js
# tag may have: the first as anyone counts, the second only as JavaScript counts (each 𠀀
# is two UTF-16 units). Both entries are tagged by a digest (web/lib/cache-tags.ts).
LONG_SLUGS = {"long-" + "wordy-" * 41 + "end": "Long wordy page", "𠀀" * 120 + "-x": "𠀀 page"}


@pytest.fixture(scope="module")
def long_pages(seeded_db, django_db_blocker) -> Iterator[dict[str, int]]:
    from wagtail.models import Site as WagtailSite

    from sites.example.models import ContentPage

    with database(django_db_blocker):
        home = WagtailSite.objects.get(is_default_site=True).root_page
        ids = {}
        for slug, title in LONG_SLUGS.items():
            page = home.add_child(instance=ContentPage(title=title, slug=slug))
            page.save_revision().publish()
            ids[f"/{slug}/"] = page.pk
    try:
        yield ids
    finally:
        with database(django_db_blocker):
            ContentPage.objects.filter(pk__in=ids.values()).delete()


def test_a_page_whose_address_is_longer_than_a_tag_shows_its_publish(
        web_server, cms_env, celery_worker, long_pages):
    front = Site(web_server, True)
    for path in long_pages:  # rendered, then served from the renderer's cache
        wait_until(lambda path=path: front.get(encoded(path)).headers.get("x-nextjs-cache")
                   == "HIT", 30, interval=0.2, message=f"{path} cached")
    titles = {path: f"Edited {uuid.uuid4().hex[:6]}" for path in long_pages}
    for path, page_id in long_pages.items():
        cms_shell(cms_env, "from wagtail.models import Page\n"
                           f"page = Page.objects.get(pk={page_id}).specific\n"
                           f"page.title = {titles[path]!r}\n"
                           "page.save_revision().publish()\n")
    deadline = time.monotonic() + 15
    for path, title in titles.items():
        wait_until(lambda path=path, title=title: h1(front.get(encoded(path))) == title,
                   max(0.0, deadline - time.monotonic()), interval=0.2,
                   message=f"{path[:40]}… showing the new title")
