"""Every image format Wagtail accepts gets a rendition as `src`, in the format Wagtail chose
for it, and a srcset; the full-size original only while no rendition exists."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import features
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS, OWN_FORMAT_SPECS
from cms.testing.pages.models import SampleContentPage


def gradient(mode: str, width: int = 700, height: int = 400) -> PILImage.Image:
    grey = PILImage.linear_gradient("L").resize((width, height))
    if mode == "RGBA":
        image = grey.convert("RGBA")
        image.putalpha(PILImage.linear_gradient("L").resize((width, height)).rotate(90))
        return image
    return grey.convert(mode)


def encode(image: PILImage.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def rotated_jpeg() -> bytes:
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    return encode(gradient("RGB", 400, 700), "JPEG", exif=exif)


# name -> (file bytes, extension, the format Wagtail writes its width-N renditions in)
FORMATS = {
    "still GIF": (lambda: encode(gradient("P"), "GIF"), "gif", "png"),
    "CMYK JPEG": (lambda: encode(gradient("CMYK"), "JPEG"), "jpg", "jpeg"),
    "EXIF-rotated JPEG": (rotated_jpeg, "jpg", "jpeg"),
    "PNG with alpha": (lambda: encode(gradient("RGBA"), "PNG"), "png", "png"),
    "WebP": (lambda: encode(gradient("RGB"), "WEBP"), "webp", "webp"),
    "AVIF": (lambda: encode(gradient("RGB"), "AVIF"), "avif", "avif"),
    "1x1 PNG": (lambda: encode(gradient("RGB", 1, 1), "PNG"), "png", "png"),
}


def image_from(name: str):
    make, ext, _ = FORMATS[name]
    image = get_image_model()(title=name)
    image.file = ImageFile(ContentFile(make(), name=f"{name.replace(' ', '-')}.{ext}"))
    image.save()
    return image


def shown_image(client, home, image) -> dict:
    page = SampleContentPage(title="Gallery", slug="gallery", live=False, body=json.dumps([
        {"type": "image", "value": {"image": image.pk, "alt": "", "caption": ""}}]))
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/api/v2/pages/by-path/", {"html_path": "/gallery/"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)["body"][0]["value"]["image"]


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_gets_a_rendition_as_src(client, home, name):
    if name == "AVIF" and not features.check("avif"):
        pytest.skip("this Pillow cannot read AVIF, so Wagtail cannot take one")
    image = image_from(name)
    image.get_renditions(*FILTER_SPECS)
    own = [r for r in image.renditions.all() if r.filter_spec in OWN_FORMAT_SPECS]
    largest = max(own, key=lambda r: r.width)

    shown = shown_image(client, home, image)

    assert shown["src"] == largest.url != image.file.url
    assert shown["src"].rsplit(".", 1)[-1] == {"jpeg": "jpg"}.get(FORMATS[name][2],
                                                                  FORMATS[name][2])
    assert shown["src"] in [entry["url"] for entry in shown["srcset"]]
    assert {entry["format"] for entry in shown["srcset"]} >= {FORMATS[name][2]}
    assert all(entry["width"] <= max(image.width, image.height) for entry in shown["srcset"])


def test_a_gif_before_its_renditions_exist_shows_the_original_then_a_png(client, settings,
                                                                         home):
    settings.API_CACHE_SECONDS = 0  # no worker here to say the renditions were made
    image = image_from("still GIF")

    first = shown_image(client, home, image)
    image.get_renditions(*FILTER_SPECS)
    response = client.get("/api/v2/pages/by-path/", {"html_path": "/gallery/"})
    then = json.loads(response.content)["body"][0]["value"]["image"]

    assert first["src"] == image.file.url and first["srcset"] == []
    assert then["src"].endswith(".png") and "width-" in then["src"]
