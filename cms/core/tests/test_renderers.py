"""Each Site's renderer URL: Settings > Renderer in the admin, else FRONTEND_URL; the one
adapter (`renderer_url`) that preview, "view live", the admin's CSP and CSRF follow."""


import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.core.models import RendererSettings
from cms.core.renderers import renderer_origins, renderer_url
from cms.publishing.models import RevalidationRequest
from cms.testing.content import unsaved_child
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage

DOCS_RENDERER = "http://docs.localhost:3100"


@pytest.fixture
def docs(home) -> Site:
    """A second Site, `docs.localhost`, whose renderer is DOCS_RENDERER."""
    docs_home = SampleContentPageFactory(parent=home.get_parent(), title="Docs", slug="docs-home")
    site = Site.objects.create(hostname="docs.localhost", port=80, root_page=docs_home)
    RendererSettings.objects.create(site=site, url=DOCS_RENDERER)
    return site


def settings_url(site: Site) -> str:
    return reverse("wagtailsettings:edit", args=["core", "renderersettings", site.pk])


def test_a_site_without_its_own_renderer_uses_frontend_url(home, docs, settings):
    settings.FRONTEND_URL = "https://www.example.com"
    main = Site.objects.get(is_default_site=True)

    assert renderer_url(main) == "https://www.example.com"
    RendererSettings.objects.create(site=main, url="")
    assert renderer_url(main) == "https://www.example.com"
    assert renderer_url(docs) == DOCS_RENDERER
    assert renderer_url(None) == "https://www.example.com"


@pytest.mark.parametrize(("url", "error"), [
    ("docs.example.com", "http:// or https://"),
    ("ftp://docs.example.com", "http:// or https://"),
    ("https://", "http:// or https://"),
    ("https://docs.example.com/?preview=1", "query"),
    ("https://docs.example.com/#top", "query"),
    ("https://editor:secret@docs.example.com", "user name"),
    ("https://docs.example.com:99999", "Enter a URL such as"),
    ("https://docs.example.com/a b", "spaces"),
    # Its origin goes into the admin's Content-Security-Policy: nothing but a host name.
    ("https://docs.example.com;sandbox", "host name as letters"),
    ("https://*.example.com", "host name as letters"),
    ("https://docs.example.com:443", "default port"),
    # The CMS sends its secret there: only origins the environment names.
    ("https://collector.example", "not one of the renderer origins"),
    ("http://169.254.169.254", "not one of the renderer origins"),
])
def test_the_admin_refuses_a_url_that_is_no_renderer_base(editor, home, url, error, settings):
    settings.RENDERER_ORIGINS = ["https://docs.example.com"]
    site = Site.objects.get()
    response = editor.post(settings_url(site), {"url": url})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert renderer_url(site) == renderer_url(None)  # nothing saved


def test_an_editor_sets_a_sites_renderer_and_the_change_is_an_outbox_row(editor, home, settings):
    settings.RENDERER_ORIGINS = ["https://docs.example.com"]
    site = Site.objects.get()
    RevalidationRequest.objects.all().delete()

    response = editor.post(settings_url(site), {"url": "https://docs.example.com/base/"})

    assert response.status_code == 302
    assert renderer_url(site) == "https://docs.example.com/base"
    # Like every site setting (the edit view creates the row, then saves the form).
    assert {tag for row in RevalidationRequest.objects.all() for tag in row.tags} == {
        "setting:core.renderersettings"}
    menu = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsettings:edit", args=["core", "renderersettings"]) in menu


def test_a_url_whose_origin_left_the_allowed_list_falls_back_to_frontend_url(home, settings):
    """Removed from RENDERER_ORIGINS, a stored URL gets neither the secret nor trust."""
    site = Site.objects.get()
    settings.RENDERER_ORIGINS = ["https://docs.example.com"]
    RendererSettings.objects.create(site=site, url="https://docs.example.com")
    assert renderer_url(site) == "https://docs.example.com"
    assert "https://docs.example.com" in renderer_origins()

    settings.RENDERER_ORIGINS = []
    assert renderer_url(site) == settings.FRONTEND_URL
    assert "https://docs.example.com" not in renderer_origins()


