"""What Mortar's API endpoints share: their base classes and the renderer's credentials.

Every endpoint is a viewset on Wagtail's `WagtailAPIRouter` (`cms.urls`). Each view
names the query parameters it knows (as Wagtail's `find_query_parameters` does for
`find/`), checked in the viewset's `initial`, and errors are answered by its
`handle_exception`: `{"message": ...}` JSON, like Wagtail's. The endpoints of other apps
(search, preview, the userbar, forms) build on this module, not on the page views.
"""

import hmac
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.urls import path as url_path
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page

from cms.api.errors import APIError, BadRequest


class MortarEndpointMixin:
    """What Mortar's endpoints share: the parameters each view knows (others are a 400
    naming them and the allowed ones) and APIErrors answered as their JSON."""

    # The query parameters each view (the viewset's action) accepts.
    action_parameters: ClassVar[dict[str, frozenset[str]]] = {}
    action: str | None
    request: Request

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        known = self.action_parameters.get(self.action or "")
        if known is not None:
            self.check_action_parameters(request, known)

    def check_action_parameters(self, request: Request, known: frozenset[str]) -> None:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise BadRequest(f"Unknown query parameters: {', '.join(unknown)}",
                             allowed=sorted(known))

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, APIError):
            return exc.response()
        return super().handle_exception(exc)  # type: ignore[misc]


def from_renderer(request: HttpRequest) -> bool:
    """True when the request carries the renderer's credentials (`Authorization: Bearer
    REVALIDATE_SECRET`): only the renderer's 404s are worth remembering, and only its word
    on a visitor's address is believed (cms.forms)."""
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    return bool(settings.REVALIDATE_SECRET) and hmac.compare_digest(
        given.encode(), settings.REVALIDATE_SECRET.encode())


class MortarAPIViewSet(MortarEndpointMixin, BaseAPIViewSet):
    """An endpoint of Mortar's own, with one view at its root."""

    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head"]
    model = Page  # what the router matches models against; the listed objects are pages
    view_parameters: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.action_parameters = {"root_view": cls.view_parameters}

    def root_view(self, request: Request) -> HttpResponse:
        raise NotImplementedError

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [url_path("", cls.as_view({"get": "root_view"}), name="root")]
