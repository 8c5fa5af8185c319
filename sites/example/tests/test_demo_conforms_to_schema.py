"""The example site's demo content, and the benchmarks' heavy page on it, conform to the
OpenAPI document the renderer's types come from."""

from django.core.management import call_command

from cms.blocks.samples import heavy_body
from cms.testing.contract import assert_site_conforms
from sites.example.models import ArticlePage


def test_every_demo_page_and_the_heavy_page_conform(client, db):
    call_command("seed_demo", verbosity=0)
    articles = ArticlePage.objects.live().order_by("pk")
    images = list({page.hero_image for page in articles if page.hero_image})
    index = articles[0].get_parent()
    heavy = ArticlePage(title="Heavy", slug="heavy", date="2026-01-01", live=False,
                        body=heavy_body(list(articles[:12]), images, 50))
    index.add_child(instance=heavy)
    heavy.save_revision().publish()

    types = assert_site_conforms(client, "/articles/")

    assert "/articles/heavy/" in types and len(types) >= 18
    assert set(types.values()) == {"example.HomePage", "example.ContentPage",
                                   "example.ArticleIndexPage", "example.ArticlePage",
                                   "example.FormPage"}