def preview_url(editor, page) -> str:
    """Press Preview on the page's edit view, as the admin's preview panel does: the
    address its iframe is sent to (REDIRECT_ON_PREVIEW: the renderer itself)."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    form = nested_form_data({"title": page.title, "slug": page.slug,
                             "body": streamfield([]), "seo_title": "",
                             "search_description": ""})
    assert editor.post(url, form).json()["is_valid"]
    response = editor.get(url, {"in_preview_panel": "true"})
    assert response.status_code == 302, "the preview panel does not open the renderer"
    return response["Location"]


def test_preview_opens_the_renderer_of_the_pages_site(editor, home, docs, settings):
    guide = SampleContentPageFactory(parent=docs.root_page, title="Guide")
    about = SampleContentPageFactory(parent=home, title="About")

    assert preview_url(editor, guide).startswith(f"{DOCS_RENDERER}/api/preview?content_type=")
    assert preview_url(editor, about).startswith(f"{settings.FRONTEND_URL}/api/preview?")
    # The renderer hides the userbar that runs the panel's content checks.
    assert preview_url(editor, about).endswith("&in_preview_panel=true")
    # Preview on create: the page is not saved yet, its parent says which Site.
    new = unsaved_child(docs.root_page, SampleContentPage(title="New", slug="new"))
    assert new.get_client_root_url(editor.get("/").wsgi_request) == \
        f"{DOCS_RENDERER}/api/preview"


def test_view_live_goes_to_the_renderer_of_the_pages_site(client, home, docs, settings):
    settings.ALLOWED_HOSTS = ["testserver", "docs.localhost"]
    SampleContentPageFactory(parent=docs.root_page, title="Guide")
    SampleContentPageFactory(parent=home, title="About")

    docs_visit = client.get("/guide/", HTTP_HOST="docs.localhost")
    main_visit = client.get("/about/")

    assert (docs_visit.status_code, docs_visit["Location"]) == (
        302, f"{DOCS_RENDERER}/guide/")
    assert (main_visit.status_code, main_visit["Location"]) == (
        302, f"{settings.FRONTEND_URL}/about/")


def test_live_links_in_the_admin_are_on_the_sites_renderer(editor, home, docs, settings):
    """"Live" in the page header and "View live" are the page's full URL: the Site's
    renderer URL, not its host name and port in the CMS (http://localhost/about/)."""
    guide = SampleContentPageFactory(parent=docs.root_page, title="Guide")
    about = SampleContentPageFactory(parent=home, title="About")

    assert guide.full_url == f"{DOCS_RENDERER}/guide/"
    assert about.full_url == f"{settings.FRONTEND_URL}/about/"
    header = editor.get(reverse("wagtailadmin_pages:edit", args=[guide.pk])).content.decode()
    assert f'href="{DOCS_RENDERER}/guide/"' in header


def test_the_admin_lets_the_preview_panel_frame_each_sites_renderer(editor, docs):
    policy = editor.get(reverse("wagtailadmin_home"))["Content-Security-Policy"]
    frame_src = next(part for part in policy.split("; ") if part.startswith("frame-src "))
    assert DOCS_RENDERER in frame_src.split()

    RendererSettings.objects.filter(site=docs).update(url="http://other.localhost:3200")
    policy = editor.get(reverse("wagtailadmin_home"))["Content-Security-Policy"]
    assert "http://other.localhost:3200" in policy and DOCS_RENDERER not in policy


def test_a_form_posted_through_a_sites_renderer_passes_csrf(home, docs):
    """The renderer proxies the CMS's forms on its own origin: its Origin is trusted."""
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(reverse("wagtailadmin_login"))
    token = visitor.cookies["csrftoken"].value
    form = {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"}

    through_docs = visitor.post(reverse("wagtailadmin_login"), form, HTTP_ORIGIN=DOCS_RENDERER)
    elsewhere = visitor.post(reverse("wagtailadmin_login"), form,
                             HTTP_ORIGIN="http://evil.localhost:3100")

    assert through_docs.status_code == 200  # the form, with its "wrong password" error
    assert elsewhere.status_code == 403
