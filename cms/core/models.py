"""What every page type and every site shares: SEO fields, site navigation, its renderer."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks.links import LinkBlock
from cms.core.forms import SchedulePageForm
from cms.core.pages import PreviewMixin
from cms.core.renderers import validate_renderer_url
from cms.publishing.panels import RendererStatusPanel


class BasePage(PreviewMixin, Page):
    """Every Mortar page type inherits this: SEO fields, headless serving and preview."""

    base_form_class = SchedulePageForm

    search_description_max = 300

    social_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Shown when the page is shared; 1200x630 works best.",
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description"),
             FieldPanel("social_image")],
            heading="SEO and sharing",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="Navigation"),
    ]

    # Fields the API serves, in order, for the stock v2 endpoint and our by-path document.
    api_fields: list[APIField] = []

    class Meta:
        abstract = True


class FooterLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80)
    link = LinkBlock()


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """Footer content of a site; the main menu is the home page's children shown in menus."""

    footer_text = models.CharField(max_length=300, blank=True)
    footer_links = StreamField([("link", FooterLinkBlock())], blank=True)

    panels = [FieldPanel("footer_text"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = "Navigation and footer"


@register_setting(icon="site")
class RendererSettings(BaseSiteSetting):
    """The public base URL of the renderer (Next.js) that serves this Site.

    Preview, "view live" and revalidation of this Site's pages go there
    (`cms.core.renderers.renderer_url`); blank: the FRONTEND_URL environment setting.
    """

    url = models.CharField(
        "renderer URL", max_length=255, blank=True, validators=[validate_renderer_url],
        help_text="The renderer that shows this site, e.g. https://docs.example.com "
                  "(an optional base path, no query). Blank: the FRONTEND_URL setting.")

    # Below the field: what it is for, and whether that renderer hears of changes.
    panels = [FieldPanel("url"), RendererStatusPanel(heading="Revalidation")]

    class Meta:
        verbose_name = "Renderer"
