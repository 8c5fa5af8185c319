"""Differential: after any editor change settles, the live site equals an uncached render.

A seeded random sequence of editor actions, drawn from every source of change (pages,
schedules, privacy, collections, images, documents, settings, the Site, redirects), is
committed to the test database by an editor process (tests/e2e/actor.py) through the
model methods the admin calls. After each one, every page of the demo site fetched
through the live renderer (a `next start` of the session's build, with its caches, named
in the Site's Settings → Renderer) must equal the same page rendered by a reference
renderer with every cache bypassed: a second `next start` of the same build in draft mode
(no ISR, no fetch cache) against a second gunicorn with the CMS's document cache off
(API_CACHE_SECONDS=0). And no draft marker, private, expired, unpublished or deleted page
may show anywhere.

The order of requests is chaos too, drawn from the same seed: before each action other
clients ask the CMS for random pages by path (without `site`, with the Site's name or
another, with a wrong secret), so that the live renderer is often served documents
someone else asked for first; once the CMS's document cache is flushed, and once the
live renderer is stopped, an action made while it is down, and started again.

Reproduce a run with FRESHNESS_SEED=<seed> (printed on failure). The time from each
change to a fresh site is printed per kind of change, as one JSON line `FRESHNESS {...}`.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from cms.testing.ports import free_port
from cms.testing.processes import REPO, stop, wait_for
from cms.testing.stats import percentile
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.conftest import database
from tests.e2e.helpers import Actor, cms_shell, editor_process, fetch, regions, settled
from tests.webserver import WebBuild, next_start

pytestmark = pytest.mark.django_db

ACTIONS = 40
SETTLE_SECONDS = 5.0  # from a change to every page equal to the reference
# Between two looks at the whole live site: the resolution of the times to fresh, and
# slack for the reference's renders, which share the machine's two cores.
POLL_SECONDS = 0.15
# Beyond the sitemap: the article index's second page and a path nothing is at.
EXTRA_PATHS = {"/articles/page/2/", "/no-such-page/"}
DRAFT_MARKERS = ['data-testid="preview-bar"', "you are looking at a draft"]


@pytest.fixture(scope="module")
def actor(cms_env, seeded_db) -> Actor:
    return editor_process(cms_env)


class LiveRenderer:
    """The live renderer: a `next start` of the session's build (sharing its cache in Redis,
    as scaled-out renderers do), the one the CMS tells of changes, which the test stops and
    starts again."""

    def __init__(self, build: WebBuild, env: dict[str, str]) -> None:
        self.build, self.env, self.port = build, env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: AbstractContextManager | None = None

    def start(self) -> None:
        self._running = next_start(self.build, self.port, self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._running.__enter__()

    def stop(self) -> None:
        if self._running is not None:
            self._running.__exit__(None, None, None)
            self._running = None


SET_RENDERER = """
from wagtail.models import Site
from cms.core.models import RendererSettings
RendererSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True),
                                          defaults={{"url": {url!r}}})
