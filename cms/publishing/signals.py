"""Signal handlers: arm scheduled changes, and write revalidation outbox rows."""

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import DraftStateMixin, Page, Revision
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.publishing import scheduling
from cms.publishing.revalidation import page_tags, request_revalidation

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Revision, dispatch_uid="mortar_arm_scheduled_revision")
def arm_scheduled_revision(sender: type, instance: Revision, **kwargs: Any) -> None:
    go_live_at = instance.approved_go_live_at
    if go_live_at is not None:
        transaction.on_commit(lambda: scheduling.arm_revision(instance.pk, go_live_at))


@receiver(post_save, dispatch_uid="mortar_arm_expiry")
def arm_expiry(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, DraftStateMixin) or not instance.live or not instance.expire_at:
        return
    base = Page if isinstance(instance, Page) else type(instance)
    label, pk, expire_at = base._meta.label, str(instance.pk), instance.expire_at
    transaction.on_commit(lambda: scheduling.arm_expiry(label, pk, expire_at))


@receiver(page_published, dispatch_uid="mortar_revalidate_published")
def revalidate_published(sender: type, instance: Page, **kwargs: Any) -> None:
    request_revalidation(page_tags(instance), reason=f"publish page {instance.pk}")


@receiver(page_unpublished, dispatch_uid="mortar_revalidate_unpublished")
def revalidate_unpublished(sender: type, instance: Page, **kwargs: Any) -> None:
    # Also sent for every live page Wagtail deletes (its pre_delete handler unpublishes).
    request_revalidation(page_tags(instance), reason=f"unpublish page {instance.pk}")


@receiver(post_page_move, dispatch_uid="mortar_revalidate_moved")
def revalidate_moved(sender: type, instance: Page, url_path_before: str = "",
                     **kwargs: Any) -> None:
    if not instance.live:
        return
    instance.refresh_from_db(fields=["url_path", "path", "depth"])
    request_revalidation(page_tags(instance, old_url_path=url_path_before),
                         reason=f"move page {instance.pk}")


@receiver(page_slug_changed, dispatch_uid="mortar_revalidate_slug_changed")
def revalidate_slug_changed(sender: type, instance: Page, instance_before: Page,
                            **kwargs: Any) -> None:
    # Wagtail sends this after the commit, so this row has its own transaction; the
    # publish that carried the new slug already wrote the new path in its own.
    if instance.live:
        request_revalidation(page_tags(instance, old_url_path=instance_before.url_path),
                             reason=f"slug change of page {instance.pk}")
