"""How a kind of value plugs into the API: the adapter protocol, the registry that finds
a block's or a field's adapter, and the two-pass bulk load of a page's references.

A leaf is a value with no children: an image, a page link, a document, an embed, rich
text, a snippet, a scalar (text, number, date...) or nothing at all (a StaticBlock).
Its adapter holds what the API does with it, side by side, so the JSON, the schema and
the freshness names cannot drift apart:

- `collect(raw, refs)`: note the keys `raw` points at, for `Resolver.load` to fetch;
- `represent(raw, resolver)`: its JSON, reading what was loaded;
- `schema(components)`: the JSON Schema of that JSON;
- `native(raw, resolver, block)`: the block's Python value, as Wagtail's `to_python`
  gives it, for a block's own `get_api_representation(value, context)` (which
  receives, as Wagtail's documentation says, the block's value, not JSON).

A `Kind` is an adapter whose values point at stored objects; it adds `load(keys,
resolver)` (one query or a few for all of a page's keys) and `dependency_names(keys)`
(the `cms.publishing.dependencies` names of those objects). Each kind lives in one
module beside what owns its model (images in `cms.images.api`, page links in
`cms.api.pagelinks`, ...), registers there the block classes and model classes it
shows (`register_block_adapter`, `register_model_adapter`) and the named schemas it
uses (`register_component`); `cms.api.apps.KIND_MODULES` lists those modules, so
adding a kind is that one module and one line there (a site's own kind: that module
named in its AppConfig's `api_kinds`, cms.api.kinds).

`raw` is the stored form: a block's raw StreamField data, a foreign key's id, a
field's value. The most specific registered class in a block's (or a foreign key
target's) MRO wins. A block kind with no adapter raises `NoAdapter` naming it.
"""

import datetime
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.db import models
from wagtail import blocks
from wagtail.models import Site

from cms.api.visibility import private_collection_ids, restricted_collection_paths

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False, **extra}


STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
INTEGER: Schema = {"type": "integer"}
HTML: Schema = {"type": "string", "contentMediaType": "text/html"}


def as_int(raw: Any) -> int | None:
    """A chooser's stored id: an int, digits, or (older data) {"id": int}."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        return int(raw)
    if isinstance(raw, dict) and isinstance(raw.get("id"), int):
        return raw["id"]
    return None


_COMPONENTS: dict[str, Schema] = {}


def register_component(name: str, schema: Schema) -> Schema:
    """Name `schema` in the OpenAPI document's components; returns the `$ref` to it."""
    _COMPONENTS[name] = schema
    return ref(name)


def components() -> dict[str, Schema]:
    """The named schemas the registered kinds use ({"Image": ..., "PageLink": ...})."""
    return dict(_COMPONENTS)


class Adapter:
    """A kind of leaf value. Subclasses give `represent` and `schema`; `collect` when the
    value points at something to load."""

    def collect(self, raw: Any, refs: "Refs") -> None:
        return None

    def represent(self, raw: Any, resolver: "Resolver") -> Any:
        raise NotImplementedError

    def schema(self, components: dict[str, Schema]) -> Schema:
        raise NotImplementedError

    def native(self, raw: Any, resolver: "Resolver", block: blocks.Block) -> Any:
        """The block's Python value for `raw`; makes no query."""
        return block.to_python(raw)


class Loaded(NamedTuple):
    """What a kind loaded for one key: the object, and its JSON."""

    instance: Any
    json: Any


class Kind(Adapter):
    """A leaf value that points at stored objects, loaded in bulk for a whole page.

    Kinds are compared by value (write them as frozen dataclasses): the keys collected
    under one kind instance are read back under an equal one.
    """

    def key(self, raw: Any) -> Hashable | None:
        """The key `load` fetches `raw` by (an id), or None when `raw` points at nothing."""
        return as_int(raw)

    def collect(self, raw: Any, refs: "Refs") -> None:
        if (key := self.key(raw)) is not None:
            refs.add(self, key)

    def load(self, keys: set[Any], resolver: "Resolver") -> dict[Any, Any]:
        """{key: what `represent` and `native` read (a `Loaded`, unless they are
        overridden)} for the keys that show (live, public...); a key left out is null."""
        raise NotImplementedError

    def dependency_names(self, keys: set[Any]) -> set[str]:
        """The freshness names (cms.publishing.dependencies) of the objects `keys` are."""
        return set()

    def represent(self, raw: Any, resolver: "Resolver") -> Any:
        loaded = resolver.get(self, self.key(raw))
        return loaded.json if loaded else None

    def native(self, raw: Any, resolver: "Resolver", block: blocks.Block) -> Any:
        """The loaded object (a chooser block's value) without a query of its own; None
        where the JSON is null (gone, not live, private)."""
        loaded = resolver.get(self, self.key(raw))
        return loaded.instance if loaded else None


