"""The failures an API caller can act on, and the one place they become 4xx JSON."""

from typing import Any

import orjson
from django.http import HttpResponse
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class APIError(Exception):
    status = 400

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def response(self) -> HttpResponse:
        return json_response({"message": self.message, **self.extra}, status=self.status)


class BadRequest(APIError):
    status = 400


class NotFound(APIError):
    status = 404


def json_response(data: Any, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        orjson.dumps(data), status=status, content_type="application/json"
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Wagtail's stock endpoints answering {"message": ...} like ours."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"message": str(response.data["detail"])}
    return response
