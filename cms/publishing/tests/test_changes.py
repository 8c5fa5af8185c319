"""Every change writes its dependency names to the outbox; delivery reaches exactly the
renderer entries that show them, durably, through a worker."""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, Site

from cms.publishing.delivery import deliver
from cms.publishing.models import DeliveryTarget, RevalidationRequest
from cms.publishing.tests.renderer import add_page, as_renderer
from cms.testing.pages.models import SampleContentPage
from cms.testing.ports import free_port
from cms.testing.processes import wait_until
from cms.testing.standins import StandInRenderer

WITH_WORKER = pytest.mark.django_db(transaction=True)


def last_tags() -> set[str]:
    return set(RevalidationRequest.objects.order_by("-pk").first().tags)


def all_tags() -> set[str]:
    return {tag for row in RevalidationRequest.objects.all() for tag in row.tags}


def deliver_all(renderer: StandInRenderer, settings) -> set[str]:
    """Deliver every pending row now, in this process; the renderer tags sent."""
    settings.FRONTEND_URL = renderer.url
    for pk in RevalidationRequest.objects.filter(delivered_at__isnull=True).values_list(
            "pk", flat=True):
        deliver(pk)
    return renderer.tags()


def publish_linking(parent: Page, target: Page) -> SampleContentPage:
    """A page at `/linking/` below `parent` whose rich text links `target`, published."""
    linking = SampleContentPage(title="Linking", slug="linking", live=False, body=[
        ("rich_text", f'<p><a linktype="page" id="{target.pk}">see</a></p>')])
    parent.add_child(instance=linking)
    linking.save_revision().publish()
    return linking


@pytest.fixture
def renderer(settings):
    stand_in = StandInRenderer(0, settings.REVALIDATE_SECRET)
    yield stand_in
    stand_in.close()


def test_publish_names_the_page_its_parents_listing_and_the_routes(home):
    section = add_page(home, "section", show_in_menus=True)
    RevalidationRequest.objects.all().delete()

    page = add_page(section, "hello")

    assert RevalidationRequest.objects.count() == 1
    site = Site.objects.get()
    assert last_tags() == {f"page:{page.pk}", f"children:{section.pk}", f"routes:{site.pk}",
                           f"pages:{site.pk}"}

    add_page(section, "in-menus", show_in_menus=True)
    assert f"menu:{section.pk}" in last_tags()


def test_rolled_back_publish_leaves_no_outbox_row(home):
    page = add_page(home, "draft", live=False)
    before = RevalidationRequest.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        page.save_revision().publish()
        assert RevalidationRequest.objects.count() == before + 1
        raise RuntimeError("the editor's request failed after publishing")
    assert RevalidationRequest.objects.count() == before


def test_unpublish_and_delete_name_the_page_and_its_listing(home):
    section = add_page(home, "news")
    page = add_page(section, "old")
    page.unpublish()
    assert {f"page:{page.pk}", f"children:{section.pk}",
            f"routes:{Site.objects.get().pk}"} <= last_tags()

    child = add_page(section, "gone")
    RevalidationRequest.objects.all().delete()
    Page.objects.get(pk=child.pk).delete()
    assert {f"page:{child.pk}", f"children:{section.pk}"} <= all_tags()


def test_move_names_the_page_its_descendants_and_both_listings(home):
    old_parent = add_page(home, "a")
    new_parent = add_page(home, "b")
    page = add_page(old_parent, "moving")
    child = add_page(page, "child")
    RevalidationRequest.objects.all().delete()

    Page.objects.get(pk=page.pk).move(new_parent, pos="last-child")

    assert {f"page:{page.pk}", f"page:{child.pk}", f"children:{old_parent.pk}",
            f"children:{new_parent.pk}", f"routes:{Site.objects.get().pk}"} <= last_tags()


def test_slug_change_names_the_page_and_its_descendants(home, django_capture_on_commit_callbacks):
    page = add_page(home, "before")
    child = add_page(page, "below")
    page.slug = "after"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert {f"page:{page.pk}", f"page:{child.pk}"} <= all_tags()


def test_renderer_is_sent_exactly_the_entries_that_show_the_change(home, client, renderer,
                                                                    settings):
    target = add_page(home, "target")
    publish_linking(home, target)
    add_page(home, "unrelated")
    for path in ("/target/", "/linking/", "/unrelated/", "/missing/"):
        as_renderer(client, path)
    client.get("/api/v2/navigation/")
    client.get("/api/v2/sitemap/")
    RevalidationRequest.objects.all().delete()

    SampleContentPage.objects.get(pk=target.pk).save_revision().publish()

    # The page, the page linking to it, the 404 (a new page may now answer there) and
    # the sitemap (publish dates); not the menu, which does not show the page.
    assert deliver_all(renderer, settings) == {"path:/target/", "path:/linking/",
                                               "path:/missing/", "sitemap"}
    assert RevalidationRequest.objects.get().sent_tags == 4


