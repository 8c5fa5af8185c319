"""The scaffolding commands (`startsite`, `startblock`, `startpage`), run one after the
other in one scratch copy of this checkout (tests/scaffold.py), as a developer starting a
site would.

What they write must pass, unchanged, what `make test` runs on it: ruff and eslint on every
file written, the migrations and generated-files checks, `npm run typecheck` (the whole
program: a written file may change types others use), and the tests they write (pytest,
vitest). The copy's database starts as a copy of the run's migrated template
(cms.testing.databases), so `migrate` applies only what the commands add. The site
`startsite` makes runs, with the example site, on a stack of the copy's own (gunicorn, a
Celery worker, a renderer per site, nginx): each host gets its own site, a publish reaches
its site's renderer only, and preview opens each site's renderer. Refusals:
tests/test_scaffold_refusals.py.
"""

import http.client
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings

from cms.testing.parallel import spare_redis_url
from cms.testing.ports import free_port
from cms.testing.processes import Worker, gunicorn, wait_until
from tests.e2e.helpers import fetch
from tests.e2e.nginx import Proxy, hostport, nginx
from tests.scaffold import (
    changes,
    copy_checkout,
    manage,
    ok,
    passes_make_test_checks,
    run,
    scratch_database,
    scratch_env,
)
from tests.webserver import WebBuild, next_start

BY_PATH = """
import json
from django.test import Client
answers = {}
asked = (("docs.localhost", "/"), ("localhost:8000", "/"), ("docs.localhost", "/welcome/"))
for host, path in asked:
    response = Client().get("/api/v2/pages/by-path/", {"html_path": path}, HTTP_HOST=host)
    answers[host + path] = [response.status_code, response.json()]
print(json.dumps(answers))
"""


