"""Where `HeadlessRoutablePageMixin` and `RouteAnswer` lived; they are in cms.core.pages.

Kept because migrations written before the move record `cms.api.routes.
HeadlessRoutablePageMixin` among their models' bases.
"""

from cms.core.pages import HeadlessRoutablePageMixin, RouteAnswer

__all__ = ["HeadlessRoutablePageMixin", "RouteAnswer"]
