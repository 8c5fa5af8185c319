"""The shared StreamField block library: one class per block.

A block's API JSON is its children's, each leaf shown by its adapter
(`cms.api.adapters`); a block that reshapes it defines Wagtail's
`get_api_representation(value, context)`, which receives the block's Python value
(a StructValue whose chooser children are the loaded objects) as Wagtail's
documentation says, and describes the result with `api_schema(schema)` (see
`ImageBlock`, `HeadingBlock`)."""
