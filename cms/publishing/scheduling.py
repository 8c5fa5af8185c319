"""Scheduled publishing and expiry, each change applied exactly once.

Wagtail records a scheduled publish as `Revision.approved_go_live_at` and an expiry
as `expire_at` on the live object. A change is applied by a Celery task with an ETA
at its due time and, failing that, by the minute sweep. Both go through the
functions here, which lock the revision (then the object) row and re-check the
schedule inside the lock: a second task for the same change, a task whose schedule
was moved or cancelled, or a task retried after its worker died finds nothing to do.

ETA tasks are armed only for changes due before the next sweep plus a margin
(MORTAR_SCHEDULE_ARM_AHEAD): a Redis broker re-delivers any message held longer than
its visibility timeout, so far-future changes wait in the database, not in the broker.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)

PUBLISHED = "published"
EXPIRED = "expired"
NOTHING = "nothing to do"
STALE = "stale"
EARLY = "early"


def arm_ahead() -> timedelta:
    return timedelta(seconds=settings.MORTAR_SCHEDULE_ARM_AHEAD)


def scheduled_models() -> list[type[models.Model]]:
    """Page plus every snippet model with drafts (and so with go-live/expiry)."""
    others = [model for model in apps.get_models()
              if issubclass(model, DraftStateMixin) and not issubclass(model, Page)]
    return [Page, *others]


def _same_moment(value: datetime, expected: str | None) -> bool:
    return expected is None or value == parse_datetime(expected)


def publish_revision_if_due(revision_id: int, expected_go_live_at: str | None = None) -> str:
    """Publish a scheduled revision if it is (still) scheduled for `expected_go_live_at`."""
    with transaction.atomic():
        # FOR NO KEY UPDATE of this row only: it serialises publishers of this revision
        # but, unlike FOR UPDATE, does not block inserts that reference the row (their
        # foreign key checks take KEY SHARE locks), which deadlocked editors' saves.
        revision = (Revision.objects.select_for_update(of=("self",), no_key=True)
                    .filter(pk=revision_id).first())
        if revision is None or revision.approved_go_live_at is None:
            return NOTHING  # published already, or the schedule was cancelled
        if not _same_moment(revision.approved_go_live_at, expected_go_live_at):
            return STALE  # re-scheduled: the task for the new time will do it
        if revision.approved_go_live_at > timezone.now():
            return EARLY
        base_model = revision.base_content_type.model_class()
        # Wagtail's own publish path takes no row lock; taking the object's here makes
        # an expiry or another publish of the same object wait for this one.
        (base_model._default_manager.select_for_update(of=("self",), no_key=True)
         .filter(pk=revision.object_id).first())
        revision.publish(log_action="wagtail.publish.scheduled", skip_permission_checks=True)
    logger.info("published scheduled revision %s", revision_id)
    return PUBLISHED


def expire_if_due(label: str, pk: str, expected_expire_at: str | None = None) -> str:
    """Unpublish an object whose expiry time has come, once."""
    model = apps.get_model(label)
    with transaction.atomic():
        obj = (model._default_manager.select_for_update(of=("self",), no_key=True)
               .filter(pk=pk).first())
        if obj is None or not obj.live or obj.expire_at is None:
            return NOTHING
        if not _same_moment(obj.expire_at, expected_expire_at):
            return STALE
        if obj.expire_at > timezone.now():
            return EARLY
        if isinstance(obj, Page):
            obj = obj.specific
        # Wagtail's unpublish cancels every scheduled revision, which is right when an
        # editor unpublishes by hand but not here: "offline on Friday, the new version on
        # Monday" would lose Monday and leave the page offline for good.
        scheduled = list(obj.revisions.filter(approved_go_live_at__isnull=False)
                         .values_list("pk", "approved_go_live_at"))
        obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
        for revision_id, go_live_at in scheduled:
            Revision.objects.filter(pk=revision_id).update(approved_go_live_at=go_live_at)
            transaction.on_commit(lambda r=revision_id, at=go_live_at: arm_revision(r, at),
                                  robust=True)
    logger.info("expired %s %s", label, pk)
    return EXPIRED


def _arm_once(key: str, send: Callable[[], object], due: datetime) -> bool:
    # The signal and every sweep inside the window would arm the same change; the tasks
    # are idempotent, this only saves the broker the duplicates.
    ttl = int(arm_ahead().total_seconds()) * 2 + 60
    if cache.add(f"mortar:schedule-armed:{key}:{due.isoformat()}", 1, timeout=ttl):
        send()
        return True
    return False


def arm_revision(revision_id: int, go_live_at: datetime) -> bool:
    """Queue the ETA task for a scheduled revision if it falls due before the next sweep."""
    # Celery task pair: the tasks run what this module decides, and this module queues
    # the tasks; imported when called, as the tasks module needs this one loaded first.
    from cms.publishing.tasks import publish_scheduled_revision

    if go_live_at > timezone.now() + arm_ahead():
        return False
    return _arm_once(f"revision:{revision_id}", lambda: publish_scheduled_revision.apply_async(
        (revision_id, go_live_at.isoformat()), eta=go_live_at), go_live_at)


def arm_expiry(label: str, pk: str, expire_at: datetime) -> bool:
    """Queue the ETA task for an expiry if it falls due before the next sweep."""
    # Celery task pair: as in arm_revision.
    from cms.publishing.tasks import expire_scheduled

    if expire_at > timezone.now() + arm_ahead():
        return False
    return _arm_once(f"expiry:{label}:{pk}", lambda: expire_scheduled.apply_async(
        (label, str(pk), expire_at.isoformat()), eta=expire_at), expire_at)


@dataclass
class SweepResult:
    published: int = 0
    expired: int = 0
    armed: int = 0
    failed: int = 0


def sweep() -> SweepResult:
    """Apply every overdue change, then arm ETA tasks for those due before the next sweep."""
    result = SweepResult()
    now = timezone.now()
    horizon = now + arm_ahead()
    for model in scheduled_models():
        label = model._meta.label
        for pk, expire_at in (model._default_manager.filter(live=True, expire_at__lt=horizon)
                              .order_by("expire_at").values_list("pk", "expire_at")):
            if expire_at > now:
                result.armed += arm_expiry(label, str(pk), expire_at)
                continue
            try:
                result.expired += expire_if_due(label, str(pk)) == EXPIRED
            except Exception:
                result.failed += 1
                logger.exception("expiry of %s %s failed", label, pk)
    for revision_id, go_live_at in (Revision.objects.filter(approved_go_live_at__lt=horizon)
                                    .order_by("approved_go_live_at")
                                    .values_list("pk", "approved_go_live_at")):
        if go_live_at > now:
            result.armed += arm_revision(revision_id, go_live_at)
            continue
        try:
            result.published += publish_revision_if_due(revision_id) == PUBLISHED
        except Exception:
            result.failed += 1
            logger.exception("scheduled publish of revision %s failed", revision_id)
    return result


def upcoming(limit: int = 200) -> list[dict]:
    """Scheduled publishes and expiries still to come, soonest first, for the admin."""
    rows: list[dict] = []
    for revision in (Revision.objects.filter(approved_go_live_at__isnull=False)
                     .select_related("user", "content_type").order_by("approved_go_live_at")
                     [:limit]):
        rows.append({"when": revision.approved_go_live_at, "action": "publish",
                     "object": revision.object_str, "model": revision.content_type.name,
                     "label": revision.base_content_type.model_class()._meta.label
                     if revision.base_content_type_id else "",
                     "object_id": revision.object_id, "revision": revision.pk,
                     "user": revision.user})
    for model in scheduled_models():
        for obj in (model._default_manager.filter(live=True, expire_at__isnull=False)
                    .order_by("expire_at")[:limit]):
            live_revision = getattr(obj, "live_revision", None)
            rows.append({"when": obj.expire_at, "action": "unpublish", "object": str(obj),
                         "model": model._meta.verbose_name, "label": model._meta.label,
                         "object_id": str(obj.pk),
                         "revision": obj.live_revision_id,
                         "user": live_revision.user if live_revision else None})
    rows.sort(key=lambda row: row["when"])
    return rows[:limit]
