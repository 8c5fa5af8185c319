"""GET /api/v2/userbar/: Wagtail's userbar for a signed-in editor or a preview, for no one
else, never cacheable; and the hint cookie that tells the renderer to ask for it."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.admin.userbar import ContentCheckerItem

from cms.core.models import RendererSettings
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage
from cms.userbar import views
from cms.userbar.wagtail_hooks import HeadlessContentCheckerItem

URL = "/api/v2/userbar/"
CONTENT = "mortar_testing_pages.samplecontentpage"


@pytest.fixture
def about(home) -> SampleContentPage:
    return SampleContentPageFactory(parent=home, title="About")


def userbar(client: Client, **params: str) -> tuple[int, str, object]:
    response = client.get(URL, params)
    assert response["Cache-Control"] == "private, no-store"  # answers and refusals alike
    assert "Cookie" in response["Vary"]
    return response.status_code, response.content.decode(), response


def links(html: str) -> list[str]:
    """The userbar's menu links (its markup sits in a <template>, read as text)."""
    return re.findall(r'<a href="([^"]+)"[^>]*role="menuitem"', html)


def axe_configuration(html: str) -> dict:
    found = re.search(r'<script id="checker-axe-configuration" type="application/json">'
                      r"(.*?)</script>", html, re.S)
    assert found, "no content checker configuration"
    return json.loads(found.group(1))


def test_a_signed_in_editor_gets_the_pages_userbar(editor, about, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    status, body, _ = userbar(editor, page_id=str(about.pk), origin="http://localhost:3000")

    assert status == 200
    html = json.loads(body)["html"]
    assert "<wagtail-userbar>" in html
    admin = "//localhost:8000"  # the admin the editor signed in to: same host name
    assert links(html) == [f"{admin}/admin/", f"{admin}/admin/pages/{about.get_parent().pk}/",
                           f"{admin}/admin/pages/{about.pk}/edit/",
                           f"{admin}/admin/pages/{about.pk}/add_subpage/"]
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith(f"{admin}/static/wagtailadmin/js/") for src in scripts)
    assert 'data-wagtail-userbar-origin="//localhost:8000"' in html


def test_on_another_host_name_the_admin_is_the_sites_own_origin(editor, about, settings):
    """In production nginx serves /admin/ on each site's origin: that is where the
    session cookie the site received comes from."""
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example.com"
    _status, body, _ = userbar(editor, page_id=str(about.pk), origin="https://www.example.com")

    assert links(json.loads(body)["html"])[2] == f"//www.example.com/admin/pages/{about.pk}/edit/"


def test_without_a_page_the_userbar_has_the_admin_and_the_checks(editor, home):
    _status, body, _ = userbar(editor)
    html = json.loads(body)["html"]
    assert len(links(html)) == 1 and 'id="checker-trigger"' in html


@pytest.mark.parametrize("who", ["anonymous", "no_admin_access"])
def test_nobody_else_gets_it(client, django_user_model, about, who):
    if who == "no_admin_access":
        user = django_user_model.objects.create_user("reader", password="pw")
        client.force_login(user)
    status, body, _ = userbar(client, page_id=str(about.pk))
    assert status == 403 and "wagtail-userbar" not in body
    assert json.loads(body) == {"message": "Sign in to the Wagtail admin to see the userbar"}


def test_an_editor_without_edit_rights_gets_no_edit_link(client, django_user_model, about):
    user = django_user_model.objects.create_user("moderator", password="pw")
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)

    _status, body, _ = userbar(client, page_id=str(about.pk))

    assert all("/edit/" not in link for link in links(json.loads(body)["html"]))


@pytest.mark.parametrize(("params", "message"), [
    ({"page_id": "x"}, "page_id must be a whole number"),
    ({"page_id": "99999999999"}, "page_id must be a whole number"),
    ({"origin": "javascript:alert(1)"}, "origin must be"),
    ({"origin": "https://a.example/path"}, "origin must be"),
    ({"in_preview_panel": "yes"}, "in_preview_panel must be true or false"),
    ({"colour": "red"}, "Unknown query parameters"),
    ({"page_id": "1\x00"}, "control"),
])
def test_bad_parameters_are_a_400(editor, about, params, message):
    headers = {"HTTP_X_PREVIEW_TOKEN": "x"} if "in_preview_panel" in params else {}
    response = editor.get(URL, params, **headers)
    assert response.status_code == 400
    assert message in json.loads(response.content)["message"]


