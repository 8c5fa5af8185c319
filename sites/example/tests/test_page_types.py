"""Where each page type may be created, checked with Wagtail's own test helpers."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from sites.example.models import ArticleIndexPage, ArticlePage, ContentPage, HomePage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(ContentPage, HomePage)

    def test_content_pages_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanCreateAt(ContentPage, ContentPage)
        self.assertCanNotCreateAt(ArticleIndexPage, ContentPage)

    def test_articles_only_in_an_article_index(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(ContentPage, ArticlePage)

    def test_article_index_only_under_home(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})


class EditorCreatesPagesTests(WagtailPageTestCase):
    """An editor fills in the admin forms; the page is saved with its blocks."""

    def setUp(self):
        self.user = self.login()
        root = Page.get_first_root_node()
        self.home = root.add_child(instance=HomePage(title="Home", slug="home-test"))
        self.index = self.home.add_child(instance=ArticleIndexPage(title="News", slug="news"))

    def test_editor_creates_an_article_with_blocks(self):
        self.assertCanCreate(self.index, ArticlePage, nested_form_data({
            "title": "Launch day",
            "slug": "launch-day",
            "date": "2026-11-27",
            "intro": "We launched.",
            "tags": "launch, news",
            "body": streamfield([
                ("heading", {"text": "Hello", "level": "3"}),
                ("rich_text", rich_text("<p>Some <b>bold</b> text</p>")),
                ("quote", {"text": "Ship it.", "attribution": "Us"}),
            ]),
        }))
        article = ArticlePage.objects.get(slug="launch-day")
        assert [block.block_type for block in article.body] == ["heading", "rich_text", "quote"]
        assert sorted(article.tags.names()) == ["launch", "news"]

    def test_call_to_action_needs_exactly_one_target(self):
        response = self.client.post(
            f"/admin/pages/add/example/contentpage/{self.home.pk}/",
            nested_form_data({
                "title": "Broken", "slug": "broken",
                "body": streamfield([("cta", {"label": "Go", "link": {"page": "", "url": ""}})]),
            }),
        )
        assert response.status_code == 200  # the form again, with errors; nothing saved
        assert not ContentPage.objects.filter(slug="broken").exists()
        assert b"Choose a page or enter an external URL" in response.content
