"""A page's JSON, in one walk: the document (meta, fields, listings), each field's
adapter, and the StreamField blocks; with the dependency names
(cms.publishing.dependencies) of everything it shows.

`represent_page` serves by-path and preview; `represent_stream` a StreamField outside a
page (the navigation's footer links); the stock endpoints (`cms.api.stock`) show the
same fields through `page_field`, so there is one contract. Every leaf value goes
through its adapter (`cms.api.adapters`: a kind's bulk load, JSON, schema and names); the
walk over containers and fields is here, in three parts:

**Blocks.** StreamField data to API JSON, walking the block definitions over the stored
raw data. Working from raw data (ids, not model instances) lets one pass collect every
reference of a page, however deeply nested, before anything is loaded; the second
pass represents each block with what was loaded. Containers (StreamBlock,
StructBlock, ListBlock) are walked here; every leaf goes through its adapter, which
holds its collect, its JSON and its schema.

A block shapes its own JSON through Wagtail's seam, `get_api_representation(value,
context)`: when its class defines one, it is called as Wagtail's documentation says,
with `value` the block's Python value (a StructValue, a ListValue, a StreamValue, an
Image, a RichText, a str...; as `to_python` gives it, built from what the page's bulk
load fetched, so it makes no query of its own) and `context["resolver"]` the page's
bulk loader (`cms.api.adapters.Resolver`, which the kinds read: `IMAGE.json(pk,
resolver)` is an image's JSON). It returns the block's JSON, whose schema its
`api_schema(schema)` gives from the default one (`block_schema`).

**Fields.** Each field of `api_fields` gets its adapter, which holds its collect, its
JSON and its schema; a foreign key gets the adapter of the kind registered for its target
model (an image, a page...). A field declared `APIField(name, serializer=...)` is shown
by that serializer, as Wagtail's stock endpoints show it, bound with
`context["resolver"]` the page's bulk loader. It takes part in the contract like a
built-in field through attributes of the serializer field (a system check,
cms.api.checks, refuses one without them):

- its schema: `api_schema` (a JSON Schema), or a DRF field class whose JSON type is
  known (CharField, IntegerField...);
- its freshness: `api_collect(page, refs)`, which notes with the kinds what it shows
  (`IMAGE.collect(page.logo_id, refs)`: loaded in bulk, then read in
  `to_representation` as `IMAGE.json(pk, self.context["resolver"])`, and named), or
  `api_reads_page_only = True` when it shows only the page's own fields and inline
  children, which the page's own name covers.

**The document.** `represent_page`: meta, breadcrumbs, fields and listings, loaded in
bulk for the whole page, so queries stay constant whatever it holds. A listing
(`cms.api.listing`) loads its page of items, shapes its JSON and names what it shows;
its items' summary fields are walked here, with the page's own.

Before they met here, these were `cms.api.streams`, `cms.api.fields` and this module.
"""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from rest_framework import serializers
from wagtail import blocks
from wagtail.api import APIField
from wagtail.blocks.list_block import ListValue
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from cms.api import listing
from cms.api.adapters import (
    NULLABLE_STRING,
    STRING,
    Adapter,
    NoAdapter,
    Refs,
    Resolver,
    ScalarAdapter,
    Schema,
    block_adapter,
    model_adapter,
    obj,
    ref,
)
from cms.api.requests import html_path
from cms.api.richtext import RICH_TEXT
from cms.api.visibility import visible_q
from cms.images.api import IMAGE
from cms.publishing.freshness import dependencies

# --- Blocks: the StreamField walk ------------------------------------------------

Context = dict[str, Any]  # {"resolver": Resolver, ...}: Wagtail's API serializer context


def context_for(resolver: Resolver) -> Context:
    return {"resolver": resolver}


def _items(raw: Any) -> list[Any]:
    """ListBlock values are stored as [{"type": "item", "value": ...}] or, older, bare values."""
    if not isinstance(raw, list):
        return []
    return [item["value"] if isinstance(item, dict) and item.get("type") == "item"
            and "value" in item else item for item in raw]


def is_container(block: blocks.Block) -> bool:
    return isinstance(block, blocks.StreamBlock | blocks.StructBlock | blocks.ListBlock)


@cache
def defines_own_representation(kind: type[blocks.Block]) -> bool:
    """Whether a block class (not Wagtail's own) overrides `get_api_representation`."""
    return not kind.get_api_representation.__module__.startswith("wagtail.")


def leaf_adapter(block: blocks.Block) -> Adapter:
    """The leaf's adapter. Raises NoAdapter for a leaf no kind shows, even one with its
    own `get_api_representation`: without a kind, what its value points at would be
    neither loaded in bulk nor named for freshness."""
    return block_adapter(block)


