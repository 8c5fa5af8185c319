"""Colour arithmetic for the brand: WCAG 2 contrast, so that a brand colour stays readable.

The renderer shows the primary colour as text (links) on its page background and as the
background of white text (buttons), so the one check is the contrast with the lightest
surface it meets: SURFACE, the page background of web/app/globals.css (Tailwind's
stone-50). Whatever passes on it passes on white too, and carries white text as well.
"""

import re

from django.core.exceptions import ValidationError

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
SURFACE = "#fafaf9"
# WCAG 2.x level AA for normal text (success criterion 1.4.3), which Lighthouse checks.
MIN_CONTRAST = 4.5


def relative_luminance(color: str) -> float:
    """The WCAG relative luminance of a `#rrggbb` colour, from 0 (black) to 1 (white)."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_primary_color(value: str) -> None:
    """A `#rrggbb` colour dark enough to read on the site's background and to carry white
    text (contrast at least MIN_CONTRAST); raises ValidationError saying what to change."""
    if not HEX_COLOR.fullmatch(value or ""):
        raise ValidationError("Enter a colour as # and six hexadecimal digits, such as #0f766e.",
                              code="invalid")
    ratio = contrast_ratio(value, SURFACE)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            "%(color)s is too light to read on the site's background: its contrast is "
            "%(ratio).1f:1 and text needs %(minimum).1f:1. Choose a darker shade.",
            params={"color": value, "ratio": ratio, "minimum": MIN_CONTRAST}, code="too_light")