"""


@pytest.fixture(scope="module")
def live(cms_env, web_build: WebBuild, web_url: str, cms_server: str) -> Iterator[LiveRenderer]:
    renderer = LiveRenderer(web_build, {"CMS_API_URL": cms_server,
                                        "REVALIDATE_SECRET": REVALIDATE_SECRET,
                                        "NEXT_PUBLIC_SITE_URL": web_url})
    renderer.start()
    cms_shell(cms_env, SET_RENDERER.format(url=renderer.url))
    try:
        yield renderer
    finally:
        cms_shell(cms_env, SET_RENDERER.format(url=""))
        renderer.stop()


@dataclass(frozen=True)
class Reference:
    """The renderer with every cache bypassed, and the CMS API behind it."""

    url: str
    cms_url: str
    cookie: str


@pytest.fixture(scope="module")
def reference(cms_env, web_build: WebBuild, web_url: str, web_server) -> Iterator[Reference]:
    cms_port, web_port = free_port(), free_port()
    cms_url = f"http://127.0.0.1:{cms_port}"
    cms = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
         f"127.0.0.1:{cms_port}", "--workers", "2", "--limit-request-line", "0"],
        cwd=REPO, env={**cms_env, "API_CACHE_SECONDS": "0"})
    try:
        wait_for(f"{cms_url}/api/v2/navigation/", cms)
        # Same public origin as the live renderer, so absolute URLs compare equal.
        env = {"CMS_API_URL": cms_url, "REVALIDATE_SECRET": REVALIDATE_SECRET,
               "NEXT_PUBLIC_SITE_URL": web_url}
        with next_start(web_build, web_port, env):
            reference = Reference(f"http://127.0.0.1:{web_port}", cms_url,
                                  f"__prerender_bypass={web_build.preview_mode_id()}")
            status, _, body = fetch(f"{reference.url}/", headers={"Cookie": reference.cookie})
            assert status == 200 and 'data-testid="preview-bar"' in body, \
                "the reference renderer is not in draft mode: it would answer from its cache"
            yield reference
    finally:
        stop(cms)


Snapshot = dict[str, tuple[int, str]]


def answer_of(status: int, headers: dict[str, str], body: str) -> tuple[int, str]:
    """What a visitor gets at a path: a redirect's target, or the page's visible regions."""
    if 300 <= status < 400:
        return status, headers.get("location", "")
    return status, regions(body)


@dataclass
class Site:
    """The live renderer and the reference, fetched in parallel: each in its own threads, so
    that looks at the live site are not queued behind the reference's slower renders."""

    live: str
    reference: Reference
    pool: ThreadPoolExecutor
    references: ThreadPoolExecutor
    documents: dict[str, str] = field(default_factory=dict)  # last live HTML per path
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # and its headers

    def live_snapshot(self, paths: list[str]) -> Snapshot:
        answers = list(self.pool.map(lambda p: fetch(f"{self.live}{p}"), paths))
        self.documents = {path: answer[2] for path, answer in zip(paths, answers, strict=True)}
        self.headers = {path: answer[1] for path, answer in zip(paths, answers, strict=True)}
        return {path: answer_of(*answer) for path, answer in zip(paths, answers, strict=True)}

    def reference_snapshot(self, paths: list[str]) -> Snapshot:
        headers = {"Cookie": self.reference.cookie}
        answers = self.references.map(
            lambda p: fetch(f"{self.reference.url}{p}", headers=headers), paths)
        return {path: answer_of(*answer) for path, answer in zip(paths, answers, strict=True)}

    def public_paths(self) -> set[str]:
        """The sitemap of the CMS, as the reference serves it (nothing cached)."""
        status, _, body = fetch(f"{self.reference.cms_url}/api/v2/sitemap/")
        assert status == 200, body
        return {page["html_path"] for page in json.loads(body)["pages"]}


def differences(live: Snapshot, reference: Snapshot) -> list[str]:
    found = []
    for path, expected in reference.items():
        got = live[path]
        if got == expected:
            continue
        if got[0] != expected[0] or got[0] in range(300, 400):
            found.append(f"{path}: live {got[0]} {got[1][:80]!r}, reference {expected[0]} "
                         f"{expected[1][:80]!r}")
            continue
        pairs = zip(got[1], expected[1], strict=False)
        at = next((i for i, (a, b) in enumerate(pairs) if a != b),
                  min(len(got[1]), len(expected[1])))
        found.append(f"{path}: live …{got[1][max(0, at - 80):at + 120]!r}\n"
                     f"   reference …{expected[1][max(0, at - 80):at + 120]!r}")
    return found


@dataclass
class Own:
    """A page the run made: where it is, what it is called, whether the public may see it."""

    id: int
    kind: str  # "article" or "section"
    title: str
    path: str
    state: str = "live"  # live, unpublished, private, expired, deleted
    parent: str = "home"  # sections: "home" or "about"
    in_menus: bool = True  # sections


