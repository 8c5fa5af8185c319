"""The images flow on S3 end to end: upload, commit, a real worker renders into the bucket."""

from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS
from cms.testing.content import jpeg_bytes, upload_image
from cms.testing.processes import wait_until


def test_uploaded_image_gets_its_renditions_in_the_bucket_from_a_worker(
        s3_media, start_worker, client, django_user_model):
    worker = start_worker(**s3_media.env)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))

    assert upload_image(client, jpeg_bytes()).status_code == 302
    image = get_image_model().objects.get()

    def complete() -> bool:
        return image.renditions.filter(filter_spec__in=FILTER_SPECS).count() == len(FILTER_SPECS)

    wait_until(complete, timeout=60, message=f"renditions\n{worker.log()[-2000:]}")
    renditions = image.renditions.filter(filter_spec__in=FILTER_SPECS)
    assert s3_media.keys("images/") == {r.file.name for r in renditions}
    assert s3_media.keys("original_images/") == {image.file.name}
