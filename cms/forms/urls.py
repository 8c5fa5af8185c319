"""Form submissions, a POST of the renderer's (included under api/v2/ by cms.urls)."""

from django.urls import URLPattern, path

from cms.forms import views

urlpatterns: list[URLPattern] = [
    path("forms/<int:page_id>/submissions/", views.submissions, name="form-submissions"),
]
