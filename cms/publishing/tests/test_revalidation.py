"""The revalidation outbox: rows written with the change, delivered durably by a worker."""

import socket

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from cms.publishing.models import RevalidationRequest
from cms.publishing.revalidation import content_changed
from cms.publishing.tests.renderer import StandInRenderer
from cms.publishing.tests.workers import wait_until
from sites.example.models import ContentPage

WITH_WORKER = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def add_page(parent: Page, slug: str, live: bool = True, **fields: object) -> ContentPage:
    page = ContentPage(title=slug.title(), slug=slug, live=False, **fields)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return ContentPage.objects.get(pk=page.pk)


def last_tags() -> set[str]:
    return set(RevalidationRequest.objects.order_by("-pk").first().tags)


def test_publish_writes_page_parent_navigation_and_sitemap_tags(home):
    section = add_page(home, "section", show_in_menus=True)
    RevalidationRequest.objects.all().delete()

    add_page(section, "hello")

    assert RevalidationRequest.objects.count() == 1
    assert last_tags() == {"path:/section/hello/", "path:/section/", "navigation", "sitemap"}


def test_rolled_back_publish_leaves_no_outbox_row(home):
    page = add_page(home, "draft", live=False)
    before = RevalidationRequest.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        page.save_revision().publish()
        assert RevalidationRequest.objects.count() == before + 1
        raise RuntimeError("the editor's request failed after publishing")
    assert RevalidationRequest.objects.count() == before


def test_unpublish_and_delete_revalidate_the_page_and_its_listing(home):
    section = add_page(home, "news")
    page = add_page(section, "old")
    page.unpublish()
    assert {"path:/news/old/", "path:/news/", "sitemap"} <= last_tags()

    child = add_page(section, "gone")
    RevalidationRequest.objects.all().delete()
    Page.objects.get(pk=child.pk).delete()
    assert {"path:/news/gone/", "path:/news/"} <= last_tags()


def test_move_revalidates_old_and_new_paths_of_the_page_and_its_descendants(home):
    old_parent = add_page(home, "a")
    new_parent = add_page(home, "b")
    page = add_page(old_parent, "moving")
    add_page(page, "child")
    RevalidationRequest.objects.all().delete()

    Page.objects.get(pk=page.pk).move(new_parent, pos="last-child")

    assert {"path:/a/moving/", "path:/b/moving/", "path:/a/moving/child/",
            "path:/b/moving/child/", "path:/a/", "path:/b/", "sitemap"} <= last_tags()


def test_slug_change_revalidates_the_old_path(home, django_capture_on_commit_callbacks):
    page = add_page(home, "before")
    page.slug = "after"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    tags = {tag for row in RevalidationRequest.objects.all() for tag in row.tags}
    assert {"path:/before/", "path:/after/"} <= tags


def test_pages_linking_to_a_changed_page_are_revalidated(home):
    target = add_page(home, "target")
    linking = ContentPage(title="Linking", slug="linking", live=False, body=[
        ("rich_text", f'<p><a linktype="page" id="{target.pk}">see</a></p>')])
    home.add_child(instance=linking)
    linking.save_revision().publish()
    RevalidationRequest.objects.all().delete()

    ContentPage.objects.get(pk=target.pk).save_revision().publish()

    assert "path:/linking/" in last_tags()


def test_content_changed_signal_is_sent_after_commit_with_the_tags(
        home, django_capture_on_commit_callbacks):
    received: list[list[str]] = []

    def listener(sender: type, tags: list[str], **kwargs: object) -> None:
        received.append(tags)

    content_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            add_page(home, "signalled")
            assert received == []
        assert "path:/signalled/" in received[-1]
    finally:
        content_changed.disconnect(listener)


@WITH_WORKER
def test_renderer_down_then_up_delivers_every_queued_request(home, start_worker, settings,
                                                             admin_client_db):
    port = free_port()
    start_worker(FRONTEND_URL=f"http://127.0.0.1:{port}")
    RevalidationRequest.objects.all().delete()

    slugs = ["one", "two", "three"]
    for slug in slugs:
        add_page(home, slug)
    rows = RevalidationRequest.objects.all()
    assert rows.count() == 3

    wait_until(lambda: all(row.attempts >= 2 for row in rows.all()), 10,
               message="every request retried while the renderer is down")
    assert not rows.filter(delivered_at__isnull=False).exists()
    assert all("Connection refused" in row.last_error for row in rows.all())
    listing = admin_client_db.get(
        reverse("wagtailsnippets_mortar_publishing_revalidationrequest:list"))
    assert listing.status_code == 200
    assert b"Connection refused" in listing.content and b"failing" in listing.content

    renderer = StandInRenderer(port, settings.REVALIDATE_SECRET)
    try:
        wait_until(lambda: not rows.filter(delivered_at__isnull=True).exists(), 15,
                   interval=0.2, message="every request delivered")
        assert {f"path:/{slug}/" for slug in slugs} | {"sitemap"} <= renderer.tags()
        assert all(body["paths"] == [] for body in renderer.bodies)
        assert all(row.last_error == "" for row in rows.all())
    finally:
        renderer.close()


@WITH_WORKER
def test_wrong_secret_is_recorded_and_not_retried_in_a_loop(home, start_worker):
    renderer = StandInRenderer(0, "the-renderer-secret")
    try:
        start_worker(FRONTEND_URL=renderer.url, REVALIDATE_SECRET="another-secret")
        RevalidationRequest.objects.all().delete()
        add_page(home, "secret")
        row = RevalidationRequest.objects.get()
        wait_until(lambda: RevalidationRequest.objects.get(pk=row.pk).attempts >= 1, 5,
                   message="delivery attempted")
        wait_until(lambda: renderer.rejected >= 1, 2, message="renderer asked")
        row.refresh_from_db()
        assert row.delivered_at is None
        assert "401" in row.last_error
        assert renderer.bodies == []
    finally:
        renderer.close()


def test_big_changes_are_split_to_the_renderers_limits(db):
    from cms.publishing.revalidation import request_revalidation

    tags = [f"path:/section/page-{n}/" for n in range(2100)] + ["path:/" + "x" * 300 + "/"]
    rows = request_revalidation(tags, reason="move of a big section")

    assert [len(row.tags) for row in rows] == [1000, 1000, 100]
    assert [tag for row in rows for tag in row.tags] == sorted(tags[:2100])
