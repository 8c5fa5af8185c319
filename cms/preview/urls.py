from django.urls import URLPattern, path

from cms.preview import views

urlpatterns: list[URLPattern] = [
    path("page_preview/", views.page_preview, name="page-preview"),
]
