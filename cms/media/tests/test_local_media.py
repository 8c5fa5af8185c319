"""No bucket named: uploads go to the local media folder, through the same admin forms."""

from pathlib import Path

from django.test import override_settings
from wagtail.images import get_image_model

from cms.images.tasks import generate_renditions
from cms.testing.content import jpeg_bytes, upload_image


def test_admin_upload_without_bucket_lands_in_media_root(editor, tmp_path, settings):
    assert not settings.AWS_STORAGE_BUCKET_NAME
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    data = jpeg_bytes(640, 480)
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        assert upload_image(editor, data).status_code == 302
        image = get_image_model().objects.get()
        assert (Path(tmp_path) / image.file.name).read_bytes() == data
        assert generate_renditions(image.pk) > 0
        assert image.renditions.first().url.startswith("/media/images/")
