"""Which renderer cache entries show which dependency names.

The renderer tags the entry of each CMS answer it caches: `path:<html_path>` for a
page by path (each page of a listing has its own, "/articles/page/2/"), `navigation`,
`sitemap`. The CMS
records, as it answers, the dependency names of that answer under the entry's tag;
delivering a change then sends the renderer the tags of the entries that share a
name with it, and nothing broader.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cms.publishing.models import RendererDependency

NAVIGATION = "navigation"
SITEMAP = "sitemap"
# Next.js ignores longer tags (and the renderer's revalidate route refuses them).
MAX_TAG_LENGTH = 256
# Longer than any entry lives: the CMS's document cache, then the renderer's.
RENDERER_MAX_AGE = timedelta(days=1)


def path_tag(html_path: str) -> str:
    """The tag of the renderer's entry for the page at `html_path`, as it asked for it."""
    return f"path:{html_path}"


def record(tag: str, names: Iterable[str]) -> None:
    """The entry `tag` shows `names`: one upsert, whatever the number of names."""
    if len(tag) > MAX_TAG_LENGTH:
        return  # no renderer entry can carry it
    now = timezone.now()
    RendererDependency.objects.bulk_create(
        [RendererDependency(name=name, tag=tag, seen_at=now) for name in set(names)],
        update_conflicts=True, unique_fields=["name", "tag"], update_fields=["seen_at"],
    )


def tags_for(names: Iterable[str]) -> list[str]:
    """The tags of the renderer entries that show any of `names`, sorted."""
    return sorted(set(RendererDependency.objects.filter(name__in=set(names))
                      .values_list("tag", flat=True)))


def all_path_tags() -> list[str]:
    """The tags of every page entry the renderer may hold."""
    return sorted(set(RendererDependency.objects.filter(tag__startswith="path:")
                      .values_list("tag", flat=True)))


def forget_old() -> int:
    """Drop records older than any entry can be; returns how many."""
    retention = RENDERER_MAX_AGE + timedelta(seconds=settings.API_CACHE_SECONDS)
    deleted, _ = RendererDependency.objects.filter(
        seen_at__lt=timezone.now() - retention).delete()
    return deleted
