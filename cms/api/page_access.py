"""Password-protected pages through the site (Wagtail's password page view restrictions).

The renderer shares no session with the CMS, so passing a restriction earns a signed
token instead of a session entry:

- `POST /api/v2/page_access/` with `{"restriction_id": int, "password": str}` checks
  the password with Wagtail's own form, throttled per restriction and per IP as
  Wagtail's password form is (django-axes, cms.lockout), and answers
  `{"token": str, "max_age": seconds}`; 401 with `errors.password` for a wrong one,
  400 for malformed input, 404 for an unknown restriction, 429 while locked out.
- by-path, for a page that only password restrictions keep private, answers 401
  `{"message", "password_required": {"restriction_id", "html_path"}}` (no content),
  or, given tokens for every such restriction in `X-Page-Access` (comma-separated),
  the page with `Cache-Control: private, no-store`, never from or into a cache.

A token holds the restriction's id and a digest of its password: changing the
password ends every token given for the old one; otherwise it lasts
PAGE_ACCESS_SECONDS. Login and group restrictions stay out of reach (404).
"""

import json
from dataclasses import dataclass
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from rest_framework.request import Request
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from cms.api.adapters import INTEGER, STRING, obj, ref
from cms.api.errors import json_response
from cms.api.requests import ERROR, PostAPIViewSet, Schema, answer
from cms.lockout.views import page_restriction_credentials

HEADER = "HTTP_X_PAGE_ACCESS"  # by-path reads the tokens from it (cms.api.by_path)
SALT = "mortar.page-access"
# Tokens read from one header at most (a visitor passes a handful of restrictions), and
# the header's length: 20 tokens of about 80 characters.
MAX_TOKENS = 20
MAX_HEADER_LENGTH = 2000
MAX_BODY_BYTES = 4096
MAX_PASSWORD_LENGTH = 1000


@dataclass(frozen=True)
class Protected:
    page: Page  # the specific page asked for, as routing found it
    restrictions: list[PageViewRestriction]  # the password restrictions on it, outermost first


def protection(page: Page) -> Protected | None:
    """The password restrictions on `page` (routed, live) when they alone keep it private."""
    ancestors = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    restrictions = list(PageViewRestriction.objects.filter(page__path__in=ancestors)
                        .select_related("page").order_by("page__depth"))
    if not restrictions or any(r.restriction_type != PageViewRestriction.PASSWORD
                               for r in restrictions):
        return None
    return Protected(page, restrictions)


def _digest(restriction: PageViewRestriction) -> str:
    return salted_hmac(SALT, restriction.password).hexdigest()[:20]


def token_for(restriction: PageViewRestriction) -> str:
    return signing.dumps([restriction.pk, _digest(restriction)], salt=SALT)


def _passed(request: HttpRequest) -> set[tuple[int, str]]:
    passed: set[tuple[int, str]] = set()
    for token in request.META.get(HEADER, "").split(",")[:MAX_TOKENS]:
        try:
            pk, digest = signing.loads(token.strip(), salt=SALT,
                                       max_age=settings.PAGE_ACCESS_SECONDS)
        except (signing.BadSignature, TypeError, ValueError):
            continue  # expired, forged or malformed: as if absent
        passed.add((pk, digest))
    return passed


def first_unpassed(protected: Protected, request: HttpRequest) -> PageViewRestriction | None:
    """The outermost restriction the request holds no valid token for, if any."""
    passed = _passed(request) if request.META.get(HEADER) else set()
    return next((r for r in protected.restrictions if (r.pk, _digest(r)) not in passed), None)


def _error(status: int, message: str, **extra: Any) -> HttpResponse:
    return json_response({"message": message, **extra}, status=status)


def _read(request: HttpRequest) -> tuple[int, str] | HttpResponse:
    """The restriction id and password of the body, or the 4xx answer saying what is wrong."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES:
        return _error(413, f"The body is longer than {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return _error(400, "The body must be JSON: {\"restriction_id\": 1, \"password\": \"…\"}")
    if not isinstance(body, dict):
        return _error(400, "The body must be a JSON object")
    restriction_id, password = body.get("restriction_id"), body.get("password")
    if isinstance(restriction_id, float) and restriction_id.is_integer():
        restriction_id = int(restriction_id)  # JSON has one number type: 3.0 is 3
    if isinstance(restriction_id, bool) or not isinstance(restriction_id, int) \
            or not 1 <= restriction_id <= 2**31 - 1:
        return _error(400, "restriction_id must be a positive whole number")
    if not isinstance(password, str) or not password:
        return _error(400, "password is required", errors={"password": ["Enter the password."]})
    if len(password) > MAX_PASSWORD_LENGTH or "\x00" in password:
        return _error(400, "password is not a password this page could have",
                      errors={"password": ["The password you have entered is not correct."]})
    return restriction_id, password


def page_access(request: HttpRequest) -> HttpResponse:
    """The answer to `POST /api/v2/page_access/`: a token, or the 4xx saying why not."""
    read = _read(request)
    if isinstance(read, HttpResponse):
        return read
    restriction_id, password = read
    restriction = PageViewRestriction.objects.filter(
        pk=restriction_id, restriction_type=PageViewRestriction.PASSWORD).first()
    if restriction is None:
        return _error(404, f"No password restriction {restriction_id}")
    credentials = page_restriction_credentials(restriction.pk)
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _locked_out()
    form = PasswordViewRestrictionForm({"password": password, "return_url": "/"},
                                       instance=restriction)
    if not form.is_valid():
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            # Answered here, in JSON: Axes's middleware would replace it with its HTML page.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            return _locked_out()
        errors = [str(error) for error in form.errors["password"]]
        return _error(401, "Wrong password", errors={"password": errors})
    return json_response({"token": token_for(restriction),
                          "max_age": settings.PAGE_ACCESS_SECONDS})


def _locked_out() -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = _error(429, "Too many wrong passwords: try again later.")
    response["Retry-After"] = str(seconds)
    return response


class PageAccessAPIViewSet(PostAPIViewSet):
    """`POST /api/v2/page_access/`, a viewset on the router like every other endpoint."""

    def root_view(self, request: Request) -> HttpResponse:
        return page_access(request._request)

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        components.update({
            "PageAccessRequest": obj({
                "restriction_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                "password": {"type": "string", "minLength": 1,
                             "maxLength": MAX_PASSWORD_LENGTH, "pattern": "^[^\u0000]*$"}}),
            "PageAccess": obj({"token": STRING, "max_age": INTEGER},
                              description="Send `token` in `X-Page-Access` (comma-separated) "
                                          "to see the page; valid `max_age` seconds."),
        })
        return {"post": {
            "operationId": "pageAccess",
            "summary": "A token opening a password-protected page, for the right password",
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": ref("PageAccessRequest")}}},
            "responses": {
                "200": answer(ref("PageAccess"), "The password is right"),
                "400": answer(ERROR, "Bad input"),
                "401": answer(ERROR, "Wrong password (`errors.password`)"),
                "404": answer(ERROR, "No such password restriction"),
                "413": answer(ERROR, "Body too large"),
                "429": answer(ERROR, "Too many wrong passwords (Retry-After)"),
            },
        }}
