"""What a visitor or an editor sees while the database or the file storage is down.

A 503 with Retry-After instead of a 500: the API answers JSON like its other errors,
everything else (the admin, document downloads) a short HTML page built without the
database. Exceptions raised by views arrive through the middleware; those raised
elsewhere (other middleware) through `handler500`. The admin's image and document
pages also get a notice while the storage does not answer, since their previews then
show Wagtail's placeholders.
"""

import logging
import sys
import time
from collections.abc import Callable

from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views import defaults

from cms.media.storage import check_reachable, is_unreachable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = "The CMS cannot reach its database right now; try again in a minute."
STORAGE_DOWN = "The CMS cannot reach its file storage right now; try again in a minute."
STORAGE_NOTICE = ("The media storage is not answering: images show placeholders, and "
                  "uploading or replacing files will fail until it is back.")
# Admin pages whose content comes from the storage, and how long a probe result holds.
MEDIA_ADMIN_PREFIXES = ("/admin/images/", "/admin/documents/")
PROBE_CACHE_SECONDS = 5.0


def is_database_outage(error: BaseException | None) -> bool:
    # OperationalError covers refused and timed-out connections and cancelled statements
    # (statement_timeout); InterfaceError a connection that closed under us.
    return isinstance(error, OperationalError | InterfaceError)


def outage_message(error: BaseException | None) -> str | None:
    if is_database_outage(error):
        return DATABASE_DOWN
    if error is not None and is_unreachable(error):
        return STORAGE_DOWN
    return None


def unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"message": message}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"message": message}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


_last_probe: tuple[float, bool] = (0.0, True)


def storage_answers() -> bool:
    """check_reachable, at most once per PROBE_CACHE_SECONDS per process."""
    global _last_probe
    checked_at, answered = _last_probe
    if time.monotonic() - checked_at < PROBE_CACHE_SECONDS:
        return answered
    try:
        check_reachable()
        answered = True
    except Exception as error:  # any failure means the editor should be told
        logger.warning("Media storage not answering: %s", type(error).__name__)
        answered = False
    _last_probe = (time.monotonic(), answered)
    return answered


class OutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        message = outage_message(exception)
        if message is None:
            return None
        logger.error("%s: %s (%s)", request.path, message, type(exception).__name__)
        return unavailable_response(request, message)

    def process_template_response(self, request: HttpRequest,
                                  response: TemplateResponse) -> TemplateResponse:
        if request.path_info.startswith(MEDIA_ADMIN_PREFIXES) and not storage_answers():
            messages.warning(request, STORAGE_NOTICE)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside its `except`, so the exception is at hand."""
    message = outage_message(sys.exc_info()[1])
    if message is not None:
        return unavailable_response(request, message)
    return defaults.server_error(request)
