"""The snippet kind of value: a snippet id → {"id", "type", "title"}, loaded in bulk per
snippet model, with its schema and its freshness name, in one place."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from wagtail.models import DraftStateMixin
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.snippets.models import get_snippet_models

from cms.api.adapters import (
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

SNIPPET_SCHEMA = register_component("Snippet", obj(
    {"id": {"type": ["integer", "string"]}, "type": STRING, "title": STRING},
    description="A snippet: `type` is its model, `app_label.Model`."))


@dataclass(frozen=True)
class SnippetKind(Kind):
    """A snippet id of one model → {"id", "type": "app_label.Model", "title"}, or null
    for a snippet that is gone or (with drafts) not live."""

    label: str  # the snippet model's "app_label.Model"

    def key(self, raw: Any) -> str | None:
        # As text: JSON keeps an int id, but a UUID or other text key arrives as a string.
        if isinstance(raw, str) and raw and not raw.isdigit():
            return raw
        pk = super().key(raw)
        return None if pk is None else str(pk)

    def load(self, keys: set[Any], resolver: Resolver) -> dict[str, Loaded]:
        """One query for any number of snippets of this model."""
        model = apps.get_model(self.label)
        snippets = model.objects.all()
        if issubclass(model, DraftStateMixin):  # a snippet never published shows nothing
            snippets = snippets.filter(live=True)
        return {str(pk): Loaded(snippet, {"id": pk, "type": self.label, "title": str(snippet)})
                for pk, snippet in snippets.in_bulk(keys).items()}

    def dependency_names(self, keys: set[Any]) -> set[str]:
        return {dependencies.snippet(self.label, pk) for pk in keys}

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(SNIPPET_SCHEMA)


def _for_model(model: type[models.Model]) -> SnippetKind | None:
    return SnippetKind(model._meta.label) if model in get_snippet_models() else None


register_block_adapter(SnippetChooserBlock,
                       lambda block: SnippetKind(block.target_model._meta.label))
register_model_adapter(models.Model, _for_model)
