"""Images drawn locally with Pillow (demo content, tests): no download, same pixels every run."""

import io
import math

from PIL import Image, ImageDraw

PALETTES = [
    ((244, 162, 97), (42, 157, 143)), ((38, 70, 83), (233, 196, 106)),
    ((231, 111, 81), (38, 70, 83)), ((106, 76, 147), (25, 130, 196)),
    ((138, 201, 38), (255, 202, 58)), ((255, 89, 94), (25, 130, 196)),
    ((17, 138, 178), (6, 214, 160)), ((239, 71, 111), (255, 209, 102)),
]


def draw(index: int, width: int = 1600, height: int = 1000) -> bytes:
    """A gradient with circles; `index` picks colours and layout. Returns JPEG bytes."""
    start, end = PALETTES[index % len(PALETTES)]
    image = Image.new("RGB", (width, height))
    pixels = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        pixels.line([(0, y), (width, y)],
                    fill=tuple(int(start[c] + (end[c] - start[c]) * t) for c in range(3)))
    for n in range(6):
        angle = (index + 1) * 0.9 + n
        cx = int(width * (0.5 + 0.35 * math.cos(angle)))
        cy = int(height * (0.5 + 0.3 * math.sin(angle * 1.3)))
        r = int(min(width, height) * (0.06 + 0.03 * n))
        pixels.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