def collect_block(block: blocks.Block, raw: Any, refs: Refs) -> None:
    """Note in `refs` every id `raw` (the block's stored data) points at."""
    if isinstance(block, blocks.StreamBlock):
        for child in raw or []:
            if isinstance(child, dict) and child.get("type") in block.child_blocks:
                collect_block(block.child_blocks[child["type"]], child.get("value"), refs)
    elif isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        for name, child_block in block.child_blocks.items():
            collect_block(child_block, raw.get(name), refs)
    elif isinstance(block, blocks.ListBlock):
        for item in _items(raw):
            collect_block(block.child_block, item, refs)
    else:
        leaf_adapter(block).collect(raw, refs)


def represent_block(block: blocks.Block, raw: Any, context: Context) -> Any:
    """The block's JSON, once `context["resolver"]` has loaded what `collect_block` noted."""
    if defines_own_representation(type(block)):
        return block.get_api_representation(native_block(block, raw, context["resolver"]), context)
    return _represent_block(block, raw, context)


def native_block(block: blocks.Block, raw: Any, resolver: Resolver) -> Any:
    """The block's Python value for its stored data `raw`, as Wagtail's `to_python` gives
    it, except that a chooser's object is the one the resolver loaded (None where the
    JSON shows null: gone, not live, private), so it costs no query."""
    if isinstance(block, blocks.StreamBlock):
        children = [(child["type"], native_block(block.child_blocks[child["type"]],
                                           child.get("value"), resolver), child.get("id"))
                    for child in raw or []
                    if isinstance(child, dict) and child.get("type") in block.child_blocks]
        return blocks.StreamValue(block, children)
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        return block._to_struct_value([(name, native_block(child_block, raw.get(name), resolver))
                                       for name, child_block in block.child_blocks.items()])
    if isinstance(block, blocks.ListBlock):
        return ListValue(block, values=[native_block(block.child_block, item, resolver)
                                        for item in _items(raw)])
    return leaf_adapter(block).native(raw, resolver, block)


def _represent_block(block: blocks.Block, raw: Any, context: Context) -> Any:
    if isinstance(block, blocks.StreamBlock):
        out = []
        for child in raw or []:
            if not isinstance(child, dict):
                continue
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:  # a block type removed from the code since it was saved
                continue
            out.append({"type": child["type"], "id": child.get("id"),
                        "value": represent_block(child_block, child.get("value"), context)})
        return out
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        return {name: represent_block(child_block, raw.get(name), context)
                for name, child_block in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [represent_block(block.child_block, item, context) for item in _items(raw)]
    return leaf_adapter(block).represent(raw, context["resolver"])


def raw_data(value: Any) -> list[Any]:
    """A StreamField's stored data, from its StreamValue or as given (a list of dicts)."""
    raw = getattr(value, "raw_data", value)
    return list(raw) if raw is not None else []


def block_name(block: blocks.Block) -> str:
    return type(block).__name__


def block_schema(block: blocks.Block, components: dict[str, Schema]) -> Schema:
    """The JSON Schema of what `represent_block` gives for this block.

    Our own blocks become named components (`CallToActionBlockValue`), so the
    generated TypeScript types carry the same names as the Python classes.
    Raises NoAdapter, naming the block, for a block kind the API cannot show.
    """
    schema = _block_schema(block, components)
    shape = getattr(block, "api_schema", None)
    if shape:
        schema = shape(schema)
    elif defines_own_representation(type(block)):
        # Its JSON is its own: without a schema for it, the contract would be a guess.
        raise NoAdapter(block, "its own get_api_representation needs api_schema(schema), "
                               "the JSON Schema of what it returns (`schema`: the default's)")
    if type(block).__module__.startswith("wagtail."):
        return schema
    name = f"{block_name(block)}Value"
    components.setdefault(name, schema)
    return ref(name)


def _block_schema(block: blocks.Block, components: dict[str, Schema]) -> Schema:
    if isinstance(block, blocks.StreamBlock):
        variants = [obj({"type": {"const": name}, "id": NULLABLE_STRING,
                         "value": block_schema(child, components)})
                    for name, child in block.child_blocks.items()]
        return {"type": "array", "items": {"oneOf": variants}}
    if isinstance(block, blocks.StructBlock):
        properties = {name: block_schema(child, components)
                      for name, child in block.child_blocks.items()}
        return obj(properties)
    if isinstance(block, blocks.ListBlock):
        return {"type": "array", "items": block_schema(block.child_block, components)}
    return leaf_adapter(block).schema(components)


# --- Fields: each field's adapter ---------------------------------------------------


def api_field_names(model: type[Page]) -> list[str]:
    return [field.name for field in getattr(model, "api_fields", [])]


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


@dataclass(frozen=True)
class StreamAdapter(Adapter):
    """A StreamField's raw data → its blocks' JSON (`represent_block`)."""

    stream_block: Any

    def collect(self, raw: Any, refs: Refs) -> None:
        collect_block(self.stream_block, raw, refs)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return represent_block(self.stream_block, raw, context_for(resolver))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return block_schema(self.stream_block, components)


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
                         lambda page: raw_data(getattr(page, name)))
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


