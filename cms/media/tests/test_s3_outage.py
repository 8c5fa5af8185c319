"""S3 down (the test's own moto server stopped): clear answers, and the admin still works."""

import pytest
from moto.server import ThreadedMotoServer
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS
from cms.testing.content import jpeg_bytes, pdf_bytes, upload_document, upload_image
from cms.testing.processes import wait_until

NOTICE = "The media storage is not answering"


@pytest.fixture
def s3_down_later(s3_env, stoppable_moto):
    """S3 on a server of the test's own; call the fixture's value to stop it."""
    server, endpoint = stoppable_moto
    s3_env(endpoint)
    return server.stop


def test_document_download_is_a_clear_503(s3_down_later, editor, client):
    assert upload_document(editor, pdf_bytes(), title="Outage report").status_code == 302
    document = get_document_model().objects.get(title="Outage report")
    s3_down_later()

    response = client.get(document.url)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert b"cannot reach its file storage" in response.content


def test_admin_image_pages_show_placeholders_and_a_notice(s3_down_later, editor):
    assert upload_image(editor, jpeg_bytes(), title="Pier in the outage").status_code == 302
    image = get_image_model().objects.get(title="Pier in the outage")
    s3_down_later()

    listing = editor.get("/admin/images/")
    edit = editor.get(f"/admin/images/{image.pk}/")

    for page in (listing, edit):
        assert page.status_code == 200
        assert NOTICE in page.content.decode()
        # Wagtail's placeholder for an original it cannot open.
        assert "/not-found" in page.content.decode()
    assert image.title in listing.content.decode()


def test_renditions_queued_before_an_outage_are_made_once_s3_returns(
        s3_env, stoppable_moto, start_worker, client, django_user_model):
    server, endpoint = stoppable_moto
    media = s3_env(endpoint)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))
    assert upload_image(client, jpeg_bytes(), title="Uploaded before").status_code == 302
    image = get_image_model().objects.get(title="Uploaded before")
    assert not image.renditions.exists()  # queued, no worker yet

    server.stop()
    worker = start_worker(**media.env, RENDITION_RETRY_BACKOFF_MAX="1")
    # More failed attempts than the five retries the task used to give up after.
    wait_until(lambda: worker.log().count("retry: Retry in") >= 7, timeout=60,
               message=f"retries\n{worker.log()[-2000:]}")
    assert not image.renditions.exists()

    host, port = endpoint.removeprefix("http://").split(":")
    back = ThreadedMotoServer(ip_address=host, port=int(port), verbose=False)
    back.start()  # moto keeps its buckets in this process: S3 is back with the original
    try:
        def complete() -> bool:
            return (image.renditions.filter(filter_spec__in=FILTER_SPECS).count()
                    == len(FILTER_SPECS))

        wait_until(complete, timeout=60, message=f"renditions\n{worker.log()[-2000:]}")
        assert media.keys("images/") == {r.file.name for r in image.renditions.all()}
    finally:
        back.stop()