class Refs:
    """The keys a page's JSON points at, by kind: the first pass's result."""

    def __init__(self) -> None:
        self._keys: dict[Kind, set[Any]] = {}

    def add(self, kind: Kind, key: Hashable) -> None:
        self._keys.setdefault(kind, set()).add(key)

    def items(self) -> Iterator[tuple[Kind, set[Any]]]:
        return iter(self._keys.items())

    def dependency_names(self) -> set[str]:
        """The names (cms.publishing.dependencies) of everything referenced."""
        return {name for kind, keys in self._keys.items()
                for name in kind.dependency_names(keys)}


class Resolver:
    """What one page document on one site points at, loaded kind by kind (one query or a
    few per kind, whatever the number of references), and what the load found out."""

    def __init__(self, site: Site, restricted: list[str]) -> None:
        self.site = site
        self.root_path = site.root_page.url_path
        self.restricted = restricted  # the paths of pages under a view restriction
        self._loaded: dict[Kind, dict[Any, Any]] = {}
        # Set when an image lacked renditions: the document is served, and soon rebuilt.
        self.incomplete = False
        # The soonest expiry of a linked page: the document is stale from then on.
        self.expires_at: datetime.datetime | None = None
        self._restricted_collections: list[str] | None = None

    def private_collections(self, collection_ids: set[int]) -> set[int]:
        """Which of these collections (images', documents') the public may not see; the
        restrictions are read once per document."""
        if self._restricted_collections is None:
            self._restricted_collections = restricted_collection_paths()
        return private_collection_ids(collection_ids, self._restricted_collections)

    def load(self, refs: Refs) -> None:
        for kind, keys in refs.items():
            have = self._loaded.setdefault(kind, {})
            if wanted := keys - have.keys():
                have.update(kind.load(wanted, self))

    def get(self, kind: Kind, key: Hashable | None) -> Any:
        """What `kind` loaded for `key`, or None (nothing there, or not shown)."""
        return self._loaded.get(kind, {}).get(key) if key is not None else None

    def note_expiry(self, expire_at: datetime.datetime | None) -> None:
        if expire_at is not None and (self.expires_at is None or expire_at < self.expires_at):
            self.expires_at = expire_at


class StaticAdapter(Adapter):
    """A block that holds no value (StaticBlock): always null."""

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return None

    def schema(self, components: dict[str, Schema]) -> Schema:
        return {"type": "null"}


def _text(raw: Any) -> str:
    return raw if isinstance(raw, str) else ""


