"""What the public may see: the one rule every endpoint, listing, menu and link uses.

A page is visible when it is live, not expired (an `expire_at` in the past counts as
gone even before the expiry task unpublishes it), not under any page view restriction
(password, login or groups: restrictions are inherited by descendants) and, where a
site is given, inside that site's tree. Within `granted(paths)`, for one visitor who
passed those password restrictions, the pages they cover count as unrestricted. An
image or a document is visible when its collection, and every collection above it, has
no view restriction.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site


def not_expired_q() -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_q(site: Site | None = None) -> Q:
    """Live, not expired and, with a site, in its tree; restrictions are checked apart."""
    q = Q(live=True) & not_expired_q()
    if site is not None:
        root = site.root_page
        q &= Q(path__startswith=root.path, depth__gte=root.depth)
    return q


# Restricted tree paths the current request has passed (cms.api.page_access); never set
# while building anything that a cache keeps.
_granted: ContextVar[frozenset[str]] = ContextVar("mortar_granted_paths", default=frozenset())


@contextmanager
def granted(paths: Iterable[str]) -> Iterator[None]:
    """Within: pages under these restricted tree paths count as public, for a document
    answered to the one visitor who passed their restrictions (`private, no-store`)."""
    token = _granted.set(frozenset(paths))
    try:
        yield
    finally:
        _granted.reset(token)


def restricted_paths() -> list[str]:
    """Tree paths of view-restricted pages: they and their descendants are private."""
    passed = _granted.get()
    return [path for path in PageViewRestriction.objects.values_list("page__path", flat=True)
            if path not in passed]


def is_private(page_path: str, restricted: list[str]) -> bool:
    return any(page_path.startswith(path) for path in restricted)


def visible_pages(queryset: QuerySet | None = None, site: Site | None = None) -> QuerySet:
    """`queryset` (all pages by default) narrowed to what the public may see."""
    queryset = Page.objects.all() if queryset is None else queryset
    queryset = queryset.filter(visible_q(site))
    if not _granted.get():
        return queryset.public()
    private = Q()
    for path in restricted_paths():
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def restricted_collection_paths() -> list[str]:
    """Tree paths of view-restricted collections: their media and sub-collections' are private."""
    return list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))


def private_collection_ids(collection_ids: set[int], restricted: list[str]) -> set[int]:
    """Which of these collections are under one of the `restricted` collection paths.

    No query when nothing is restricted; else one."""
    if not restricted or not collection_ids:
        return set()
    paths = Collection.objects.filter(pk__in=collection_ids).values_list("pk", "path")
    return {pk for pk, path in paths if is_private(path, restricted)}
