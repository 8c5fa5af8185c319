"""Content for tests, made the way editors make it: pages added as drafts and published,
images and documents uploaded through the admin's own forms.

Pages are the test-only types of `cms.testing.pages`, never a site's.
"""

import io
import json
import random
import uuid
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from cms.testing.factories import SampleHomePageFactory
from cms.testing.pages.models import SampleContentPage, SampleHomePage

P = TypeVar("P", bound=Page)
BY_PATH = "/api/v2/pages/by-path/"


def ensure_tree_root() -> Page:
    """What Wagtail's migrations create and a transactional test's flush removes."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def make_home() -> SampleHomePage:
    """A published home page as the default site's root (localhost:80), replacing
    Wagtail's starter page and any other site."""
    root = ensure_tree_root()
    Site.objects.all().delete()
    for starter in root.get_children():
        starter.delete()
    home = SampleHomePageFactory(parent=root)
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Test site")
    return home


def add(parent: Page, page: P, publish: bool = True) -> P:
    """Add `page` under `parent` like the admin does: a draft, then (unless `publish` is
    false) a published revision. Returns the page, refreshed."""
    page.live = False
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def unsaved_child(parent: Page, page: P) -> P:
    """`page` as Wagtail's "preview on create" view builds it under `parent`: its tree
    fields set, nothing saved."""
    page.depth = parent.depth + 1
    page.path = parent.path + "0001"
    page.get_parent = lambda update=False: parent  # type: ignore[method-assign]
    return page


def by_path(client: Client, html_path: str, **params: Any) -> tuple[HttpResponse, Any]:
    """GET the page document at `html_path`: the response and its parsed JSON body (None
    for an empty body, as a 304 has)."""
    response = client.get(BY_PATH, {"html_path": html_path, **params})
    return response, json.loads(response.content) if response.content else None


def jpeg_bytes(width: int = 1800, height: int = 1200, noise: bool = False) -> bytes:
    """A photo-sized JPEG, different bytes on every call (Wagtail caches renditions in
    Redis by image id and file hash, and both repeat when a test database is made
    again); `noise` makes it incompressible (for size limits)."""
    if noise:
        image = PILImage.new("RGB", (width, height))
        rng = random.Random(5)
        image.frombytes(bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    else:
        image = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, comment=uuid.uuid4().hex.encode())
    return out.getvalue()


def pdf_bytes(size: int = 4000) -> bytes:
    """A PDF-looking file of `size` bytes."""
    body = b"%PDF-1.4\n% mortar test document\n"
    return body + b"0" * max(0, size - len(body) - 6) + b"\n%%EOF"


def root_collection() -> Collection:
    """Made by Wagtail's migrations, but gone after a transactional test flushed the tables."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def upload_image(client: Client, data: bytes, name: str = "pier.jpg", title: str = "Pier",
                 content_type: str = "image/jpeg",
                 collection: Collection | None = None) -> HttpResponse:
    """POST the admin's add-image form (302 when saved)."""
    collection = collection or root_collection()
    return client.post(reverse("wagtailimages:add"), {
        "title": title, "file": SimpleUploadedFile(name, data, content_type),
        "collection": collection.pk, "tags": "", "description": "",
    })


def uploaded_image(client: Client, title: str = "Harbour", width: int = 2000) -> Any:
    """Upload a JPEG `width` pixels wide through the admin; returns the new image."""
    response = upload_image(client, jpeg_bytes(width), name=f"{title.lower()}.jpg",
                            title=title)
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title=title)


def upload_images_multiple(client: Client, data: bytes, name: str = "pier.jpg") -> HttpResponse:
    """Wagtail's "Add images" page: one XHR per file, answered with JSON."""
    return client.post(reverse("wagtailimages:add_multiple"), {
        "files[]": SimpleUploadedFile(name, data, "image/jpeg"),
        "collection": root_collection().pk,
    }, headers={"x-requested-with": "XMLHttpRequest"})


def upload_document(client: Client, data: bytes, name: str = "report.pdf",
                    title: str = "Report", collection: Collection | None = None) -> HttpResponse:
    """POST the admin's add-document form (302 when saved)."""
    collection = collection or root_collection()
    return client.post(reverse("wagtaildocs:add"), {
        "title": title, "file": SimpleUploadedFile(name, data, "application/pdf"),
        "collection": collection.pk, "tags": "",
    })


def page_with_image(parent: Page, image: object, slug: str = "gallery") -> SampleContentPage:
    """A published content page whose body is one image block showing `image`."""
    return add(parent, SampleContentPage(title=slug.title(), slug=slug, body=[
        ("image", {"image": image, "alt": "The harbour", "caption": ""})]))


def image_in_document(client: Client, html_path: str) -> dict[str, Any]:
    """The image of the one image block of the page document at `html_path`."""
    response, document = by_path(client, html_path)
    assert response.status_code == 200, response.content[:500]
    (block,) = [block for block in document["body"] if block["type"] == "image"]
    return block["value"]["image"]
