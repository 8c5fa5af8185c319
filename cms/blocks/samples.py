"""Sample bodies made of the platform's blocks, for demo content, benchmarks and tests."""

import itertools
from typing import Any

from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.blocks.content import editor_json
from cms.blocks.stream import BodyStreamBlock


def heavy_body(pages: list[Page], images: list[AbstractImage], blocks: int) -> str:
    """A body of `blocks` blocks cycling through images, page links, rich text with internal
    links and images, nested two-column sections and cards: the benchmarks' heavy page."""
    body: list[dict[str, Any]] = []
    next_image, next_page = itertools.cycle(images), itertools.cycle(pages)
    for n in range(blocks):
        kind = n % 5
        image = next(next_image) if kind != 1 else None
        page = next(next_page) if kind != 0 else None
        if kind == 0:
            body.append({"type": "image", "value": {"image": image.pk, "alt": "", "caption": ""}})
        elif kind == 1:
            body.append({"type": "cta", "value": {"label": "Go",
                                                  "link": {"page": page.pk, "url": ""}}})
        elif kind == 2:
            body.append({"type": "rich_text", "value":
                         f'<p><a linktype="page" id="{page.pk}">p</a> '
                         f'<embed embedtype="image" id="{image.pk}" format="left" alt="a"/></p>'})
        elif kind == 3:
            body.append({"type": "two_column", "value": {
                "left": [{"type": "image", "value": {"image": image.pk, "alt": "",
                                                     "caption": ""}}],
                "right": [{"type": "cta", "value": {"label": "x",
                                                    "link": {"page": page.pk, "url": ""}}}],
            }})
        else:
            body.append({"type": "cards", "value": {"heading": "", "cards": [
                {"title": "c", "text": "", "image": image.pk,
                 "link": {"page": page.pk, "url": ""}}]}})
    return editor_json(BodyStreamBlock(), body)