def collect_fields(page: Any, names: list[str], refs: Refs) -> None:
    for name in names:
        field = page_field(type(page), name)
        field.adapter.collect(field.read(page), refs)


def represent_fields(page: Any, names: list[str], resolver: Resolver) -> dict[str, Any]:
    """{name: JSON} for these fields of the page, once `resolver` loaded what they need."""
    out: dict[str, Any] = {}
    for name in names:
        field = page_field(type(page), name)
        out[name] = field.adapter.represent(field.read(page), resolver)
    return out


def field_schema(model: type[Page], name: str, components: dict[str, Schema]) -> Schema:
    """The JSON Schema of what `represent_fields` gives for this field."""
    return page_field(model, name).adapter.schema(components)


# --- The document ---------------------------------------------------------------------


def page_type(page: Page) -> str:
    return f"{page._meta.app_label}.{type(page).__name__}"


def breadcrumbs(page: Page, site: Site) -> list[dict[str, Any]]:
    root = site.root_page
    if not page.path:  # a page being previewed before its first save
        return []
    ancestors = (
        Page.objects.ancestor_of(page).filter(visible_q(), depth__gte=root.depth)
        .only("id", "title", "url_path").order_by("depth")
    )
    return [{"id": a.pk, "title": a.title, "html_path": html_path(a, root.url_path)}
            for a in ancestors]


def summary_field_names(page: Page) -> list[str]:
    return list(getattr(type(page), "summary_fields", []))


def page_summary(page: Page, resolver: Resolver) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title, "type": page_type(page),
            "html_path": html_path(page, resolver.root_path),
            **represent_fields(page, summary_field_names(page), resolver)}


@dataclass
class Representation:
    data: dict[str, Any]  # the page's JSON
    deps: set[str]  # the names of everything it shows (cms.publishing.dependencies)
    complete: bool  # False while renditions it needs are still being made
    expires_at: datetime.datetime | None  # the soonest expiry of a page it shows


def page_json(page: Page, site: Site, restricted: list[str],
              listing_page: int = 1) -> dict[str, Any]:
    """The whole JSON of a live page; queries stay constant whatever the page holds."""
    return represent_page(page, site, restricted, listing_page).data


def represent_page(page: Page, site: Site, restricted: list[str],
                   listing_page: int = 1) -> Representation:
    """The page's JSON with its dependency names; `listing_page` picks the page of its
    listings (cms.api.listing). Raises NotFound for a listing page past the last."""
    names = api_field_names(type(page))
    listings = listing.load(page, listing_page)

    refs = Refs()
    collect_fields(page, names, refs)
    IMAGE.collect(getattr(page, "social_image_id", None), refs)
    for shown in listings:
        for item in shown.items:
            collect_fields(item, summary_field_names(item), refs)

    resolver = Resolver(site, restricted)
    resolver.load(refs)

    data: dict[str, Any] = {
        "id": page.pk,
        "title": page.title,
        "meta": {
            "type": page_type(page),
            "html_path": html_path(page, site.root_page.url_path),
            "locale": page.locale.language_code,
            "first_published_at": _iso(page.first_published_at),
            "last_published_at": _iso(page.last_published_at),
            "seo": {
                "title": page.seo_title or page.title,
                "description": page.search_description or "",
                "image": IMAGE.json(getattr(page, "social_image_id", None), resolver),
            },
            "breadcrumbs": breadcrumbs(page, site),
        },
        **represent_fields(page, names, resolver),
    }
    resolver.note_expiry(page.expire_at)
    deps = {dependencies.page(page.pk), dependencies.site(site.pk), *dependencies.GLOBAL}
    deps.update(dependencies.page(crumb["id"]) for crumb in data["meta"]["breadcrumbs"])
    deps.update(refs.dependency_names())
    for shown in listings:
        data[shown.listing.name] = shown.represent(
            lambda item: page_summary(item, resolver), resolver)
        deps.update(shown.dependency_names())
    return Representation(data, deps, complete=not resolver.incomplete,
                          expires_at=resolver.expires_at)


def represent_stream(stream_block: Any, value: Any, site: Site,
                     restricted: list[str]) -> tuple[list[dict[str, Any]], set[str]]:
    """A StreamField's JSON ([{"type", "id", "value"}]) from its StreamValue or raw data,
    with the dependency names of what it shows; queries stay constant whatever it holds."""
    raw = raw_data(value)
    refs = Refs()
    collect_block(stream_block, raw, refs)
    resolver = Resolver(site, restricted)
    resolver.load(refs)
    return represent_block(stream_block, raw, context_for(resolver)), \
        refs.dependency_names()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
