"""`GET /api/v2/sitemap/?page=N`: every live, public page of a site, a page of them at a
time, for sitemap.xml; its OpenAPI operation is declared beside the view."""

from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from wagtail.models import Page

from cms.api.adapters import INTEGER, NULLABLE_STRING, obj
from cms.api.errors import NotFound, json_response
from cms.api.listing import MAX_LISTING_PAGE
from cms.api.requests import (
    ERRORS,
    SITE,
    MortarAPIViewSet,
    Parameter,
    Schema,
    answer,
    from_renderer,
    positive_int,
    site_for_request,
    site_param,
)
from cms.api.visibility import restricted_paths, visible_q
from cms.publishing import freshness
from cms.publishing.freshness import dependencies

# URLs per sitemap page: a child sitemap holds one page, well under the protocol's
# 50,000 URLs and 50 MB, and one answer stays small whatever the size of the site.
SITEMAP_PAGE_SIZE = 10_000


def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live, public page of a site, SITEMAP_PAGE_SIZE a page (`?page=N`, from 1),
    for sitemap.xml (an index of child sitemaps, one per page)."""
    site = site_for_request(request)
    number = positive_int(request, "page", 1, MAX_LISTING_PAGE)
    restricted = restricted_paths()
    pages = Page.objects.filter(visible_q(site)).order_by("path")
    for path in restricted:  # in the query, so pages count what they list
        pages = pages.exclude(path__startswith=path)
    total = pages.count()
    total_pages = max(1, -(-total // SITEMAP_PAGE_SIZE))
    if number > total_pages:
        raise NotFound(f"Sitemap page {number} does not exist; there are {total_pages}.")
    root_path = site.root_page.url_path
    if freshness.records(site_param(request), site, from_renderer(request)):
        freshness.record(freshness.qualified(freshness.SITEMAP, site_param(request)),
                         {dependencies.pages(site.pk), dependencies.site(site.pk),
                          *dependencies.GLOBAL},
                         site)
    start = (number - 1) * SITEMAP_PAGE_SIZE
    # Rows, not model instances: a page of the sitemap is thousands of them.
    rows = pages.values_list("id", "url_path", "last_published_at")[
        start:start + SITEMAP_PAGE_SIZE]
    return json_response({
        "pages": [
            {"id": pk, "html_path": "/" + url_path[len(root_path):],
             "last_published_at": published.isoformat() if published else None}
            for pk, url_path, published in rows
        ],
        "page": number, "per_page": SITEMAP_PAGE_SIZE, "total": total,
        "total_pages": total_pages,
    })


class SitemapAPIViewSet(MortarAPIViewSet):
    """`/api/v2/sitemap/`."""

    parameters = (SITE, Parameter("page", {"type": "integer", "minimum": 1,
                                           "maximum": MAX_LISTING_PAGE}))

    def root_view(self, request: Request) -> HttpResponse:
        return sitemap(request._request)

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        return {"get": {
            "operationId": "sitemap", "parameters": cls.openapi_parameters(),
            "responses": {"200": answer(obj({
                "pages": {"type": "array", "items": obj({
                    "id": INTEGER, "html_path": NULLABLE_STRING,
                    "last_published_at": NULLABLE_STRING})},
                "page": INTEGER, "per_page": INTEGER, "total": INTEGER,
                "total_pages": INTEGER,
            }), "Every live public page, a page of them at a time"), **ERRORS},
        }}
