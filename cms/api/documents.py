"""The document kind of value (a Wagtail Document, a file): its bulk load, JSON, schema
and freshness name, in one place."""

from dataclasses import dataclass
from typing import Any

from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument

from cms.api.adapters import (
    INTEGER,
    STRING,
    Kind,
    Loaded,
    Resolver,
    Schema,
    nullable,
    obj,
    register_block_adapter,
    register_component,
    register_model_adapter,
)
from cms.publishing.freshness import dependencies

DOCUMENT_SCHEMA = register_component("DocumentLink", obj({
    "id": INTEGER, "title": STRING, "url": STRING, "filename": STRING,
    "file_extension": STRING}))


@dataclass(frozen=True)
class DocumentKind(Kind):
    """A Document id → {"id", "title", "url", "filename", "file_extension"}, or null for a
    document that is gone or in a private collection."""

    def load(self, keys: set[Any], resolver: Resolver) -> dict[int, Loaded]:
        """One query (two with a private collection) for any number of documents."""
        documents = get_document_model().objects.in_bulk(keys)
        private = resolver.private_collections({doc.collection_id for doc in documents.values()})
        return {pk: Loaded(doc, {"id": pk, "title": doc.title, "url": doc.url,
                                 "filename": doc.filename, "file_extension": doc.file_extension})
                for pk, doc in documents.items() if doc.collection_id not in private}

    def dependency_names(self, keys: set[Any]) -> set[str]:
        return {dependencies.document(pk) for pk in keys}

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(DOCUMENT_SCHEMA)


DOCUMENT = DocumentKind()
register_block_adapter(DocumentChooserBlock, DOCUMENT)
register_model_adapter(AbstractDocument, DOCUMENT)