@dataclass
class World:
    """What the run has done, so the test knows what must and must not be on the site."""

    prefix: str
    pages: list[Own]
    images: list[dict[str, Any]]
    collection: int
    document: int
    home: int
    about: int
    paths: set[str]
    redirects: dict[int, str] = field(default_factory=dict)  # id -> old path
    redirect_targets: dict[int, int | None] = field(default_factory=dict)  # id -> page id
    collection_restricted: bool = False
    counter: int = 0
    footer_links: list[dict[str, Any]] | None = None  # as the run found them

    def next(self) -> int:
        self.counter += 1
        return self.counter

    def forget_redirects(self, ids: list[int]) -> None:
        for redirect_id in ids:
            self.redirects.pop(redirect_id)
            self.redirect_targets.pop(redirect_id)

    def pages_in(self, *states: str, kind: str | None = None) -> list[Own]:
        return [p for p in self.pages if p.state in states and (kind is None or p.kind == kind)]

    def leaks(self, documents: dict[str, str], snapshot: Snapshot) -> list[tuple[str, str]]:
        """Hidden pages, private files or draft markers in any live document or redirect:
        (path, what was found there)."""
        hidden = self.pages_in("unpublished", "private", "expired", "deleted")
        gone = {p.path for p in hidden}
        redirects = [(path, f"redirects to hidden {location}")
                     for path, (status, location) in snapshot.items()
                     if status in range(300, 400) and urlsplit(location).path in gone]
        needles = {**{p.title: f"hidden page {p.id}" for p in hidden},
                   **{f'href="{p.path}"': f"link to hidden page {p.id}" for p in hidden},
                   **{marker: "draft marker" for marker in DRAFT_MARKERS}}
        if self.collection_restricted:
            needles[self.images[1]["file"].rsplit("/", 1)[-1].split(".")[0]] = \
                "image of a private collection"
            needles[f"fresh-{self.prefix}"] = "document of a private collection"
        return redirects + [(path, f"{what} ({needle!r}) {where(html, needle)}")
                            for path, html in documents.items()
                            for needle, what in needles.items() if needle in html]


def where(html: str, needle: str) -> str:
    """Where in a document `needle` is, for a leak's message: in what a visitor reads or
    only in the markup around it, with the text either side."""
    at = html.index(needle)
    shown = "in the visible regions" if needle in regions(html) else "outside the regions"
    return f"({shown}: …{html[max(0, at - 160):at + len(needle) + 80]!r}…)"


Action = tuple[str, dict[str, Any], Callable[[Any], None]]


