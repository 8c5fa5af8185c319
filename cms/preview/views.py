"""GET /api/v2/page_preview/: the draft document behind a preview token, for the renderer.

The token travels in the `X-Preview-Token` header, not the query string, so access logs
(gunicorn, nginx) never record it; answers are `no-store` so no cache keeps a draft.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from wagtail.models import Site

from cms.api import documents
from cms.api.errors import APIError, BadRequest, json_response
from cms.api.sites import site_for_request
from cms.api.visibility import restricted_paths
from cms.preview.tokens import PreviewError, page_for_token

TOKEN_HEADER = "X-Preview-Token"
KNOWN_PARAMS = {"content_type", "site"}


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt  # read-only and token-checked: other methods get 405, not CSRF's 403
@require_safe
@never_cache
def page_preview(request: HttpRequest) -> HttpResponse:
    try:
        if "token" in request.GET:
            raise BadRequest(f"Send the token in the {TOKEN_HEADER} header, not the URL")
        unknown = sorted(set(request.GET) - KNOWN_PARAMS)
        if unknown:
            raise BadRequest(f"Unknown query parameters: {', '.join(unknown)}",
                             allowed=sorted(KNOWN_PARAMS))
        content_type = request.GET.get("content_type", "")
        token = request.headers.get(TOKEN_HEADER, "")
        try:
            page = page_for_token(content_type, token)
        except PreviewError as error:
            return _no_store(json_response({"message": str(error)}, status=error.status))
        site: Site | None = page.get_site() if page.url_path else None
        if site is None:
            site = site_for_request(request)
        document = documents.build(page, site, restricted_paths())
        document["meta"]["preview"] = True
        return _no_store(json_response(document))
    except APIError as error:
        return _no_store(error.response())
