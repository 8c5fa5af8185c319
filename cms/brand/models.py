"""A site's brand: what an agency changes to show a client their site, with no rebuild.

Settings > Brand in the admin, one row per Wagtail Site. The navigation endpoint gives it
to the renderer (`brand` in `/api/v2/navigation/`, cms.brand.api), which applies it to
every page; saving it revalidates every page, as any setting does (cms.publishing.changes).
"""

from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms.brand.colors import validate_primary_color

# System font stacks only: nothing is downloaded at build or run time, and each stack
# falls back to a font every platform has (after modernfontstacks.com).
FONTS: dict[str, tuple[str, str]] = {
    "system": ("System sans-serif (default)",
               'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, '
               '"Helvetica Neue", Arial, sans-serif'),
    "humanist": ("Humanist sans-serif",
                 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", '
                 "source-sans-pro, sans-serif"),
    "geometric": ("Geometric sans-serif",
                  'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif'),
    "rounded": ("Rounded sans-serif",
                'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, '
                '"Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, '
                "sans-serif"),
    "transitional": ("Transitional serif",
                     'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif'),
    "old_style": ("Old-style serif",
                  '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, serif'),
}
DEFAULT_FONT = "system"
# Tailwind's stone-800, the neutral the site starts with.
DEFAULT_PRIMARY_COLOR = "#292524"


@register_setting(icon="image")
class BrandSettings(BaseSiteSetting):
    """The site's name, logo, primary colour and font, as the renderer shows them."""

    site_name = models.CharField(
        max_length=80, blank=True,
        help_text="Shown in the header of every page. Blank: the Site's name in "
                  "Settings > Sites.")
    show_site_name = models.BooleanField(
        default=True, help_text="Untick when the logo already spells the name: the logo "
                                "then stands for it, for screen readers too.")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Shown 40 pixels high at the top of every page; a "
                                    "wide PNG or JPEG with some space around it works best.")
    primary_color = models.CharField(
        "primary colour", max_length=7, default=DEFAULT_PRIMARY_COLOR,
        validators=[validate_primary_color],
        help_text="Buttons, links and the marked menu entry. It must be dark enough to read "
                  "on the page and to carry white text.")
    font = models.CharField(
        max_length=20, choices=[(key, label) for key, (label, _stack) in FONTS.items()],
        default=DEFAULT_FONT, help_text="Fonts already on your visitors' devices: nothing "
                                        "to download, so pages stay fast.")

    panels = [
        FieldPanel("site_name"), FieldPanel("show_site_name"), FieldPanel("logo"),
        FieldPanel("primary_color", widget=forms.TextInput(attrs={"type": "color"})),
        FieldPanel("font"),
    ]

    class Meta:
        verbose_name = "Brand"

    def clean(self) -> None:
        super().clean()
        self.primary_color = (self.primary_color or "").lower()

    @property
    def font_family(self) -> str:
        """The CSS font-family stack of the chosen font."""
        return FONTS.get(self.font, FONTS[DEFAULT_FONT])[1]
