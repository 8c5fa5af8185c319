"""Uploads as an editor makes them: multipart POSTs to Wagtail's admin views."""

import io
import random
import socket
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Collection


def jpeg_bytes(width: int = 1800, height: int = 1200, noise: bool = False) -> bytes:
    """A real photo-sized JPEG; `noise` makes it incompressible (for size limits)."""
    image = PILImage.new("RGB", (width, height))
    if noise:
        rng = random.Random(5)
        image.frombytes(bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    else:
        image.putdata([(x * 255 // width, y * 255 // height, 128)
                       for y in range(height) for x in range(width)])
    out = io.BytesIO()
    # Unique bytes per call: Wagtail caches renditions in Redis by image id and file
    # hash, and both repeat when a test database is created again.
    image.save(out, "JPEG", quality=90, comment=uuid.uuid4().hex.encode())
    return out.getvalue()


def root_collection() -> Collection:
    """Made by Wagtail's migrations, but gone after a transactional test flushed the tables."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def upload_image(client: Client, data: bytes, name: str = "pier.jpg", title: str = "Pier",
                 content_type: str = "image/jpeg", collection: Collection | None = None):
    collection = collection or root_collection()
    return client.post(reverse("wagtailimages:add"), {
        "title": title, "file": SimpleUploadedFile(name, data, content_type),
        "collection": collection.pk, "tags": "", "description": "",
    })


def upload_document(client: Client, data: bytes, name: str = "report.pdf",
                    title: str = "Report", collection: Collection | None = None):
    collection = collection or root_collection()
    return client.post(reverse("wagtaildocs:add"), {
        "title": title, "file": SimpleUploadedFile(name, data, "application/pdf"),
        "collection": collection.pk, "tags": "",
    })


def pdf_bytes(size: int = 4000) -> bytes:
    body = b"%PDF-1.4\n% mortar test document\n"
    return body + b"0" * max(0, size - len(body) - 6) + b"\n%%EOF"


def upload_images_multiple(client: Client, data: bytes, name: str = "pier.jpg"):
    """Wagtail's "Add images" page: one XHR per file, answered with JSON."""
    return client.post(reverse("wagtailimages:add_multiple"), {
        "files[]": SimpleUploadedFile(name, data, "image/jpeg"),
        "collection": root_collection().pk,
    }, headers={"x-requested-with": "XMLHttpRequest"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def current_database_url() -> str:
    """The test database, for server processes started by a test."""
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
