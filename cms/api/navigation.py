"""`GET /api/v2/navigation/`: a site's main menu (two levels), its footer and its brand.

Answered with what it shows named and, for the renderer, recorded under its tag
(`cms.publishing.freshness`); its OpenAPI operation is declared beside the view.
"""

from typing import Any

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from wagtail.models import Page

from cms.api import representation
from cms.api.adapters import INTEGER, NULLABLE_STRING, STRING, obj, ref
from cms.api.errors import json_response
from cms.api.pagelinks import PAGE_LINK_SCHEMA
from cms.api.representation import block_schema
from cms.api.requests import (
    ERRORS,
    SITE,
    MortarAPIViewSet,
    Schema,
    answer,
    from_renderer,
    html_path,
    site_for_request,
    site_param,
)
from cms.api.visibility import restricted_paths, visible_q
from cms.brand.api import brand_json, brand_schema
from cms.core.models import NavigationSettings
from cms.publishing import freshness
from cms.publishing.freshness import dependencies


def _menu_item(page: Page, root_path: str) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "html_path": html_path(page, root_path),
            "children": []}


def _menu_pages(site: Any, restricted: list[str]) -> tuple[list[Page], list[Page]]:
    """The menu's pages: its first NAVIGATION_MAX_ITEMS, and the first as many below each.

    Two queries whatever the number of pages; private pages are left out in them, so that
    the limit counts only pages that are shown.
    """
    root, limit = site.root_page, settings.NAVIGATION_MAX_ITEMS
    shown = Page.objects.filter(visible_q(site), show_in_menus=True)
    for path in restricted:
        shown = shown.exclude(path__startswith=path)
    shown = shown.only("id", "title", "url_path", "path", "depth")
    top = list(shown.filter(depth=root.depth + 1).order_by("path")[:limit])
    if not top:
        return top, []
    parent_length = len(top[0].path)
    children = list(
        shown.filter(depth=root.depth + 2)
        .annotate(parent_path=Substr("path", 1, parent_length))
        .filter(parent_path__in=[page.path for page in top])
        .annotate(rank=Window(RowNumber(), partition_by=F("parent_path"), order_by=F("path").asc()))
        .filter(rank__lte=limit).order_by("path"))
    return top, children


def navigation(request: HttpRequest) -> HttpResponse:
    """The main menu (pages shown in menus, two levels), the footer and the brand of a
    site; at most NAVIGATION_MAX_ITEMS items in each level of the menu and in the footer's
    links."""
    site = site_for_request(request)
    root = site.root_page
    restricted = restricted_paths()
    top, children = _menu_pages(site, restricted)
    # Which pages are in the menu follows the root's menu and its items' menus.
    names = {dependencies.site(site.pk), dependencies.menu(root.pk),
             dependencies.setting(NavigationSettings._meta.label), *dependencies.GLOBAL}
    menu: list[dict[str, Any]] = []
    by_path: dict[str, dict[str, Any]] = {}
    for page in top:
        names.update((dependencies.page(page.pk), dependencies.menu(page.pk)))
        item = _menu_item(page, root.url_path)
        menu.append(item)
        by_path[page.path] = item
    for page in children:
        names.add(dependencies.page(page.pk))
        by_path[page.path[: -Page.steplen]]["children"].append(_menu_item(page, root.url_path))

    footer = NavigationSettings.for_site(site)
    links, link_names = representation.represent_stream(
        NavigationSettings.footer_links.field.stream_block, footer.footer_links, site, restricted)
    footer_links = [item["value"] for item in links][:settings.NAVIGATION_MAX_ITEMS]
    names |= link_names
    brand, brand_names = brand_json(site, restricted)
    names |= brand_names
    if freshness.records(site_param(request), site, from_renderer(request)):
        freshness.record(freshness.qualified(freshness.NAVIGATION, site_param(request)),
                         names, site)
    return json_response({
        "site": {"id": site.pk, "hostname": site.hostname, "name": site.site_name,
                 "root": {"id": root.pk, "title": root.title, "html_path": "/"}},
        "menu": menu,
        "footer": {"text": footer.footer_text, "links": footer_links},
        "brand": brand,
    })


class NavigationAPIViewSet(MortarAPIViewSet):
    """`/api/v2/navigation/`."""

    parameters = (SITE,)

    def root_view(self, request: Request) -> HttpResponse:
        return navigation(request._request)

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        footer_link = block_schema(
            NavigationSettings.footer_links.field.stream_block.child_blocks["link"],
            components)
        # Each level of the menu, and the footer's links, hold NAVIGATION_MAX_ITEMS at most.
        max_items = settings.NAVIGATION_MAX_ITEMS
        components["MenuItem"] = obj({
            "id": INTEGER, "title": STRING, "html_path": NULLABLE_STRING,
            "children": {"type": "array", "maxItems": max_items, "items": ref("MenuItem")}})
        components["Brand"] = brand_schema()
        return {"get": {
            "operationId": "navigation", "parameters": cls.openapi_parameters(),
            "responses": {"200": answer(obj({
                "site": obj({"id": INTEGER, "hostname": STRING, "name": STRING,
                             "root": PAGE_LINK_SCHEMA}),
                "menu": {"type": "array", "maxItems": max_items, "items": ref("MenuItem")},
                "footer": obj({"text": STRING,
                               "links": {"type": "array", "maxItems": max_items,
                                         "items": footer_link}}),
                "brand": ref("Brand"),
            }), "Menu, footer and brand"), **ERRORS},
        }}
