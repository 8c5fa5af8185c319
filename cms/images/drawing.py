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


def draw_logo(color: tuple[int, int, int], height: int = 160) -> bytes:
    """A brand mark for demo sites: a rounded square of `color` holding three courses of
    white bricks (a square `height` pixels wide, with transparent corners). Returns PNG bytes."""
    size = height
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pixels = ImageDraw.Draw(image)
    pixels.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=(*color, 255))
    margin, gap = size // 6, max(2, size // 32)
    course = (size - 2 * margin - 2 * gap) // 3
    for row in range(3):
        top = margin + row * (course + gap)
        # Every other course starts half a brick in, as a wall is laid.
        offset = (size - 2 * margin) // 4 if row % 2 else 0
        left = margin - offset
        while left < size - margin:
            brick = (max(left, margin), top, min(left + (size - 2 * margin) // 2 - gap,
                                                  size - margin), top + course)
            if brick[2] > brick[0]:
                pixels.rectangle(brick, fill=(255, 255, 255, 255))
            left += (size - 2 * margin) // 2
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
