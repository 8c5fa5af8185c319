"""Background work on images: the renderer's rendition set, made once per image."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS, queued_key
from cms.media.storage import STORAGE_ERRORS
from cms.publishing import changes


def make_renditions(image_id: int) -> int:
    """Create the missing renditions of one image; returns how many of the set exist.

    The image row is locked while renditions are made, so two workers (or a worker
    and the regenerate command) never render the same image at once: the second
    finds the set complete. Wagtail's bulk insert also ignores conflicting rows.

    What exists is read from the database, as the API reads it (cms.images.api), not
    from Wagtail's rendition cache: with renditions prefetched, Wagtail looks nowhere
    else. A cache entry that outlived its row (rows deleted, a database restored) would
    otherwise count as made: the API would find the image short of it at every request
    and queue this task again, for ever.
    """
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    with transaction.atomic():
        image = (image_model.objects.select_for_update(of=("self",), no_key=True)
                 .prefetch_related("renditions").filter(pk=image_id).first())
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


# Retried until the storage is back (an image uploaded just before S3 went down still
# gets its renditions once it returns, without anyone queuing them again), and after a
# lost race for the database (OperationalError: SQLite's "database is locked" when
# runserver, the worker and beat share one file). Making the set again is safe: the
# task only adds the renditions still missing.
@shared_task(acks_late=True, ignore_result=True,
             autoretry_for=(*STORAGE_ERRORS, OperationalError), retry_backoff=True,
             retry_backoff_max=settings.RENDITION_RETRY_BACKOFF_MAX,
             max_retries=settings.RENDITION_MAX_RETRIES, soft_time_limit=240, time_limit=300)
def generate_renditions(image_id: int) -> int:
    """Make every rendition the renderer uses; returns how many exist afterwards."""
    try:
        return make_renditions(image_id)
    finally:
        cache.delete(queued_key(image_id))
