"""Page types of the example site."""

from django.db import models
from django.http import HttpRequest
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.api.listing import Listing
from cms.api.visibility import visible_pages
from cms.blocks.links import CallToActionBlock
from cms.blocks.stream import BodyStreamBlock
from cms.blocks.text import RICH_TEXT_FEATURES
from cms.core.models import BasePage
from cms.core.pages import HeadlessRoutablePageMixin, RouteAnswer
from cms.forms.models import BaseFormPage

ARTICLES_PER_PAGE = 10


class HomePage(BasePage):
    hero_heading = models.CharField(max_length=200, blank=True)
    hero_text = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta = StreamField([("cta", CallToActionBlock())], blank=True, max_num=1,
                           verbose_name="Hero call to action")
    body = StreamField(BodyStreamBlock(), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("hero_text"),
                         FieldPanel("hero_image"), FieldPanel("hero_cta")], heading="Hero"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [APIField("hero_heading"), APIField("hero_text"), APIField("hero_image"),
                  APIField("hero_cta"), APIField("body")]

    class Meta:
        verbose_name = "Home page"


class ContentPage(BasePage):
    body = StreamField(BodyStreamBlock(), blank=True)

    parent_page_types = ["example.HomePage", "example.ContentPage"]
    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]

    class Meta:
        verbose_name = "Content page"


class ArticleIndexPage(HeadlessRoutablePageMixin, BasePage):
    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    parent_page_types = ["example.HomePage"]
    subpage_types = ["example.ArticlePage"]
    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    # Paginated listings in the page document (cms.api.listing): the field "articles",
    # showing the pages the method of the same name gives, ARTICLES_PER_PAGE at a time.
    api_listings = [Listing("articles", "example.ArticlePage", per_page=ARTICLES_PER_PAGE)]

    class Meta:
        verbose_name = "Article index"

    def articles(self) -> "models.QuerySet[ArticlePage]":
        return (
            visible_pages(ArticlePage.objects.child_of(self))
            .order_by("-date", "-pk").prefetch_related("tags")
        )

    # Each page of the listing has an address of its own ("/articles/page/2/"), so that
    # every page is cached on its own; the first is the index's own address.
    @re_path(r"^page/([1-9][0-9]{0,5})/$", name="listing_page")
    def listing_page(self, request: HttpRequest, number: str) -> RouteAnswer:
        if number == "1":
            return RouteAnswer(redirect_to="")
        return RouteAnswer(listing_page=int(number))



class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "example.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(BasePage):
    date = models.DateField("Article date")
    intro = models.TextField(max_length=500, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyStreamBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    parent_page_types = ["example.ArticleIndexPage"]
    subpage_types: list[str] = []
    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags")], heading="Article"),
        FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"),
                     index.SearchField("body"), index.FilterField("date")]
    api_fields = [APIField("date"), APIField("intro"), APIField("hero_image"),
                  APIField("tags"), APIField("body")]
    # What an article shows in listings (article index, related lists).
    summary_fields = ["date", "intro", "hero_image", "tags"]

    class Meta:
        verbose_name = "Article"


class FormField(AbstractFormField):
    page = ParentalKey("example.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(BaseFormPage):
    """A form editors build (contact, sign-up...): cms.forms.models.BaseFormPage."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    parent_page_types = ["example.HomePage", "example.ContentPage"]
    subpage_types: list[str] = []
    content_panels = [*BasePage.content_panels, FieldPanel("intro"),
                      *BaseFormPage.content_panels[len(BasePage.content_panels):]]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), *BaseFormPage.api_fields]

    class Meta:
        verbose_name = "Form page"
