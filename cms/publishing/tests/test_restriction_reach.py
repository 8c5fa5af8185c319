"""View restrictions reach every answer that shows what they cover, and no more: Site roots
below a restricted page, other Sites, redirects, menus, footers, passwords, collections
(cms.publishing.changes._restriction_changed, collection_names). Written by a reviewer
who set out to break the narrowing; the gaps still open are strict xfails."""

import json

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from cms.publishing.models import RevalidationRequest
from cms.publishing.tests.renderer import add_page, as_renderer
from cms.publishing.tests.test_changes import deliver_all, renderer  # noqa: F401
from cms.testing.content import image_in_document, page_with_image

AUTH = {"HTTP_AUTHORIZATION": f"Bearer {django_settings.REVALIDATE_SECRET}"}
DOCS = "docs.localhost"


def nav(client, site=None):
    params = {"site": site} if site else {}
    return json.loads(client.get("/api/v2/navigation/", params, **AUTH).content)


def sitemap(client, site=None):
    params = {"site": site} if site else {}
    return json.loads(client.get("/api/v2/sitemap/", params, **AUTH).content)


def fresh(renderer):  # noqa: F811
    """Forget the outbox and what the stand-in renderer was told so far."""
    RevalidationRequest.objects.all().delete()
    renderer.bodies.clear()


# 1. A restriction on the site's home page: the navigation built while it was private
#    (an empty menu) names neither the home page nor any page below it.
def test_home_restriction_removed_reaches_the_navigation(home, client, renderer, settings):  # noqa: F811
    add_page(home, "about", show_in_menus=True)
    restriction = PageViewRestriction.objects.create(page=home, restriction_type="login")
    assert nav(client)["menu"] == []  # the renderer caches the empty menu
    RevalidationRequest.objects.all().delete()

    restriction.delete()

    told = deliver_all(renderer, settings)
    assert [item["title"] for item in nav(client)["menu"]] == ["About"]  # fresh: visible
    assert "navigation" in told  # else the renderer keeps its empty menu: stale


# 2. A Site whose root is below a restricted page of another Site: its sitemap (and its
#    404s) name only pages:<docs>/routes:<docs>, which the restriction does not name.
@pytest.fixture
def nested(home):
    section = add_page(home, "section")
    docs_home = add_page(section, "docs-home")
    guide = add_page(docs_home, "guide")
    docs = Site.objects.create(hostname=DOCS, port=80, root_page=docs_home, site_name="Docs")
    return section, docs_home, guide, docs


def test_restricting_an_ancestor_of_another_sites_root_reaches_its_sitemap(
        home, client, renderer, settings, nested):  # noqa: F811
    section, docs_home, guide, _docs = nested
    assert {p["id"] for p in sitemap(client, DOCS)["pages"]} == {docs_home.pk, guide.pk}
    RevalidationRequest.objects.all().delete()

    PageViewRestriction.objects.create(page=section, restriction_type="login")

    told = deliver_all(renderer, settings)
    assert sitemap(client, DOCS)["pages"] == []  # fresh: private
    # Else the docs renderer's cached sitemap still lists both private pages: a leak.
    assert f"{DOCS}|sitemap" in told


def test_unrestricting_an_ancestor_of_another_sites_root_reaches_its_404s(
        home, client, renderer, settings, nested):  # noqa: F811
    section, _docs_home, _guide, _docs = nested
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert as_renderer(client, "/guide/", site=DOCS) == 404  # cached 404
    RevalidationRequest.objects.all().delete()

    restriction.delete()

    told = deliver_all(renderer, settings)
    assert as_renderer(client, "/guide/", site=DOCS) == 200  # fresh: public again
    assert f"{DOCS}|path:/guide/" in told  # else the renderer keeps its 404: stale


# 3. A redirect of one Site (or of every Site) to a page of another: the 404 it answers
#    while its target is private names routes:<its site> only.
def test_unrestricting_the_target_of_a_cross_site_redirect_reaches_its_404(
        home, client, renderer, settings):  # noqa: F811
    target = add_page(home, "target")
    docs_home = add_page(home.get_parent(), "docs-home")
    Site.objects.create(hostname=DOCS, port=80, root_page=docs_home, site_name="Docs")
    Redirect.objects.create(old_path="/old", site=None, redirect_page=target)
    restriction = PageViewRestriction.objects.create(page=target, restriction_type="login")
    assert as_renderer(client, "/old/", site=DOCS) == 404
    RevalidationRequest.objects.all().delete()

    restriction.delete()

    told = deliver_all(renderer, settings)
    assert as_renderer(client, "/old/", site=DOCS) == 301  # fresh: redirects again
    assert f"{DOCS}|path:/old/" in told  # else the renderer keeps its 404: stale


