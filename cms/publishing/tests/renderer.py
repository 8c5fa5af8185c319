"""The renderer's side of the publishing tests: reading pages as it does, and pages to
change (stand-ins for its revalidation route: cms.testing.standins)."""

from django.conf import settings
from django.test import Client
from wagtail.models import Page

from cms.testing.content import add
from cms.testing.pages.models import SampleContentPage


def add_page(parent: Page, slug: str, live: bool = True, **fields: object) -> SampleContentPage:
    """A content page under `parent`, published unless `live` is false; fetched afresh."""
    page = add(parent, SampleContentPage(title=slug.title(), slug=slug, **fields), publish=live)
    return SampleContentPage.objects.get(pk=page.pk)


def as_renderer(client: Client, html_path: str, site: str | None = None) -> int:
    """GET a page by path as the renderer does (with `site=<hostname>` when given), so
    the CMS records what it shows."""
    params = {"html_path": html_path, **({"site": site} if site else {})}
    response = client.get("/api/v2/pages/by-path/", params,
                          HTTP_AUTHORIZATION=f"Bearer {settings.REVALIDATE_SECRET}")
    return response.status_code
