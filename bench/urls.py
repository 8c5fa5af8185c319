"""The CMS's URLs plus /bench/ceiling/: a constant JSON body through the same middleware."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms.urls import urlpatterns as cms_urlpatterns

# Written by the harness before the server starts: the heavy page's own JSON.
CEILING_BODY = Path(__file__).with_name(".ceiling.json")


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_body, content_type="application/json")


_body = CEILING_BODY.read_bytes() if CEILING_BODY.is_file() else b"{}"
urlpatterns = [path("bench/ceiling/", ceiling), *cms_urlpatterns]
