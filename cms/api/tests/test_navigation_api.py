"""GET /api/v2/navigation/ and /api/v2/sitemap/: menus, footer and the public page list."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.core.models import NavigationSettings
from cms.testing.factories import SampleContentPageFactory


class MenuPageFactory(SampleContentPageFactory):
    """A published content page in the menus: what most pages here are."""

    show_in_menus = True


def test_menu_has_two_levels_of_live_public_pages_in_menus(client, home):
    about = MenuPageFactory(parent=home, title="About")
    MenuPageFactory(parent=about, title="Team")
    MenuPageFactory(parent=about, title="Not in menu", slug="hidden", show_in_menus=False)
    MenuPageFactory(parent=home, title="Draft", publish=False)
    private = MenuPageFactory(parent=home, title="Members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    MenuPageFactory(parent=home, title="Contact")

    body = json.loads(client.get("/api/v2/navigation/").content)

    assert body["menu"] == [
        {"id": about.pk, "title": "About", "html_path": "/about/", "children": [
            {"id": about.get_children().get(slug="team").pk, "title": "Team",
             "html_path": "/about/team/", "children": []}]},
        {"id": home.get_children().get(slug="contact").pk, "title": "Contact",
         "html_path": "/contact/", "children": []},
    ]
    assert body["site"]["root"] == {"id": home.pk, "title": "Home", "html_path": "/"}


def test_footer_comes_from_the_site_setting(client, home):
    about = MenuPageFactory(parent=home, title="About")
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_text = "© Mortar"
    settings.footer_links = json.dumps([
        {"type": "link", "value": {"label": "About", "link": {"page": about.pk, "url": ""}}},
        {"type": "link", "value": {"label": "Out", "link": {"page": None,
                                                            "url": "https://example.org/"}}},
    ])
    settings.save()

    footer = json.loads(client.get("/api/v2/navigation/").content)["footer"]

    assert footer == {"text": "© Mortar", "links": [
        {"label": "About", "link": {"page": {"id": about.pk, "title": "About",
                                             "html_path": "/about/"}, "url": None}},
        {"label": "Out", "link": {"page": None, "url": "https://example.org/"}},
    ]}


def test_sitemap_lists_live_public_pages_only(client, home):
    MenuPageFactory(parent=home, title="About")
    MenuPageFactory(parent=home, title="Draft", publish=False)
    private = MenuPageFactory(parent=home, title="Members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    pages = json.loads(client.get("/api/v2/sitemap/").content)["pages"]

    assert [page["html_path"] for page in pages] == ["/", "/about/"]
    assert all(page["last_published_at"] for page in pages)


def test_navigation_rejects_unknown_parameters_and_sites(client, home):
    assert client.get("/api/v2/navigation/", {"x": "1"}).status_code == 400
    Site.objects.update(is_default_site=False)  # nothing to fall back to
    response = client.get("/api/v2/sitemap/", {"site": "nowhere.example"})
    assert response.status_code == 404
    assert json.loads(response.content) == {"message": "Unknown site 'nowhere.example'"}


def test_sitemap_pages_through_a_large_site(client, home, monkeypatch):
    from cms.api import sitemap

    monkeypatch.setattr(sitemap, "SITEMAP_PAGE_SIZE", 2)
    for n in range(3):
        SampleContentPageFactory(parent=home, title=f"P{n}")

    first = json.loads(client.get("/api/v2/sitemap/").content)
    last = json.loads(client.get("/api/v2/sitemap/", {"page": 2}).content)
    assert (first["total"], first["total_pages"], first["per_page"]) == (4, 2, 2)
    assert len(first["pages"]) == 2 and len(last["pages"]) == 2
    listed = [page["html_path"] for page in first["pages"] + last["pages"]]
    assert listed == ["/", "/p0/", "/p1/", "/p2/"]
    assert client.get("/api/v2/sitemap/", {"page": 3}).status_code == 404
    for bad in ("0", "-1", "x", "99999999999999999999"):
        assert client.get("/api/v2/sitemap/", {"page": bad}).status_code == 400


def test_each_menu_level_and_the_footer_hold_navigation_max_items_at_most(
        client, home, settings, django_assert_num_queries):
    settings.NAVIGATION_MAX_ITEMS = 3
    first = MenuPageFactory(parent=home, title="P0")
    # Private: not counted against the limit.
    members = MenuPageFactory(parent=home, title="Members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    for n in range(1, 5):
        MenuPageFactory(parent=home, title=f"P{n}")
    for n in range(5):
        MenuPageFactory(parent=first, title=f"C{n}")
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.footer_links = json.dumps([
        {"type": "link", "value": {"label": f"L{n}", "link": {"page": None,
                                                             "url": f"https://example.org/{n}"}}}
        for n in range(5)])
    navigation.save()

    body = json.loads(client.get("/api/v2/navigation/").content)

    assert [item["title"] for item in body["menu"]] == ["P0", "P1", "P2"]
    assert [item["title"] for item in body["menu"][0]["children"]] == ["C0", "C1", "C2"]
    assert [link["label"] for link in body["footer"]["links"]] == ["L0", "L1", "L2"]
    # The work does not grow with the pages either: as many queries for 20 more.
    with CaptureQueriesContext(connection) as counted:
        client.get("/api/v2/navigation/")
    for n in range(5, 25):
        MenuPageFactory(parent=home, title=f"P{n}")
        MenuPageFactory(parent=first, title=f"C{n}")
    with django_assert_num_queries(len(counted.captured_queries)):
        assert len(json.loads(client.get("/api/v2/navigation/").content)["menu"]) == 3


def test_navigation_max_items_is_in_the_schema(client, settings):
    settings.NAVIGATION_MAX_ITEMS = 7
    schema = json.loads(client.get("/api/v2/schema/").content)
    navigation = schema["paths"]["/api/v2/navigation/"]["get"]["responses"]["200"]
    properties = navigation["content"]["application/json"]["schema"]["properties"]
    assert properties["menu"]["maxItems"] == 7
    assert properties["footer"]["properties"]["links"]["maxItems"] == 7
    assert schema["components"]["schemas"]["MenuItem"]["properties"]["children"]["maxItems"] == 7


def test_only_the_renderers_answers_are_recorded_under_a_sites_tags(client, home, settings):
    """Anyone may send any site= (it falls back to the default Site): each value would be
    tags to remember and purge. The renderer's are recorded, a trailing dot dropped."""
    from cms.publishing.models import RendererDependency

    renderer = {"HTTP_AUTHORIZATION": f"Bearer {settings.REVALIDATE_SECRET}"}
    for n in range(3):
        assert client.get("/api/v2/navigation/", {"site": f"junk{n}.example"}).status_code == 200
        assert client.get("/api/v2/sitemap/", {"site": f"junk{n}.example"}).status_code == 200
        assert client.get("/api/v2/pages/by-path/", {"html_path": "/",
                                                     "site": f"junk{n}.example"}).status_code == 200
    assert not RendererDependency.objects.exists()

    assert client.get("/api/v2/navigation/", {"site": "localhost."}, **renderer).status_code == 200
    assert client.get("/api/v2/pages/by-path/", {"html_path": "/", "site": "localhost"},
                      **renderer).status_code == 200
    assert set(RendererDependency.objects.values_list("tag", flat=True)) == {
        "localhost|navigation", "localhost|path:/"}
    assert client.get("/api/v2/navigation/", {"site": "localhost\n"}).status_code == 400
