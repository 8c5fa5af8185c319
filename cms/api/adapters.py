"""One adapter per kind of leaf value: the ids it needs loaded, its JSON and its JSON Schema.

A leaf is a value with no children: an image, a page link, a document, an embed, rich
text, a snippet, a scalar (text, number, date...) or nothing at all (a StaticBlock).
Its adapter holds the three things the API does with it, side by side, so the JSON
and the schema cannot drift apart:

- `collect(raw, refs)`: note the ids `raw` points at, for `Resolver.load` to fetch in bulk;
- `represent(raw, resolver)`: its JSON, reading what was loaded;
- `schema(components)`: the JSON Schema of that JSON.

`raw` is the stored form: a block's raw StreamField data, a foreign key's id, a
field's value. Blocks find their adapter by class (`block_adapter`, the most
specific registered class in the block's MRO wins); page fields in `cms.api.fields`.
A block kind with no adapter raises `NoAdapter` naming it: a new kind of block is
added here (`register_block_adapter`) before the API can show it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api import richtext
from cms.api.resolver import Refs, Resolver

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


class Adapter:
    """A kind of leaf value. Subclasses give `represent` and `schema`; `collect` when the
    value points at something to load."""

    def collect(self, raw: Any, refs: Refs) -> None:
        return None

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        raise NotImplementedError

    def schema(self, components: dict[str, Schema]) -> Schema:
        raise NotImplementedError


class ImageAdapter(Adapter):
    """An image id → the Image object (`cms.images.api.image_json`), or null."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if (pk := as_int(raw)) is not None:
            refs.images.add(pk)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return resolver.image(as_int(raw))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(ref("Image"))


class PageLinkAdapter(Adapter):
    """A page id → {"id", "title", "html_path"}, or null for a page not live and public."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if (pk := as_int(raw)) is not None:
            refs.pages.add(pk)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return resolver.page(as_int(raw))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(ref("PageLink"))


class DocumentAdapter(Adapter):
    """A Wagtail Document id → {"id", "title", "url", "filename", "file_extension"}, or null."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if (pk := as_int(raw)) is not None:
            refs.documents.add(pk)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return resolver.document(as_int(raw))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(ref("DocumentLink"))


class EmbedAdapter(Adapter):
    """An oEmbed URL → {"url", "html", "title", ...}: the provider's fields once fetched."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if isinstance(raw, str) and raw:
            refs.embeds.add(raw)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return resolver.embed(raw if isinstance(raw, str) else None)

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(ref("Embed"))


class RichTextAdapter(Adapter):
    """Rich text in Wagtail's database format → HTML whose links are site paths."""

    def collect(self, raw: Any, refs: Refs) -> None:
        if isinstance(raw, str):
            richtext.collect(raw, refs)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return richtext.site_html(raw, resolver) if isinstance(raw, str) else ""

    def schema(self, components: dict[str, Schema]) -> Schema:
        return HTML


@dataclass(frozen=True)
class SnippetAdapter(Adapter):
    """A snippet id → {"id", "type": "app_label.Model", "title"}, or null."""

    label: str  # the snippet model's "app_label.Model"

    def collect(self, raw: Any, refs: Refs) -> None:
        if (pk := self._pk(raw)) is not None:
            refs.snippets.setdefault(self.label, set()).add(pk)

    def represent(self, raw: Any, resolver: Resolver) -> Any:
        return resolver.snippet(self.label, self._pk(raw))

    def schema(self, components: dict[str, Schema]) -> Schema:
        return nullable(ref("Snippet"))

    @staticmethod
    def _pk(raw: Any) -> Any:
        if isinstance(raw, str) and raw and not raw.isdigit():
            return raw  # a UUID or other text key
        return as_int(raw)


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


class NoAdapter(LookupError):
    """A block kind the API does not know how to show."""

    def __init__(self, block: blocks.Block) -> None:
        kind = type(block)
        super().__init__(
            f"No API adapter for block {kind.__module__}.{kind.__qualname__}"
            f"{f' ({block.name!r})' if getattr(block, 'name', '') else ''}: register one "
            "with cms.api.adapters.register_block_adapter, or give the block "
            "get_api_representation and api_schema of its own")
        self.block = block


BlockAdapterFactory = Callable[[blocks.Block], Adapter]
_BLOCK_ADAPTERS: dict[type[blocks.Block], BlockAdapterFactory] = {}


def register_block_adapter(block_class: type[blocks.Block],
                           adapter: Adapter | BlockAdapterFactory) -> None:
    """Show blocks of `block_class` (and its subclasses) through `adapter`, or through the
    adapter `adapter(block)` gives when it depends on the block."""
    if isinstance(adapter, Adapter):
        _BLOCK_ADAPTERS[block_class] = lambda block: adapter
    else:
        _BLOCK_ADAPTERS[block_class] = adapter


def block_adapter(block: blocks.Block) -> Adapter:
    """The adapter of a leaf block: the most specific class registered in its MRO."""
    for kind in type(block).__mro__:
        factory = _BLOCK_ADAPTERS.get(kind)
        if factory is not None:
            return factory(block)
    raise NoAdapter(block)


for _kind, _adapter in [
    (ImageChooserBlock, ImageAdapter()),
    (blocks.PageChooserBlock, PageLinkAdapter()),
    (DocumentChooserBlock, DocumentAdapter()),
    (EmbedBlock, EmbedAdapter()),
    (blocks.RichTextBlock, RichTextAdapter()),
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
register_block_adapter(SnippetChooserBlock,
                       lambda block: SnippetAdapter(block.target_model._meta.label))
