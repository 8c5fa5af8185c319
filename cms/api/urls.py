"""/api/v2/: every endpoint on one WagtailAPIRouter, Wagtail's stock ones and Mortar's."""

from wagtail.api.v2.router import WagtailAPIRouter

from cms.api import schema, views
from cms.api.search import SearchAPIViewSet
from cms.api.stock import DocumentsAPIViewSet, ImagesAPIViewSet
from cms.preview.views import PagePreviewAPIViewSet
from cms.userbar.views import UserbarAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
# `pages/` first: `pages/by-path/` is the hot path, and Django tries patterns in order.
api_router.register_endpoint("pages", views.PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("navigation", views.NavigationAPIViewSet)
api_router.register_endpoint("sitemap", views.SitemapAPIViewSet)
api_router.register_endpoint("search", SearchAPIViewSet)
api_router.register_endpoint("schema", schema.SchemaAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
api_router.register_endpoint("userbar", UserbarAPIViewSet)


