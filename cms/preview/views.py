"""GET /api/v2/page_preview/: the draft document behind a preview token, for the renderer.

An endpoint on Wagtail's API router, as wagtail-headless-preview registers its own
`page_preview`. The token travels in the `X-Preview-Token` header, not the query
string, so access logs (gunicorn, nginx) never record it; answers are `no-store` so no
cache keeps a draft.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from rest_framework.request import Request
from wagtail.models import Site

from cms.api import representation
from cms.api.adapters import ref
from cms.api.errors import BadRequest, json_response
from cms.api.requests import (
    ERROR,
    ERRORS,
    SITE,
    MortarAPIViewSet,
    Parameter,
    Schema,
    answer,
    check_query_text,
    site_for_request,
)
from cms.api.visibility import restricted_paths
from cms.preview.tokens import PreviewError, page_for_token

TOKEN_HEADER = "X-Preview-Token"
# The token's header, as the OpenAPI operations of this endpoint and the userbar list it.
TOKEN_SCHEMA: Schema = {"type": "string", "minLength": 1, "maxLength": 500}
CONTENT_TYPE_SCHEMA: Schema = {"type": "string", "pattern": r"^[a-z0-9_]+\.[A-Za-z0-9_]+$"}


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


class PagePreviewAPIViewSet(MortarAPIViewSet):
    """`/api/v2/page_preview/?content_type=app_label.model`, token in X-Preview-Token."""

    parameters = (
        Parameter("content_type", CONTENT_TYPE_SCHEMA, required=True),
        Parameter(TOKEN_HEADER, TOKEN_SCHEMA, location="header", required=True),
        SITE,
    )

    def check_action_parameters(self, request: Request, known: frozenset[str]) -> None:
        if "token" in request.GET:
            raise BadRequest(f"Send the token in the {TOKEN_HEADER} header, not the URL")
        super().check_action_parameters(request, known)
        check_query_text(request.GET)

    def finalize_response(self, request: Request, response: HttpResponse, *args: Any,
                          **kwargs: Any) -> HttpResponse:
        # Errors included: no answer of this endpoint may be kept by a cache.
        return _no_store(super().finalize_response(request, response, *args, **kwargs))

    def root_view(self, request: Request) -> HttpResponse:
        content_type = request.GET.get("content_type", "")
        token = request.headers.get(TOKEN_HEADER, "")
        try:
            page = page_for_token(content_type, token)
        except PreviewError as error:
            return json_response({"message": str(error)}, status=error.status)
        site: Site | None = page.get_site() if page.url_path else None
        if site is None:
            site = site_for_request(request._request)
        document = representation.page_json(page, site, restricted_paths())
        document["meta"]["preview"] = True
        return json_response(document)

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        return {"get": {
            "operationId": "pagePreview",
            "summary": "The draft behind a preview token (never cached)",
            "parameters": cls.openapi_parameters(),
            "responses": {
                "200": answer(ref("PageDocument"), "The draft page"),
                "401": answer(ERROR, "Forged or expired token"),
                **ERRORS,
            },
        }}
