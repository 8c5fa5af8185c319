"""A project URLconf that wraps cms.urls with a path of its own, as bench/urls.py does."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms.urls import urlpatterns as cms_urlpatterns


def extra(request: HttpRequest) -> HttpResponse:
    return HttpResponse("extra")


urlpatterns = [path("extra/", extra), *cms_urlpatterns]
