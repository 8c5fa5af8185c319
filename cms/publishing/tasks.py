"""Background work of publishing: scheduled changes, the minute sweep, revalidation."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cms.publishing import delivery, renderer_tags, scheduling
from cms.publishing.models import Delivery, DeliveryTarget, RevalidationRequest

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
    summary = {**result.__dict__, "redelivered": redelivered, "resumed": resume_stalled(),
               "forgotten_renderer_dependencies": renderer_tags.forget_old()}
    if any(summary.values()):
        logger.info("schedule sweep: %s", summary)
    return summary


# Redis coming back must not serve the CMS's old copies for long: retry the drop every
# second (for ten minutes; then the sweep takes over).
CACHE_RETRY_SECONDS = 1
CACHE_RETRIES = 600


@shared_task(bind=True, acks_late=True)
def deliver_revalidation(self, request_id: int) -> bool:  # noqa: ANN001
    """Deliver one outbox row (`delivery.deliver`); the document cache is retried every
    second while Redis refuses, each renderer or HTTP cache that fails on its own schedule."""
    try:
        outcome = delivery.deliver(request_id)
    except delivery.CacheUnavailable as exc:
        raise self.retry(exc=exc, countdown=CACHE_RETRY_SECONDS,
                         max_retries=CACHE_RETRIES) from exc
    for target_id in outcome.failing:
        retry_target(target_id)
    if outcome.told:
        send_revalidation_again.apply_async((request_id,),
                                            countdown=settings.REVALIDATE_AGAIN_SECONDS)
    return bool(outcome.told)


@shared_task(acks_late=True, ignore_result=True)
def send_revalidation_again(request_id: int) -> int:
    """The second delivery of a row (see `delivery.send_again`); best effort."""
    return delivery.send_again(request_id)


def retry_delay(failing_for: timedelta) -> float:
    """Seconds until a target that has been failing for `failing_for` is tried again:
    every second at first, then a twentieth of the outage so far, at most
    REVALIDATE_RETRY_BACKOFF_MAX. A target back after a 30 s outage is noticed within
    about 1.5 s, after an hour within 3 minutes."""
    return max(1.0, min(failing_for.total_seconds() / 20,
                        float(settings.REVALIDATE_RETRY_BACKOFF_MAX)))


def retry_target(target_id: int) -> bool:
    """Schedule the retry of a failing target unless one is scheduled; True if this did."""
    target = DeliveryTarget.objects.filter(pk=target_id).first()
    if target is None:
        return False
    now = timezone.now()
    delay = retry_delay(now - (target.failing_since or now))
    claimed = (DeliveryTarget.objects.filter(pk=target_id)
               .filter(Q(retry_at__isnull=True) | Q(retry_at__lt=now))
               .update(retry_at=now + timedelta(seconds=delay)))
    if claimed:
        catch_up.apply_async((target_id,), countdown=delay)
    return bool(claimed)


@shared_task(acks_late=True, ignore_result=True)
def catch_up(target_id: int) -> bool:
    """Retry a failing renderer or HTTP cache with everything it missed
    (`delivery.catch_up`); again later while it still fails. True once it took it."""
    DeliveryTarget.objects.filter(pk=target_id).update(retry_at=None)
    outcome = delivery.catch_up(target_id)
    for failing in outcome.failing:
        retry_target(failing)
    if outcome.told:
        send_told_again.apply_async((outcome.told,),
                                    countdown=settings.REVALIDATE_AGAIN_SECONDS)
    return target_id not in outcome.failing


@shared_task(acks_late=True, ignore_result=True)
def send_told_again(delivery_ids: list[int]) -> int:
    """The second sending of what a catch-up told (see `delivery.send_told_again`)."""
    return delivery.send_told_again(delivery_ids)


def redeliver_pending(limit: int = 500) -> int:
    """Re-send rows never planned whose task has gone quiet (a lost broker message, Redis
    down longer than the task's retries)."""
    quiet = timezone.now() - timedelta(seconds=settings.REVALIDATE_RETRY_BACKOFF_MAX * 2)
    ids = list(RevalidationRequest.objects.filter(delivered_at__isnull=True,
                                                  sent_tags__isnull=True)
               .filter(Q(last_attempt_at__lt=quiet)
                       | Q(last_attempt_at__isnull=True, created_at__lt=quiet))
               .order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        deliver_revalidation.delay(pk)
    return len(ids)


def resume_stalled() -> int:
    """Retry the targets that something waits for and no scheduled retry will reach (its
    task lost): renderers not told a planned delivery, and the HTTP caches while a told
    one is not purged. Returns how many."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.REVALIDATE_RETRY_BACKOFF_MAX * 2)
    no_retry = Q(retry_at__isnull=True) | Q(retry_at__lt=now - timedelta(seconds=30))
    waiting = Delivery.objects.filter(request__created_at__lt=quiet)
    renderers = DeliveryTarget.objects.filter(
        no_retry, kind=DeliveryTarget.RENDERER,
        pk__in=waiting.filter(told_at__isnull=True).values("renderer_id"))
    caches = DeliveryTarget.objects.none()
    if waiting.filter(told_at__isnull=False, purged_at__isnull=True).exists():
        caches = DeliveryTarget.objects.filter(no_retry, kind=DeliveryTarget.HTTP_CACHE,
                                               url__in=settings.HTTP_CACHE_PURGE_URLS)
    ids = [*renderers.values_list("pk", flat=True), *caches.values_list("pk", flat=True)]
    for pk in ids:
        catch_up.delay(pk)
    return len(ids)
