"""Documents on S3: stored in the bucket, never public there, served through Wagtail's view."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.media.forms import STORAGE_UNAVAILABLE
from cms.testing.content import pdf_bytes, root_collection, upload_document


def anonymous_status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def served(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def private_collection(db) -> Collection:
    collection = root_collection().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    return collection


def test_document_is_stored_in_bucket_and_served_through_the_cms(s3_media, editor):
    data = pdf_bytes()
    response = upload_document(editor, data)
    assert response.status_code == 302, response.context["form"].errors

    document = get_document_model().objects.get(title="Report")
    key = document.file.name
    assert key.startswith("documents/report")
    assert s3_media.keys() == {key}
    assert s3_media.get(key) == data
    assert s3_media.head(key)["CacheControl"] == "private, no-cache"
    assert document.file_size == len(data)

    # Not public in the bucket: only images are readable by URL.
    assert anonymous_status(f"{s3_media.endpoint}/{s3_media.bucket}/{key}") == 403
    # The API links Wagtail's document view, which reads the object from S3.
    download_url = Client().get(f"/api/v2/documents/{document.pk}/").json()["meta"][
        "download_url"]
    assert download_url.endswith(f"/documents/{document.pk}/report.pdf")
    assert not download_url.startswith(s3_media.endpoint)
    assert served(Client().get(document.url)) == data


def test_private_document_is_refused_without_login(s3_media, editor, private_collection):
    data = pdf_bytes()
    response = upload_document(editor, data, title="Minutes", collection=private_collection)
    assert response.status_code == 302, response.context["form"].errors
    document = get_document_model().objects.get(title="Minutes")
    assert s3_media.get(document.file.name) == data

    refused = Client().get(document.url)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/_util/login/")
    assert data not in refused.content
    assert anonymous_status(f"{s3_media.endpoint}/{s3_media.bucket}/{document.file.name}") == 403

    assert served(editor.get(document.url)) == data


def test_document_over_the_configured_limit_is_rejected(s3_env, moto_endpoint, editor):
    media = s3_env(moto_endpoint, DOCUMENTS_MAX_UPLOAD_SIZE="10000")
    response = upload_document(editor, pdf_bytes(20_000))
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.code == "file_too_large"
    assert "The largest document accepted is 9.8\xa0KB" in error.messages[0]
    assert not get_document_model().objects.exists()
    assert media.keys() == set()


def test_document_upload_with_s3_stopped_is_a_form_error(s3_env, stoppable_moto, editor):
    server, endpoint = stoppable_moto
    s3_env(endpoint)
    server.stop()
    response = upload_document(editor, pdf_bytes())
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [STORAGE_UNAVAILABLE]
    assert not get_document_model().objects.exists()
