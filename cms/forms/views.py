"""`POST /api/v2/forms/<page_id>/submissions/`: a visitor's submission of a form page.

The renderer posts it server side (web/lib/forms.ts). The body is a JSON object
`{field name: value}` (a string, number, boolean, null or a list of strings) or an
HTML form's `application/x-www-form-urlencoded` / `multipart/form-data`. In order:

1. a Content-Length over FORM_SUBMISSION_MAX_BYTES: 413;
2. no live, public (cms.api.visibility) form page with that id in the request's site
   (`?site=`, else the Host header): 404, whatever it is;
3. the visitor's address (`visitor_ip`) sent more than FORM_SUBMISSION_RATE: 429 with
   Retry-After, counted in the Django cache (Redis) by django-ratelimit;
4. a body that is neither a JSON object nor form data: 400 (415 for another type);
5. the honeypot field (cms.forms.schema.HONEYPOT_FIELD) filled: 400, nothing stored;
6. Wagtail's own form for the page (`page.get_form`) validates: 400
   `{"message", "errors": {name: [messages]}}`, or the submission is stored through
   `page.process_form_submission` (the admin's Forms lists it) and the answer is 201
   `{"message", "thank_you_text"}` (HTML, as in the page document).

Fields the form does not have are ignored, so a renderer drawing an older schema still
posts. Answers are never cached (`no-store`).
"""

import ipaddress
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from django.urls import path as url_path
from django_ratelimit.core import get_usage
from rest_framework.request import Request
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import Page, Site

from cms.api import representation
from cms.api.adapters import Refs, Resolver
from cms.api.errors import APIError, BadRequest, NotFound, json_response
from cms.api.requests import (
    SITE,
    Parameter,
    PostAPIViewSet,
    answer,
    from_renderer,
    site_for_request,
)
from cms.api.visibility import restricted_paths, visible_pages
from cms.forms.schema import HONEYPOT_FIELD
from cms.lockout.client import client_ip

# The visitor's address, as the renderer (which holds REVALIDATE_SECRET) saw it.
VISITOR_IP_HEADER = "HTTP_X_MORTAR_VISITOR_IP"
RATE_GROUP = "mortar-form-submissions"
MAX_PAGE_ID = 2**31 - 1
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SUBMITTED = "Thank you: your submission was received."


def visitor_ip(request: HttpRequest) -> str:
    """Whose submission it is: the address the renderer names in X-Mortar-Visitor-IP when
    the request carries the renderer's credentials (`Authorization: Bearer
    REVALIDATE_SECRET`), which no visitor holds; else the client's (cms.lockout.client:
    the last X-Forwarded-For entry behind nginx, the peer otherwise)."""
    named = request.META.get(VISITOR_IP_HEADER, "").strip()
    if named and from_renderer(request):
        try:
            return str(ipaddress.ip_address(named))
        except ValueError:
            pass
    return client_ip(request)


def _rate_key(group: str, request: HttpRequest) -> str:
    return visitor_ip(request)


def _error(status: int, message: str, **extra: Any) -> HttpResponse:
    return json_response({"message": message, **extra}, status=status,
                         Cache_Control="no-store")


class TooLarge(APIError):
    status = 413

    def __init__(self) -> None:
        super().__init__(f"The body is longer than {settings.FORM_SUBMISSION_MAX_BYTES} bytes")


class UnsupportedMediaType(APIError):
    status = 415


def _clean_text(value: str) -> bool:
    """Text PostgreSQL can store: no lone surrogates (JSON's "\\ud800"); NUL is Django's
    CharField's to refuse."""
    return not any("\ud800" <= ch <= "\udfff" for ch in value)


def _from_json(body: dict[str, Any], names: list[str]) -> tuple[QueryDict, dict[str, list[str]]]:
    """The form's fields of a JSON body as form data (a QueryDict, what Wagtail's form
    reads), and the errors of values no form field could take."""
    data = QueryDict(mutable=True)
    errors: dict[str, list[str]] = {}
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        strings: list[str] = []
        for item in items:
            if isinstance(item, bool):
                strings.append("true" if item else "false")
            elif isinstance(item, int | float):
                strings.append(str(item))
            elif isinstance(item, str) and _clean_text(item):
                strings.append(item)
            else:
                errors[name] = ["Enter text, a number, true or false, or a list of texts."]
                break
        data.setlist(name, strings)
    return data, errors


def _read(request: HttpRequest, names: list[str]) -> tuple[QueryDict, dict[str, list[str]]]:
    """The submitted data. Raises BadRequest, TooLarge or UnsupportedMediaType for a body
    it cannot read."""
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        try:
            return request.POST, {}
        except RequestDataTooBig:
            raise TooLarge() from None
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            raise BadRequest("The form data cannot be read") from None
    if content_type not in ("application/json", ""):
        raise UnsupportedMediaType("Send the submission as JSON or as form data")
    try:
        body = json.loads(request.body or b"null")
    except RequestDataTooBig:
        raise TooLarge() from None
    except (ValueError, RecursionError):
        raise BadRequest('The body must be JSON: {"field name": "value", ...}') from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object: {\"field name\": \"value\", ...}")
    return _from_json(body, names)


