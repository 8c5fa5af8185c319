"""The by-path document cache: whole responses in the Django cache (Redis), dropped precisely.

Each cached document records the version of everything it shows: the page, the
pages it links to or lists, its ancestors, images, documents, the site. A change
bumps the version of what changed (see `cms/api/signals.py`), and a document whose
recorded versions differ from the current ones is rebuilt on its next request.
Versions of the page itself are read before building, the rest after, so a
publish that lands during a build is never hidden behind a fresh-looking entry.

A hit costs two cache round trips and no SQL: the key is made from the request's
own parameters, so not even the site is looked up.
"""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# Dependencies every document has: the set of sites, the tree's shape and the view
# restrictions change rarely and touch many pages at once.
GLOBAL_DEPS = ("sites", "tree", "restrictions")
VERSION_PREFIX = "mortar:v:"
DOC_PREFIX = "mortar:doc:"


def dep(kind: str, pk: object) -> str:
    """The name of one dependency: `page:12`, `image:5`, `document:3`, `children:7`..."""
    return f"{kind}:{pk}"


def enabled() -> bool:
    return settings.API_CACHE_SECONDS > 0


def bump(names: Iterable[str]) -> None:
    """Mark these dependencies changed: every document that shows them is rebuilt."""
    token = uuid.uuid4().hex[:12]
    values = {VERSION_PREFIX + name: token for name in set(names)}
    if values:
        cache.set_many(values, timeout=None)


def versions(names: Iterable[str]) -> dict[str, str]:
    keys = [VERSION_PREFIX + name for name in names]
    found = cache.get_many(keys)
    return {key[len(VERSION_PREFIX):]: found.get(key, "0") for key in keys}


def request_key(request: HttpRequest) -> str:
    """One entry per site selector, path and listing page; the same for equal requests."""
    site = request.GET.get("site") or f"host={request.get_host()}"
    raw = "\n".join([site, request.GET.get("html_path", ""), request.GET.get("page", "1")])
    return DOC_PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class CachedDocument:
    body: bytes
    etag: str
    deps: dict[str, str]


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def get(key: str) -> CachedDocument | None:
    entry = cache.get(key)
    if not isinstance(entry, CachedDocument):
        return None
    if versions(entry.deps) != entry.deps:
        return None
    return entry


# A document that still waits for renditions is kept only briefly, then rebuilt with them.
INCOMPLETE_SECONDS = 5


def put(key: str, body: bytes, etag: str, before: dict[str, str], deps: Iterable[str],
        complete: bool = True) -> None:
    """Store a document built after reading `before`; the other deps are read now."""
    rest = versions(set(deps) - before.keys())
    entry = CachedDocument(body=body, etag=etag, deps={**rest, **before})
    timeout = settings.API_CACHE_SECONDS if complete else INCOMPLETE_SECONDS
    cache.set(key, entry, timeout=min(timeout, settings.API_CACHE_SECONDS))
