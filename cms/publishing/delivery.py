"""Delivering outbox rows: the CMS's document cache, then the renderer, then HTTP caches.

Order matters: each cache refills from the one behind it, so a cache told before the
one behind it would fetch the old copy again and keep it for an hour.
- the CMS's document cache drops the documents that show the row's names;
- the renderer (`POST /api/revalidate`) drops the entries whose tags show them: one
  renderer is told (FRONTEND_URL; in production the HTTP cache or a balancer in front of
  the renderers, which picks one that is up), and every instance sees it, as they share
  one cache in Redis (web/cache-handler.mjs);
- each HTTP cache in front of the renderer purges the same tags: Varnish by `xkey`
  (HTTP_CACHE_PURGE_URLS, infra/varnish), a CDN by URL through Wagtail's
  frontend_cache backends (WAGTAILFRONTENDCACHE).
"""

import logging
from urllib.parse import quote

import redis
import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from cms.api import cache
from cms.publishing import renderer_tags
from cms.publishing.models import RevalidationRequest

logger = logging.getLogger(__name__)

# The renderer's limits per request (the RevalidateRequest schema of /api/v2/schema/).
MAX_ITEMS = 1000


class RendererUnavailable(Exception):
    """The renderer did not take the request (refused, timed out, 5xx): retry later."""


class CacheUnavailable(Exception):
    """Redis did not take the document cache's drop: the renderer must wait for it."""


class HttpCacheUnavailable(Exception):
    """An HTTP cache did not take the purge (refused, timed out, not 200): retry later."""


class RendererRejected(Exception):
    """The renderer refused the request itself (401 secret, 400 body); retrying won't help."""


def _record_failure(row_id: int, error: str) -> None:
    RevalidationRequest.objects.filter(pk=row_id).update(
        attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=error[:2000]
    )


def _post(url: str, tags: list[str], row_id: int) -> None:
    try:
        response = requests.post(
            url, json={"tags": tags, "paths": []},
            headers={"Authorization": f"Bearer {settings.REVALIDATE_SECRET}"},
            timeout=(3.05, settings.REVALIDATE_TIMEOUT),
        )
    except requests.RequestException as exc:
        _record_failure(row_id, f"{url}: {type(exc).__name__}: {exc}")
        raise RendererUnavailable(str(exc)) from exc
    if response.status_code == 200:
        return
    if response.status_code == 401:
        _record_failure(row_id, f"{url}: 401, the renderer refused REVALIDATE_SECRET")
        raise RendererRejected(url)
    if 400 <= response.status_code < 500 and response.status_code not in (404, 408, 429):
        # 404: a renderer still starting (or an older one) may not route it yet: retry.
        _record_failure(row_id, f"{url}: HTTP {response.status_code}: {response.text[:200]}")
        raise RendererRejected(url)
    _record_failure(row_id, f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    raise RendererUnavailable(f"HTTP {response.status_code}")


def deliver(row_id: int) -> bool:
    """Act on one outbox row; True when this call delivered it, False if it already was.

    Raises CacheUnavailable or RendererUnavailable while Redis or the renderer is down
    (retry later), RendererRejected when the renderer refuses the request itself."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None or row.delivered_at is not None:
        return False
    try:
        cache.bump(row.tags)
    except redis.RedisError as exc:
        _record_failure(row.pk, f"document cache: {type(exc).__name__}: {exc}")
        raise CacheUnavailable(str(exc)) from exc
    tags = renderer_tags.tags_for(row.tags)
    send(tags, row.pk)
    RevalidationRequest.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(), last_error="", sent_tags=len(tags),
    )
    return True


def send(tags: list[str], row_id: int) -> None:
    """The renderer, then every HTTP cache in front of it, drop the entries with `tags`."""
    url = f"{settings.FRONTEND_URL}/api/revalidate"
    for start in range(0, len(tags), MAX_ITEMS):
        _post(url, tags[start:start + MAX_ITEMS], row_id)
    if tags:
        purge_http_caches(tags, row_id)


def send_again(row_id: int) -> int:
    """Send a delivered row's tags once more; returns how many.

    A page whose render began before the first delivery (its menu fetched before the
    change) is stored after it and would keep the old menu for an hour: the renderer
    marks an entry fresh by when it was stored, not by when its data was read. A second
    delivery, once such a render has finished, drops it too."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None:
        return 0
    tags = renderer_tags.tags_for(row.tags)
    send(tags, row.pk)
    return len(tags)


# Varnish refuses request headers longer than 8 KB by default (http_req_hdr_len).
MAX_PURGE_HEADER = 6000


def _header_batches(tags: list[str]) -> list[str]:
    """Space-separated tags, each percent-encoded as the renderer's `xkey` header has it
    (encodeURIComponent): header values are ASCII, paths need not be."""
    batches, current = [], ""
    for tag in (quote(tag, safe="-_.!~*'()") for tag in tags):
        if current and len(current) + 1 + len(tag) > MAX_PURGE_HEADER:
            batches.append(current)
            current = ""
        current = f"{current} {tag}".strip()
    return [*batches, current] if current else batches


def purge_http_caches(tags: list[str], row_id: int) -> None:
    """Purge `tags` from every HTTP cache in front of the renderer; raises
    HttpCacheUnavailable when one does not take it."""
    for url in settings.HTTP_CACHE_PURGE_URLS:
        for header in _header_batches(tags):
            try:
                response = requests.request(
                    "PURGE", url, headers={"X-Purge-Secret": settings.REVALIDATE_SECRET,
                                           "xkey-purge": header},
                    timeout=(3.05, settings.REVALIDATE_TIMEOUT))
            except requests.RequestException as exc:
                _record_failure(row_id, f"{url}: {type(exc).__name__}: {exc}")
                raise HttpCacheUnavailable(str(exc)) from exc
            if response.status_code != 200:
                _record_failure(row_id, f"{url}: PURGE answered {response.status_code}: "
                                        f"{response.text[:200]}")
                raise HttpCacheUnavailable(f"HTTP {response.status_code}")
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(cdn_urls(tags))


def cdn_urls(tags: list[str]) -> list[str]:
    """The public URLs a CDN keeps for these renderer tags, on every Site.

    A CDN purges by URL: `path:/x/` is /x/ (and the pages of its listing, which are
    their own entries), the menu is on every page the renderer has cached."""
    from wagtail.models import Site

    if renderer_tags.NAVIGATION in tags:
        tags = [*tags, *renderer_tags.all_path_tags()]
    paths = {tag.removeprefix("path:") for tag in tags if tag.startswith("path:")}
    if renderer_tags.SITEMAP in tags:
        paths.add("/sitemap.xml")
    roots = [site.root_url for site in Site.objects.all()]
    return sorted(f"{root}{path}" for root in roots for path in paths)
