"""Where the userbar's links, scripts and messages go: the admin as the editor's browser
addresses it, which the request the userbar is rendered for may not show (the renderer
asks the CMS on its internal address)."""

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.http import HttpRequest
from wagtail.admin.utils import get_admin_base_url

from cms.api.errors import BadRequest
from cms.core.renderers import origin_of

ORIGIN = re.compile(r"^https?://[a-z0-9.-]{1,253}(:[0-9]{1,5})?$")


def admin_origin() -> str:
    """The origin of WAGTAILADMIN_BASE_URL, where editors sign in to the admin."""
    return origin_of(get_admin_base_url() or "") or ""


def checked_origin(raw: str | None) -> str | None:
    """An `origin` parameter (`scheme://host[:port]`, lower case), or None if not given;
    BadRequest for anything else."""
    if raw is None:
        return None
    if not ORIGIN.fullmatch(raw):
        raise BadRequest("origin must be scheme://host[:port], such as https://www.example.com")
    return raw


def signed_in_admin(site_origin: str | None) -> str:
    """The admin an editor looking at the site at `site_origin` is signed in to.

    Their session cookie reached the site, and cookies go by host name, not port: a site
    on WAGTAILADMIN_BASE_URL's host name (`make dev`: localhost:3000 and localhost:8000)
    means that admin; a site on another host name has the admin at its own origin, where
    nginx serves /admin/ (one origin in production)."""
    base = admin_origin()
    if site_origin and urlsplit(site_origin).hostname != urlsplit(base).hostname:
        return site_origin
    return base


class AddressedRequest:
    """`request` as if the browser had sent it to `origin`: Wagtail's userbar builds its
    absolute URLs (`build_absolute_url`) and its messaging origin from the request's host.
    Everything else (the user, permissions, the session) is the request's own."""

    def __init__(self, request: HttpRequest, origin: str, **attributes: Any) -> None:
        self._request = request
        self._origin = origin
        for name, value in attributes.items():
            setattr(self, name, value)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def get_host(self) -> str:
        return urlsplit(self._origin).netloc

    def build_absolute_uri(self, location: str | None = None) -> str:
        return urljoin(self._origin + "/", location or "")
