from django.apps import AppConfig


class BrandConfig(AppConfig):
    """A site's brand (Settings > Brand): name, logo, colour and font, shown by the renderer."""

    name = "cms.brand"
    label = "brand"
    verbose_name = "Mortar brand"
