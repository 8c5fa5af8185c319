"""Wagtail's content checker, allowed to run across the preview panel's frame.

The preview panel frames the renderer, on an origin of its own: Axe in the admin and Axe
in the userbar of the previewed page talk with window.postMessage, which each accepts
only from the origins it is told (Wagtail's headless docs, "Content checker in page
editor"). The admin's side names every Site's renderer; the page's side, the admin.
"""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem

from cms.core.renderers import renderer_origins
from cms.userbar.origins import admin_origin

SAME_ORIGIN = "<same_origin>"  # Axe's name for the window's own origin


class HeadlessContentCheckerItem(ContentCheckerItem):
    """ContentCheckerItem whose Axe accepts the other side of the preview panel."""

    def get_axe_spec(self, request: HttpRequest) -> dict[str, Any]:
        spec = super().get_axe_spec(request)
        others = renderer_origins() if self.in_editor else {admin_origin()}
        spec["allowedOrigins"] = [SAME_ORIGIN, *sorted(origin for origin in others if origin)]
        return spec


@hooks.register("construct_wagtail_userbar")
def check_across_the_preview_frame(request: HttpRequest, items: list[Any], page: Any) -> None:
    items[:] = [HeadlessContentCheckerItem(in_editor=item.in_editor)
                if isinstance(item, ContentCheckerItem)
                and not isinstance(item, HeadlessContentCheckerItem) else item
                for item in items]
