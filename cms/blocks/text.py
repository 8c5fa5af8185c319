"""Text blocks: heading, rich text and quote."""

from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link",
                      "image", "embed", "hr", "blockquote", "code", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[(2, "H2"), (3, "H3"), (4, "H4")], default=2, help_text="Heading level"
    )

    class Meta:
        icon = "title"
        label = "Heading"

    def get_api_representation(self, value: blocks.StructValue,
                               context: dict | None = None) -> dict:
        """{"text": str, "level": 2 | 3 | 4}: the level as a number, as the heading's tag."""
        text = value.get("text")
        return {"text": text if isinstance(text, str) else "",
                "level": int(value.get("level") or 2)}

    def api_schema(self, schema: dict) -> dict:
        return {**schema, "properties": {**schema["properties"],
                                         "level": {"type": "integer", "enum": [2, 3, 4]}}}

    def get_searchable_content(self, value: blocks.StructValue) -> list[str]:
        """The heading's words only: the level's label ("H2") is markup, not text, and
        would show in search snippets. (Not `search_index=False` on the level: that
        would change the block's definition, and with it every model's migrations.)"""
        return self.child_blocks["text"].get_searchable_content(value.get("text") or "")


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Rich text"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Quote"
