"""Page types for tests of the platform's routing, installed only under cms.testing.settings.

They have no `api_fields`, so the OpenAPI document (cms.api.schema) leaves them out.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms.api.routes import HeadlessRoutablePageMixin, RouteAnswer


class RoutedPage(HeadlessRoutablePageMixin, Page):
    """Sub-routes: `archive/<year>/` shows the page, `moved/` redirects to an archive,
    `html-only/` answers HTML (which the API does not serve)."""

    @path("archive/<int:year>/", name="archive")
    def archive(self, request: HttpRequest, year: int) -> RouteAnswer:
        if year < 2000:
            raise Http404
        return RouteAnswer()

    @path("moved/", name="moved")
    def moved(self, request: HttpRequest) -> RouteAnswer:
        return RouteAnswer(redirect_to="archive/2024/", permanent=False)

    @path("html-only/", name="html_only")
    def html_only(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("<p>HTML</p>")


class LatestChildPage(Page):
    """A custom `route()`: `latest/` is its most recently published live child."""

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components == ["latest"]:
            child = (self.get_children().live().order_by("-first_published_at")
                     .specific().first())
            if child is None:
                raise Http404
            return RouteResult(child)
        return super().route(request, path_components)
