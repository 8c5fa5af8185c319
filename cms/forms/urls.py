"""Form submissions, a POST of the renderer's (included under api/v2/ by cms.urls).

Any segment, not `<int:>`: a page id that is no number answers the view's 404 JSON,
not the site's fallthrough."""

from django.urls import URLPattern, path

from cms.forms import views

urlpatterns: list[URLPattern] = [
    path("forms/<str:page_id>/submissions/", views.submissions, name="form-submissions"),
]
