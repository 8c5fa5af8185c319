"""Bulk loading of everything a page's JSON points at: images, pages, documents, embeds,
snippets.

A page's JSON is made in two passes: the first collects every id it references
(`Refs`), then `Resolver.load` fetches each kind with one query, so the number
of queries for a page does not grow with its number of blocks, images or links.
The second pass (`cms.api.adapters`) reads what was loaded from the Resolver,
which travels to the blocks as `context["resolver"]`.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from wagtail.documents import get_document_model
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import DraftStateMixin, Page, Site

from cms.api.paths import html_path
from cms.api.visibility import (
    is_private,
    not_expired_q,
    private_collection_ids,
    restricted_collection_paths,
)
from cms.images import renditions
from cms.images.api import RenditionRow, file_format, image_json
from cms.publishing.freshness import dependencies


@dataclass
class Refs:
    images: set[int] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    embeds: set[str] = field(default_factory=set)
    # snippet model label ("app_label.Model") -> primary keys
    snippets: dict[str, set[Any]] = field(default_factory=dict)

    def dependency_names(self) -> set[str]:
        """The names (cms.publishing.dependencies) of everything referenced."""
        names = {dependencies.page(pk) for pk in self.pages}
        names.update(dependencies.image(pk) for pk in self.images)
        names.update(dependencies.document(pk) for pk in self.documents)
        names.update(dependencies.snippet(label, pk)
                     for label, pks in self.snippets.items() for pk in pks)
        return names


class Resolver:
    """Looks up referenced objects for one page document on one site."""

    def __init__(self, site: Site, restricted: list[str]) -> None:
        self.site = site
        self.root_path = site.root_page.url_path
        self.restricted = restricted
        self._images: dict[int, tuple[AbstractImage, list[RenditionRow]]] = {}
        self._pages: dict[int, dict] = {}
        self._documents: dict[int, dict] = {}
        self._embeds: dict[str, dict] = {}
        self._snippets: dict[tuple[str, Any], dict] = {}
        # Set when an image lacked renditions: the document is served, and soon rebuilt.
        self.incomplete = False
        # The soonest expiry of a linked page: the document is stale from then on.
        self.expires_at: datetime.datetime | None = None
        self._restricted_collections: list[str] | None = None

    def _private_collections(self, collection_ids: set[int]) -> set[int]:
        if self._restricted_collections is None:
            self._restricted_collections = restricted_collection_paths()
        return private_collection_ids(collection_ids, self._restricted_collections)

    def load(self, refs: Refs) -> None:
        if refs.images:
            self._load_images(refs.images - self._images.keys())
        if refs.pages:
            self._load_pages(refs.pages - self._pages.keys())
        if refs.documents:
            documents = get_document_model().objects.in_bulk(refs.documents)
            private = self._private_collections({doc.collection_id for doc in documents.values()})
            for pk, doc in documents.items():
                if doc.collection_id in private:
                    continue
                self._documents[pk] = {"id": pk, "title": doc.title, "url": doc.url,
                                       "filename": doc.filename,
                                       "file_extension": doc.file_extension}
        if refs.embeds:
            for embed in Embed.objects.filter(url__in=refs.embeds):
                self._embeds.setdefault(embed.url, {
                    "html": embed.html, "title": embed.title,
                    "provider_name": embed.provider_name, "width": embed.width,
                    "height": embed.height, "thumbnail_url": embed.thumbnail_url or None,
                })
        for label, pks in refs.snippets.items():
            wanted = {pk for pk in pks if (label, str(pk)) not in self._snippets}
            if wanted:
                self._load_snippets(label, wanted)

    def _load_snippets(self, label: str, pks: set[Any]) -> None:
        model = apps.get_model(label)
        snippets = model.objects.all()
        if issubclass(model, DraftStateMixin):  # a snippet never published shows nothing
            snippets = snippets.filter(live=True)
        for pk, snippet in snippets.in_bulk(pks).items():
            # Keyed by the id as text: JSON keeps an int, but a UUID arrives as a string.
            self._snippets[(label, str(pk))] = {"id": pk, "type": label, "title": str(snippet)}

    def _load_images(self, ids: set[int]) -> None:
        if not ids:
            return
        image_model = get_image_model()
        images = image_model.objects.in_bulk(ids)
        private = self._private_collections({image.collection_id for image in images.values()})
        images = {pk: image for pk, image in images.items() if image.collection_id not in private}
        found: dict[int, list[RenditionRow]] = {pk: [] for pk in images}
        rendition_model = image_model.get_rendition_model()
        storage = rendition_model._meta.get_field("file").storage
        for image_id, spec, name, width, height in rendition_model.objects.filter(
            image_id__in=images.keys(), filter_spec__in=renditions.FILTER_SPECS
        ).values_list("image_id", "filter_spec", "file", "width", "height"):
            found[image_id].append(
                RenditionRow(spec, storage.url(name), width, height, file_format(name)))
        missing = [pk for pk, have in found.items()
                   if len({r.filter_spec for r in have}) < len(renditions.FILTER_SPECS)]
        if missing:
            self.incomplete = True
            renditions.queue_missing(missing)
        for pk, image in images.items():
            self._images[pk] = (image, found[pk])

    def _load_pages(self, ids: set[int]) -> None:
        if not ids:
            return
        pages = (
            Page.objects.filter(not_expired_q(), pk__in=ids, live=True)
            .only("id", "title", "url_path", "path", "expire_at")
        )
        root_paths = None
        for page in pages:
            if is_private(page.path, self.restricted):
                continue
            self.note_expiry(page.expire_at)
            path = html_path(page, self.root_path)
            if path is None:
                # A page of another site: link to it with its full URL.
                root_paths = root_paths or Site.get_site_root_paths()
                path = next((root.root_url + page.url_path[len(root.root_path) - 1:]
                             for root in root_paths if page.url_path.startswith(root.root_path)),
                            None)
            if path is not None:
                self._pages[page.pk] = {"id": page.pk, "title": page.title, "html_path": path}

    def note_expiry(self, expire_at: datetime.datetime | None) -> None:
        if expire_at is not None and (self.expires_at is None or expire_at < self.expires_at):
            self.expires_at = expire_at

    def image(self, pk: int | None, alt: str | None = None) -> dict | None:
        entry = self._images.get(pk) if pk else None
        return image_json(entry[0], entry[1], alt) if entry else None

    def page(self, pk: int | None) -> dict | None:
        return self._pages.get(pk) if pk else None

    def document(self, pk: int | None) -> dict | None:
        return self._documents.get(pk) if pk else None

    def snippet(self, label: str, pk: Any) -> dict | None:
        return self._snippets.get((label, str(pk))) if pk is not None else None

    def embed(self, url: str | None) -> dict | None:
        if not url:
            return None
        return {"url": url, **self._embeds.get(url, {"html": None, "title": None,
                                                     "provider_name": None, "width": None,
                                                     "height": None, "thumbnail_url": None})}
