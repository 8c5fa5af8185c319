"""Background work on images: the renderer's rendition set, made once per image."""

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS, queued_key
from cms.media.storage import STORAGE_ERRORS
from cms.publishing import changes


def make_renditions(image_id: int) -> int:
    """Create the missing renditions of one image; returns how many of the set exist.

    The image row is locked while renditions are made, so two workers (or a worker
    and the regenerate command) never render the same image at once: the second
    finds the set complete. Wagtail's bulk insert also ignores conflicting rows.
    """
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    with transaction.atomic():
        image = (image_model.objects.select_for_update(of=("self",), no_key=True)
                 .filter(pk=image_id).first())
        if image is None:
            return 0
        before = set(image.renditions.filter(filter_spec__in=FILTER_SPECS)
                     .values_list("pk", flat=True))
        count = len(image.get_renditions(*FILTER_SPECS))
        created = list(rendition_model.objects.filter(image_id=image_id,
                                                      filter_spec__in=FILTER_SPECS)
                       .exclude(pk__in=before))
    if created:
        # Answers built while the image lacked them show it without: rebuild those.
        changes.renditions_made(image_id)
    return count


@shared_task(acks_late=True, ignore_result=True, autoretry_for=STORAGE_ERRORS, retry_backoff=True,
             max_retries=5, soft_time_limit=240, time_limit=300)
def generate_renditions(image_id: int) -> int:
    """Make every rendition the renderer uses; returns how many exist afterwards."""
    try:
        return make_renditions(image_id)
    finally:
        cache.delete(queued_key(image_id))
