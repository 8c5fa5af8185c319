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


class RendererRejectedSecret(Exception):
    """The renderer answered 401: REVALIDATE_SECRET differs; retrying will not help."""


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
        raise RendererRejectedSecret(url)
    _record_failure(row.pk, f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    raise RendererUnavailable(f"HTTP {response.status_code}")
