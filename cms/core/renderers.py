"""Which renderer (Next.js) serves a Wagtail Site: the one place the CMS asks.

Each Site's renderer base URL is its `RendererSettings.url` (Settings > Renderer in the
admin), or the FRONTEND_URL environment setting where that is blank. Preview, "view
live", revalidation, the admin's CSP and CSRF's trusted origins all read it from here.

The CMS sends REVALIDATE_SECRET to that URL and the admin trusts its origin, so an editor
chooses among origins the environment allows (RENDERER_ORIGINS, FRONTEND_URL's; in
development also localhost, *.localhost and 127.0.0.1), never any host: a URL set before its
origin left the list falls back to FRONTEND_URL.
"""

import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import Site

logger = logging.getLogger(__name__)

# A DNS name or IPv4 address, as browsers send it in Origin: letters, digits, hyphens, dots.
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def validate_renderer_url(value: str) -> None:
    """`http(s)://host[:port][/base/path]` whose origin the environment allows, nothing
    else; raises ValidationError saying what is wrong. Blank is valid (the field falls
    back to FRONTEND_URL)."""
    if not value:
        return
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise ValidationError("Enter a URL such as https://docs.example.com (%(error)s).",
                              params={"error": error}, code="invalid") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Enter an http:// or https:// URL with a host name, such as "
                              "https://docs.example.com.", code="invalid")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("The renderer URL cannot carry a user name or password.",
                              code="invalid")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise ValidationError("The renderer URL cannot have a query (?) or fragment (#): "
                              "only a base path such as /site.", code="invalid")
    if any(char.isspace() for char in value):
        raise ValidationError("The renderer URL cannot contain spaces.", code="invalid")
    if not _HOST_NAME.fullmatch(parts.hostname) or parts.netloc.lower() != (
            parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"):
        raise ValidationError("Enter the renderer's host name as letters, digits, hyphens "
                              "and dots, such as https://docs.example.com.", code="invalid")
    if parts.port == _DEFAULT_PORTS[parts.scheme]:
        raise ValidationError("Leave out the default port (%(port)s).",
                              params={"port": parts.port}, code="invalid")
    if not is_allowed(value):
        raise ValidationError(
            "%(origin)s is not one of the renderer origins this CMS may send its secret to; "
            "ask whoever runs it to add it to RENDERER_ORIGINS.",
            params={"origin": origin_of(value)}, code="not_allowed")


def is_allowed(url: str) -> bool:
    """Whether the origin of `url` is FRONTEND_URL's, in RENDERER_ORIGINS, or (in
    development) on localhost, a *.localhost name or 127.0.0.1."""
    origin = origin_of(url)
    if origin is None:
        return False
    if origin == origin_of(_fallback()) or origin in {
            origin_of(allowed) for allowed in settings.RENDERER_ORIGINS}:
        return True
    hostname = urlsplit(origin).hostname or ""
    return not settings.PRODUCTION and (hostname in ("localhost", "127.0.0.1")
                                        or hostname.endswith(".localhost"))


def renderer_url(site: Site | None) -> str:
    """The base URL of the renderer serving `site` (`https://host[:port][/base]`, no
    trailing slash): its RendererSettings.url, else FRONTEND_URL (also for None). One
    query."""
    return _fallback() if site is None else renderer_urls([site.pk])[site.pk]


def renderer_urls(site_ids: Iterable[int]) -> dict[int, str]:
    """`renderer_url` for many Sites at once, by Site id: one query."""
    ids = set(site_ids)
    chosen = dict(_settings_model().objects.filter(site_id__in=ids).exclude(url="")
                  .values_list("site_id", "url")) if ids else {}
    return {pk: _allowed_or_fallback(chosen[pk]) if pk in chosen else _fallback()
            for pk in ids}


def renderer_origins() -> set[str]:
    """The origin (`scheme://host[:port]`) of every renderer: FRONTEND_URL's and each
    Site's. One query."""
    urls = [_fallback(), *(_allowed_or_fallback(url) for url in
                           _settings_model().objects.exclude(url="").values_list("url", flat=True))]
    return {origin for url in urls if (origin := origin_of(url))}


def _settings_model() -> type[models.Model]:
    # By name, not by import: cms.core.models imports this module (its field's
    # validator), and the page mixins (cms.core.pages) that models build on call it.
    return apps.get_model("core", "RendererSettings")


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased as browsers send it; None if it has none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def _fallback() -> str:
    return settings.FRONTEND_URL.rstrip("/")


def _allowed_or_fallback(url: str) -> str:
    if is_allowed(url):
        return url.rstrip("/")
    logger.warning("Renderer URL %s is no longer among the allowed origins "
                   "(RENDERER_ORIGINS): using FRONTEND_URL", url)
    return _fallback()