def _text_or_none(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and raw else None


def _number(raw: Any) -> float | int | None:
    # A DecimalBlock stores its value as text; JSON gets a number, as the schema says.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    try:
        return float(Decimal(raw)) if isinstance(raw, str) and raw else None
    except InvalidOperation:
        return None


def _iso(raw: Any) -> Any:
    return raw.isoformat() if isinstance(raw, datetime.date | datetime.time) else raw


@dataclass(frozen=True)
class ScalarAdapter(Adapter):
    """A plain value: its stored form, made to fit its schema by `convert`."""

    json_schema: Schema
    convert: Callable[[Any], Any] = field(default=lambda raw: raw)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return self.convert(raw)

    def schema(self, components: dict[str, Schema]) -> Schema:
        return self.json_schema


TEXT = ScalarAdapter(STRING, _text)
OPTIONAL_TEXT = ScalarAdapter(NULLABLE_STRING, _text_or_none)
INTEGER_OR_NULL = ScalarAdapter({"type": ["integer", "null"]},
                                lambda raw: raw if isinstance(raw, int) else as_int(raw))
NUMBER_OR_NULL = ScalarAdapter({"type": ["number", "null"]}, _number)
BOOLEAN = ScalarAdapter({"type": "boolean"}, bool)
CHOICE = ScalarAdapter({"type": ["string", "integer", "null"]},
                       lambda raw: raw if isinstance(raw, str | int) else None)
CHOICES = ScalarAdapter({"type": "array", "items": {"type": ["string", "integer"]}},
                        lambda raw: [item for item in raw if isinstance(item, str | int)]
                        if isinstance(raw, list) else [])
DATE_OR_TIME = ScalarAdapter(NULLABLE_STRING, lambda raw: _iso(raw) or None)


NO_ADAPTER_HOW = (
    "register one with cms.api.adapters.register_block_adapter (a Kind, with its load "
    "and its freshness names, when its value points at stored objects: see "
    "cms/images/api.py), or make the block a StructBlock of registered kinds; its own "
    "get_api_representation may then reshape that, described by api_schema")


class NoAdapter(LookupError):
    """A block kind the API does not know how to show; the message names the block and
    says how to show it (`how`, by default: register an adapter)."""

    def __init__(self, block: blocks.Block, how: str = NO_ADAPTER_HOW) -> None:
        kind = type(block)
        super().__init__(
            f"No API adapter for block {kind.__module__}.{kind.__qualname__}"
            f"{f' ({block.name!r})' if getattr(block, 'name', '') else ''}: {how}")
        self.block = block


BlockAdapterFactory = Callable[[blocks.Block], Adapter]
# A factory may answer None: "not a model this kind shows", and the search goes on.
ModelAdapterFactory = Callable[[type[models.Model]], Adapter | None]
_BLOCK_ADAPTERS: dict[type[blocks.Block], BlockAdapterFactory] = {}
_MODEL_ADAPTERS: dict[type[models.Model], ModelAdapterFactory] = {}


def register_block_adapter(block_class: type[blocks.Block],
                           adapter: Adapter | BlockAdapterFactory) -> None:
    """Show blocks of `block_class` (and its subclasses) through `adapter`, or through the
    adapter `adapter(block)` gives when it depends on the block."""
    if isinstance(adapter, Adapter):
        _BLOCK_ADAPTERS[block_class] = lambda block: adapter
    else:
        _BLOCK_ADAPTERS[block_class] = adapter


def register_model_adapter(model_class: type[models.Model],
                           adapter: Adapter | ModelAdapterFactory) -> None:
    """Show a foreign key to `model_class` (or a subclass) through `adapter`, or through
    the adapter `adapter(target_model)` gives when it depends on the model."""
    if isinstance(adapter, Adapter):
        _MODEL_ADAPTERS[model_class] = lambda model: adapter
    else:
        _MODEL_ADAPTERS[model_class] = adapter


def block_adapter(block: blocks.Block) -> Adapter:
    """The adapter of a leaf block: the most specific class registered in its MRO."""
    for kind in type(block).__mro__:
        factory = _BLOCK_ADAPTERS.get(kind)
        if factory is not None:
            return factory(block)
    raise NoAdapter(block)


def model_adapter(model: type[models.Model]) -> Adapter | None:
    """The adapter of a foreign key to `model`, or None when no kind shows that model."""
    for kind in model.__mro__:
        factory = _MODEL_ADAPTERS.get(kind)
        if factory is not None and (adapter := factory(model)) is not None:
            return adapter
    return None


for _kind, _adapter in [
    (blocks.StaticBlock, StaticAdapter()),
    (blocks.CharBlock, TEXT), (blocks.TextBlock, TEXT), (blocks.EmailBlock, TEXT),
    (blocks.RegexBlock, TEXT), (blocks.RawHTMLBlock, TEXT),
    (blocks.URLBlock, OPTIONAL_TEXT),
    (blocks.IntegerBlock, INTEGER_OR_NULL),
    (blocks.FloatBlock, NUMBER_OR_NULL), (blocks.DecimalBlock, NUMBER_OR_NULL),
    (blocks.BooleanBlock, BOOLEAN),
    (blocks.ChoiceBlock, CHOICE), (blocks.MultipleChoiceBlock, CHOICES),
    (blocks.DateBlock, DATE_OR_TIME), (blocks.DateTimeBlock, DATE_OR_TIME),
    (blocks.TimeBlock, DATE_OR_TIME),
]:
    register_block_adapter(_kind, _adapter)
