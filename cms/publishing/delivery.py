"""Delivering outbox rows: the CMS's document cache first, then the renderer.

Order matters: a renderer told first would fetch the CMS's old copy again and keep
it for an hour.
"""

import logging

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
    """Act on one outbox row; True once it is delivered (now or before).

    Raises CacheUnavailable or RendererUnavailable while Redis or the renderer is down
    (retry later), RendererRejected when the renderer refuses the request itself."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None or row.delivered_at is not None:
        return True
    try:
        cache.bump(row.tags)
    except redis.RedisError as exc:
        _record_failure(row.pk, f"document cache: {type(exc).__name__}: {exc}")
        raise CacheUnavailable(str(exc)) from exc
    tags = renderer_tags.tags_for(row.tags)
    url = f"{settings.FRONTEND_URL}/api/revalidate"
    for start in range(0, len(tags), MAX_ITEMS):
        _post(url, tags[start:start + MAX_ITEMS], row.pk)
    RevalidationRequest.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(), last_error="", sent_tags=len(tags),
    )
    return True
