"""Several Sites: each Site's renderer entries are tagged with its hostname, and a change
reaches the renderer of each Site it affects (its Settings > Renderer URL, else
FRONTEND_URL), and no other."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from wagtail.models import Site

from cms.core.models import NavigationSettings, RendererSettings
from cms.publishing.delivery import catch_up, deliver, send_told_again
from cms.publishing.models import Delivery, DeliveryTarget, RevalidationRequest
from cms.publishing.tasks import retry_delay
from cms.publishing.tests.renderer import add_page, as_renderer
from cms.testing.ports import free_port
from cms.testing.processes import wait_until
from cms.testing.standins import StandInCdn, StandInRenderer

WITH_WORKER = pytest.mark.django_db(transaction=True)
MAIN, DOCS = "localhost", "docs.localhost"


@pytest.fixture
def sites(home):
    """The test site (`localhost`, default) and a second one, `docs.localhost`."""
    docs_home = add_page(home.get_parent(), "docs-home")
    docs = Site.objects.create(hostname=DOCS, port=80, root_page=docs_home, site_name="Docs")
    return Site.objects.get(hostname=MAIN), docs


@pytest.fixture
def renderers(settings):
    """Two stand-ins for two renderers (real HTTP servers on loopback)."""
    pair = [StandInRenderer(0, settings.REVALIDATE_SECRET) for _ in range(2)]
    yield pair
    for renderer in pair:
        renderer.close()


def use_renderer(site: Site, url: str) -> None:
    RendererSettings.objects.update_or_create(site=site, defaults={"url": url})


def visit(client, hostname: str, *paths: str) -> None:
    """The renderer of `hostname` caches these pages, its menu and its sitemap."""
    for path in paths:
        as_renderer(client, path, site=hostname)
    renderer = {"HTTP_AUTHORIZATION": f"Bearer {django_settings.REVALIDATE_SECRET}"}
    client.get("/api/v2/navigation/", {"site": hostname}, **renderer)
    client.get("/api/v2/sitemap/", {"site": hostname}, **renderer)


def deliver_pending() -> None:
    for pk in RevalidationRequest.objects.filter(delivered_at__isnull=True).values_list(
            "pk", flat=True):
        deliver(pk)


def test_entries_are_recorded_under_the_site_parameter_and_their_site(client, sites):
    from cms.publishing.models import RendererDependency

    main, docs = sites
    visit(client, DOCS, "/", "/missing/")
    as_renderer(client, "/")  # a client sending no `site`: bare tags, the Host's Site

    recorded = set(RendererDependency.objects.values_list("site_id", "tag"))
    assert {(docs.pk, "docs.localhost|path:/"), (docs.pk, "docs.localhost|path:/missing/"),
            (docs.pk, "docs.localhost|navigation"), (docs.pk, "docs.localhost|sitemap"),
            (main.pk, "path:/")} == recorded


@WITH_WORKER
def test_a_publish_on_one_site_reaches_only_its_renderer(client, sites, renderers,
                                                         start_worker):
    (main, docs), (main_renderer, docs_renderer) = sites, renderers
    use_renderer(main, main_renderer.url)
    use_renderer(docs, docs_renderer.url)
    visit(client, MAIN, "/", "/news/")
    visit(client, DOCS, "/", "/news/")
    RevalidationRequest.objects.all().delete()  # what the visits' settings rows would send
    start_worker(FRONTEND_URL=f"http://127.0.0.1:{free_port()}")  # no Site's renderer

    add_page(main.root_page, "news", show_in_menus=True)

    row = RevalidationRequest.objects.get()
    wait_until(lambda: RevalidationRequest.objects.get(pk=row.pk).delivered_at is not None,
               15, interval=0.2, message="the publish delivered")
    # Its 404 (a page answers there now), its menu and sitemap: on the main Site only.
    assert main_renderer.tags() == {"localhost|path:/news/", "localhost|navigation",
                                    "localhost|sitemap"}
    assert docs_renderer.bodies == []


@WITH_WORKER
def test_a_site_with_a_blank_renderer_url_is_revalidated_at_frontend_url(
        client, sites, renderers, start_worker):
    (main, docs), (main_renderer, fallback) = sites, renderers
    use_renderer(main, main_renderer.url)
    RendererSettings.objects.create(site=docs, url="")
    visit(client, DOCS, "/guide/")
    RevalidationRequest.objects.all().delete()
    start_worker(FRONTEND_URL=fallback.url)

    add_page(docs.root_page, "guide")

    wait_until(lambda: "docs.localhost|path:/guide/" in fallback.tags(), 15, interval=0.2,
               message="the docs Site's change at FRONTEND_URL")
    assert fallback.tags() == {"docs.localhost|path:/guide/", "docs.localhost|sitemap"}
    assert main_renderer.bodies == []


def test_sites_sharing_a_renderer_share_one_request(client, sites, renderers):
    (main, docs), (shared, _) = sites, renderers
    use_renderer(main, shared.url)
    use_renderer(docs, shared.url + "/")  # the same renderer, spelt with a slash
    visit(client, MAIN, "/")
    visit(client, DOCS, "/")
    RevalidationRequest.objects.all().delete()

    NavigationSettings.for_site(docs).save()  # both menus show the setting
    deliver_pending()

    assert shared.bodies == [{"tags": ["docs.localhost|navigation", "localhost|navigation"],
                              "paths": []}]


def test_a_menu_change_on_one_site_purges_only_its_pages_from_the_cdn(client, sites,
                                                                     renderers, settings):
    (main, docs), (main_renderer, docs_renderer) = sites, renderers
    use_renderer(main, main_renderer.url)
    use_renderer(docs, docs_renderer.url)
    add_page(docs.root_page, "guide")
    visit(client, MAIN, "/", "/about/")
    visit(client, DOCS, "/", "/guide/")
    cdn = StandInCdn()
    settings.WAGTAILFRONTENDCACHE = {"cdn": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": cdn.url}}
    RevalidationRequest.objects.all().delete()
    try:
        add_page(docs.root_page, "in-menu", show_in_menus=True)
        deliver_pending()
    finally:
        cdn.close()

    assert main_renderer.bodies == []
    assert "docs.localhost|navigation" in docs_renderer.tags()
    # The menu is on every page the docs renderer cached: those, on the docs root.
    assert sorted(cdn.purged) == ["docs.localhost/", "docs.localhost/guide/",
                                  "docs.localhost/sitemap.xml"]


def test_a_renderer_down_holds_back_no_other_and_gets_what_it_missed_once_back(
        client, sites, renderers):
    (main, docs), (main_renderer, docs_renderer) = sites, renderers
    down = f"http://127.0.0.1:{free_port()}"
    use_renderer(main, main_renderer.url)
    use_renderer(docs, down)
    visit(client, MAIN, "/")
    visit(client, DOCS, "/")
    RevalidationRequest.objects.all().delete()
    NavigationSettings.for_site(main).save()
    row = RevalidationRequest.objects.get()

    outcome = deliver(row.pk)

    # The main Site's renderer is told at once; the docs one waits, saying why.
    assert main_renderer.tags() == {"localhost|navigation"}
    failing = DeliveryTarget.objects.get(url=down)
    assert outcome.failing == [failing.pk] and outcome.told
    assert failing.failing_since is not None
    assert failing.last_error == "cannot be reached: Connection refused"
    row.refresh_from_db()
    assert row.delivered_at is None and row.status == "failing"
    assert f"{down}: 1 entry waiting: cannot be reached: Connection refused" in row.outcome
    assert f"told 1 entry on {main_renderer.url}" in row.outcome

    NavigationSettings.for_site(main).save()  # another change while it is down
    second = RevalidationRequest.objects.latest("pk")
    deliver(second.pk)
    use_renderer(docs, docs_renderer.url)  # "back": here, at another address
    DeliveryTarget.objects.filter(url=down).update(url=docs_renderer.url)

    caught_up = catch_up(failing.pk)
    assert caught_up.failing == []
    # Both changes, in one request.
    assert docs_renderer.bodies == [{"tags": ["docs.localhost|navigation"], "paths": []}]
    # Sent once more (the task does it REVALIDATE_AGAIN_SECONDS later): renders the renderer
    # began on its return, before it was told, are dropped too. Only to that renderer.
    main_bodies = list(main_renderer.bodies)
    assert send_told_again(caught_up.told) == 1
    assert docs_renderer.bodies == [{"tags": ["docs.localhost|navigation"], "paths": []}] * 2
    assert main_renderer.bodies == main_bodies
    assert RevalidationRequest.objects.filter(pk__in=[row.pk, second.pk],
                                              delivered_at__isnull=False).count() == 2
    back = DeliveryTarget.objects.get(pk=failing.pk)
    assert back.failing_since is None and back.answered_at is not None and back.told == 1
    assert not Delivery.objects.filter(told_at__isnull=True).exists()


def test_a_renderer_on_a_localhost_name_is_reached_on_loopback(client, sites, renderers):
    """`http://docs.localhost:3000`, as the README suggests for a second site under `make
    dev`: every *.localhost name is loopback (RFC 6761), whatever Python's resolver says."""
    (_, docs), (docs_renderer, _) = sites, renderers
    use_renderer(docs, f"http://docs.localhost:{docs_renderer.server.server_address[1]}")
    visit(client, DOCS, "/")
    RevalidationRequest.objects.all().delete()
    NavigationSettings.for_site(docs).save()

    deliver_pending()

    assert docs_renderer.tags() == {"docs.localhost|navigation"}


def test_a_failing_target_is_tried_every_second_at_first_then_less_often(settings):
    settings.REVALIDATE_RETRY_BACKOFF_MAX = 60
    assert [retry_delay(timedelta(seconds=s)) for s in (0, 10, 30, 200, 3600)] == [
        1.0, 1.0, 1.5, 10.0, 60.0]
