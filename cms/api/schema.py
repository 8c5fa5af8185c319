"""The OpenAPI 3.1 document of our API, generated from the page models and block definitions.

Nothing here lists a page type's fields or a block's children by hand: they are
read from `api_fields`, `summary_fields`, `api_listings` and the StreamField block
tree, through the same adapters (`cms.api.adapters`) that make the JSON. A block that
shapes its own JSON with `get_api_representation` describes it with `api_schema`.
"""


from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from rest_framework.request import Request
from wagtail.models import Page

from cms.api import adapters, page_access, search
from cms.api.adapters import (
    INTEGER,
    NULLABLE_STRING,
    STRING,
    Schema,
    obj,
    ref,
)
from cms.api.endpoints import MortarAPIViewSet
from cms.api.errors import json_response
from cms.api.fields import api_field_names, field_schema
from cms.api.listing import MAX_LISTING_PAGE
from cms.api.pagelinks import PAGE_LINK_SCHEMA
from cms.api.params import MAX_PARAM_LENGTH
from cms.api.paths import HTML_PATH_PATTERN, MAX_PATH_LENGTH
from cms.api.sites import HOSTNAME
from cms.api.streams import block_schema
from cms.brand.api import brand_schema
from cms.core.models import NavigationSettings
from cms.forms import views as forms
from cms.images.api import IMAGE
from cms.userbar import views as userbar

META: dict[str, Schema] = {
    "type": STRING, "html_path": NULLABLE_STRING, "locale": STRING,
    "first_published_at": NULLABLE_STRING, "last_published_at": NULLABLE_STRING,
    "seo": obj({"title": STRING, "description": STRING, "image": IMAGE.schema({})}),
    "breadcrumbs": {"type": "array", "items": PAGE_LINK_SCHEMA},
}
SHARED: dict[str, Schema] = {
    "Error": {"type": "object", "properties": {"message": STRING}, "required": ["message"]},
    "PasswordRequired": obj({"message": STRING, "password_required": obj({
        "restriction_id": INTEGER, "html_path": NULLABLE_STRING})},
        description="A page only a password opens; `html_path` is the page it is set on."),
    "PageAccessRequest": obj({
        "restriction_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        "password": {"type": "string", "minLength": 1, "maxLength": 1000,
                     "pattern": "^[^\u0000]*$"}}),
    "PageAccess": obj({"token": STRING, "max_age": INTEGER},
                      description="Send `token` in `X-Page-Access` (comma-separated) to see "
                                  "the page; valid `max_age` seconds."),
    "Redirect": obj({"message": STRING, "redirect": obj({"location": STRING,
                                                         "permanent": {"type": "boolean"}})}),
    "PageMeta": {**obj(META), "properties": {
        **META, "preview": {"type": "boolean", "description": "true on draft previews only"}}},
}


def page_types() -> list[type[Page]]:
    return sorted((m for m in apps.get_models() if issubclass(m, Page) and m is not Page
                   and getattr(m, "api_fields", None) is not None),
                  key=lambda m: m._meta.label)


