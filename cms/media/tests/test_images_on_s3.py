"""Images on S3: an editor's upload, its renditions, and the URLs the API gives out."""

from email.message import Message
from urllib.request import urlopen

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS
from cms.images.tasks import generate_renditions
from cms.testing.content import jpeg_bytes, upload_image, upload_images_multiple

RENDITION_CACHE = "public, max-age=31536000, immutable"


def fetch(url: str) -> tuple[bytes, Message]:
    """Anonymously, over HTTP, as a browser or a CDN would."""
    with urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read(), response.headers


@pytest.mark.parametrize("cdn", [False, True], ids=["bucket-urls", "custom-domain"])
def test_admin_upload_puts_original_and_renditions_in_bucket_and_api_urls_serve_them(
        cdn, s3_env, moto_endpoint, editor, home, client):
    media = s3_env(moto_endpoint, cdn=cdn)
    base = media.settings["MEDIA_URL"]
    assert base == (f"http://127.0.0.1:{moto_endpoint.rsplit(':', 1)[1]}/{media.bucket}/"
                    if cdn else f"{moto_endpoint}/{media.bucket}/")
    data = jpeg_bytes()

    response = upload_image(editor, data)

    assert response.status_code == 302, response.context["form"].errors
    image = get_image_model().objects.get(title="Pier")
    original = image.file.name
    assert original.startswith("original_images/pier")
    assert media.keys() == {original}
    assert media.get(original) == data
    assert (image.width, image.height, image.file_size) == (1800, 1200, len(data))

    assert generate_renditions(image.pk) == len(FILTER_SPECS)

    renditions = list(image.renditions.filter(filter_spec__in=FILTER_SPECS))
    assert len(renditions) == len(FILTER_SPECS)
    assert media.keys("images/") == {r.file.name for r in renditions}
    for rendition in renditions:
        head = media.head(rendition.file.name)
        assert head["CacheControl"] == RENDITION_CACHE
        assert head["ContentType"].startswith("image/")

    # The page API: the home page's social image, with its srcset.
    home.social_image = image
    home.save_revision().publish()
    document = editor.get("/api/v2/pages/by-path/", {"html_path": "/"}).json()
    api_image = document["meta"]["seo"]["image"]
    urls = [api_image["src"], *(entry["url"] for entry in api_image["srcset"])]
    assert len(api_image["srcset"]) == len(FILTER_SPECS)
    for url in urls:
        assert url.startswith(base), url
        body, headers = fetch(url)
        assert body == media.get(url[len(base):])
        assert headers["Cache-Control"] == RENDITION_CACHE

    # Wagtail's stock images endpoint links the original in the bucket.
    stock = client.get(f"/api/v2/images/{image.pk}/").json()
    assert stock["meta"]["download_url"] == base + original
    body, headers = fetch(stock["meta"]["download_url"])
    assert body == data
    assert headers["Cache-Control"] == "public, max-age=86400"


def test_same_file_name_twice_makes_two_objects(s3_media, editor):
    first, second = jpeg_bytes(640, 480), jpeg_bytes(320, 240)
    assert upload_image(editor, first, title="One").status_code == 302
    assert upload_image(editor, second, title="Two").status_code == 302
    images = {i.title: i.file.name for i in get_image_model().objects.all()}
    assert images["One"] != images["Two"]
    assert s3_media.get(images["One"]) == first
    assert s3_media.get(images["Two"]) == second


def test_multiple_upload_page_stores_original_in_bucket(s3_media, editor):
    data = jpeg_bytes(800, 600)
    response = upload_images_multiple(editor, data)
    assert response.status_code == 200
    assert response.json()["success"] is True
    image = get_image_model().objects.get()
    assert s3_media.keys() == {image.file.name}
    assert s3_media.get(image.file.name) == data


def test_replacing_and_deleting_an_image_leaves_no_objects_behind(
        s3_media, editor, django_capture_on_commit_callbacks):
    assert upload_image(editor, jpeg_bytes(640, 480)).status_code == 302
    image = get_image_model().objects.get()
    generate_renditions(image.pk)
    old = s3_media.keys()
    assert len(old) == 1 + len(FILTER_SPECS)

    new_data = jpeg_bytes(800, 600)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("wagtailimages:edit", args=[image.pk]), {
            "title": "Pier", "file": SimpleUploadedFile("pier-2.jpg", new_data, "image/jpeg"),
            "collection": image.collection_id, "tags": "", "description": "",
        })
    assert response.status_code == 302, response.context["form"].errors
    image.refresh_from_db()
    assert image.file.name.startswith("original_images/pier-2")
    assert (image.width, image.height) == (800, 600)
    # The old original and its renditions are gone once the change committed.
    assert s3_media.keys() == {image.file.name}
    assert s3_media.get(image.file.name) == new_data

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert response.status_code == 302
    assert s3_media.keys() == set()
