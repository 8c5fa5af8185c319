"""A form page's form as the page document shows it: a schema the renderer draws.

`{"fields": [{"name", "label", "type", "required", "help_text", "choices", "default",
"max_length"}], "honeypot": name, "action": path}`:

- `name` is Wagtail's `clean_name` (the key of the submission's data), `type` one of
  Wagtail's field types (`FORM_FIELD_TYPES`), `choices` the values of a dropdown,
  radio, checkboxes or multiselect field (else []), `default` a string, a list of
  strings (checkboxes, multiselect) or a boolean (checkbox), `max_length` the most
  characters the field takes (null: no limit but the body's);
- `honeypot` names a field the site renders hidden from people and assistive technology:
  a submission that fills it is refused (cms.forms.views);
- `action` is where the renderer posts a submission, server side.
"""

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from wagtail.contrib.forms.forms import _split_by_newline_or_comma
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from cms.api.adapters import register_component

# The field bots fill and people never see: its name does not look like a trap, and has a
# hyphen, which no field of the form builder has (Wagtail's clean_name makes "_" of it),
# so an editor's "Website address" field is never taken for it.
HONEYPOT_FIELD = "website-address"
FORM_FIELD_TYPES = [name for name, _label in FORM_FIELD_CHOICES]
CHOICE_TYPES = frozenset({"dropdown", "radio", "checkboxes", "multiselect"})
LIST_TYPES = frozenset({"checkboxes", "multiselect"})

_STRING = {"type": "string"}
FIELD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "label", "type", "required", "help_text", "choices", "default",
                 "max_length"],
    "properties": {
        "name": {**_STRING, "description": "The key of this field in a submission"},
        "label": _STRING,
        "type": {"type": "string", "enum": FORM_FIELD_TYPES},
        "required": {"type": "boolean"},
        "help_text": {**_STRING, "description": "Plain text"},
        "choices": {"type": "array", "items": _STRING},
        "default": {"anyOf": [_STRING, {"type": "boolean"},
                              {"type": "array", "items": _STRING}]},
        "max_length": {"type": ["integer", "null"]},
    },
}
FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["fields", "honeypot", "action"],
    "properties": {
        "fields": {"type": "array", "items": FIELD_SCHEMA},
        "honeypot": {**_STRING, "description":
                     "A field to render hidden from people; a submission filling it is refused"},
        "action": {**_STRING, "description": "POST a submission here ({name: value} JSON)"},
    },
}


def _default(field: Any) -> str | bool | list[str]:
    raw = field.default_value or ""
    if field.field_type in LIST_TYPES:
        return _split_by_newline_or_comma(raw) if raw.strip() else []
    if field.field_type == "checkbox":
        return bool(raw.strip()) and raw.strip().lower() not in ("false", "0", "off", "no")
    return raw


def form_schema(page: Any) -> dict[str, Any]:
    """The form of a form page (`cms.forms.models.BaseFormPage`); one query."""
    fields = list(page.get_form_fields())
    builder = page.form_builder(fields)
    built = builder.formfields  # the Django form fields Wagtail validates with, by name
    out = []
    for field, (name, form_field) in zip(fields, built.items(), strict=True):
        out.append({
            "name": name, "label": field.label, "type": field.field_type,
            "required": bool(field.required), "help_text": field.help_text or "",
            "choices": ([value for value, _label in builder.get_formatted_field_choices(field)]
                        if field.field_type in CHOICE_TYPES else []),
            "default": _default(field),
            "max_length": getattr(form_field, "max_length", None),
        })
    return {"fields": out, "honeypot": HONEYPOT_FIELD,
            "action": reverse("wagtailapi:forms:submissions", args=[page.pk]) if page.pk else ""}


# The form's components of the OpenAPI document, named once here (cms.api.adapters).
FORM_DEFINITION = register_component("FormDefinition", {**FORM_SCHEMA, "properties": {
    **FORM_SCHEMA["properties"],
    "fields": {"type": "array",
               "items": register_component("FormFieldDefinition", FIELD_SCHEMA)}}})


class FormSchemaField(serializers.Field):
    """`APIField("form", serializer=FormSchemaField())`: the page's form schema, the form
    kind of value: its JSON (`form_schema`), its schema and its freshness, here."""

    api_schema = FORM_DEFINITION
    # The form's fields are the page's inline children: the page's own name covers them.
    api_reads_page_only = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> dict[str, Any]:
        return form_schema(value)