def test_only_the_renderers_404s_are_recorded(home, client, renderer, settings):
    client.get("/api/v2/pages/by-path/", {"html_path": "/anyone/"})
    assert as_renderer(client, "/renderer/") == 404
    add_page(home, "new")
    assert deliver_all(renderer, settings) == {"path:/renderer/"}


def test_every_kind_of_change_writes_its_names(home, make_image):
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

    from cms.core.models import NavigationSettings

    page = add_page(home, "private")
    image = make_image()
    document = get_document_model().objects.create(
        title="Doc", file=ContentFile(b"text", name="doc.txt"))
    site = Site.objects.get()
    cases = [
        (lambda: PageViewRestriction.objects.create(page=page, restriction_type="login"),
         {f"page:{page.pk}", f"children:{home.pk}", f"pages:{site.pk}"}),
        (lambda: PageViewRestriction.objects.filter(page=page).delete(),
         {f"page:{page.pk}", f"children:{home.pk}", f"pages:{site.pk}"}),
        (lambda: CollectionViewRestriction.objects.create(
            collection=Collection.get_first_root_node(), restriction_type="login"),
         {f"image:{image.pk}", f"document:{document.pk}"}),
        (lambda: setattr(image, "title", "New") or image.save(), {f"image:{image.pk}"}),
        (lambda: setattr(document, "title", "New") or document.save(),
         {f"document:{document.pk}"}),
        (lambda: NavigationSettings.for_site(site).save(), {"setting:core.navigationsettings"}),
        (lambda: setattr(site, "site_name", "Renamed") or site.save(),
         {"sites", f"routes:{site.pk}", f"site:{site.pk}"}),
        (lambda: Redirect.objects.create(old_path="/old", redirect_page=page),
         {f"routes:{site.pk}"}),
        (lambda: Redirect.objects.all().delete(), {f"routes:{site.pk}"}),
    ]
    for action, names in cases:
        before = RevalidationRequest.objects.count()
        action()
        assert RevalidationRequest.objects.count() > before, names
        assert names <= last_tags(), names


def test_a_collection_restriction_reaches_only_the_pages_showing_its_media(
        home, client, renderer, settings, make_image, monkeypatch):
    from wagtail.models import Collection, CollectionViewRestriction

    from cms.publishing import changes
    from cms.testing.content import image_in_document, page_with_image

    outer = Collection.get_first_root_node().add_child(name="Press")
    inner = outer.add_child(name="Embargoed")
    elsewhere = Collection.get_first_root_node().add_child(name="Public")
    hidden, shown = make_image(), make_image()
    hidden.collection, shown.collection = inner, elsewhere
    hidden.save()
    shown.save()
    page_with_image(home, hidden, slug="embargoed")
    page_with_image(home, shown, slug="public")
    add_page(home, "plain")
    for path in ("/embargoed/", "/public/", "/plain/"):
        assert as_renderer(client, path) == 200
    RevalidationRequest.objects.all().delete()

    CollectionViewRestriction.objects.create(collection=outer, restriction_type="login")

    # Inherited by the collection below: the page of its image, and no other, is told.
    assert last_tags() == {f"image:{hidden.pk}"}
    assert deliver_all(renderer, settings) == {"path:/embargoed/"}
    assert image_in_document(client, "/embargoed/") is None
    assert image_in_document(client, "/public/")["id"] == shown.pk

    monkeypatch.setattr(changes, "MAX_MEDIA", 1)
    shown.collection = inner
    shown.save()
    CollectionViewRestriction.objects.filter(collection=outer).delete()
    assert last_tags() == {"restrictions"}  # too many to name: every answer goes


def test_a_page_restriction_reaches_the_pages_showing_it_or_below_it(home, client, renderer,
                                                                    settings):
    from wagtail.models import PageViewRestriction

    section = add_page(home, "members", show_in_menus=True)
    below = add_page(section, "minutes")
    publish_linking(home, below)
    add_page(home, "unrelated")
    for path in ("/members/", "/members/minutes/", "/linking/", "/unrelated/"):
        assert as_renderer(client, path) == 200
    client.get("/api/v2/navigation/")
    client.get("/api/v2/sitemap/")
    RevalidationRequest.objects.all().delete()

    PageViewRestriction.objects.create(page=section, restriction_type="login")

    # The page, the one below it, the page linking there, the menu and the sitemap;
    # not the unrelated page.
    assert deliver_all(renderer, settings) == {"path:/members/", "path:/members/minutes/",
                                               "path:/linking/", "navigation", "sitemap"}
    assert as_renderer(client, "/members/minutes/") == 404