def _form_page(request: HttpRequest, page_id: str) -> tuple[Any, Site]:
    """The live, public form page `page_id` of the request's site, and the site. Raises
    NotFound (or BadRequest for a malformed `?site=`)."""
    site = site_for_request(request)
    page = None
    if page_id.isascii() and page_id.isdigit() and len(page_id) <= 10 \
            and 1 <= int(page_id) <= MAX_PAGE_ID:
        page = (visible_pages(Page.objects.filter(pk=int(page_id)), site=site)
                .specific().first())
    if not isinstance(page, FormMixin):
        raise NotFound(f"No form at page {page_id[:20]!r}")
    return page, site


def _thank_you_html(page: Any, site: Any) -> str:
    """The thank-you text as the page document shows it (links as site paths)."""
    if not hasattr(page, "thank_you_text"):
        return ""
    refs = Refs()
    representation.collect_fields(page, ["thank_you_text"], refs)
    resolver = Resolver(site, restricted_paths())
    resolver.load(refs)
    return representation.represent_fields(page, ["thank_you_text"], resolver)["thank_you_text"]


def _submit(request: HttpRequest, page_id: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = settings.FORM_SUBMISSION_MAX_BYTES + 1
    if length > settings.FORM_SUBMISSION_MAX_BYTES:
        raise TooLarge()
    page, site = _form_page(request, page_id)

    usage = get_usage(request, group=RATE_GROUP, key=_rate_key,
                      rate=settings.FORM_SUBMISSION_RATE, method="POST", increment=True)
    if usage is not None and usage["should_limit"]:
        response = _error(429, "Too many submissions: try again later.")
        response["Retry-After"] = str(max(1, int(usage["time_left"])))
        return response

    form_fields = list(page.get_form_fields())
    names = [field.clean_name or field.get_field_clean_name() for field in form_fields]
    data, errors = _read(request, [*names, HONEYPOT_FIELD])
    if any(value.strip() for value in data.getlist(HONEYPOT_FIELD)):
        return _error(400, "The submission was refused.",
                      errors={"__all__": ["The submission was refused."]})
    form = page.get_form(data, page=page, user=None)
    if errors or not form.is_valid():
        errors = {**{name: [str(message) for message in messages]
                     for name, messages in form.errors.items()}, **errors}
        return _error(400, "Check the fields: some are missing or wrong.", errors=errors)
    page.process_form_submission(form)
    return json_response(
        {"message": SUBMITTED, "thank_you_text": _thank_you_html(page, site)},
        status=201, Cache_Control="no-store")


class FormSubmissionsAPIViewSet(PostAPIViewSet):
    """`POST /api/v2/forms/<page_id>/submissions/`, on the router as every endpoint."""

    parameters = (
        Parameter("page_id", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_ID},
                  location="path", required=True),
        SITE,
    )
    def http_method_not_allowed(self, request: Request, *args: Any,
                                **kwargs: Any) -> HttpResponse:
        response = _error(405, "POST a submission here")
        response["Allow"] = "POST"
        return response

    def finalize_response(self, request: Request, response: HttpResponse, *args: Any,
                          **kwargs: Any) -> HttpResponse:
        # Errors included: no answer of this endpoint may be kept by a cache.
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def root_view(self, request: Request, page_id: str) -> HttpResponse:
        return _submit(request._request, page_id)

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [url_path("<str:page_id>/submissions/", cls.as_view({"post": "root_view"}),
                         name="submissions")]

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Any]) -> dict[str, Any]:
        components.update(openapi_schemas())
        return {f"{url}{{page_id}}/submissions/": cls.openapi_operation(components)}

    @classmethod
    def openapi_operation(cls, components: dict[str, Any]) -> dict[str, Any]:
        def response(name: str, description: str) -> dict[str, Any]:
            return answer({"$ref": f"#/components/schemas/{name}"}, description)

        value = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                           {"type": "null"}, {"type": "array", "items": {"type": "string"}}]}
        return {"post": {
            "operationId": "formSubmission",
            "summary": "Submit a form page's form (fields as its document's `form.fields` "
                       "names)",
            "parameters": cls.openapi_parameters(),
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"type": "object",
                                                "additionalProperties": value}},
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "additionalProperties": {"type": "string"}}},
            }},
            "responses": {
                "201": response("FormSubmitted", "Stored; the notification email is queued"),
                "400": response("FormErrors",
                                "Bad body, a field's value refused, or the honeypot"),
                "404": response("Error", "No live, public form page with this id in the site"),
                "413": response("Error", "Body too large"),
                "415": response("Error", "Neither JSON nor form data"),
                "429": response("Error",
                                "Too many submissions from this address (Retry-After)"),
            },
        }}


def openapi_schemas() -> dict[str, Any]:
    """The endpoint's components of the OpenAPI document (the form's own are registered
    by cms.forms.schema)."""
    string = {"type": "string"}
    return {
        "FormSubmitted": {"type": "object", "required": ["message", "thank_you_text"],
                          "properties": {"message": string, "thank_you_text": {
                              **string, "description": "HTML, as in the page document"}}},
        "FormErrors": {"type": "object", "required": ["message"], "properties": {
            "message": string,
            "errors": {"type": "object", "description":
                       "Field name (or __all__) to its messages",
                       "additionalProperties": {"type": "array", "items": string}}}},
    }
