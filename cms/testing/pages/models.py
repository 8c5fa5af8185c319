"""Page types for the platform's own tests, installed only under cms.testing.settings.

They stand for what a site brings: a home page, a content page whose StreamField uses
the platform's blocks, a paginated listing with a `page/<N>/` sub-route and the
articles it lists. The platform's tests use these, never a real site's models, so a
site can be renamed or removed without touching `cms/`. Their names are prefixed
(`Sample...`) because the OpenAPI document names a page type's schema by its class
name, which must not clash with a site's (`ContentPage`, ...).

`RoutedPage` and `LatestChildPage` have no `api_fields`, so the OpenAPI document
(cms.api.schema) leaves them out. `SampleNotice` is a draftable snippet (scheduling).
"""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Page, RevisionMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from cms.api.listing import Listing
from cms.api.visibility import visible_pages
from cms.blocks.links import CallToActionBlock
from cms.blocks.stream import BodyStreamBlock
from cms.blocks.text import RICH_TEXT_FEATURES
from cms.core.models import BasePage
from cms.core.pages import HeadlessRoutablePageMixin, RouteAnswer
from cms.forms.models import BaseFormPage

ARTICLES_PER_PAGE = 10


class SampleHomePage(BasePage):
    """A site's root: hero fields and a body."""

    hero_heading = models.CharField(max_length=200, blank=True)
    hero_text = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta = StreamField([("cta", CallToActionBlock())], blank=True, max_num=1)
    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("hero_heading"),
                      FieldPanel("hero_text"), FieldPanel("hero_image"),
                      FieldPanel("hero_cta"), FieldPanel("body")]
    api_fields = [APIField("hero_heading"), APIField("hero_text"), APIField("hero_image"),
                  APIField("hero_cta"), APIField("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]


class SampleContentPage(BasePage):
    """A page of blocks: the platform's whole BodyStreamBlock."""

    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    api_fields = [APIField("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]


class SampleIndexPage(HeadlessRoutablePageMixin, BasePage):
    """A paginated listing of its articles; page N of it is at `page/<N>/`."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    subpage_types = ["mortar_testing_pages.SampleArticlePage"]
    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    api_listings = [Listing("articles", "mortar_testing_pages.SampleArticlePage",
                            per_page=ARTICLES_PER_PAGE)]

    def articles(self) -> "models.QuerySet[SampleArticlePage]":
        return (visible_pages(SampleArticlePage.objects.child_of(self))
                .order_by("-date", "-pk").prefetch_related("tags"))

    @re_path(r"^page/([1-9][0-9]{0,5})/$", name="listing_page")
    def listing_page(self, request: HttpRequest, number: str) -> RouteAnswer:
        if number == "1":
            return RouteAnswer(redirect_to="")
        return RouteAnswer(listing_page=int(number))


class SampleArticleTag(TaggedItemBase):
    content_object = ParentalKey("mortar_testing_pages.SampleArticlePage",
                                 related_name="tagged_items", on_delete=models.CASCADE)


class SampleArticlePage(BasePage):
    """An item of a listing: a date, tags, a hero image and a body."""

    date = models.DateField()
    intro = models.TextField(max_length=500, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyStreamBlock(), blank=True)
    tags = ClusterTaggableManager(through=SampleArticleTag, blank=True)

    parent_page_types = ["mortar_testing_pages.SampleIndexPage"]
    subpage_types: list[str] = []
    content_panels = [*BasePage.content_panels, FieldPanel("date"), FieldPanel("tags"),
                      FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    api_fields = [APIField("date"), APIField("intro"), APIField("hero_image"),
                  APIField("tags"), APIField("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"),
                     index.SearchField("body")]
    summary_fields = ["date", "intro", "hero_image", "tags"]


class SampleFormField(AbstractFormField):
    page = ParentalKey("mortar_testing_pages.SampleFormPage", on_delete=models.CASCADE,
                       related_name="form_fields")


class SampleFormPage(BaseFormPage):
    """A form editors build: the platform's form page as it is (cms.forms)."""


class RoutedPage(HeadlessRoutablePageMixin, Page):
    """Sub-routes: `archive/<year>/` shows the page, `moved/` redirects to an archive,
    `html-only/` answers HTML (which the API does not serve)."""

    @path("archive/<int:year>/", name="archive")
    def archive(self, request: HttpRequest, year: int) -> RouteAnswer:
        if year < 2000:
            raise Http404
        return RouteAnswer()

    @path("moved/", name="moved")
    def moved(self, request: HttpRequest) -> RouteAnswer:
        return RouteAnswer(redirect_to="archive/2024/", permanent=False)

    @path("html-only/", name="html_only")
    def html_only(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("<p>HTML</p>")


class LatestChildPage(Page):
    """A custom `route()`: `latest/` is its most recently published live child."""

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components == ["latest"]:
            child = (self.get_children().live().order_by("-first_published_at")
                     .specific().first())
            if child is None:
                raise Http404
            return RouteResult(child)
        return super().route(request, path_components)


@register_snippet
class SampleNotice(DraftStateMixin, RevisionMixin, models.Model):
    """A draftable snippet (drafts, go-live and expiry, as a site's banner or notice)."""

    text = models.CharField(max_length=200)

    panels = [FieldPanel("text"), PublishingPanel()]

    def __str__(self) -> str:
        return self.text