def test_groups_given_a_restriction_from_either_side_name_what_it_covers(home):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    page = add_page(home, "staff")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    staff, board = Group.objects.create(name="Staff"), Group.objects.create(name="Board")
    RevalidationRequest.objects.all().delete()

    restriction.groups.add(staff)
    assert f"page:{page.pk}" in last_tags()
    board.pageviewrestriction_set.add(restriction)
    assert f"page:{page.pk}" in last_tags()
    board.pageviewrestriction_set.clear()
    assert last_tags() == {"restrictions"}


def test_big_changes_are_split_to_the_renderers_limits(home, renderer, settings):
    from wagtail.models import Site

    from cms.publishing import renderer_tags

    site = Site.objects.get()
    tags = [f"path:/section/page-{n}/" for n in range(2100)]
    for tag in tags:
        renderer_tags.record(tag, {"page:1"}, site)
    renderer_tags.record("path:/" + "x" * 300 + "/", {"page:1"}, site)  # no entry can
    row = RevalidationRequest.objects.create(tags=["page:1"])

    settings.FRONTEND_URL = renderer.url
    deliver(row.pk)

    assert [len(body["tags"]) for body in renderer.bodies] == [1000, 1000, 100]
    assert renderer.tags() == set(tags)


@WITH_WORKER
def test_renderer_down_then_up_delivers_every_queued_request(home, start_worker, settings,
                                                             editor, client):
    port = free_port()
    start_worker(FRONTEND_URL=f"http://127.0.0.1:{port}")
    slugs = [f"change-{n}" for n in range(10)]
    for slug in slugs:  # the renderer has cached their 404s, and the sitemap
        as_renderer(client, f"/{slug}/")
    client.get("/api/v2/sitemap/")
    RevalidationRequest.objects.all().delete()

    for slug in slugs:
        add_page(home, slug)
    rows = RevalidationRequest.objects.all()
    assert rows.count() == 10

    wait_until(lambda: all(row.sent_tags for row in rows.all()), 10,
               message="every change's entries found while the renderer is down")
    wait_until(lambda: DeliveryTarget.objects.filter(failing_since__isnull=False).exists(), 10,
               message="the renderer known to be down")
    assert not rows.filter(delivered_at__isnull=False).exists()
    listing = editor.get(
        reverse("wagtailsnippets_mortar_publishing_revalidationrequest:list"))
    assert listing.status_code == 200
    assert b"cannot be reached: Connection refused" in listing.content
    assert b"failing" in listing.content or b"pending" in listing.content

    renderer = StandInRenderer(port, settings.REVALIDATE_SECRET)
    try:
        wait_until(lambda: not rows.filter(delivered_at__isnull=True).exists(), 15,
                   interval=0.2, message="every request delivered")
        assert {f"path:/{slug}/" for slug in slugs} | {"sitemap"} <= renderer.tags()
        assert all(body["paths"] == [] for body in renderer.bodies)
        assert all(row.last_error == "" and row.status == "delivered" for row in rows.all())
        # What it missed came merged, not a request per change.
        assert len(renderer.bodies) < len(slugs)
    finally:
        renderer.close()


@WITH_WORKER
def test_a_wrong_secret_is_said_and_the_change_arrives_once_it_is_fixed(home, start_worker,
                                                                         client, editor):
    renderer = StandInRenderer(0, "the-renderer-secret")
    port = renderer.server.server_address[1]
    try:
        start_worker(FRONTEND_URL=renderer.url, REVALIDATE_SECRET="another-secret")
        client.get("/api/v2/sitemap/")
        RevalidationRequest.objects.all().delete()
        add_page(home, "secret")
        row = RevalidationRequest.objects.get()
        wait_until(lambda: renderer.rejected >= 1, 10, message="renderer asked")
        wait_until(lambda: "401" in RevalidationRequest.objects.get(pk=row.pk).outcome, 5,
                   message="the refusal said")
        row.refresh_from_db()
        assert row.delivered_at is None and renderer.bodies == []
        assert "refuses this CMS's REVALIDATE_SECRET (401)" in row.outcome
        listing = editor.get(
            reverse("wagtailsnippets_mortar_publishing_revalidationrequest:list"))
        assert b"refuses this CMS&#x27;s REVALIDATE_SECRET (401)" in listing.content
    finally:
        renderer.close()
    # The renderer restarted with the CMS's secret: the change arrives on the next try.
    fixed = StandInRenderer(port, "another-secret")
    try:
        wait_until(lambda: RevalidationRequest.objects.get(pk=row.pk).delivered_at, 15,
                   interval=0.2, message="delivered once the secrets agree")
        assert "sitemap" in fixed.tags()
    finally:
        fixed.close()


def test_a_page_published_into_the_menu_reaches_the_menu(home, client, renderer, settings):
    client.get("/api/v2/navigation/")
    RevalidationRequest.objects.all().delete()
    add_page(home, "new-in-menu", show_in_menus=True)
    assert "navigation" in deliver_all(renderer, settings)
