"""seed_demo builds a believable site once, and never touches a site that has pages."""

import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.blocks import StreamValue
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.blocks.content import editor_data
from cms.blocks.samples import heavy_body
from cms.core.models import NavigationSettings
from sites.example.models import ArticleIndexPage, ArticlePage, ContentPage, HomePage


def snapshot():
    return (Page.objects.count(), Site.objects.count(), get_image_model().objects.count(),
            Redirect.objects.count(), sorted(Page.objects.values_list("url_path", flat=True)))


def editors_view():
    """What an editor's work consists of: the tree, live states, drafts and revisions."""
    pages = [(page.path, page.slug, page.title, page.draft_title, page.live,
              page.has_unpublished_changes, page.latest_revision_id, page.live_revision_id)
             for page in Page.objects.order_by("path")]
    return pages, list(Revision.objects.order_by("pk").values_list("pk", "object_id"))


def test_seed_demo_twice_leaves_one_demo_site(db, client):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    assert Site.objects.count() == 1
    site = Site.objects.get()
    assert isinstance(site.root_page.specific, HomePage)
    assert ArticlePage.objects.live().count() >= 12
    assert HomePage.objects.count() == 1
    for path in ["/", "/about/", "/contact/", "/articles/", "/contact/message/"]:
        response = client.get("/api/v2/pages/by-path/", {"html_path": path})
        assert response.status_code == 200, path
    navigation = json.loads(client.get("/api/v2/navigation/").content)
    assert [item["title"] for item in navigation["menu"]] == ["About us", "Articles", "Contact"]
    # A brand an agency could show a client: a name beside a logo, a colour, a font.
    brand = navigation["brand"]
    assert (brand["name"], brand["show_name"], brand["primary_color"]) == (
        "Mortar & Co.", True, "#0f766e")
    assert brand["logo"]["width"] == brand["logo"]["height"] and brand["logo"]["alt"] == ""
    assert "Seravek" in brand["font_family"]
    form = json.loads(client.get("/api/v2/pages/by-path/",
                                 {"html_path": "/contact/message/"}).content)
    assert form["meta"]["type"] == "example.FormPage"
    assert [field["name"] for field in form["form"]["fields"]] == [
        "your_name", "email", "topic", "message", "send_me_the_newsletter"]


def test_seeding_again_leaves_the_editors_work_alone(db, client):
    call_command("seed_demo", verbosity=0)
    articles = ArticleIndexPage.objects.get()
    contact = ContentPage.objects.get(slug="contact")
    contact.unpublish()
    renamed = articles.get_children().first().specific
    old_slug = renamed.slug
    renamed.title, renamed.slug = "A renamed article", "a-renamed-article"
    renamed.save_revision().publish()
    team = ContentPage.objects.get(slug="team")
    team.move(articles.get_parent(), pos="last-child")
    about = ContentPage.objects.get(slug="about")
    about.title = "About us (draft)"
    about.save_revision()
    before = editors_view()

    call_command("seed_demo", verbosity=0)

    assert editors_view() == before
    contact.refresh_from_db()
    assert not contact.live
    assert not Page.objects.filter(slug=old_slug).exists()
    listing = json.loads(client.get("/api/v2/pages/by-path/",
                                    {"html_path": "/articles/"}).content)
    titles = [article["title"] for article in listing["articles"]["items"]]
    assert len(titles) == len(set(titles)) and "A renamed article" in titles


def test_seeding_a_site_with_pages_of_its_own_makes_no_demo_content(db):
    from cms.testing.content import make_home

    make_home()
    before = editors_view()
    call_command("seed_demo", verbosity=0)
    assert editors_view() == before
    with pytest.raises(CommandError, match="needs an article index"):
        call_command("seed_demo", "--pages", "3", verbosity=0)


def test_seed_demo_pages_option_makes_a_large_tree(db, client):
    call_command("seed_demo", "--pages", "30", verbosity=0)
    count = ArticlePage.objects.live().count()
    call_command("seed_demo", "--pages", "30", verbosity=0)

    assert count >= 44 and ArticlePage.objects.live().count() == count
    response = client.get("/api/v2/pages/by-path/", {"html_path": "/articles/generated-29/"})
    assert response.status_code == 200
    assert json.loads(response.content)["meta"]["breadcrumbs"][-1]["title"] == "Articles"
    listing = client.get("/api/v2/pages/by-path/", {"html_path": "/articles/", "page": "2"})
    assert json.loads(listing.content)["articles"]["total"] == count


def test_seed_demo_rejects_a_negative_page_count(db):
    with pytest.raises(CommandError, match="--pages must be 0 or more"):
        call_command("seed_demo", "--pages", "-1", verbosity=0)


def stream_fields(instance) -> list[tuple[StreamField, StreamValue]]:
    return [(field, getattr(instance, field.name)) for field in instance._meta.get_fields()
            if isinstance(field, StreamField)]


def assert_as_the_editor_saves(instance) -> None:
    """Every block and list item has an id, the data is what the editor would save of it,
    and it passes the validation that publishing runs."""
    for field, value in stream_fields(instance):
        raw = list(value.raw_data)
        assert editor_data(field.stream_block, raw) == raw, (instance, field.name)
        field.stream_block.clean(field.stream_block.to_python(raw))


def test_every_seeded_page_is_stored_as_the_editor_saves_it(db, admin_client):
    call_command("seed_demo", "--pages", "3", verbosity=0)
    articles = ArticlePage.objects.filter(slug__startswith="generated-").order_by("pk")
    index = ArticleIndexPage.objects.get()
    heavy = ArticlePage(slug="heavy", title="Heavy", date="2026-01-01",
                        body=heavy_body(list(articles), list(get_image_model().objects.all()), 10))
    index.add_child(instance=heavy)
    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    assert len(pages) > 20 and any(stream_fields(page) for page in pages)
    for page in pages:
        assert_as_the_editor_saves(page)
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    nav = NavigationSettings.for_site(Site.objects.get())
    assert len(nav.footer_links) == 3
    assert_as_the_editor_saves(nav)
    home = HomePage.objects.get()
    cards = next(block for block in home.body if block.block_type == "cards")
    assert [card["title"] for card in cards.value["cards"]] == ["About us", "Articles", "Contact"]
