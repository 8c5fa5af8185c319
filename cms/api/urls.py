"""/api/v2/: Mortar's endpoints first, then Wagtail's stock ones."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter

from cms.api import page_access, views
from cms.api.stock import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("pages/by-path/", views.page_by_path, name="page-by-path"),
    path("navigation/", views.navigation, name="navigation"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("schema/", views.openapi_schema, name="openapi-schema"),
    path("page_access/", page_access.page_access, name="page-access"),
]
