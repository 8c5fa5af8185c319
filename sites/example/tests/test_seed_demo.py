"""seed_demo builds a believable site, and running it again changes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from sites.example.models import ArticlePage, HomePage


def snapshot():
    return (Page.objects.count(), Site.objects.count(), get_image_model().objects.count(),
            Redirect.objects.count(), sorted(Page.objects.values_list("url_path", flat=True)))


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
    for path in ["/", "/about/", "/contact/", "/articles/"]:
        response = client.get("/api/v2/pages/by-path/", {"html_path": path})
        assert response.status_code == 200, path
    menu = json.loads(client.get("/api/v2/navigation/").content)["menu"]
    assert [item["title"] for item in menu] == ["About us", "Articles", "Contact"]


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
