"""The one list of renditions the renderer uses: widths times formats."""

from django.conf import settings
from django.core.cache import cache
from PIL import features

from cms.core import broker

WIDTHS: tuple[int, ...] = tuple(getattr(settings, "MORTAR_RENDITION_WIDTHS", (480, 960, 1600)))


def formats() -> tuple[str, ...]:
    """Modern formats Pillow can write here, then the image's own format."""
    modern = [fmt for fmt in ("avif", "webp") if features.check(fmt)]
    return (*modern, "original")


FORMATS: tuple[str, ...] = formats()


def filter_spec(width: int, fmt: str) -> str:
    return f"width-{width}" if fmt == "original" else f"width-{width}|format-{fmt}"


def filter_specs() -> list[str]:
    return [filter_spec(width, fmt) for width in WIDTHS for fmt in FORMATS]


FILTER_SPECS: tuple[str, ...] = tuple(filter_specs())
# The specs that leave the output format to Wagtail (its choice for each original).
OWN_FORMAT_SPECS: frozenset[str] = frozenset(filter_spec(width, "original") for width in WIDTHS)


QUEUED_TTL = 10 * 60


def queued_key(image_id: int) -> str:
    return f"mortar:renditions-queued:{image_id}"


def queue_missing(image_ids: list[int]) -> None:
    """Ask for the renditions these images lack, outside the request that noticed.

    A burst of page views of a new image queues one task per image: the first request
    marks the image in the shared cache, and the task clears the mark when done.
    """
    # Celery task pair: the task makes the renditions this module lists, and this module
    # queues it; imported when called, as the tasks module needs this one loaded first.
    from cms.images.tasks import generate_renditions

    for image_id in image_ids:
        if cache.add(queued_key(image_id), 1, timeout=QUEUED_TTL):
            broker.send_on_commit(generate_renditions, image_id)