# 4. Groups through the reverse side of the many-to-many: the handler gets the Group (a
#    page restriction's case, with the names it records: test_changes.py).
def test_adding_a_collection_restriction_to_a_group_from_the_groups_side(home):
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(), restriction_type="groups")
    group = Group.objects.create(name="Members")
    group.collectionviewrestriction_set.add(restriction)


def gallery_beside_a_private_collection(home, make_image):
    """A restricted collection, another one holding an image, and `/gallery/` showing it."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    moving = root.add_child(name="Moving")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    image = make_image()
    image.collection = moving
    image.save()
    page_with_image(home, image, slug="gallery")
    return private, moving, image


# 5. Moving a collection under a restricted one: nothing is named.
@pytest.mark.xfail(strict=True, reason="treebeard's move() saves nothing and sends no signal; "
                   "the admin's move, which saves the collection too, is named")
def test_moving_a_collection_under_a_restricted_one(home, client, renderer, settings,  # noqa: F811
                                                    make_image):
    private, moving, image = gallery_beside_a_private_collection(home, make_image)
    assert as_renderer(client, "/gallery/") == 200
    assert image_in_document(client, "/gallery/")["id"] == image.pk
    RevalidationRequest.objects.all().delete()

    Collection.objects.get(pk=moving.pk).move(private, pos="sorted-child")

    told = deliver_all(renderer, settings)
    assert RevalidationRequest.objects.count() >= 1, "nothing recorded for the move"
    assert "path:/gallery/" in told  # leak otherwise
    assert image_in_document(client, "/gallery/") is None  # the CMS's own cache too


# 6. A restriction moved from one page to another (its `page` changed and saved).
def test_a_restriction_moved_to_another_page_reaches_the_old_one(
        home, client, renderer, settings):  # noqa: F811
    first = add_page(home, "first")
    second = add_page(home, "second")
    restriction = PageViewRestriction.objects.create(page=first, restriction_type="login")
    assert as_renderer(client, "/first/") == 404
    RevalidationRequest.objects.all().delete()

    restriction.page = second
    restriction.save()

    told = deliver_all(renderer, settings)
    assert as_renderer(client, "/first/") == 200
    assert "path:/first/" in told


# Edge cases expected to hold.
def test_deleting_a_restricted_page_names_it_and_its_descendants(home, client, renderer,  # noqa: F811
                                                                  settings):
    section = add_page(home, "section")
    below = add_page(section, "below")
    restriction = PageViewRestriction.objects.create(page=below, restriction_type="password",
                                                     password="x")
    RevalidationRequest.objects.all().delete()
    Page.objects.get(pk=section.pk).delete()
    tags = {t for row in RevalidationRequest.objects.all() for t in row.tags}
    assert {f"page:{section.pk}", f"page:{below.pk}", f"children:{home.pk}"} <= tags
    assert not PageViewRestriction.objects.filter(pk=restriction.pk).exists()


def test_deleting_a_restricted_collection(home, make_image):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    RevalidationRequest.objects.all().delete()
    Collection.objects.get(pk=private.pk).delete()
    assert not CollectionViewRestriction.objects.exists()


def test_password_401_of_a_nested_page_is_told_when_the_restriction_changes(
        home, client, renderer, settings):  # noqa: F811
    section = add_page(home, "section")
    add_page(section, "inner")
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="password",
                                                     password="x")
    assert as_renderer(client, "/section/inner/") == 401
    RevalidationRequest.objects.all().delete()
    restriction.restriction_type = "login"
    restriction.save()
    told = deliver_all(renderer, settings)
    assert as_renderer(client, "/section/inner/") == 404
    assert "path:/section/inner/" in told


def test_footer_link_to_a_page_below_a_restricted_one(home, client, renderer, settings):  # noqa: F811
    from cms.core.models import NavigationSettings

    section = add_page(home, "section")
    below = add_page(section, "below")
    footer = NavigationSettings.for_site(Site.objects.get())
    footer.footer_links = [("link", {"label": "Below", "link": {"page": below, "url": ""}})]
    footer.save()
    assert nav(client)["footer"]["links"][0]["link"]["page"]["id"] == below.pk
    fresh(renderer)
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert "navigation" in deliver_all(renderer, settings)
    assert nav(client)["footer"]["links"][0]["link"]["page"] is None
    fresh(renderer)
    restriction.delete()
    assert "navigation" in deliver_all(renderer, settings)


def test_collection_restricted_then_an_image_added_to_it(home, client, renderer, settings,  # noqa: F811
                                                         make_image):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    restriction = CollectionViewRestriction.objects.create(collection=private,
                                                           restriction_type="login")
    image = make_image()
    page_with_image(home, image, slug="gallery")
    assert as_renderer(client, "/gallery/") == 200
    RevalidationRequest.objects.all().delete()
    image.collection = private
    image.save()
    assert "path:/gallery/" in deliver_all(renderer, settings)
    assert image_in_document(client, "/gallery/") is None
    fresh(renderer)
    restriction.delete()
    assert "path:/gallery/" in deliver_all(renderer, settings)
    assert image_in_document(client, "/gallery/")["id"] == image.pk


def test_page_moved_under_a_restricted_page(home, client, renderer, settings):  # noqa: F811
    private = add_page(home, "private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    mover = add_page(home, "mover", show_in_menus=True)
    assert as_renderer(client, "/mover/") == 200
    assert [i["title"] for i in nav(client)["menu"]] == ["Mover"]
    RevalidationRequest.objects.all().delete()
    Page.objects.get(pk=mover.pk).move(private, pos="last-child")
    tags = deliver_all(renderer, settings)
    assert nav(client)["menu"] == []
    assert {"path:/mover/", "navigation"} <= tags


# 7. The admin's own ways of putting media into a restricted collection without a save.
def test_admin_collection_move_under_a_restricted_collection(home, editor, renderer, settings,  # noqa: F811
                                                             make_image):
    from django.urls import reverse

    private, moving, _image = gallery_beside_a_private_collection(home, make_image)
    assert as_renderer(editor, "/gallery/") == 200
    fresh(renderer)

    response = editor.post(reverse("wagtailadmin_collections:edit", args=[moving.pk]),
                           {"name": "Moving", "parent": private.pk})
    assert response.status_code == 302, response.content[:300]
    assert Collection.objects.get(pk=moving.pk).get_parent().pk == private.pk

    told = deliver_all(renderer, settings)
    assert image_in_document(editor, "/gallery/") is None, "the CMS's cache still shows it"
    assert "path:/gallery/" in told


@pytest.mark.xfail(strict=True, reason="the admin's bulk 'Add to collection' is a queryset "
                   "update(): no post_save, so no image is named (older than the narrowing)")
def test_admin_bulk_add_to_a_restricted_collection(home, editor, renderer, settings,  # noqa: F811
                                                   make_image):
    from django.urls import reverse
    from wagtail.images import get_image_model

    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    image = make_image()
    page_with_image(home, image, slug="gallery")
    assert as_renderer(editor, "/gallery/") == 200
    fresh(renderer)

    meta = get_image_model()._meta
    url = reverse("wagtail_bulk_action", args=(meta.app_label, meta.model_name,
                                               "add_to_collection"))
    response = editor.post(f"{url}?id={image.pk}", {"collection": private.pk})
    assert response.status_code == 302, response.content[:300]
    image.refresh_from_db()
    assert image.collection_id == private.pk

    told = deliver_all(renderer, settings)
    assert image_in_document(editor, "/gallery/") is None, "the CMS's cache still shows it"
    assert "path:/gallery/" in told


# 8. The nested Site's navigation, built while its root was private, after the removal.
def test_unrestricting_an_ancestor_of_another_sites_root_reaches_its_navigation(
        home, client, renderer, settings, nested):  # noqa: F811
    section, _docs_home, guide, _docs = nested
    Page.objects.filter(pk=guide.pk).update(show_in_menus=True)
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert nav(client, DOCS)["menu"] == []
    fresh(renderer)

    restriction.delete()

    told = deliver_all(renderer, settings)
    assert [i["title"] for i in nav(client, DOCS)["menu"]] == ["Guide"]
    assert f"{DOCS}|navigation" in told


# 9. A collection restriction whose collection is changed (no admin form does this).
@pytest.mark.xfail(strict=True, reason="only the new collection's media are named; no admin "
                   "form changes a restriction's collection")
def test_a_collection_restriction_moved_to_another_collection(home, client, renderer,  # noqa: F811
                                                              settings, make_image):
    root = Collection.get_first_root_node()
    first = root.add_child(name="First")
    second = root.add_child(name="Second")
    image = make_image()
    image.collection = first
    image.save()
    page_with_image(home, image, slug="gallery")
    restriction = CollectionViewRestriction.objects.create(collection=first,
                                                           restriction_type="login")
    assert as_renderer(client, "/gallery/") == 200
    assert image_in_document(client, "/gallery/") is None
    fresh(renderer)

    restriction.collection = second
    restriction.save()

    told = deliver_all(renderer, settings)
    assert image_in_document(client, "/gallery/") is not None, "the CMS's cache still hides it"
    assert "path:/gallery/" in told
