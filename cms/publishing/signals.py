"""Signal handlers: arm scheduled changes (what changes touch: `cms.publishing.changes`)."""

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import DraftStateMixin, Page, Revision

from cms.publishing import scheduling

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Revision, dispatch_uid="mortar_arm_scheduled_revision")
def arm_scheduled_revision(sender: type, instance: Revision, **kwargs: Any) -> None:
    go_live_at = instance.approved_go_live_at
    if go_live_at is not None:
        # Robust: the minute sweep arms what the broker did not take.
        transaction.on_commit(lambda: scheduling.arm_revision(instance.pk, go_live_at),
                              robust=True)


@receiver(post_save, dispatch_uid="mortar_arm_expiry")
def arm_expiry(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, DraftStateMixin) or not instance.live or not instance.expire_at:
        return
    base = Page if isinstance(instance, Page) else type(instance)
    label, pk, expire_at = base._meta.label, str(instance.pk), instance.expire_at
    transaction.on_commit(lambda: scheduling.arm_expiry(label, pk, expire_at), robust=True)
