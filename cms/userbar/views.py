"""GET /api/v2/userbar/: Wagtail's userbar for the headless site (Wagtail 7.1+).

Two ways in:
- for a signed-in editor looking at a live page: the request carries the editor's admin
  session (the renderer passes on the `sessionid` cookie its visitor sent it, or the
  browser sends it itself): "Edit this page", "Add a child page", "Show in Explorer", the
  admin and the content checks, as Wagtail's `{% wagtailuserbar %}` gives them;
- for a preview: the preview token in `X-Preview-Token` (the renderer's preview route has
  no session when the admin is on another site): the content checks and the admin, hidden
  in the preview panel, where the page editor runs the checks through it.

Everyone else gets 403 and nothing of it. Answers are `private, no-store`: no cache may
keep an editor's userbar. The HTML's links and scripts point at the admin the editor is
signed in to (cms.userbar.origins).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from rest_framework.request import Request
from wagtail.admin.userbar import Userbar
from wagtail.models import Page

from cms.api.errors import APIError, BadRequest, json_response
from cms.api.requests import (
    ERROR,
    MortarAPIViewSet,
    Parameter,
    Schema,
    answer,
    check_query_text,
    whole_number,
)
from cms.preview.tokens import PreviewError, page_for_token
from cms.preview.views import CONTENT_TYPE_SCHEMA, TOKEN_HEADER, TOKEN_SCHEMA
from cms.userbar.origins import (
    ORIGIN,
    AddressedRequest,
    admin_origin,
    checked_origin,
    signed_in_admin,
)

ADMIN_PERMISSION = "wagtailadmin.access_admin"
# Set by cms.userbar.middleware where an editor uses the admin; the renderer asks for the
# userbar only when it sees it (web/lib/userbar.ts names it too).
EDITOR_COOKIE = "mortar_editor"


class Refused(APIError):
    status = 403


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


def _flag(raw: str | None, name: str) -> bool:
    if raw in (None, "", "false"):
        return False
    if raw == "true":
        return True
    raise BadRequest(f"{name} must be true or false")


class UserbarAPIViewSet(MortarAPIViewSet):
    """`/api/v2/userbar/?page_id=&origin=` (an editor's session), or
    `?content_type=&in_preview_panel=` with `X-Preview-Token` (a preview): `{"html"}`."""

    parameters = (
        Parameter("page_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
        Parameter("origin", {"type": "string", "pattern": ORIGIN.pattern},
                  description="The origin the editor sees the site on"),
        Parameter("content_type", CONTENT_TYPE_SCHEMA),
        Parameter("in_preview_panel", {"type": "string", "enum": ["true", "false"]}),
        Parameter(TOKEN_HEADER, TOKEN_SCHEMA, location="header"),
    )

    def check_action_parameters(self, request: Request, known: frozenset[str]) -> None:
        super().check_action_parameters(request, known)
        check_query_text(request.GET)

    def finalize_response(self, request: Request, response: HttpResponse, *args: Any,
                          **kwargs: Any) -> HttpResponse:
        # Errors included: what an editor is shown is never anyone else's.
        return _private(super().finalize_response(request, response, *args, **kwargs))

    def root_view(self, request: Request) -> HttpResponse:
        django_request = request._request
        params = django_request.GET
        token = django_request.headers.get(TOKEN_HEADER)
        if token is not None:
            return self._preview(django_request, params.get("content_type", ""), token,
                                 _flag(params.get("in_preview_panel"), "in_preview_panel"))
        user = django_request.user
        if not user.is_authenticated or not user.has_perm(ADMIN_PERMISSION):
            raise Refused("Sign in to the Wagtail admin to see the userbar")
        page = None
        if (raw := params.get("page_id")) is not None:
            pk = whole_number("page_id", raw, 1, 2**31 - 1)
            page = Page.objects.filter(pk=pk).specific().first()
        addressed = AddressedRequest(django_request,
                                     signed_in_admin(checked_origin(params.get("origin"))))
        html = Userbar(object=page).render_html({"request": addressed})
        return json_response({"html": html})

    def _preview(self, request: Any, content_type: str, token: str,
                 in_panel: bool) -> HttpResponse:
        try:
            page_for_token(content_type, token)
        except PreviewError as error:
            return json_response({"message": str(error)}, status=error.status)
        # Anyone holding the token sees the draft, so no more than the draft needs: the
        # admin's address and the checks, never what the editor's permissions allow.
        addressed = AddressedRequest(request, admin_origin(), user=AnonymousUser(),
                                     in_preview_panel=in_panel, is_preview=True)
        html = Userbar(object=None).render_html({"request": addressed})
        return json_response({"html": html})

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        return {"get": {
            "operationId": "userbar",
            "summary": "Wagtail's userbar for a signed-in editor (session cookie) or a "
                       "preview (X-Preview-Token); never cached",
            "parameters": cls.openapi_parameters(),
            "responses": {
                "200": answer({"type": "object", "required": ["html"], "properties": {
                    "html": {"type": "string", "description": "Wagtail's userbar template, "
                                                              "its scripts included"}}},
                    "The userbar"),
                "400": answer(ERROR, "Bad input"),
                "401": answer(ERROR, "Forged or expired preview token"),
                "403": answer(ERROR, "Not signed in to the admin"),
                "404": answer(ERROR, "No preview for this token"),
            },
        }}
