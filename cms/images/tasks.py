"""Background work on images: the renderer's rendition set, made once per image."""

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS, queued_key


def make_renditions(image_id: int) -> int:
    """Create the missing renditions of one image; returns how many of the set exist.

    The image row is locked while renditions are made, so two workers (or a worker
    and the regenerate command) never render the same image at once; the second
    finds the set complete. Wagtail's bulk insert also ignores conflicting rows.
    """
    image_model = get_image_model()
    with transaction.atomic():
        image = image_model.objects.select_for_update().filter(pk=image_id).first()
        if image is None:
            return 0
        count = len(image.get_renditions(*FILTER_SPECS))
    return count


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5, soft_time_limit=240, time_limit=300)
def generate_renditions(image_id: int) -> int:
    """Make every rendition the renderer uses; returns how many exist afterwards."""
    try:
        return make_renditions(image_id)
    finally:
        cache.delete(queued_key(image_id))
