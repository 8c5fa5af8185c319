"""Background work of publishing: scheduled changes, the minute sweep, revalidation."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cms.publishing import renderer_tags, scheduling
from cms.publishing.delivery import (
    CacheUnavailable,
    HttpCacheUnavailable,
    RendererRejected,
    RendererUnavailable,
    deliver,
    send_again,
)
from cms.publishing.models import RevalidationRequest

logger = logging.getLogger(__name__)

SWEEP_TASK = "cms.publishing.tasks.sweep"


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=30, max_retries=5)
def publish_scheduled_revision(revision_id: int, go_live_at: str) -> str:
    """ETA task at a revision's go-live time; stale or duplicate runs do nothing."""
    outcome = scheduling.publish_revision_if_due(revision_id, go_live_at)
    if outcome == scheduling.EARLY:
        # Delivered before its time (clock skew between hosts): wait for it again.
        due = parse_datetime(go_live_at)
        publish_scheduled_revision.apply_async((revision_id, go_live_at), eta=due)
    return outcome


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=30, max_retries=5)
def expire_scheduled(label: str, pk: str, expire_at: str) -> str:
    """ETA task at an object's expiry time; stale or duplicate runs do nothing."""
    outcome = scheduling.expire_if_due(label, pk, expire_at)
    if outcome == scheduling.EARLY:
        expire_scheduled.apply_async((label, pk, expire_at), eta=parse_datetime(expire_at))
    return outcome


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55)
def sweep() -> dict:
    """Every minute (beat): overdue changes, ETA tasks for the next minute, stuck outbox rows."""
    result = scheduling.sweep()
    redelivered = redeliver_pending()
    summary = {**result.__dict__, "redelivered": redelivered,
               "forgotten_renderer_dependencies": renderer_tags.forget_old()}
    if any(summary.values()):
        logger.info("schedule sweep: %s", summary)
    return summary


# Redis coming back must not serve the CMS's old copies for long: retry the drop every
# second (for ten minutes; then the sweep takes over), the renderer with backoff.
CACHE_RETRY_SECONDS = 1
CACHE_RETRIES = 600


@shared_task(bind=True, acks_late=True,
             autoretry_for=(RendererUnavailable, HttpCacheUnavailable),
             retry_backoff=True, retry_backoff_max=settings.REVALIDATE_RETRY_BACKOFF_MAX,
             retry_jitter=True, max_retries=50)
def deliver_revalidation(self, request_id: int) -> bool:  # noqa: ANN001
    """Deliver one outbox row; retried with backoff while Redis or the renderer is unavailable."""
    try:
        delivered = deliver(request_id)
    except CacheUnavailable as exc:
        raise self.retry(exc=exc, countdown=CACHE_RETRY_SECONDS,
                         max_retries=CACHE_RETRIES) from exc
    except RendererRejected:
        # A wrong secret or a request the renderer cannot take: retrying now will not
        # help. The row stays pending with its error in the admin; the sweep retries it
        # after a quiet period, e.g. once the secret is fixed.
        logger.error("renderer rejected revalidation request %s; it stays pending", request_id)
        return False
    if delivered:
        send_revalidation_again.apply_async((request_id,),
                                            countdown=settings.REVALIDATE_AGAIN_SECONDS)
    return True


@shared_task(acks_late=True, autoretry_for=(RendererUnavailable, HttpCacheUnavailable),
             retry_backoff=True, max_retries=3, ignore_result=True)
def send_revalidation_again(request_id: int) -> int:
    """The second delivery of a row (see `delivery.send_again`); best effort."""
    try:
        return send_again(request_id)
    except RendererRejected:
        return 0


def redeliver_pending(limit: int = 500) -> int:
    """Re-send undelivered rows whose retry chain has gone quiet (lost broker, 401, give-up)."""
    quiet = timezone.now() - timedelta(seconds=settings.REVALIDATE_RETRY_BACKOFF_MAX * 2)
    ids = list(RevalidationRequest.objects.filter(delivered_at__isnull=True)
               .filter(Q(last_attempt_at__lt=quiet)
                       | Q(last_attempt_at__isnull=True, created_at__lt=quiet))
               .order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        deliver_revalidation.delay(pk)
    return len(ids)
