"""StreamField content written outside the editor (demo content, bulk data, imports).

The admin saves every block, ListBlock items included, with an `id`, and rich text as
its editor's converter writes it. Raw JSON missing either disagrees with the editor:
a ListBlock item without an `id` is read as a bare value in the old list format, so
the editor shows the item empty and refuses to publish it, while the API still reads
the raw data. `editor_data` turns raw blocks into exactly what the editor saves.
"""

import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from wagtail import blocks


def editor_data(stream_block: blocks.StreamBlock, raw: list[dict[str, Any]]) -> list[dict]:
    """`raw` blocks ({"type", "value"[, "id"]}) as the editor stores them: every block
    and list item with an id, rich text through the editor's converter.

    Give ListBlock items as bare values, or as {"type": "item", "value", "id"}: an item
    in that shape without its "id" reads as a bare value, the dict itself.

    Raises whatever the blocks' `to_python` raises for a value that does not fit them.
    """
    return _prep(stream_block, stream_block.to_python(raw))


def editor_json(stream_block: blocks.StreamBlock, raw: list[dict[str, Any]]) -> str:
    """`editor_data` as the JSON text a StreamField column holds."""
    return json.dumps(editor_data(stream_block, raw), cls=DjangoJSONEncoder)


def _prep(block: blocks.Block, value: Any) -> Any:
    if isinstance(block, blocks.StreamBlock):
        return [{"type": child.block_type, "value": _prep(child.block, child.value),
                 "id": child.id or str(uuid.uuid4())} for child in value]
    if isinstance(block, blocks.ListBlock):
        return [{"type": "item", "value": _prep(block.child_block, item.value),
                 "id": item.id or str(uuid.uuid4())} for item in value.bound_blocks]
    if isinstance(block, blocks.StructBlock):
        return {name: _prep(child, value.get(name)) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.RichTextBlock):
        # The admin's rich-text widget converts HTML to its editor's format and back on save.
        converter = block.field.widget.converter
        return converter.to_database_format(converter.from_database_format(value.source))
    return block.get_prep_value(value)
