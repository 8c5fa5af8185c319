"""A CDN in front of the site is purged by URL through Wagtail's frontend_cache backends."""

import pytest
from wagtail.models import Site

from cms.publishing import renderer_tags
from cms.publishing.delivery import cdn_urls, purge_http_caches
from cms.publishing.tests.renderer import StandInCdn


@pytest.fixture
def cdn(settings):
    stand_in = StandInCdn()
    settings.HTTP_CACHE_PURGE_URLS = []
    settings.WAGTAILFRONTENDCACHE = {"cdn": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": stand_in.url}}
    yield stand_in
    stand_in.close()


def test_tags_become_the_public_urls_of_their_site(home):
    main = Site.objects.get()
    docs = Site.objects.create(hostname="docs.example.com", port=443, root_page=home)
    renderer_tags.record("localhost|path:/about/", {"page:1"}, main)
    renderer_tags.record("localhost|path:/contact/", {"page:2"}, main)
    renderer_tags.record("docs.example.com|path:/guide/", {"page:3"}, docs)

    assert cdn_urls(["localhost|path:/about/"], main) == ["http://localhost/about/"]
    assert cdn_urls(["path:/about/"], main) == ["http://localhost/about/"]  # no `site` sent
    # The menu is on every page cached for the Site; the sitemap has its own URL.
    assert cdn_urls(["docs.example.com|navigation", "docs.example.com|sitemap"], docs) == [
        "https://docs.example.com/guide/", "https://docs.example.com/sitemap.xml"]
    assert cdn_urls(["localhost|navigation"], main) == [
        "http://localhost/about/", "http://localhost/contact/"]


def test_a_delivery_purges_the_cdn_through_wagtails_backend(home, cdn):
    docs = Site.objects.create(hostname="docs.example.com", port=443, root_page=home)
    purge_http_caches({Site.objects.get(is_default_site=True).pk: ["localhost|path:/about/"],
                       docs.pk: ["docs.example.com|path:/guide/"]}, row_id=0)
    assert sorted(cdn.purged) == ["docs.example.com/guide/", "localhost/about/"]


def test_purge_headers_carry_tags_as_the_renderer_encodes_them():
    from cms.publishing.delivery import _header_batches

    # encodeURIComponent("path:/日本語/") in web/proxy.ts gives the same string.
    assert _header_batches(["path:/日本語/", "navigation"]) == [
        "path%3A%2F%E6%97%A5%E6%9C%AC%E8%AA%9E%2F navigation"]
