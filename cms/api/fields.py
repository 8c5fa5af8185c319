"""Page model fields to API JSON: each field of `api_fields` gets its adapter
(`cms.api.adapters`), which holds its collect, its JSON and its schema; a foreign key
gets the adapter of the kind registered for its target model (an image, a page...).

A field declared `APIField(name, serializer=...)` is shown by that serializer, as
Wagtail's stock endpoints show it, bound with `context["resolver"]` the page's bulk
loader. It takes part in the contract like a built-in field through attributes of the
serializer field (a system check, cms.api.checks, refuses one without them):

- its schema: `api_schema` (a JSON Schema), or a DRF field class whose JSON type is
  known (CharField, IntegerField...);
- its freshness: `api_collect(page, refs)`, which notes with the kinds what it shows
  (`IMAGE.collect(page.logo_id, refs)`: loaded in bulk, then read in
  `to_representation` as `IMAGE.json(pk, self.context["resolver"])`, and named), or
  `api_reads_page_only = True` when it shows only the page's own fields and inline
  children, which the page's own name covers.
"""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.api import streams
from cms.api.adapters import (
    NULLABLE_STRING,
    STRING,
    Adapter,
    Refs,
    Resolver,
    ScalarAdapter,
    Schema,
    model_adapter,
)
from cms.api.richtext import RICH_TEXT


def api_field_names(model: type[Page]) -> list[str]:
    return [field.name for field in getattr(model, "api_fields", [])]


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


@dataclass(frozen=True)
class StreamAdapter(Adapter):
    """A StreamField's raw data → its blocks' JSON (`cms.api.streams`)."""

    stream_block: Any

    def collect(self, raw: Any, refs: Refs) -> None:
        streams.collect(self.stream_block, raw, refs)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return streams.represent(self.stream_block, raw, streams.context_for(resolver))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return streams.block_schema(self.stream_block, components)


class TagsAdapter(Adapter):
    """A page's tags → their names, sorted."""

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return sorted(tag.name for tag in raw.all()) if raw is not None else []

    def schema(self, components: dict[str, Schema]) -> Schema:
        return {"type": "array", "items": STRING}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


# DRF field classes → the JSON type of what they give; null whenever the value is None.
_SERIALIZER_TYPES: list[tuple[type[serializers.Field], str]] = [
    (serializers.BooleanField, "boolean"), (serializers.IntegerField, "integer"),
    (serializers.FloatField, "number"), (serializers.CharField, "string"),
    (serializers.DateTimeField, "string"), (serializers.DateField, "string"),
    (serializers.TimeField, "string"), (serializers.DecimalField, "string"),
    (serializers.ListField, "array"), (serializers.DictField, "object"),
]


@dataclass(frozen=True)
class SerializerAdapter(Adapter):
    """`APIField(name, serializer=...)`: the page → what that DRF field makes of it."""

    name: str
    serializer: serializers.Field

    def collect(self, raw: Any, refs: Refs) -> None:
        if (collect := getattr(self.serializer, "api_collect", None)) is not None:
            collect(raw, refs)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        field = copy.deepcopy(self.serializer)
        # Bound as Wagtail's serializer binds it, so `source=` and `context` work.
        field.bind(self.name, serializers.Serializer(context={"resolver": resolver}))
        attribute = field.get_attribute(raw)
        return None if attribute is None else field.to_representation(attribute)

    def schema(self, components: dict[str, Schema]) -> Schema:
        """Its JSON Schema; {} (anything) when neither `api_schema` nor its class says,
        which cms.api.checks refuses at start-up."""
        if (own := getattr(self.serializer, "api_schema", None)) is not None:
            return own
        kind = next((kind for cls, kind in _SERIALIZER_TYPES
                     if isinstance(self.serializer, cls)), None)
        return {"type": [kind, "null"]} if kind else {}

    def freshness_declared(self) -> bool:
        """Whether the serializer says what it shows (`api_collect`) or that it shows
        only the page itself (`api_reads_page_only`)."""
        return (getattr(self.serializer, "api_collect", None) is not None
                or getattr(self.serializer, "api_reads_page_only", False) is True)


@dataclass(frozen=True)
class PageField:
    """One field of a page's JSON: its adapter and how to read its stored form."""

    name: str
    adapter: Adapter
    read: Callable[[Any], Any]


def _field_schema(field: Any) -> Schema:
    if isinstance(field, models.DateTimeField | models.DateField):
        return {"type": ["string", "null"] if field.null else "string",
                "format": "date-time" if isinstance(field, models.DateTimeField) else "date"}
    if isinstance(field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, models.IntegerField):
        return {"type": ["integer", "null"] if field.null else "integer"}
    if isinstance(field, models.FloatField | models.DecimalField):
        return {"type": "number"}
    return NULLABLE_STRING if getattr(field, "null", False) else STRING


def _foreign_key_adapter(target: type[models.Model]) -> Adapter:
    # A model no kind shows: its id, as the column holds it.
    return model_adapter(target) or ScalarAdapter({"type": ["integer", "null"]})


def _read_attribute(name: str) -> Callable[[Any], Any]:
    return lambda page: getattr(page, name, None)


def _read_itself(page: Any) -> Any:
    return page


def page_field(model: type[models.Model], name: str) -> PageField:
    """How the page JSON shows `name` of `model` (an `api_fields` or `summary_fields` name)."""
    declared = next((f for f in getattr(model, "api_fields", []) if isinstance(f, APIField)
                     and f.name == name and f.serializer is not None), None)
    if declared is not None:
        return PageField(name, SerializerAdapter(name, declared.serializer), _read_itself)
    field = _field(model, name)
    if isinstance(field, StreamField):
        return PageField(name, StreamAdapter(field.stream_block),
                         lambda page: streams.raw_data(getattr(page, name)))
    if isinstance(field, RichTextField):
        return PageField(name, RICH_TEXT, lambda page: getattr(page, name) or "")
    if isinstance(field, models.ForeignKey):
        return PageField(name, _foreign_key_adapter(field.related_model),
                         _read_attribute(field.attname))
    if isinstance(field, ClusterTaggableManager) or name == "tags":
        return PageField(name, TagsAdapter(), _read_attribute(name))
    return PageField(name, ScalarAdapter(_field_schema(field), _plain),
                     _read_attribute(name))


def shown_by_adapter(model: type[models.Model], name: str) -> bool:
    """Whether `name` has a shape here; inline children (a ParentalKey's related objects)
    and many-to-many fields other than tags are left to Wagtail's nested serializers."""
    field = _field(model, name)
    if field is None or not field.is_relation or isinstance(field, models.ForeignKey):
        return True
    return isinstance(field, ClusterTaggableManager) or name == "tags"


def collect(page: Any, names: list[str], refs: Refs) -> None:
    for name in names:
        field = page_field(type(page), name)
        field.adapter.collect(field.read(page), refs)


def represent(page: Any, names: list[str], resolver: Resolver) -> dict[str, Any]:
    """{name: JSON} for these fields of the page, once `resolver` loaded what they need."""
    out: dict[str, Any] = {}
    for name in names:
        field = page_field(type(page), name)
        out[name] = field.adapter.represent(field.read(page), resolver)
    return out


def field_schema(model: type[Page], name: str, components: dict[str, Schema]) -> Schema:
    """The JSON Schema of what `represent` gives for this field."""
    return page_field(model, name).adapter.schema(components)
