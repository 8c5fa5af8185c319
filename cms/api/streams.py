"""StreamField data to API JSON, walking the block definitions over the stored raw data.

Working from raw data (ids, not model instances) lets one pass collect every
reference of a page, however deeply nested, before anything is loaded; the second
pass represents each block with what was loaded. Containers (StreamBlock,
StructBlock, ListBlock) are walked here; every leaf goes through its adapter
(`cms.api.adapters`), which holds its collect, its JSON and its schema.

A block shapes its own JSON through Wagtail's seam, `get_api_representation(value,
context)`: when its class defines one, it is called as Wagtail's documentation says,
with `value` the block's Python value (a StructValue, a ListValue, a StreamValue, an
Image, a RichText, a str...; as `to_python` gives it, built from what the page's bulk
load fetched, so it makes no query of its own) and `context["resolver"]` the page's
bulk loader (`cms.api.adapters.Resolver`, which the kinds read: `IMAGE.json(pk,
resolver)` is an image's JSON). It returns the block's JSON, whose schema its
`api_schema(schema)` gives from the default one (`block_schema`).
"""

from functools import cache
from typing import Any

from wagtail import blocks
from wagtail.blocks.list_block import ListValue

from cms.api.adapters import (
    NULLABLE_STRING,
    Adapter,
    NoAdapter,
    Refs,
    Resolver,
    Schema,
    block_adapter,
    obj,
    ref,
)

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


def collect(block: blocks.Block, raw: Any, refs: Refs) -> None:
    """Note in `refs` every id `raw` (the block's stored data) points at."""
    if isinstance(block, blocks.StreamBlock):
        for child in raw or []:
            if isinstance(child, dict) and child.get("type") in block.child_blocks:
                collect(block.child_blocks[child["type"]], child.get("value"), refs)
    elif isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        for name, child_block in block.child_blocks.items():
            collect(child_block, raw.get(name), refs)
    elif isinstance(block, blocks.ListBlock):
        for item in _items(raw):
            collect(block.child_block, item, refs)
    else:
        leaf_adapter(block).collect(raw, refs)


def represent(block: blocks.Block, raw: Any, context: Context) -> Any:
    """The block's JSON, once `context["resolver"]` has loaded what `collect` noted."""
    if defines_own_representation(type(block)):
        return block.get_api_representation(native(block, raw, context["resolver"]), context)
    return _represent(block, raw, context)


def native(block: blocks.Block, raw: Any, resolver: Resolver) -> Any:
    """The block's Python value for its stored data `raw`, as Wagtail's `to_python` gives
    it, except that a chooser's object is the one the resolver loaded (None where the
    JSON shows null: gone, not live, private), so it costs no query."""
    if isinstance(block, blocks.StreamBlock):
        children = [(child["type"], native(block.child_blocks[child["type"]],
                                           child.get("value"), resolver), child.get("id"))
                    for child in raw or []
                    if isinstance(child, dict) and child.get("type") in block.child_blocks]
        return blocks.StreamValue(block, children)
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        return block._to_struct_value([(name, native(child_block, raw.get(name), resolver))
                                       for name, child_block in block.child_blocks.items()])
    if isinstance(block, blocks.ListBlock):
        return ListValue(block, values=[native(block.child_block, item, resolver)
                                        for item in _items(raw)])
    return leaf_adapter(block).native(raw, resolver, block)


def _represent(block: blocks.Block, raw: Any, context: Context) -> Any:
    if isinstance(block, blocks.StreamBlock):
        out = []
        for child in raw or []:
            if not isinstance(child, dict):
                continue
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:  # a block type removed from the code since it was saved
                continue
            out.append({"type": child["type"], "id": child.get("id"),
                        "value": represent(child_block, child.get("value"), context)})
        return out
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        return {name: represent(child_block, raw.get(name), context)
                for name, child_block in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [represent(block.child_block, item, context) for item in _items(raw)]
    return leaf_adapter(block).represent(raw, context["resolver"])


def raw_data(value: Any) -> list[Any]:
    """A StreamField's stored data, from its StreamValue or as given (a list of dicts)."""
    raw = getattr(value, "raw_data", value)
    return list(raw) if raw is not None else []


def block_name(block: blocks.Block) -> str:
    return type(block).__name__


def block_schema(block: blocks.Block, components: dict[str, Schema]) -> Schema:
    """The JSON Schema of what `cms.api.streams.represent` gives for this block.

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