def test_a_preview_token_gives_the_checks_for_the_panel(client, about, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    about.title = "About (draft)"
    token = about.create_page_preview().token

    response = client.get(URL, {"content_type": CONTENT, "in_preview_panel": "true"},
                          HTTP_X_PREVIEW_TOKEN=token)

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    html = json.loads(response.content)["html"]
    assert re.search(r'<template id="wagtail-userbar-template">\s*<aside hidden', html)
    # Nothing the editor's rights would show: the checks only, talking to the admin.
    assert links(html) == [] and 'id="checker-trigger"' in html
    assert axe_configuration(html)["spec"]["allowedOrigins"] == [
        "<same_origin>", "http://127.0.0.1:8000"]


def test_a_preview_in_a_tab_shows_the_userbar_with_the_admin_link(client, about):
    token = about.create_page_preview().token
    response = client.get(URL, {"content_type": CONTENT}, HTTP_X_PREVIEW_TOKEN=token)
    html = json.loads(response.content)["html"]
    assert links(html) == [f"{settings.WAGTAILADMIN_BASE_URL.split(':', 1)[1]}/admin/"]


def test_a_forged_preview_token_gets_nothing(client, about):
    response = client.get(URL, {"content_type": CONTENT}, HTTP_X_PREVIEW_TOKEN="id=1:x:forged")
    assert response.status_code == 401 and b"wagtail-userbar" not in response.content


def test_the_page_editors_checks_accept_every_renderer(editor, about, docs_renderer):
    """The checks panel of the page editor runs Axe in the renderer's frame."""
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[about.pk]))
    config = axe_configuration(response.content.decode())
    assert config["spec"]["allowedOrigins"] == [
        "<same_origin>", docs_renderer, settings.FRONTEND_URL]


@pytest.fixture
def docs_renderer(home) -> str:
    from wagtail.models import Site

    docs_home = SampleContentPageFactory(parent=home.get_parent(), title="Docs", slug="docs-home")
    site = Site.objects.create(hostname="docs.localhost", port=80, root_page=docs_home)
    RendererSettings.objects.create(site=site, url="http://docs.localhost:3100")
    return "http://docs.localhost:3100"


def test_the_hook_replaces_wagtails_checker_only_once():
    items = [ContentCheckerItem(in_editor=True)]
    from cms.userbar.wagtail_hooks import check_across_the_preview_frame

    check_across_the_preview_frame(None, items, None)
    check_across_the_preview_frame(None, items, None)
    assert [type(item) for item in items] == [HeadlessContentCheckerItem]
    assert items[0].in_editor


def test_the_editor_cookie_comes_and_goes_with_the_admin_session(client, django_user_model,
                                                                 home):
    django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    client.get(reverse("wagtailadmin_login"))
    assert views.EDITOR_COOKIE not in client.cookies  # visitors of the login page: none

    client.post(reverse("wagtailadmin_login"), {"username": "editor", "password": "pw"})
    client.get(reverse("wagtailadmin_home"))
    hint = client.cookies[views.EDITOR_COOKIE]
    assert hint.value == "1" and not hint["httponly"] and hint["path"] == "/"
    assert hint["samesite"] == "Lax"

    client.post(reverse("wagtailadmin_logout"))
    client.get(reverse("wagtailadmin_login"))
    assert client.cookies[views.EDITOR_COOKIE].value == ""  # deleted
    # Never set outside the admin: the API and pages know nothing of it.
    assert views.EDITOR_COOKIE not in client.get("/api/v2/navigation/").cookies


def test_the_renderer_looks_for_the_same_cookie():
    """The renderer reads the hint by name (web/lib/userbar.ts)."""
    source = (Path(settings.BASE_DIR) / "web" / "lib" / "userbar.ts").read_text()
    assert f'EDITOR_COOKIE = "{views.EDITOR_COOKIE}"' in source