def type_name(model: type[Page]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def component_name(model: type[Page], among: list[type[Page]] | None = None) -> str:
    """The name of a page type's schema component: its class name ("ArticlePage"), or,
    where another page type `among` the installed ones (default) has the same class
    name, its `meta.type` ("docs.ArticlePage"), so that neither replaces the other."""
    among = page_types() if among is None else among
    if sum(other.__name__ == model.__name__ for other in among) > 1:
        return type_name(model)
    return model.__name__


def summary_schema(model: type[Page], components: dict[str, Schema]) -> Schema:
    name = f"{component_name(model)}Summary"
    if name not in components:
        components[name] = obj({
            "id": INTEGER, "title": STRING, "type": {"const": type_name(model)},
            "html_path": NULLABLE_STRING,
            **{f: field_schema(model, f, components) for f in getattr(model, "summary_fields", [])},
        })
    return ref(name)


def listing_schema(model: type[Page], components: dict[str, Schema]) -> Schema:
    return obj({"items": {"type": "array", "items": summary_schema(model, components)},
                "page": INTEGER, "per_page": INTEGER, "total": INTEGER, "total_pages": INTEGER})


def page_schema(model: type[Page], components: dict[str, Schema]) -> Schema:
    properties: dict[str, Schema] = {
        # null only on the preview of a page that was never saved
        "id": {"type": ["integer", "null"]}, "title": STRING,
        "meta": {"allOf": [ref("PageMeta")], "required": ["type"],
                 "properties": {"type": {"const": type_name(model)}}},
    }
    properties.update({name: field_schema(model, name, components)
                       for name in api_field_names(model)})
    for name, listed in getattr(model, "api_listings", {}).items():
        properties[name] = listing_schema(apps.get_model(listed), components)
    schema = obj(properties, title=model.__name__)
    return schema


def shared_components() -> dict[str, Schema]:
    """The components every document names: ours (errors, page meta...) and each
    registered kind's (`cms.api.adapters.register_component`: Image, PageLink...)."""
    return {**SHARED, **adapters.components()}


def components() -> dict[str, Schema]:
    found = shared_components()
    pages = {}
    models = page_types()
    for model in models:
        pages[component_name(model, models)] = page_schema(model, found)
    found.update(pages)
    found["PageDocument"] = {"oneOf": [ref(name) for name in pages]}
    return found


def openapi() -> Schema:
    json_ok = {"application/json": {}}
    schemas = components()
    footer_link = block_schema(
        NavigationSettings.footer_links.field.stream_block.child_blocks["link"], schemas)
    # Each level of the menu, and the footer's links, hold NAVIGATION_MAX_ITEMS at most.
    max_items = settings.NAVIGATION_MAX_ITEMS
    schemas["MenuItem"] = obj({"id": INTEGER, "title": STRING, "html_path": NULLABLE_STRING,
                               "children": {"type": "array", "maxItems": max_items,
                                            "items": ref("MenuItem")}})

    def response(schema: Schema, description: str) -> Schema:
        return {"description": description,
                "content": {"application/json": {"schema": schema}}}

    error = {"400": response(ref("Error"), "Bad input"),
             "404": response(ref("Error"), "Not found")}
    site_param = {"name": "site", "in": "query", "required": False,
                  "schema": {"type": "string", "pattern": HOSTNAME.pattern},
                  "description": "hostname[:port] of the Wagtail Site; else the Host header"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Mortar CMS API", "version": "2",
                 "description": "Generated from the page models and cms/blocks."},
        "paths": {
            "/api/v2/pages/by-path/": {"get": {
                "operationId": "pageByPath",
                "parameters": [
                    {"name": "html_path", "in": "query", "required": True,
                     "schema": {"type": "string", "minLength": 1,
                                "maxLength": MAX_PATH_LENGTH, "pattern": HTML_PATH_PATTERN}},
                    site_param,
                    {"name": "X-Page-Access", "in": "header", "required": False,
                     "schema": {"type": "string", "maxLength": page_access.MAX_HEADER_LENGTH},
                     "description": "Tokens from page_access, comma-separated"},
                    {"name": "page", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1,
                                "maximum": MAX_LISTING_PAGE}},
                    {"name": "query", "in": "query", "required": False,
                     "schema": {"type": "string", "maxLength": MAX_PARAM_LENGTH,
                                "pattern": "^[^#\\u0000-\\u001f\\u007f-\\u009f\\ufffd]*$"},
                     "description": "The visitor's query string (without '?'): a redirect "
                                    "stored with it matches first, and a redirect matched "
                                    "by the path alone carries it to its target"},
                ],
                "responses": {
                    "200": response(ref("PageDocument"), "The live page"),
                    "301": response(ref("Redirect"), "A permanent Wagtail redirect"),
                    "302": response(ref("Redirect"), "A temporary Wagtail redirect"),
                    "304": {"description": "Not modified (If-None-Match)"},
                    "401": response(ref("PasswordRequired"),
                                    "A password-protected page, without its content"),
                    **error,
                },
            }},
            "/api/v2/page_access/": {"post": {
                "operationId": "pageAccess",
                "summary": "A token opening a password-protected page, for the right password",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": ref("PageAccessRequest")}}},
                "responses": {
                    "200": response(ref("PageAccess"), "The password is right"),
                    "400": response(ref("Error"), "Bad input"),
                    "401": response(ref("Error"), "Wrong password (`errors.password`)"),
                    "404": response(ref("Error"), "No such password restriction"),
                    "413": response(ref("Error"), "Body too large"),
                    "429": response(ref("Error"), "Too many wrong passwords (Retry-After)"),
                },
            }},
            "/api/v2/page_preview/": {"get": {
                "operationId": "pagePreview",
                "summary": "The draft behind a preview token (never cached)",
                "parameters": [
                    {"name": "content_type", "in": "query", "required": True,
                     "schema": {"type": "string", "pattern": r"^[a-z0-9_]+\.[A-Za-z0-9_]+$"}},
                    {"name": "X-Preview-Token", "in": "header", "required": True,
                     "schema": {"type": "string", "minLength": 1, "maxLength": 500}},
                    site_param,
                ],
                "responses": {
                    "200": response(ref("PageDocument"), "The draft page"),
                    "401": response(ref("Error"), "Forged or expired token"),
                    **error,
                },
            }},
            "/api/v2/navigation/": {"get": {
                "operationId": "navigation", "parameters": [site_param],
                "responses": {"200": response(obj({
                    "site": obj({"id": INTEGER, "hostname": STRING, "name": STRING,
                                 "root": PAGE_LINK_SCHEMA}),
                    "menu": {"type": "array", "maxItems": max_items, "items": ref("MenuItem")},
                    "footer": obj({"text": STRING,
                                   "links": {"type": "array", "maxItems": max_items,
                                             "items": footer_link}}),
                    "brand": ref("Brand"),
                }), "Menu, footer and brand"), **error},
            }},
            "/api/v2/sitemap/": {"get": {
                "operationId": "sitemap",
                "parameters": [site_param,
                               {"name": "page", "in": "query", "required": False,
                                "schema": {"type": "integer", "minimum": 1,
                                           "maximum": MAX_LISTING_PAGE}}],
                "responses": {"200": response(obj({
                    "pages": {"type": "array", "items": obj({
                        "id": INTEGER, "html_path": NULLABLE_STRING,
                        "last_published_at": NULLABLE_STRING})},
                    "page": INTEGER, "per_page": INTEGER, "total": INTEGER,
                    "total_pages": INTEGER,
                }), "Every live public page, a page of them at a time"), **error},
            }},
            "/api/v2/search/": {"get": {
                "operationId": "search",
                "summary": "Public pages of the site matching every word of q, best first",
                "parameters": [*search.parameters_schema(), site_param],
                "responses": {"200": response(ref("SearchResults"), "A page of results"),
                              **error},
            }},
            "/api/v2/forms/{page_id}/submissions/": forms.openapi_operation(),
            "/api/v2/userbar/": userbar.openapi_operation(),
            "/api/v2/pages/": {"get": {
                "operationId": "stockPages", "summary": "Wagtail's stock pages listing",
                "responses": {"200": {"description": "See Wagtail's API v2 docs",
                                      "content": json_ok}, **error},
            }},
        },
        # What the CMS sends the renderer (its `POST /api/revalidate`) after a change.
        "webhooks": {"revalidate": {"post": {
            "operationId": "revalidate",
            "summary": "Drop the renderer's cache entries with these tags",
            "security": [{"revalidateSecret": []}],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": ref("RevalidateRequest")}}},
            "responses": {"200": {"description": "Revalidated"},
                          "400": response(ref("Error"), "Bad body"),
                          "401": response(ref("Error"), "Wrong or missing secret"),
                          "503": response(ref("Error"), "The renderer's shared cache cannot "
                                                        "take it now: send it again")},
        }}},
        "components": {
            "schemas": {**schemas, "Brand": brand_schema(),
                        "RevalidateRequest": revalidate_request_schema(),
                        "SearchResults": search.results_schema(), **forms.openapi_schemas()},
            "securitySchemes": {"revalidateSecret": {
                "type": "http", "scheme": "bearer",
                "description": "REVALIDATE_SECRET, shared by the CMS and the renderer"}},
        },
    }


def revalidate_request_schema() -> Schema:
    """The body of the renderer's `POST /api/revalidate`, with its limits."""
    from cms.publishing.freshness import MAX_ITEMS, MAX_TAG_LENGTH

    def items(item: Schema) -> Schema:
        return {"type": "array", "maxItems": MAX_ITEMS, "items": item}

    return {
        "type": "object", "additionalProperties": False,
        "description": "Cache tags and paths, at least one of either. A tag is "
                       "`<site>|path:<html_path>`, `<site>|navigation` or `<site>|sitemap`, "
                       "`<site>` being the `site` parameter the renderer sent "
                       "(`docs.localhost|path:/about/`).",
        "properties": {
            "tags": items({"type": "string", "minLength": 1, "maxLength": MAX_TAG_LENGTH}),
            "paths": items({"type": "string", "minLength": 1, "pattern": "^/"}),
        },
    }


class SchemaAPIViewSet(MortarAPIViewSet):
    """`/api/v2/schema/`: the OpenAPI 3.1 document, generated from the page models and blocks."""

    def root_view(self, request: Request) -> HttpResponse:
        return json_response(openapi())
