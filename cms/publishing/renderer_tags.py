"""Which renderer cache entries show which dependency names, on which Site.

The renderer tags the entry of each CMS answer it caches: `path:<html_path>` for a
page by path (each page of a listing has its own, "/articles/page/2/"), `navigation`,
`sitemap`, each qualified by the `site` parameter it sent (`qualified`):
`docs.example.com|path:/about/`; a client that sends no `site` gets the bare tag. The
CMS records the dependency names of each answer under the entry's tag and the Site it
answered for; delivering a change then sends each Site's renderer the tags of its
entries that share a name with it, and nothing broader.

The invariant: every entry a renderer can hold is recorded, whoever asked first and
whichever cache answered. Recorded are
- every answer the renderer is given (`Authorization: Bearer REVALIDATE_SECRET`), built or
  served from the CMS's document cache: a document built for another client carries its
  Site and names beside it (cms.publishing.cache), and is recorded when the renderer is served it;
- every document built for anyone under a tag of one per page and Site (`records`), so that
  the renderer is usually served a document recorded already, at no cost to a cache hit.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Site

from cms.publishing.models import RendererDependency

NAVIGATION = "navigation"
SITEMAP = "sitemap"
PATH_PREFIX = "path:"
# Between the `site` parameter and the tag; no hostname holds it (cms.api.requests).
SITE_SEPARATOR = "|"
# Next.js ignores longer tags (and the renderer's revalidate route refuses them).
MAX_TAG_LENGTH = 256
# Before the digest that stands for a tag longer than that (`fitted`).
DIGEST_PREFIX = "sha256:"
# Tags, or paths, in one revalidation request at most (the renderer's limit; the
# RevalidateRequest schema of /api/v2/schema/).
MAX_ITEMS = 1000
# Longer than any entry lives: the CMS's document cache, then the renderer's.
RENDERER_MAX_AGE = timedelta(days=1)


def path_tag(html_path: str) -> str:
    """The bare tag of the renderer's entry for the page at `html_path`, as it asked."""
    return f"{PATH_PREFIX}{html_path}"


def qualified(tag: str, site_param: str | None) -> str:
    """`tag` as the renderer that sent `site=<site_param>` tags its entry:
    `<site_param>|<tag>`; the bare tag when the request had no `site` parameter; either
    `fitted`."""
    return fitted(f"{site_param}{SITE_SEPARATOR}{tag}" if site_param else tag)


def fitted(tag: str) -> str:
    """`tag`, or past MAX_TAG_LENGTH `sha256:` and the hex SHA-256 of its UTF-8 (71
    characters), as the renderer tags the entry (web/lib/cache-tags.ts): a page's address
    can be longer than a tag may be. The length is counted as JavaScript counts it, in
    UTF-16 code units (a character outside the BMP is two). A CDN purged by URL cannot be
    told such a page (`delivery.cdn_urls` reads the path from the tag)."""
    if len(tag.encode("utf-16-le")) // 2 <= MAX_TAG_LENGTH:
        return tag
    return DIGEST_PREFIX + hashlib.sha256(tag.encode()).hexdigest()


def bare(tag: str) -> str:
    """The tag without its site qualification (`a.example|path:/x/` -> `path:/x/`)."""
    if tag.startswith(PATH_PREFIX) or tag in (NAVIGATION, SITEMAP):
        return tag
    return tag.partition(SITE_SEPARATOR)[2] or tag


def records(site_param: str | None, site: Site, from_renderer: bool) -> bool:
    """Whether an answer for `site=site_param` is recorded under its tag as it is built:
    always for the renderer; for anyone else when that tag is one of a bounded few, one
    per page and Site: no `site` (the bare tag), or `site` naming the Site's own hostname
    (as its renderer sends it). Anyone may send any other `site` (it falls back to the
    default Site), and each value would be a set of tags to remember and purge."""
    if from_renderer or site_param is None:
        return True
    return site_param.partition(":")[0] == site.hostname


def record(tag: str, names: Iterable[str], site: Site | int) -> None:
    """The entry `tag` (qualified) of `site` (a Site or its id) shows `names`: one upsert,
    whatever the number of names."""
    if len(tag) > MAX_TAG_LENGTH:
        return  # no renderer entry can carry it (`qualified` fits every tag it makes)
    now = timezone.now()
    site_id = site if isinstance(site, int) else site.pk
    # In one order in every process (a set's follows the process's hash seed): two
    # processes upserting the same rows in two orders deadlock.
    RendererDependency.objects.bulk_create(
        [RendererDependency(site_id=site_id, name=name, tag=tag, seen_at=now)
         for name in sorted(set(names))],
        update_conflicts=True, unique_fields=["site", "name", "tag"], update_fields=["seen_at"],
    )


def tags_by_site(names: Iterable[str]) -> dict[int, list[str]]:
    """The tags of the renderer entries that show any of `names`, sorted, by Site id."""
    found: dict[int, set[str]] = defaultdict(set)
    for site_id, tag in (RendererDependency.objects.filter(name__in=set(names))
                         .values_list("site_id", "tag").distinct()):
        found[site_id].add(tag)
    return {site_id: sorted(tags) for site_id, tags in sorted(found.items())}


def path_tags(site_id: int) -> list[str]:
    """The tags of every page entry the renderer may hold for the Site."""
    pages = Q(tag__startswith=PATH_PREFIX) | Q(tag__contains=SITE_SEPARATOR + PATH_PREFIX)
    return sorted(set(RendererDependency.objects.filter(pages, site_id=site_id)
                      .values_list("tag", flat=True)))


def forget_old() -> int:
    """Drop records older than any entry can be; returns how many."""
    retention = RENDERER_MAX_AGE + timedelta(seconds=settings.API_CACHE_SECONDS)
    deleted, _ = RendererDependency.objects.filter(
        seen_at__lt=timezone.now() - retention).delete()
    return deleted
