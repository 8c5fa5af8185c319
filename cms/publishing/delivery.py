"""Delivering outbox rows: the CMS's document cache, then the renderer, then HTTP caches.

Order matters: each cache refills from the one behind it, so a cache told before the
one behind it would fetch the old copy again and keep it for an hour.
- the CMS's document cache drops the documents that show the row's names;
- each affected Site's renderer (`POST <renderer_url>/api/revalidate`,
  `cms.core.renderers`) drops that Site's entries whose tags show them, one request per
  distinct renderer URL (Sites sharing a renderer share the request): one renderer
  instance is told (in production the HTTP cache or a balancer in front of the
  renderers, which picks one that is up), and every instance sees it, as they share one
  cache in Redis (web/cache-handler.mjs);
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
from wagtail.models import Site

from cms.api import cache
from cms.core.renderers import renderer_urls
from cms.monitoring.delivery import observed
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
        with observed("renderer", url) as attempt:
            response = requests.post(
                url, json={"tags": tags, "paths": []},
                headers={"Authorization": f"Bearer {settings.REVALIDATE_SECRET}"},
                timeout=(3.05, settings.REVALIDATE_TIMEOUT),
            )
            attempt.status = response.status_code
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

    Raises CacheUnavailable or RendererUnavailable while Redis or a renderer is down
    (retry later: renderers already told are told again, which is harmless),
    RendererRejected when a renderer refuses the request itself."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None or row.delivered_at is not None:
        return False
    try:
        cache.bump(row.tags)
    except redis.RedisError as exc:
        _record_failure(row.pk, f"document cache: {type(exc).__name__}: {exc}")
        raise CacheUnavailable(str(exc)) from exc
    by_site = renderer_tags.tags_by_site(row.tags)
    send(by_site, row.pk)
    RevalidationRequest.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(), last_error="", sent_tags=_count(by_site),
    )
    return True


def _count(by_site: dict[int, list[str]]) -> int:
    return sum(len(tags) for tags in by_site.values())


def send(by_site: dict[int, list[str]], row_id: int) -> None:
    """Each Site's renderer, then every HTTP cache in front of them, drop the entries
    with the Site's tags (`renderer_tags.tags_by_site`)."""
    by_url: dict[str, set[str]] = {}
    for site_id, url in renderer_urls(by_site).items():
        by_url.setdefault(url, set()).update(by_site[site_id])
    for url, url_tags in sorted(by_url.items()):
        tags = sorted(url_tags)
        for start in range(0, len(tags), MAX_ITEMS):
            _post(f"{url}/api/revalidate", tags[start:start + MAX_ITEMS], row_id)
    if any(by_site.values()):
        purge_http_caches(by_site, row_id)


def send_again(row_id: int) -> int:
    """Send a delivered row's tags once more; returns how many.

    A page whose render began before the first delivery (its menu fetched before the
    change) is stored after it and would keep the old menu for an hour: the renderer
    marks an entry fresh by when it was stored, not by when its data was read. A second
    delivery, once such a render has finished, drops it too."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None:
        return 0
    by_site = renderer_tags.tags_by_site(row.tags)
    send(by_site, row.pk)
    return _count(by_site)


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


def purge_http_caches(by_site: dict[int, list[str]], row_id: int) -> None:
    """Purge each Site's tags from every HTTP cache in front of the renderers; raises
    HttpCacheUnavailable when one does not take it.

    Varnish gets the qualified tags as they are (its hash holds the Host, and an entry's
    `xkey` its qualified tags, so `docs.example.com|path:/` drops the docs Site's entry
    only); a CDN gets each Site's URLs (`cdn_urls`)."""
    tags = sorted({tag for site_tags in by_site.values() for tag in site_tags})
    for url in settings.HTTP_CACHE_PURGE_URLS:
        for header in _header_batches(tags):
            try:
                with observed("http_cache", url) as attempt:
                    response = requests.request(
                        "PURGE", url, headers={"X-Purge-Secret": settings.REVALIDATE_SECRET,
                                               "xkey-purge": header},
                        timeout=(3.05, settings.REVALIDATE_TIMEOUT))
                    attempt.status = response.status_code
            except requests.RequestException as exc:
                _record_failure(row_id, f"{url}: {type(exc).__name__}: {exc}")
                raise HttpCacheUnavailable(str(exc)) from exc
            if response.status_code != 200:
                _record_failure(row_id, f"{url}: PURGE answered {response.status_code}: "
                                        f"{response.text[:200]}")
                raise HttpCacheUnavailable(f"HTTP {response.status_code}")
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        urls: list[str] = []
        for site in Site.objects.filter(pk__in=by_site):
            urls.extend(cdn_urls(by_site[site.pk], site))
        purge_urls_from_cache(urls)


def cdn_urls(tags: list[str], site: Site) -> list[str]:
    """The public URLs a CDN keeps for these renderer tags of `site`, on its root URL.

    A CDN purges by URL: `path:/x/` is /x/ (and the pages of its listing, which are
    their own entries), the menu is on every page the renderer has cached for the Site."""
    bare = {renderer_tags.bare(tag) for tag in tags}
    if renderer_tags.NAVIGATION in bare:
        bare |= {renderer_tags.bare(tag) for tag in renderer_tags.path_tags(site.pk)}
    paths = {tag.removeprefix(renderer_tags.PATH_PREFIX) for tag in bare
             if tag.startswith(renderer_tags.PATH_PREFIX)}
    if renderer_tags.SITEMAP in bare:
        paths.add("/sitemap.xml")
    return sorted(f"{site.root_url}{path}" for path in paths)
