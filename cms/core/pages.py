"""The mixins page models inherit: headless serving, preview and sub-routes.

They live here, in the app every page type builds on, because each page type's
migration records the import path of its bases (`bases=(cms.core.pages.PreviewMixin,
...)`): a mixin kept with the API or the preview endpoint would tie every site's
migrations to where that code happens to sit. Their old homes (`cms.preview.tokens`,
`cms.api.routes`) re-export them, for the migrations already written.

- `PreviewMixin` (in `cms.core.models.BasePage`): wagtail-headless-preview's
  `HeadlessMixin` whose token lookup checks the token's age as well as its signature,
  and whose preview, "view live" and serving go to the renderer of the page's Site.
- `HeadlessRoutablePageMixin`: Wagtail's `RoutablePageMixin` for pages whose sub-routes
  answer a `RouteAnswer` (turned into JSON by `cms.api.by_path.route`).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, Site
from wagtail_headless_preview.models import HeadlessMixin, PagePreview

from cms.core.renderers import renderer_url, renderer_urls

# Preview tokens are signed by wagtail-headless-preview (`id=<pk>` or
# `parent_id=<pk>;page_type=<label>`, with a TimestampSigner), which never passes
# `max_age` when it unsigns: a leaked token would work forever. Every lookup goes
# through `load_preview`, which refuses forged and expired tokens.


class PreviewError(Exception):
    """A preview that cannot be shown; `status` is the HTTP status the API answers."""

    status = 400


class PreviewTokenInvalid(PreviewError):
    status = 401


class PreviewTokenExpired(PreviewError):
    status = 401


class PreviewNotFound(PreviewError):
    status = 404


def max_age() -> int:
    """How long a preview token is good for, in seconds (PREVIEW_TOKEN_MAX_AGE, 1 hour)."""
    return int(getattr(settings, "PREVIEW_TOKEN_MAX_AGE", 60 * 60))


def check_token(model_class: type[Page], token: str) -> str:
    """The signed identifier, if the token was signed by us less than max_age() seconds ago.

    Raises PreviewTokenExpired or PreviewTokenInvalid."""
    signer = model_class.get_preview_signer()  # type: ignore[attr-defined]
    try:
        return signer.unsign(token, max_age=max_age())
    except SignatureExpired as error:
        raise PreviewTokenExpired("Preview token expired; press Preview again") from error
    except BadSignature as error:
        raise PreviewTokenInvalid("Invalid preview token") from error


def load_preview(model_class: type[Page], token: str) -> Page:
    """The draft stored under a valid token, with tree fields a new page lacks filled in.

    Raises PreviewTokenExpired or PreviewTokenInvalid (see `check_token`), or
    PreviewNotFound when no draft is stored or its page is gone."""
    identifier = check_token(model_class, token)
    preview = (PagePreview.objects
               .filter(token=token, content_type=ContentType.objects.get_for_model(model_class))
               .first())
    if preview is None:
        raise PreviewNotFound("No preview stored for this token")
    if not _still_in_tree(identifier):
        # PagePreview rows outlive the page: its draft must not be shown once it is deleted.
        raise PreviewNotFound("The previewed page has been deleted")
    page = preview.as_page()
    if not page.url_path or page.locale_id is None:
        parent = _parent(page, identifier)
        if parent is not None:
            page.url_path = page.url_path or f"{parent.url_path}{page.slug or 'preview'}/"
            page.locale_id = page.locale_id or parent.locale_id
    return page


def _identified(identifier: str) -> dict[str, str]:
    """`id=12` or `parent_id=3;page_type=app.model`, as the package signs them, as a dict."""
    return dict(part.split("=", 1) for part in identifier.split(";") if "=" in part)


def _still_in_tree(identifier: str) -> bool:
    """The previewed page, or for a page never saved its parent, still exists."""
    fields = _identified(identifier)
    pk = fields.get("id") or fields.get("parent_id") or ""
    return pk.isdigit() and Page.objects.filter(pk=int(pk)).exists()


def _parent(page: Page, identifier: str) -> Page | None:
    """The parent of a page previewed before its first save, from the signed identifier."""
    fields = _identified(identifier)
    parent_id = fields.get("parent_id", "")
    if parent_id.isdigit():
        return Page.objects.filter(pk=int(parent_id)).first()
    if page.path:
        return Page.objects.filter(path=page.path[: -Page.steplen]).first()
    return None


def _renderer_urls(request: HttpRequest | None) -> dict[int, str]:
    """Renderer URLs by Site id, remembered on the request (a listing asks for many pages'
    URLs), or a new dict without one."""
    if request is None:
        return {}
    if not hasattr(request, "_mortar_renderer_urls"):
        request._mortar_renderer_urls = {}  # type: ignore[attr-defined]
    return request._mortar_renderer_urls  # type: ignore[attr-defined]


class PreviewMixin(HeadlessMixin):
    """HeadlessMixin whose token lookup also checks the token's age, and whose preview
    and "view live" open the renderer of the page's own Site (use in BasePage)."""

    def renderer_site(self, request: HttpRequest | None = None) -> Site | None:
        """The page's Site; a page previewed before its first save has its parent's;
        else the request's."""
        site = self.get_site() if self.url_path else None  # type: ignore[attr-defined]
        if site is None and self.path:  # type: ignore[attr-defined]
            parent = self.get_parent()  # type: ignore[attr-defined]
            site = parent.get_site() if parent is not None else None
        if site is None and request is not None:
            site = Site.find_for_request(request)
        return site

    def get_client_root_url(self, request: HttpRequest) -> str:
        """The preview route of the page's Site's renderer (`<renderer_url>/api/preview`),
        where wagtail-headless-preview sends the preview panel."""
        return f"{renderer_url(self.renderer_site(request))}/api/preview"

    def get_preview_url(self, request: HttpRequest, token: str) -> str:
        """The renderer's preview route for this draft: `?content_type=&token=`, and
        `in_preview_panel=true` in the page editor's panel, where the renderer hides the
        userbar that runs the content checks."""
        query = {"content_type": self.get_content_type_str(), "token": token}  # type: ignore[attr-defined]
        if getattr(request, "in_preview_panel", False):
            query["in_preview_panel"] = "true"
        return f"{self.get_client_root_url(request)}?{urlencode(query)}"

    def get_url_parts(self, request: HttpRequest | None = None) -> Any:
        """Wagtail's (site id, root URL, path), with the Site's renderer URL as the root:
        the page's full URL ("Live" in the page header, "View live") is where visitors
        see it, not the Site's host name and port in the CMS."""
        parts = super().get_url_parts(request)  # type: ignore[misc]
        if parts is None or parts[1] is None:
            return parts
        site_id, _root_url, page_path = parts
        known = _renderer_urls(request)
        if site_id not in known:
            known[site_id] = renderer_urls([site_id])[site_id]
        return site_id, known[site_id], page_path

    def serve(self, request: HttpRequest) -> HttpResponse:
        """A visitor of the page's CMS URL goes to it on its Site's renderer."""
        _, _, relative_url = self.get_url_parts(request)  # type: ignore[attr-defined]
        return redirect(f"{renderer_url(self.renderer_site(request))}{relative_url}")

    @classmethod
    def get_page_from_preview_token(cls, token: str) -> Page | None:
        try:
            return load_preview(cls, token)  # type: ignore[arg-type]
        except PreviewNotFound:
            return None


@dataclass(frozen=True)
class RouteAnswer:
    """The page's document, showing page `listing_page` of its listings; or, with
    `redirect_to`, a redirect to that address below the page ("" for the page itself)."""

    listing_page: int = 1
    redirect_to: str | None = None
    permanent: bool = True


class HeadlessRoutablePageMixin(RoutablePageMixin):
    """RoutablePageMixin for headless pages: the page's own address answers its document,
    sub-routes (`@path("page/<int:number>/")`) answer a RouteAnswer, and visitors who
    reach such an address on the CMS itself are sent to the renderer at the same address,
    as for the page's own."""

    @path("")
    def index_route(self, request: HttpRequest, *args: Any, **kwargs: Any) -> RouteAnswer:
        return RouteAnswer()

    def serve(self, request: HttpRequest, view: Any = None, args: Any = None,
              kwargs: Any = None) -> HttpResponse:
        # The next serve() is HeadlessServeMixin's: a redirect to the page on the renderer.
        response = super(RoutablePageMixin, self).serve(request)
        match = getattr(request, "routable_resolver_match", None)
        if view is not None and match is not None and response.has_header("Location"):
            subpath = self.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
            response["Location"] = response["Location"].rstrip("/") + "/" + subpath
        return response
