"""Delivering outbox rows to the renderer's `POST /api/revalidate`."""

import logging

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from cms.publishing.models import RevalidationRequest

logger = logging.getLogger(__name__)


class RendererUnavailable(Exception):
    """The renderer did not take the request (refused, timed out, 5xx): try again later."""


class RendererRejected(Exception):
    """The renderer refused the request itself (401 secret, 400 body); retrying won't help."""


def _record_failure(row_id: int, error: str) -> None:
    RevalidationRequest.objects.filter(pk=row_id).update(
        attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=error[:2000]
    )


def deliver(row_id: int) -> bool:
    """Send one outbox row; True once it is delivered (now or before)."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None or row.delivered_at is not None:
        return True
    url = f"{settings.FRONTEND_URL}/api/revalidate"
    try:
        response = requests.post(
            url, json={"tags": row.tags, "paths": row.paths},
            headers={"Authorization": f"Bearer {settings.REVALIDATE_SECRET}"},
            timeout=(3.05, settings.REVALIDATE_TIMEOUT),
        )
    except requests.RequestException as exc:
        _record_failure(row.pk, f"{url}: {type(exc).__name__}: {exc}")
        raise RendererUnavailable(str(exc)) from exc
    if response.status_code == 200:
        RevalidationRequest.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(), last_error="",
        )
        return True
    if response.status_code == 401:
        _record_failure(row.pk, f"{url}: 401, the renderer refused REVALIDATE_SECRET")
        raise RendererRejected(url)
    if 400 <= response.status_code < 500 and response.status_code not in (404, 408, 429):
        # 404: a renderer still starting (or an older one) may not route it yet: retry.
        _record_failure(row.pk, f"{url}: HTTP {response.status_code}: {response.text[:200]}")
        raise RendererRejected(url)
    _record_failure(row.pk, f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    raise RendererUnavailable(f"HTTP {response.status_code}")
