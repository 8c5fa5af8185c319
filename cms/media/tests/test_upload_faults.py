"""Uploads that must fail cleanly: a form error for the editor, no row, no orphan object."""

import time

import pytest
from django.db import DatabaseError, connection
from moto.core.authorization import enable_iam_authentication
from wagtail.images import get_image_model

from cms.media.forms import STORAGE_UNAVAILABLE
from cms.testing.content import jpeg_bytes, upload_image, upload_images_multiple
from cms.testing.s3 import S3Media


def file_errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, "the form should come back with errors"
    return [(error.code, " ".join(error.messages))
            for error in response.context["form"].errors.as_data().get("file", [])]


def titles() -> list[str]:
    return list(get_image_model().objects.order_by("pk").values_list("title", flat=True))


def test_s3_stopped_mid_test_shows_form_error_and_leaves_nothing(
        s3_env, stoppable_moto, moto_endpoint, editor):
    server, endpoint = stoppable_moto
    media = s3_env(endpoint)
    assert upload_image(editor, jpeg_bytes(640, 480), title="Before").status_code == 302
    before = get_image_model().objects.get(title="Before").file.name

    server.stop()
    started = time.monotonic()
    response = upload_image(editor, jpeg_bytes(), title="During")
    elapsed = time.monotonic() - started

    assert file_errors(response) == [("storage_unavailable", STORAGE_UNAVAILABLE)]
    assert "The file could not be stored" in response.content.decode()
    assert titles() == ["Before"]
    # moto keeps its buckets in the process: the session's server still shows them.
    assert S3Media(moto_endpoint, media.bucket, {}).keys() == {before}
    assert elapsed < 15, f"the editor waited {elapsed:.1f}s"


def test_wrong_credentials_show_form_error_and_leave_nothing(s3_media, editor):
    with enable_iam_authentication():
        response = upload_image(editor, jpeg_bytes(640, 480))
    assert file_errors(response) == [("storage_unavailable", STORAGE_UNAVAILABLE)]
    assert titles() == []
    assert s3_media.keys() == set()


def test_truncated_jpeg_is_a_form_error(s3_media, editor):
    data = jpeg_bytes()
    response = upload_image(editor, data[: len(data) // 2])
    [(code, message)] = file_errors(response)
    assert code == "corrupt_image"
    assert message.startswith("This file is damaged or is not a complete image")
    assert titles() == []
    assert s3_media.keys() == set()


def test_non_image_named_jpg_is_a_form_error(s3_media, editor):
    response = upload_image(editor, b"%PDF-1.4\n not an image at all\n%%EOF", name="photo.jpg")
    assert len(file_errors(response)) == 1
    assert titles() == []
    assert s3_media.keys() == set()


def test_image_over_the_configured_limit_is_rejected(s3_env, moto_endpoint, editor):
    media = s3_env(moto_endpoint, WAGTAILIMAGES_MAX_UPLOAD_SIZE="200000")
    assert media.settings["WAGTAILIMAGES_MAX_UPLOAD_SIZE"] == 200_000
    data = jpeg_bytes(600, 600, noise=True)
    assert len(data) > 200_000
    [(code, message)] = file_errors(upload_image(editor, data))
    assert code == "file_too_large"
    assert "too big" in message
    assert titles() == []
    assert media.keys() == set()


@pytest.fixture
def failing_image_insert(db):
    """The database refuses new image rows, as a full disk or a lost primary would."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION mortar_refuse_insert() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'mortar test: insert refused'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER mortar_refuse_insert BEFORE INSERT ON wagtailimages_image
            FOR EACH ROW EXECUTE FUNCTION mortar_refuse_insert();
        """)
    # Created inside the test's transaction, so rolled back with it.


def test_failed_row_insert_deletes_the_stored_object(s3_media, editor, failing_image_insert):
    with pytest.raises(DatabaseError, match="insert refused"):
        upload_image(editor, jpeg_bytes(640, 480))
    assert s3_media.keys() == set()


def test_multiple_upload_page_with_s3_stopped_answers_the_error(s3_env, stoppable_moto, editor):
    server, endpoint = stoppable_moto
    s3_env(endpoint)
    server.stop()
    response = upload_images_multiple(editor, jpeg_bytes(640, 480))
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert str(STORAGE_UNAVAILABLE) in answer["error_message"]
    assert titles() == []
