"""Wagtail's page and document password forms, with Axes counting wrong passwords.

Each restriction counts as a username, so guesses are limited per restriction and per
client IP, as sign-ins are per user and per IP.
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views


def _throttled(request: HttpRequest, credentials: dict[str, str], view: Any,
               *args: Any) -> HttpResponse:
    if request.method != "POST":
        return view(request, *args)
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    response = view(request, *args)
    # A right password redirects; a wrong one shows the form again with its error.
    if response.status_code == 200:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, credentials=credentials)
    return response


def page_restriction_credentials(restriction_id: int) -> dict[str, str]:
    """What Axes counts a page password restriction's guesses under."""
    return {"username": f"page-restriction-{restriction_id}"}


def page_password(request: HttpRequest, page_view_restriction_id: int,
                  page_id: int) -> HttpResponse:
    return _throttled(request, page_restriction_credentials(page_view_restriction_id),
                      page_views.authenticate_with_password, page_view_restriction_id, page_id)


def document_password(request: HttpRequest, restriction_id: int) -> HttpResponse:
    return _throttled(request, {"username": f"collection-restriction-{restriction_id}"},
                      document_views.authenticate_with_password, restriction_id)
