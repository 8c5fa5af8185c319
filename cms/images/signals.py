"""New or changed images get their renditions made in the background, after commit."""

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save
from wagtail.images import get_image_model

from cms.images.renditions import queue_missing

FIELDS = ("file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")


def _signature(image: Any) -> tuple:
    return tuple(str(getattr(image, name, "")) for name in FIELDS)


def remember_signature(sender: type, instance: Any, **kwargs: Any) -> None:
    instance._mortar_rendition_signature = _signature(instance)


def queue_after_change(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    before = getattr(instance, "_mortar_rendition_signature", None)
    if created or before != _signature(instance):
        instance._mortar_rendition_signature = _signature(instance)
        # Wagtail deletes the old renditions after saving a replaced file; the task
        # runs after commit and a deleted rendition queues the image again (below).
        queue_missing([instance.pk])


def queue_after_rendition_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.image_id and get_image_model().objects.filter(pk=instance.image_id).exists():
        queue_missing([instance.image_id])


def connect() -> None:
    image_model = get_image_model()
    post_init.connect(remember_signature, sender=image_model, dispatch_uid="mortar_image_sig")
    post_save.connect(queue_after_change, sender=image_model, dispatch_uid="mortar_image_saved")
    post_delete.connect(queue_after_rendition_delete, sender=image_model.get_rendition_model(),
                        dispatch_uid="mortar_rendition_deleted")
