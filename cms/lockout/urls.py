"""Throttled password forms, on Wagtail's own paths (included before Wagtail's URLs)."""

from django.urls import URLPattern, path

from cms.lockout import views

urlpatterns: list[URLPattern] = [
    path("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
         views.page_password),
    path("documents/authenticate_with_password/<int:restriction_id>/",
         views.document_password),
]