@dataclass(frozen=True)
class Scratch:
    """A scratch copy and the environment of its commands (its database, its Redis)."""

    repo: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> Iterator[Scratch]:
    """A buildable scratch copy, migrated, with the example site on localhost:8000 (its
    home page and a "Welcome" page), then `startsite docs --hostname docs.localhost`,
    `startblock Pullquote` and `startpage example FaqPage`. Shared by every test of the
    module: one copy, one migrate, one round of `make test`'s checks on what the three
    commands wrote, one `next build` of it all (`stack`)."""
    folder = tmp_path_factory.mktemp("two-sites")
    try:
        repo = copy_checkout(folder, buildable=True)
        with scratch_database("scaffold_sites") as url:
            # Not the session's: its Celery worker must never take the copy's tasks (it would
            # look for their outbox rows in the session's database).
            redis_url = spare_redis_url()
            env = {**scratch_env(repo, url), "REDIS_URL": redis_url,
                   "CELERY_BROKER_URL": redis_url,
                   "CACHE_KEY_PREFIX": f"scratch-{time.time_ns()}-"}
            ok(manage(repo, "migrate", "--noinput", "--verbosity", "0", env=env))
            ok(manage(repo, "createsite", "example", "--hostname", "localhost", "--port", "8000",
                      env=env))
            ok(manage(repo, "shell", "-c", (
                "from sites.example.models import ContentPage, HomePage\n"
                "page = HomePage.objects.get().add_child(instance=ContentPage(title='Welcome', "
                "slug='welcome', live=False))\n"
                "page.save_revision().publish()"), env=env))
            ok(manage(repo, "startsite", "docs", "--hostname", "docs.localhost", env=env))
            ok(manage(repo, "startblock", "Pullquote", env=env))
            ok(manage(repo, "startpage", "example", "FaqPage", env=env))
            yield Scratch(repo, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_startsite_makes_a_second_site_that_answers_by_its_hostname(two_sites):
    repo, env = two_sites.repo, two_sites.env
    written = {line[3:] for line in changes(repo)}
    assert {"sites/docs/apps.py", "sites/docs/models.py", "sites/docs/migrations/0001_initial.py",
            "sites/docs/management/commands/seed_docs.py", "sites/docs/tests/test_pages.py",
            "web/sites/docs/registry.ts", "web/sites/docs/DocsHomePage.tsx",
            "web/sites/docs/tests/registry.test.tsx", "web/sites/index.ts"} <= written
    assert (repo / "web" / "sites" / "index.ts").read_text().endswith(
        'export { pageTypes as docs } from "@/sites/docs/registry";\n')

    answers = json.loads(ok(manage(repo, "shell", "-c", BY_PATH, env=env)).splitlines()[-1])
    status, docs = answers["docs.localhost/"]
    assert status == 200 and docs["meta"]["type"] == "docs.DocsHomePage"
    assert docs["title"] == "Docs"
    status, example = answers["localhost:8000/"]
    assert status == 200 and example["meta"]["type"] == "example.HomePage"
    # The example's page is not served on the docs hostname.
    assert answers["docs.localhost/welcome/"][0] == 404

    # The Site's address is taken now: refused, nothing written.
    before = changes(repo)
    result = manage(repo, "startsite", "manual", "--hostname", "docs.localhost", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "CommandError: a Site answers on docs.localhost:80 already"]
    assert changes(repo) == before
    assert not (repo / "sites" / "manual").exists()


def test_what_startblock_and_startpage_write_passes_lint_types_and_its_tests(two_sites):
    """With what startsite wrote beside it (test_startsite_...): one round of the checks."""
    repo, env = two_sites.repo, two_sites.env
    written = {line[3:] for line in changes(repo)}
    assert {
        "cms/blocks/pullquote.py", "cms/blocks/tests/test_pullquote.py", "cms/blocks/stream.py",
        "web/components/blocks/Pullquote.tsx", "web/components/blocks/column-stream.tsx",
        "web/tests/blocks/Pullquote.test.tsx", "web/lib/types.ts",
        "sites/example/models.py", "sites/example/tests/test_faq_page.py",
        "web/sites/example/FaqPage.tsx", "web/sites/example/registry.ts",
        "web/sites/example/tests/FaqPage.test.tsx",
        "web/lib/openapi.json", "web/lib/api.generated.ts",
    } <= written
    # The page type's migration, numbered after the block's (which alters every body).
    assert [name for name in written if re.fullmatch(
        r"sites/example/migrations/[0-9]{4}_faqpage\.py", name)], written
    schema = json.loads((repo / "web" / "lib" / "openapi.json").read_text())
    assert "PullquoteBlockValue" in schema["components"]["schemas"]
    assert "FaqPage" in schema["components"]["schemas"]
    assert "DocsHomePage" in schema["components"]["schemas"]

    passes_make_test_checks(
        repo, env,
        pytest_files=["cms/blocks/tests/test_pullquote.py", "sites/example/tests/test_faq_page.py",
                      "sites/docs/tests"],
        vitest_files=["tests/blocks/Pullquote.test.tsx", "sites/example/tests/FaqPage.test.tsx",
                      "sites/docs/tests"])


# --- The two sites on a stack of the scratch copy's own --------------------------------
#
# The example site's renderer is the shared one (FRONTEND_URL, no CMS_SITE_HOSTNAME: any
# site, by Host); docs has a renderer of its own, pinned to docs.localhost, named in its
# Site's Settings > Renderer. Each renderer keeps its own cache (its CACHE_KEY_PREFIX), so
# what one is told shows in its cache only. The nginx template sends every page to one
# renderer (MORTAR_WEB_UPSTREAM): a site with a renderer of its own gets a server block of
# its own (infra/README.md), here an nginx of its own, each routing by server_name.

DOCS, EXAMPLE = "docs.localhost", "localhost"
SECRET = "scaffold-revalidate-secret-0123456789"
FRESH_WITHIN = 10.0  # seconds from a publish's commit to its page on the site, loaded CI
CONTENT = """
from wagtail.models import Site
from cms.core.models import RendererSettings
from sites.docs.models import DocsHomePage, GuidePage
# Wagtail's starter Site (localhost:80) goes, as seed_demo does it: localhost is example's.
for starter in Site.objects.filter(hostname="localhost", port=80):
    page = starter.root_page
    starter.delete()
    page.delete()
home = DocsHomePage.objects.get()
guide = home.add_child(instance=GuidePage(title="Guide", slug="guide", live=False))
guide.save_revision().publish()
renderer = RendererSettings.for_site(Site.objects.get(hostname="docs.localhost"))
renderer.url = {docs_url!r}
renderer.save()
"""
PUBLISH = """
from wagtail.models import Page
page = Page.objects.get(url_path={url_path!r}).specific
page.title = {title!r}
page.save_revision().publish()
"""
# What the admin's Preview does (wagtail-headless-preview's serve_preview): the draft
# stored under a token, and the URL of the preview route of the page's Site's renderer.
PREVIEW_URL = """
from wagtail.models import Page
page = Page.objects.get(url_path={url_path!r}).specific
page.title = {title!r}
print(page.get_preview_url(None, page.create_page_preview().token))
"""


@dataclass(frozen=True)
class TwoSiteStack:
    """The scratch copy's running stack: its renderers' URLs, its nginx by hostname."""

    repo: Path
    env: dict[str, str]
    example_renderer: str  # FRONTEND_URL: http://localhost:<port>
    docs_renderer: str  # the docs Site's renderer URL: http://127.0.0.1:<port>
    proxies: dict[str, Proxy]  # by hostname

    def page(self, host: str, path: str) -> tuple[int, str]:
        """A visitor's GET of https://`host``path`, through that site's nginx."""
        answer = self.proxies[host].request_as(host, "GET", path)
        return answer.status, answer.body.decode()

    def settled(self) -> bool:
        """Every outbox row of the copy's database delivered, and sent once more
        (REVALIDATE_AGAIN_SECONDS later, `cms.publishing.delivery.send_again`)."""
        connection = psycopg2.connect(self.env["DATABASE_URL"])
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FILTER (WHERE delivered_at IS NULL), "
                    "extract(epoch FROM now() - max(delivered_at)) "
                    "FROM mortar_publishing_revalidationrequest")
                undelivered, since = cursor.fetchone()
        finally:
            connection.close()
        return undelivered == 0 and (since is None
                                     or since > settings.REVALIDATE_AGAIN_SECONDS + 1)


