from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.navigation import NavigationAPIViewSet
from cms.api.page_access import PageAccessAPIViewSet
from cms.api.schema import SchemaAPIViewSet
from cms.api.search import SearchAPIViewSet
from cms.api.sitemap import SitemapAPIViewSet
from cms.api.stock import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet
from cms.forms.views import FormSubmissionsAPIViewSet
from cms.preview.views import PagePreviewAPIViewSet
from cms.userbar.views import UserbarAPIViewSet

# /api/v2/: every endpoint on one WagtailAPIRouter, Wagtail's stock ones and those of
# each app (cms.api, cms.forms, cms.preview, cms.userbar), each a viewset in a module of
# its own with its OpenAPI operation beside it (cms.api.schema asks each for it).
# Registered here, where the project's apps are put together, so that cms.api never
# imports the apps that build on it.
api_router = WagtailAPIRouter("wagtailapi")
# `pages/` first: `pages/by-path/` (cms.api.by_path, mounted under it) is the hot path,
# and Django tries patterns in order; the router also finds a page's endpoint (its
# `detail_url`) as the first registered for pages.
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("navigation", NavigationAPIViewSet)
api_router.register_endpoint("sitemap", SitemapAPIViewSet)
api_router.register_endpoint("search", SearchAPIViewSet)
api_router.register_endpoint("schema", SchemaAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
api_router.register_endpoint("userbar", UserbarAPIViewSet)
# The renderer's POSTs: a password-protected page's token, a form's submission.
api_router.register_endpoint("page_access", PageAccessAPIViewSet)
api_router.register_endpoint("forms", FormSubmissionsAPIViewSet)

urlpatterns = [
    # The API first: by-path is the hot path, and Django tries patterns in order.
    path("api/v2/", api_router.urls),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: its page and document password forms, throttled.
    path("", include("cms.lockout.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cms.health.urls")),
    path("", include("cms.media.urls")),
    path("api/v2/", include("cms.publishing.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database or file storage that cannot be reached answers 503, not 500.
handler500 = "cms.health.outages.server_error"

# Wagtail's own page serving answers last: it redirects visitors to the renderer.
urlpatterns.append(path("", include(wagtail_urls)))
