"""503 with Retry-After, not 500, when the database cannot be reached or times out.

The API answers JSON like its other errors; everything else (the admin) a short HTML
page built without the database. Exceptions raised by views arrive through the
middleware; those raised elsewhere (other middleware) through `handler500`.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = "The CMS cannot reach its database right now; try again in a minute."


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"message": MESSAGE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"message": MESSAGE}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_database_outage(error: BaseException | None) -> bool:
    # OperationalError covers refused and timed-out connections and cancelled statements
    # (statement_timeout); InterfaceError a connection that closed under us.
    return isinstance(error, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: object) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)  # type: ignore[operator]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.error("Database unavailable for %s: %s", request.path, type(exception).__name__)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside its `except`, so the exception is at hand."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
