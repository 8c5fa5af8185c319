"""Fixtures shared by the unit and integration tests of every app."""

import pytest
from wagtail.models import Page, Site

from sites.example.models import HomePage


@pytest.fixture
def home(db) -> HomePage:
    """A published home page as the default site's root, replacing Wagtail's starter page."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for starter in root.get_children():
        starter.delete()
    home = HomePage(title="Home", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Test site")
    return home