def choose(kind: str, world: World, rng: random.Random) -> Action | None:
    """The request for one action of `kind`, and what it does to the world once done."""
    n = world.next()
    live = world.pages_in("live")
    pick: Callable[[list[Own]], Own] = rng.choice

    def moved(page: Own) -> Callable[[Any], None]:
        def effect(result: Any) -> None:
            page.path = result["path"]
        return effect

    def state(page: Own, new: str) -> Callable[[Any], None]:
        def effect(result: Any) -> None:
            page.state = new
        return effect

    if kind == "publish_edit" and live:
        page = pick(live)
        page.title = f"{page.title.split(' edit ')[0]} edit {n}"
        return "publish", {"page_id": page.id, "fields": {"title": page.title}}, moved(page)
    if kind == "unpublish" and live:
        page = pick(live)
        return "unpublish", {"page_id": page.id}, state(page, "unpublished")
    if kind == "republish" and (gone := world.pages_in("unpublished", "expired")):
        page = pick(gone)
        return "publish", {"page_id": page.id, "fields": {"expire_at": None}}, \
            state(page, "live")
    if kind == "move" and (sections := world.pages_in("live", kind="section")):
        page = pick(sections)
        page.parent = "about" if page.parent == "home" else "home"
        target = world.about if page.parent == "about" else world.home
        return "move", {"page_id": page.id, "target_id": target, "pos": "last-child"}, moved(page)
    if kind == "reorder" and (menu := [p for p in world.pages_in("live", kind="section")
                                       if p.parent == "home"]):
        page = pick(menu)
        return "move", {"page_id": page.id, "target_id": world.home,
                        "pos": "first-child"}, moved(page)
    if kind == "change_slug" and live:
        page = pick(live)
        slug = f"{page.path.rstrip('/').rsplit('/', 1)[-1].split('--')[0]}--{n}"
        return "publish", {"page_id": page.id, "fields": {"slug": slug}}, moved(page)
    if kind == "delete" and len(world.pages_in("live", "unpublished", "private", "expired")) > 4:
        page = pick(world.pages_in("live", "unpublished", "private", "expired"))

        def deleted(result: Any) -> None:
            page.state = "deleted"
            # Redirects to a page go with it (their foreign key cascades).
            world.forget_redirects([r for r, target in world.redirect_targets.items()
                                    if target == page.id])
        return "delete", {"page_id": page.id}, deleted
    if kind in ("expire_past", "expire_soon") and (articles := world.pages_in(
            "live", kind="article")):
        page = pick(articles)
        seconds = -30.0 if kind == "expire_past" else 1.0
        return "expire", {"page_id": page.id, "seconds": seconds}, state(page, "expired")
    if kind == "make_private" and live:
        page = pick(live)
        return "make_private", {"page_id": page.id, "kind": rng.choice(["login", "password"])}, \
            state(page, "private")
    if kind == "remove_privacy" and (private := world.pages_in("private")):
        page = pick(private)
        return "remove_privacy", {"page_id": page.id}, state(page, "live")
    if kind == "collection_restriction":
        restrict = not world.collection_restricted

        def toggled(result: Any) -> None:
            world.collection_restricted = restrict
        return ("restrict_collection" if restrict else "unrestrict_collection",
                {"collection_id": world.collection}, toggled)
    if kind in ("image_alt", "image_title"):
        return "edit_media", {"kind": "image", "pk": rng.choice(world.images)["id"],
                              "field": "description" if kind == "image_alt" else "title",
                              "value": f"{kind} {n}"}, lambda _: None
    if kind == "focal_point":
        return "focal_point", {"image_id": rng.choice(world.images)["id"],
                               "x": round(rng.uniform(0.1, 0.9), 2),
                               "y": round(rng.uniform(0.1, 0.9), 2)}, lambda _: None
    if kind == "document_title":
        return "edit_media", {"kind": "document", "pk": world.document, "field": "title",
                              "value": f"Leaflet {n}"}, lambda _: None
    if kind == "footer_text":
        return "footer_text", {"text": f"Footer of change {n}."}, lambda _: None
    if kind == "footer_links":
        target = pick(live) if live else None
        links = [{"label": f"Link {n}", "page": target.id if target else None,
                  "url": "" if target else f"https://example.com/{n}/"},
                 {"label": "Wagtail", "page": None, "url": "https://wagtail.org/"}]

        def remember(result: Any) -> None:
            if world.footer_links is None:
                world.footer_links = result["before"]
        return "footer_links", {"links": links}, remember
    if kind == "show_in_menus" and (sections := world.pages_in("live", kind="section")):
        page = pick(sections)
        page.in_menus = not page.in_menus
        return "publish", {"page_id": page.id,
                           "fields": {"show_in_menus": page.in_menus}}, moved(page)
    if kind == "site_name":
        return "site_name", {"name": f"Mortar demo {n}"}, lambda _: None
    if kind == "site_hostname":
        return "site_hostname", {"hostname": f"fresh{n}.example",
                                 "port": rng.choice([80, 8080])}, lambda _: None
    if kind == "redirect_add":
        old_path = f"/gone-{world.prefix}-{n}/"
        target = pick(live) if live and rng.random() < 0.7 else None

        def added(result: Any) -> None:
            world.redirects[result["id"]] = old_path
            world.redirect_targets[result["id"]] = target.id if target else None
        return "redirect_add", {"old_path": old_path, "page_id": target.id if target else None,
                                "url": "" if target else f"https://example.com/moved/{n}/"}, added
    if kind == "redirect_change" and world.redirects:
        target = pick(live) if live and rng.random() < 0.5 else None
        redirect_id = rng.choice(sorted(world.redirects))

        def changed(result: Any) -> None:
            world.redirect_targets[redirect_id] = target.id if target else None
        return "redirect_change", {"redirect_id": redirect_id,
                                   "page_id": target.id if target else None,
                                   "url": "" if target else f"https://example.com/other/{n}/"}, \
            changed
    if kind == "redirect_delete" and world.redirects:
        redirect_id = rng.choice(sorted(world.redirects))
        return "redirect_delete", {"redirect_id": redirect_id}, \
            lambda _: world.forget_redirects([redirect_id])
    return None


