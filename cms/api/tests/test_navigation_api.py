"""GET /api/v2/navigation/ and /api/v2/sitemap/: menus, footer and the public page list."""

import json

from wagtail.models import PageViewRestriction, Site

from cms.core.models import NavigationSettings
from cms.testing.pages.models import SampleContentPage


def add(parent, title, slug, menu=True, publish=True):
    page = SampleContentPage(title=title, slug=slug, show_in_menus=menu, live=False)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def test_menu_has_two_levels_of_live_public_pages_in_menus(client, home):
    about = add(home, "About", "about")
    add(about, "Team", "team")
    add(about, "Not in menu", "hidden", menu=False)
    add(home, "Draft", "draft", publish=False)
    private = add(home, "Members", "members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    add(home, "Contact", "contact")

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
    about = add(home, "About", "about")
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
    add(home, "About", "about")
    add(home, "Draft", "draft", publish=False)
    private = add(home, "Members", "members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    pages = json.loads(client.get("/api/v2/sitemap/").content)["pages"]

    assert [page["html_path"] for page in pages] == ["/", "/about/"]
    assert all(page["last_published_at"] for page in pages)


def test_navigation_rejects_unknown_parameters_and_sites(client, home):
    assert client.get("/api/v2/navigation/", {"x": "1"}).status_code == 400
    response = client.get("/api/v2/sitemap/", {"site": "nowhere.example"})
    assert response.status_code == 404
    assert json.loads(response.content) == {"message": "Unknown site 'nowhere.example'"}


def test_sitemap_pages_through_a_large_site(client, home, monkeypatch):
    from cms.api import views

    monkeypatch.setattr(views, "SITEMAP_PAGE_SIZE", 2)
    for n in range(3):
        child = SampleContentPage(title=f"P{n}", slug=f"p{n}", live=False)
        home.add_child(instance=child)
        child.save_revision().publish()

    first = json.loads(client.get("/api/v2/sitemap/").content)
    last = json.loads(client.get("/api/v2/sitemap/", {"page": 2}).content)
    assert (first["total"], first["total_pages"], first["per_page"]) == (4, 2, 2)
    assert len(first["pages"]) == 2 and len(last["pages"]) == 2
    listed = [page["html_path"] for page in first["pages"] + last["pages"]]
    assert listed == ["/", "/p0/", "/p1/", "/p2/"]
    assert client.get("/api/v2/sitemap/", {"page": 3}).status_code == 404
    for bad in ("0", "-1", "x", "99999999999999999999"):
        assert client.get("/api/v2/sitemap/", {"page": bad}).status_code == 400
