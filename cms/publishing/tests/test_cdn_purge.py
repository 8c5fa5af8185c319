"""A CDN in front of the site is purged by URL through Wagtail's frontend_cache backends."""

import pytest
from django.utils import timezone
from wagtail.models import Site

from cms.publishing import renderer_tags
from cms.publishing.delivery import cdn_urls, purge
from cms.publishing.models import Delivery, DeliveryTarget, RevalidationRequest
from cms.testing.standins import StandInCdn


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


def test_a_told_renderers_tags_are_purged_from_the_cdn_through_wagtails_backend(home, cdn):
    docs = Site.objects.create(hostname="docs.example.com", port=443, root_page=home)
    renderer = DeliveryTarget.objects.create(kind=DeliveryTarget.RENDERER,
                                             url="http://127.0.0.1:9")
    told = Delivery.objects.create(
        request=RevalidationRequest.objects.create(tags=["page:1"]), renderer=renderer,
        told_at=timezone.now(), tags={str(Site.objects.get(is_default_site=True).pk):
                                      ["localhost|path:/about/"],
                                      str(docs.pk): ["docs.example.com|path:/guide/"]})

    purge()

    assert sorted(cdn.purged) == ["docs.example.com/guide/", "localhost/about/"]
    told.refresh_from_db()
    assert told.purged_at is not None


def test_purge_headers_carry_tags_as_the_renderer_encodes_them():
    from cms.publishing.delivery import _header_batches

    # encodeURIComponent("path:/日本語/") in web/proxy.ts gives the same string.
    assert _header_batches(["path:/日本語/", "navigation"]) == [
        "path%3A%2F%E6%97%A5%E6%9C%AC%E8%AA%9E%2F navigation"]