KINDS = ["publish_edit", "unpublish", "republish", "move", "reorder", "change_slug", "delete",
         "expire_past", "expire_soon", "make_private", "remove_privacy",
         "collection_restriction", "image_alt", "image_title", "focal_point",
         "document_title", "footer_text", "footer_links", "show_in_menus", "site_name",
         "site_hostname", "redirect_add", "redirect_change", "redirect_delete"]


def plan(rng: random.Random, kinds: list[str]) -> list[str]:
    """Every kind at least once, in random order, then random kinds up to ACTIONS."""
    return rng.sample(kinds, len(kinds)) + [rng.choice(kinds)
                                             for _ in range(ACTIONS - len(kinds))]


def settle(site: Site, world: World, paths: list[str],
           since: float) -> tuple[float | None, list[str]]:
    """Seconds from `since` until every live page equals the reference, shows nothing
    hidden anywhere in its document (the data a client component is given included, drawn
    or not) and stays so to the last look; None and what was still wrong if SETTLE_SECONDS
    pass first."""
    reference = site.references.submit(site.reference_snapshot, paths)
    polls: list[tuple[float, Snapshot, list[str]]] = []
    while True:
        snapshot = site.live_snapshot(paths)
        leaks = [f"{path}: {found}" for path, found in world.leaks(site.documents, snapshot)]
        polls.append((time.monotonic() - since, snapshot, leaks))
        if reference.done():
            expected = reference.result()
            fresh_since = None  # the first look from which every look was right
            for elapsed, seen, leaked in polls:
                right = not leaked and not differences(seen, expected)
                fresh_since = (fresh_since if fresh_since is not None else elapsed) \
                    if right else None
            if fresh_since is not None:
                return fresh_since, []
            polls = []
        if time.monotonic() - since > SETTLE_SECONDS:
            # The reference may have been rendered a moment before a change it must show.
            expected = site.reference_snapshot(paths)
            snapshot = site.live_snapshot(paths)
            found = differences(snapshot, expected) + [
                f"{path} was answered with {site.headers.get(path)}" for path in paths
                if snapshot.get(path) != expected.get(path)] + [
                f"{path}: {what} (answered with {site.headers.get(path)})"
                for path, what in world.leaks(site.documents, snapshot)]
            return (None, found) if found else (time.monotonic() - since, [])
        time.sleep(POLL_SECONDS)


def title_of(status: int, body: str) -> str | None:
    """The `title` of a CMS answer, for a failure's message: None if it has none."""
    try:
        answer = json.loads(body) if status == 200 else None
    except ValueError:
        return None
    return answer.get("title") if isinstance(answer, dict) else None


def diagnosis(site: Site, cms_url: str, found: list[str], seconds: float,
              django_db_blocker) -> list[str]:
    """For a failure's message, where a stale page comes from: whether the live CMS answers
    the navigation and each path still differing (three at most) as the reference CMS does,
    asked as the renderer asks (its `site` and secret); and the outbox rows of the last
    `seconds`, each with what it told the renderer and which of those answers' tags."""
    from django.utils import timezone

    from cms.publishing.models import RevalidationRequest
    from cms.publishing.renderer_tags import NAVIGATION, path_tag, qualified

    paths = list(dict.fromkeys(line.split(":", 1)[0] for line in found
                               if line.startswith("/") and ": live " in line))[:3]
    headers = {"Authorization": f"Bearer {REVALIDATE_SECRET}"}
    # The renderer's tags of these answers, as the CMS records them for it.
    asked = {qualified(NAVIGATION, "localhost"): "/api/v2/navigation/?site=localhost"} | {
        qualified(path_tag(path), "localhost"): "/api/v2/pages/by-path/?"
        + urlencode({"html_path": path, "site": "localhost"}) for path in paths}
    lines = []
    for tag, endpoint in asked.items():
        answers = [fetch(f"{url}{endpoint}", headers=headers)
                   for url in (cms_url, site.reference.cms_url)]
        (live_status, _, live_body), (ref_status, _, ref_body) = answers
        same = live_status == ref_status and live_body == ref_body
        title = [title_of(status, body) for status, _, body in answers]
        lines.append(f"{tag}: the live CMS answers {'as' if same else 'NOT as'} the reference "
                     f"CMS does ({live_status} {title[0]!r}; reference {ref_status} {title[1]!r})")
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    with database(django_db_blocker):
        for row in RevalidationRequest.objects.filter(created_at__gte=since).order_by("pk"):
            lines.append(f"outbox row {row.pk} ({row.reason}): "
                         f"created {row.created_at:%H:%M:%S.%f}, "
                         f"delivered {row.delivered_at and f'{row.delivered_at:%H:%M:%S.%f}'}, "
                         f"{row.attempts} attempts {row.last_error[:100]!r}")
            for delivery in row.deliveries.select_related("renderer"):
                sent = {tag for tags in delivery.tags.values() for tag in tags}
                named = [tag for tag in asked if tag in sent]
                lines.append(f"  to {delivery.renderer.url}: told "
                             f"{delivery.told_at and f'{delivery.told_at:%H:%M:%S.%f}'}, "
                             f"{len(sent)} tags, naming {named}, {delivery.last_error[:100]!r}")
    return lines


