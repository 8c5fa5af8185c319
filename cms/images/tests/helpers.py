"""Images as an editor uploads them, and pages that show them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from sites.example.models import ContentPage


def jpeg_bytes(width: int = 2000, height: int = 1200) -> bytes:
    image = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(client: Client, title: str = "Harbour", width: int = 2000):
    """POST the admin's add-image form; returns the new image."""
    collection = Collection.get_first_root_node()
    if collection is None:
        collection = Collection.add_root(name="Root")
    response = client.post(reverse("wagtailimages:add"), {
        "title": title, "collection": collection.pk, "tags": "", "description": "",
        "file": SimpleUploadedFile(f"{title.lower()}.jpg", jpeg_bytes(width), "image/jpeg"),
    })
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title=title)


def page_with_image(parent: Page, image: object, slug: str = "gallery") -> ContentPage:
    page = ContentPage(title=slug.title(), slug=slug, live=False, body=[
        ("image", {"image": image, "alt": "The harbour", "caption": ""})])
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def image_in_document(client: Client, html_path: str) -> dict:
    response = client.get("/api/v2/pages/by-path/", {"html_path": html_path})
    assert response.status_code == 200, response.content[:500]
    (block,) = [block for block in response.json()["body"] if block["type"] == "image"]
    return block["value"]["image"]
