"""Redirects and query strings on the production build (proxy.ts asks the CMS, whose rule
is tested in cms/api/tests/test_redirects.py): an old address stored with its query
string redirects, and a visitor's query goes along to the target unless it has its own."""

from collections.abc import Iterator

import pytest

from tests.e2e.helpers import cms_shell, fetch

pytestmark = pytest.mark.django_db

REDIRECTS = """
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site
site = Site.objects.get(is_default_site=True)
def page(slug):
    return Page.objects.get(url_path=f"/home/{slug}/")
for old_path, target in [("/law", page("contact")), ("/products?id=123", page("about")),
                         ("/index.php?page=5&lang=en", page("articles")),
                         ("/campaign", "https://example.org/?ref=mortar")]:
    Redirect.objects.create(
        old_path=Redirect.normalise_path(old_path), site=site, is_permanent=True,
        **({"redirect_link": target} if isinstance(target, str) else {"redirect_page": target}))
"""
REMOVE = """
from wagtail.contrib.redirects.models import Redirect
Redirect.objects.filter(old_path__in=["/law", "/products?id=123", "/index.php?lang=en&page=5",
                                      "/campaign"]).delete()
"""


@pytest.fixture(scope="module")
def redirects(cms_env, web_server) -> Iterator[None]:
    cms_shell(cms_env, REDIRECTS)
    try:
        yield
    finally:
        cms_shell(cms_env, REMOVE)


@pytest.mark.parametrize(("path", "status", "location"), [
    # The visitor's query goes along (campaign tracking survives the move).
    ("/law/?utm_source=news&utm_medium=email", 308, "/contact/?utm_source=news&utm_medium=email"),
    ("/law/", 308, "/contact/"),
    # An old address stored with its query: that query, its parameters in any order.
    ("/products/?id=123", 308, "/about/"),
    ("/products?id=123", 308, "/products/?id=123"),  # the site's trailing slash first
    ("/index.php?lang=en&page=5", 308, "/articles/"),
    ("/products/?id=124", 404, None),
    # A target with a query of its own keeps it.
    ("/campaign/?utm_source=news", 308, "https://example.org/?ref=mortar"),
    # A page at the address answers, whatever the query.
    ("/about/?utm_source=news", 200, None),
])
def test_redirects_with_query_strings(redirects, web_server, path, status, location):
    answer = fetch(f"{web_server}{path}")
    assert answer[0] == status, (path, answer[0], answer[1].get("location"))
    if location is not None:
        assert answer[1]["location"] == location
