"""Which renderer (Next.js) serves a Wagtail Site: the one place the CMS asks.

Each Site's renderer base URL is its `RendererSettings.url` (Settings > Renderer in the
admin), or the FRONTEND_URL environment setting where that is blank. Preview, "view
live", revalidation, the admin's CSP and CSRF's trusted origins all read it from here.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.models import Site


def validate_renderer_url(value: str) -> None:
    """`http(s)://host[:port][/base/path]`, nothing else; raises ValidationError saying
    what is wrong. Blank is valid (the field falls back to FRONTEND_URL)."""
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


def renderer_url(site: Site | None) -> str:
    """The base URL of the renderer serving `site` (`https://host[:port][/base]`, no
    trailing slash): its RendererSettings.url, else FRONTEND_URL (also for None). One
    query."""
    return _fallback() if site is None else renderer_urls([site.pk])[site.pk]


def renderer_urls(site_ids: Iterable[int]) -> dict[int, str]:
    """`renderer_url` for many Sites at once, by Site id: one query."""
    from cms.core.models import RendererSettings

    ids = set(site_ids)
    chosen = dict(RendererSettings.objects.filter(site_id__in=ids).exclude(url="")
                  .values_list("site_id", "url")) if ids else {}
    return {pk: chosen[pk].rstrip("/") if pk in chosen else _fallback() for pk in ids}


def renderer_origins() -> set[str]:
    """The origin (`scheme://host[:port]`) of every renderer: FRONTEND_URL's and each
    Site's. One query."""
    from cms.core.models import RendererSettings

    urls = [_fallback(), *RendererSettings.objects.exclude(url="").values_list("url", flat=True)]
    return {origin for url in urls if (origin := origin_of(url))}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased as browsers send it; None if it has none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def _fallback() -> str:
    return settings.FRONTEND_URL.rstrip("/")
