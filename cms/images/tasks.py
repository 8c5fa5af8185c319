"""Background work on images."""

from celery import shared_task
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS


@shared_task(acks_late=True, ignore_result=True)
def generate_renditions(image_id: int) -> int:
    """Make every rendition the renderer uses; returns how many exist afterwards."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image.get_renditions(*FILTER_SPECS))
