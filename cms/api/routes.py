"""Sub-routes of a page answered through the API: what a RoutablePageMixin view returns.

A page type adds addresses below its own with Wagtail's `RoutablePageMixin`
(`@path("page/<int:number>/")`); each view returns a `RouteAnswer`, which by-path
(`cms.api.lookup.route`) turns into JSON: the page's document (with a given page of its
listings), or a redirect. Visitors who reach such an address on the CMS itself are sent
to the renderer at the same address, as for the page's own.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path


@dataclass(frozen=True)
class RouteAnswer:
    """The page's document, showing page `listing_page` of its listings; or, with
    `redirect_to`, a redirect to that address below the page ("" for the page itself)."""

    listing_page: int = 1
    redirect_to: str | None = None
    permanent: bool = True


class HeadlessRoutablePageMixin(RoutablePageMixin):
    """RoutablePageMixin for headless pages: the page's own address answers its document,
    sub-routes answer a RouteAnswer, and Wagtail's serving redirects to the renderer."""

    @path("")
    def index_route(self, request: HttpRequest, *args: Any, **kwargs: Any) -> RouteAnswer:
        return RouteAnswer()

    def serve(self, request: HttpRequest, view: Any = None, args: Any = None,
              kwargs: Any = None) -> HttpResponse:
        # The next serve() is HeadlessServeMixin's: a redirect to the page on the renderer.
        response = super(RoutablePageMixin, self).serve(request)
        match = getattr(request, "routable_resolver_match", None)
        if view is not None and match is not None and response.has_header("Location"):
            subpath = self.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
            response["Location"] = response["Location"].rstrip("/") + "/" + subpath
        return response
