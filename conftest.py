"""Fixtures shared by the unit and integration tests of every app."""

import secrets

import pytest

from cms.core.testing import make_home
from sites.example.models import HomePage


@pytest.fixture(autouse=True)
def _fresh_api_cache() -> None:
    """Tests roll their data back behind the signals' back: start from no cached document."""
    from cms.api import cache, dependencies

    cache.bump(dependencies.GLOBAL)


@pytest.fixture
def home(db) -> HomePage:
    """A published home page as the default site's root, replacing Wagtail's starter page."""
    return make_home()


@pytest.fixture
def make_image(db):
    """Images drawn with Pillow and saved like an upload; renditions made when asked."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from cms.images.renditions import FILTER_SPECS
    from sites.example.demo_images import draw

    counter = iter(range(10_000))

    def make(title: str | None = None, renditions: bool = True, width: int = 800,
             height: int = 500):
        n = next(counter)
        image = get_image_model()(title=title or f"Test image {n}", description=f"Alt {n}")
        # Unique pixels: Wagtail caches renditions by file hash, across test databases.
        pixels = draw(secrets.randbelow(10**9), width, height)
        image.file = ImageFile(ContentFile(pixels, name=f"test-{n}.jpg"))
        image.save()
        image.get_file_hash()  # as an upload through the admin sets it
        if renditions:
            image.get_renditions(*FILTER_SPECS)
        return image

    return make
