"""wagtail-factories for the test-only page types: `SampleContentPageFactory(parent=home,
title="About")` adds a page like the admin does (a draft, then a published revision);
`publish=False` leaves it a draft."""

import datetime
from typing import Any

import factory
import wagtail_factories
from wagtail.models import Page

from cms.testing.pages import models


class PublishedPageFactory(wagtail_factories.PageFactory):
    live = False  # a draft until its revision is published, as in the admin

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # publishing saved it

    @factory.post_generation
    def publish(page: Page, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            page.save_revision().publish()
            page.refresh_from_db()


class SampleHomePageFactory(PublishedPageFactory):
    title = "Home"

    class Meta:
        model = models.SampleHomePage


class SampleContentPageFactory(PublishedPageFactory):
    class Meta:
        model = models.SampleContentPage


class SampleIndexPageFactory(PublishedPageFactory):
    title = "Articles"

    class Meta:
        model = models.SampleIndexPage


class SampleArticlePageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = models.SampleArticlePage