def at(renderer: str, host: str, path: str,
       headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET `path` of `host`'s site from a renderer itself (no nginx), as that Host."""
    port = urlsplit(renderer).port
    return fetch(f"http://127.0.0.1:{port}{path}", headers={"Host": f"{host}:{port}",
                                                             **(headers or {})})


def h1(body: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    assert match, "no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture(scope="module")
def stack(two_sites: Scratch, tmp_path_factory) -> Iterator[TwoSiteStack]:
    """docs given a page type (`startpage docs GuidePage`) and a "Guide" page, the copy
    built (`next build`), its CMS, Celery worker and renderers started, nginx in front."""
    repo = two_sites.repo
    cms_port, example_port, docs_port = free_port(), free_port(), free_port()
    cms_url = f"http://127.0.0.1:{cms_port}"
    example_renderer = f"http://{EXAMPLE}:{example_port}"
    docs_renderer = f"http://127.0.0.1:{docs_port}"  # docs.localhost resolves nowhere
    env = {**two_sites.env, "FRONTEND_URL": example_renderer, "REVALIDATE_SECRET": SECRET,
           "WAGTAILADMIN_BASE_URL": cms_url, "PYTHONUNBUFFERED": "1",
           "REVALIDATE_RETRY_BACKOFF_MAX": "2"}
    ok(manage(repo, "startpage", "docs", "GuidePage", env=env))
    ok(manage(repo, "migrate", "--noinput", "--verbosity", "0", env=env))
    ok(manage(repo, "shell", "-c", CONTENT.format(docs_url=docs_renderer), env=env))
    web_env = {**env, "CMS_API_URL": cms_url, "NEXT_PUBLIC_SITE_URL": example_renderer,
               "NODE_ENV": "production", "NEXT_DIST_DIR": ".next",
               "NEXT_TSCONFIG_PATH": "tsconfig.json"}
    with ExitStack() as running:
        running.enter_context(gunicorn(env, cms_port, cwd=repo, quiet=True))
        worker = Worker("scratch", tmp_path_factory.mktemp("worker") / "worker.log", env,
                        concurrency=1, cwd=repo)
        running.callback(worker.stop)
        ok(run(repo / "web", "npm", "run", "build", env=web_env))
        worker.wait_ready()
        build = WebBuild(".next", "tsconfig.json", repo / "web")
        for port, pinned, cache in ((example_port, "", "example"), (docs_port, DOCS, "docs")):
            running.enter_context(next_start(build, port, {
                **web_env, "CMS_SITE_HOSTNAME": pinned,
                "CACHE_KEY_PREFIX": f"{env['CACHE_KEY_PREFIX']}{cache}-"},
                stdout=subprocess.DEVNULL))
        cms = hostport(cms_url)
        proxies = {host: running.enter_context(nginx(
            cms, f"127.0.0.1:{port}", server_names=host, certificate_per_host=[EXAMPLE, DOCS]))
            for host, port in ((EXAMPLE, example_port), (DOCS, docs_port))}
        stack = TwoSiteStack(repo, env, example_renderer, docs_renderer, proxies)
        # A Site's first render makes its NavigationSettings row (Wagtail's `for_site`), a
        # change the outbox delivers: that, and what setting up queued, is delivered (and
        # sent again) before any test primes a cache.
        for host in (EXAMPLE, DOCS):
            assert stack.page(host, "/")[0] == 200
        wait_until(stack.settled, 60, interval=0.2, message="the setup's outbox delivered")
        yield stack


def test_each_host_gets_its_own_site_through_nginx(stack: TwoSiteStack):
    status, docs = stack.page(DOCS, "/")
    # The docs site's home page, in the layout startsite wrote (web/sites/docs/).
    assert status == 200 and h1(docs) == "Docs"
    assert re.search(r'<article class="mx-auto max-w-3xl"><h1[^>]*>Docs</h1>', docs)
    status, example = stack.page(EXAMPLE, "/")
    assert status == 200 and h1(example) == "Example"
    assert re.search(r'<section class="grid[^"]*"><div><h1[^>]*>Example</h1>', example)
    assert stack.page(DOCS, "/guide/")[0] == 200
    assert stack.page(EXAMPLE, "/welcome/")[0] == 200
    # Neither site's pages on the other's host: through its nginx, nor from the shared
    # renderer, which serves any site by Host.
    for host, other, title in ((DOCS, "/welcome/", "Welcome"), (EXAMPLE, "/guide/", "Guide")):
        status, body = stack.page(host, other)
        assert status == 404 and f">{title}<" not in body
        status, _, body = at(stack.example_renderer, host, other)
        assert status == 404 and f">{title}<" not in body
    # Each nginx answers its own host only.
    assert stack.proxies[EXAMPLE].request_as(DOCS, "GET", "/").status == 421
    assert stack.proxies[DOCS].request_as(EXAMPLE, "GET", "/").status == 421


def test_a_publish_on_docs_reaches_the_docs_renderer_only(stack: TwoSiteStack):
    """Published on docs: shown on docs.localhost within seconds; the shared renderer is
    not told (its cached copy of the docs page, asked for by Host, stays as it was)."""
    def cached(renderer: str, host: str, path: str) -> str | None:
        status, headers, body = at(renderer, host, path)
        return status == 200 and headers.get("x-nextjs-cache") == "HIT" and body

    for renderer, host, path in ((stack.docs_renderer, DOCS, "/guide/"),
                                 (stack.example_renderer, DOCS, "/guide/"),
                                 (stack.example_renderer, EXAMPLE, "/welcome/")):
        at(renderer, host, path)
        wait_until(lambda renderer=renderer, host=host, path=path: cached(renderer, host, path),
                   20, interval=0.2,
                   message=f"{host}{path} cached by {renderer}")

    ok(manage(stack.repo, "shell", "-c",
              PUBLISH.format(url_path="/docs/guide/", title="Guide, edited"), env=stack.env))
    wait_until(lambda: h1(stack.page(DOCS, "/guide/")[1]) == "Guide, edited", FRESH_WITHIN,
               message="the edit on docs.localhost")
    wait_until(stack.settled, FRESH_WITHIN, interval=0.2,
               message="the publish's outbox row delivered (twice)")
    # Delivered, and the shared renderer still serves its copies: it was not told.
    assert h1(cached(stack.example_renderer, DOCS, "/guide/") or "") == "Guide"
    assert h1(cached(stack.example_renderer, EXAMPLE, "/welcome/") or "") == "Welcome"
    # Had it been told (as the CMS tells the docs renderer), it would show the edit.
    status, _, _ = fetch(f"{stack.example_renderer}/api/revalidate", "POST",
                         json.dumps({"tags": [f"{DOCS}|path:/guide/"]}).encode(),
                         {"Authorization": f"Bearer {SECRET}",
                          "Content-Type": "application/json"})
    assert status == 200
    assert h1(at(stack.example_renderer, DOCS, "/guide/")[2]) == "Guide, edited"


def test_a_publish_on_example_reaches_the_shared_renderer(stack: TwoSiteStack):
    ok(manage(stack.repo, "shell", "-c",
              PUBLISH.format(url_path="/example/welcome/", title="Welcome, edited"),
              env=stack.env))
    wait_until(lambda: h1(stack.page(EXAMPLE, "/welcome/")[1]) == "Welcome, edited",
               FRESH_WITHIN, message="the edit on localhost")


@pytest.mark.parametrize(("host", "url_path", "path"), [
    (DOCS, "/docs/guide/", "/guide/"), (EXAMPLE, "/example/welcome/", "/welcome/")])
def test_preview_opens_the_sites_renderer_with_the_draft(stack: TwoSiteStack, host: str,
                                                          url_path: str, path: str):
    title = f"A draft on {host}"
    preview = ok(manage(stack.repo, "shell", "-c",
                        PREVIEW_URL.format(url_path=url_path, title=title),
                        env=stack.env)).strip().splitlines()[-1]
    renderer = stack.docs_renderer if host == DOCS else stack.example_renderer
    assert preview.startswith(f"{renderer}/api/preview?"), preview
    # The editor's browser opens it: the renderer sends it on to the draft's own preview
    # address, the token in the query (no cookie).
    parts = urlsplit(preview)
    conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}", headers={"Host": parts.netloc})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 307
    assert response.headers["Location"] == f"/mortar-preview{path}?{parts.query}"
    status, _, body = fetch(f"http://127.0.0.1:{parts.port}{response.headers['Location']}",
                            headers={"Host": parts.netloc})
    assert status == 200 and h1(body) == title and 'data-testid="preview-bar"' in body
    # Visitors still get the live page.
    assert h1(stack.page(host, path)[1]) != title