# How other clients ask the CMS for a page: `site` and `Authorization` (the renderer sends
# `site=localhost`, pinned, and its secret).
OTHER_CLIENTS: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("no site", {}, {}),
    ("the site's name", {"site": "localhost"}, {}),
    ("a name no Site has", {"site": "alias.localhost"}, {}),
    ("another spelling", {"site": "LOCALHOST."}, {}),
    ("a wrong secret", {"site": "localhost"}, {"Authorization": "Bearer not-the-secret"}),
]


def other_clients(rng: random.Random, cms_url: str, paths: list[str]) -> list[str]:
    """A few requests to the CMS by others than the renderer; what was asked, for the log."""
    asked = []
    for path in rng.sample(paths, min(len(paths), rng.randint(1, 4))):
        who, params, headers = rng.choice(OTHER_CLIENTS)
        query = urlencode({"html_path": path, **params})
        status, _, _ = fetch(f"{cms_url}/api/v2/pages/by-path/?{query}", headers=headers)
        assert status < 500, f"{path} asked by another client with {who}: {status}"
        asked.append(f"{path} ({who})")
    return asked


def flush_document_cache() -> int:
    from cms.publishing import cache

    return cache.clear()


def test_the_site_equals_an_uncached_render_after_every_change(
        actor: Actor, reference: Reference, live: LiveRenderer, cms_server: str, quiet_worker,
        django_db_blocker, capsys: pytest.CaptureFixture[str]):
    seed = int(os.environ.get("FRESHNESS_SEED") or random.randrange(1_000_000))
    # FRESHNESS_KINDS=footer_text,site_name narrows a run to some kinds, to chase one down.
    kinds = [k for k in os.environ.get("FRESHNESS_KINDS", "").split(",") if k] or KINDS
    assert set(kinds) <= set(KINDS), f"FRESHNESS_KINDS: unknown {set(kinds) - set(KINDS)}"
    rng = random.Random(seed)
    prefix = uuid.uuid4().hex[:6]
    made = actor("setup", prefix=prefix, articles=4, sections=3)
    pages = [Own(p["id"], "article", p["title"], "/" + p["path"].split("/", 2)[2])
             for p in made["articles"]]
    pages += [Own(p["id"], "section", p["title"], "/" + p["path"].split("/", 2)[2])
              for p in made["sections"]]
    world = World(prefix, pages, made["images"], made["collection"], made["document"],
                  made["home"], made["about"], set())
    # The set-up is twenty changes at once, not an action the run times: the live site is
    # compared once they are all delivered (sent again included), each action from its own.
    settled(django_db_blocker)
    timings: dict[str, list[float]] = {}
    started = time.monotonic()
    original = {"footer_text": None, "site_name": None, "site_hostname": None}
    steps = plan(rng, kinds)
    flush_at, restart_at = rng.sample(range(1, len(steps) + 1), 2)
    chaos: list[str] = []  # what happened besides the actions, for a failure's message
    # The reference's pool runs its snapshot and, in its other threads, the snapshot's fetches.
    with ThreadPoolExecutor(max_workers=6) as pool, \
            ThreadPoolExecutor(max_workers=5) as references:
        site = Site(live.url, reference, pool, references)
        world.paths = site.public_paths() | EXTRA_PATHS
        try:
            paths = sorted(world.paths)
            elapsed, found = settle(site, world, paths, time.monotonic())
            assert elapsed is not None, (
                f"seed {seed}: before any change the live site differs from the reference:\n"
                + "\n".join(found[:5]))
            for number, kind in enumerate(steps, 1):
                chaos.append(f"before {number}: " + ", ".join(
                    other_clients(rng, cms_server, sorted(world.paths))))
                if number == flush_at:
                    chaos.append(f"before {number}: document cache flushed "
                                 f"({flush_document_cache()} keys)")
                action = choose(kind, world, rng)
                # A kind may have nothing to act on now (nothing to republish...): another.
                others = iter([rng.choice(kinds) for _ in range(20)]
                              + rng.sample(KINDS, len(KINDS)))
                while action is None:
                    kind = next(others)
                    action = choose(kind, world, rng)
                op, args, effect = action
                if op == "redirect_add":  # the live site has this path cached as a 404
                    fetch(f"{live.url}{args['old_path']}")
                if number == restart_at:
                    live.stop()  # the action lands while the live renderer is down
                    chaos.append(f"at {number}: the live renderer stopped, then started")
                acting = time.monotonic()
                result = actor(op, **args)
                if number == restart_at:
                    live.start()
                for key in ("footer_text", "site_name", "site_hostname"):
                    if op == key and original[key] is None:
                        original[key] = result["before"]
                effect(result)
                since = time.monotonic()
                if op == "expire" and args["seconds"] > 0:
                    # Fresh means gone once expire_at passes, not before: wait for that moment.
                    time.sleep(max(0.0, result["expire_at"] - time.time()))
                    since = time.monotonic()
                # Every page there is now, and those this change just took away.
                before, world.paths = world.paths, (site.public_paths() | EXTRA_PATHS
                                                    | set(world.redirects.values()))
                paths = sorted(world.paths | before)
                elapsed, found = settle(site, world, paths, since)
                checked = time.monotonic() - since
                assert elapsed is not None, (
                    f"seed {seed}: action {number} {kind} {args}: {SETTLE_SECONDS}s later the "
                    f"live site still differs from an uncached render or shows what is hidden:\n"
                    + "\n".join(found[:6])
                    + "\nrequest order:\n" + "\n".join(chaos[-4:])
                    + "\nwhere from:\n" + "\n".join(
                        diagnosis(site, cms_server, found, time.monotonic() - acting + 1,
                                  django_db_blocker)))
                timings.setdefault(kind, []).append(elapsed)
                print(f"action {number:2} {kind:22} committed in {since - acting:.2f}s, "
                      f"fresh in {elapsed:.2f}s, checked in {checked:.2f}s, {len(paths)} pages")
        finally:
            figures = {kind: {"n": len(values), "p50": round(percentile(values, 0.5), 3),
                              "p95": round(percentile(values, 0.95), 3)}
                       for kind, values in sorted(timings.items())}
            with capsys.disabled():  # in `make test`'s output, passed or failed
                print("\nFRESHNESS " + json.dumps({
                    "seed": seed, "actions": sum(len(v) for v in timings.values()),
                    "pages": len(paths), "seconds": round(time.monotonic() - started, 1),
                    "kinds": figures}))
            restore(actor, original, world)


def restore(actor: Actor, original: dict[str, Any], world: World) -> None:
    """The demo site's settings and Site as seed_demo left them."""
    if original["footer_text"] is not None:
        actor("footer_text", text=original["footer_text"])
    if world.footer_links is not None:
        actor("footer_links", links=world.footer_links)
    if original["site_name"] is not None:
        actor("site_name", name=original["site_name"])
    if original["site_hostname"] is not None:
        actor("site_hostname", **original["site_hostname"])
    if world.collection_restricted:
        actor("unrestrict_collection", collection_id=world.collection)
