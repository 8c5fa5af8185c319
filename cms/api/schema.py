"""The OpenAPI 3.1 document of our API: the one place it is put together.

Each endpoint declares its own operation beside its view (`openapi_operation`, from its
one declaration of its parameters; `cms.api.requests.MortarAPIViewSet`); `openapi()`
asks every endpoint on the router for it, so this module names no endpoint. The
components are generated from the page models and block definitions: nothing here lists
a page type's fields or a block's children by hand: they are read from `api_fields`,
`summary_fields`, `api_listings` (cms.api.listing) and the StreamField block tree,
through the same adapters (`cms.api.adapters`) that make the JSON. A block that shapes
its own JSON with `get_api_representation` describes it with `api_schema`.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string
from rest_framework.request import Request
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.models import Page

from cms.api import adapters, listing
from cms.api.adapters import INTEGER, NULLABLE_STRING, STRING, Schema, obj, ref
from cms.api.errors import json_response
from cms.api.pagelinks import PAGE_LINK_SCHEMA
from cms.api.representation import api_field_names, field_schema
from cms.api.requests import ERROR, MortarAPIViewSet, answer
from cms.images.api import IMAGE

META: dict[str, Schema] = {
    "type": STRING, "html_path": NULLABLE_STRING, "locale": STRING,
    "first_published_at": NULLABLE_STRING, "last_published_at": NULLABLE_STRING,
    "seo": obj({"title": STRING, "description": STRING, "image": IMAGE.schema({})}),
    "breadcrumbs": {"type": "array", "items": PAGE_LINK_SCHEMA},
}
SHARED: dict[str, Schema] = {
    "Error": {"type": "object", "properties": {"message": STRING}, "required": ["message"]},
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


def page_schema(model: type[Page], components: dict[str, Schema]) -> Schema:
    properties: dict[str, Schema] = {
        # null only on the preview of a page that was never saved
        "id": {"type": ["integer", "null"]}, "title": STRING,
        "meta": {"allOf": [ref("PageMeta")], "required": ["type"],
                 "properties": {"type": {"const": type_name(model)}}},
    }
    properties.update({name: field_schema(model, name, components)
                       for name in api_field_names(model)})
    for listed in listing.declared(model):
        properties[listed.name] = listed.schema(summary_schema(listed.items_model(),
                                                               components))
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


def project_router() -> WagtailAPIRouter:
    """The project's router, named by the API_ROUTER setting ("cms.urls.api_router"),
    where the apps' endpoints are put together: imported by name, as Django imports
    ROOT_URLCONF, so that no module of cms.api imports the apps built on it. (Read off the
    root URLconf, it was missing wherever that wraps cms.urls: bench's, whose Celery
    worker then failed its start-up checks.)"""
    return import_string(settings.API_ROUTER)


def mounted_at(router: WagtailAPIRouter) -> str:
    """Where the URLconf mounts `router` ("/api/v2/"), read from its patterns."""
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == router.url_namespace:
            return f"/{pattern.pattern}"
    raise ImproperlyConfigured(f"The URLconf mounts no router {router.url_namespace!r}")


def openapi(router: WagtailAPIRouter | None = None) -> Schema:
    """The OpenAPI document: the operation each endpoint on `router` (default: the
    project's) declares beside its view (`openapi_paths`, `cms.api.requests.
    MortarAPIViewSet`), and the components: the page types, the kinds' and the ones each
    endpoint adds."""
    router = router or project_router()
    schemas = components()
    mount = mounted_at(router)
    paths: dict[str, Schema] = {}
    # Wagtail's router keeps its endpoints, by name, in registration order.
    for name, endpoint in router._endpoints.items():
        paths.update(endpoint.openapi_paths(f"{mount}{name}/", schemas))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Mortar CMS API", "version": "2",
                 "description": "Generated from the page models and cms/blocks."},
        "paths": paths,
        # What the CMS sends the renderer (its `POST /api/revalidate`) after a change.
        "webhooks": {"revalidate": {"post": {
            "operationId": "revalidate",
            "summary": "Drop the renderer's cache entries with these tags",
            "security": [{"revalidateSecret": []}],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": ref("RevalidateRequest")}}},
            "responses": {"200": {"description": "Revalidated"},
                          "400": answer(ERROR, "Bad body"),
                          "401": answer(ERROR, "Wrong or missing secret"),
                          "503": answer(ERROR, "The renderer's shared cache cannot "
                                               "take it now: send it again")},
        }}},
        "components": {
            "schemas": {**schemas, "RevalidateRequest": revalidate_request_schema()},
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
        # The router this endpoint is on, as Wagtail's router tells each of its views.
        return json_response(openapi(request._request.wagtailapi_router))

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Schema]) -> dict[str, Schema]:
        return {}  # the document itself, not an operation of the renderer's contract
