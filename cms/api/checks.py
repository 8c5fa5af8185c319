"""System checks of the API's contract: everything a page document shows has a schema
and freshness names, or the CMS refuses to start (`manage.py check` and every command
that runs the checks: runserver, migrate...), saying how to fix it.

- mortar_api.E001: a block the API cannot show (a site's own block with no adapter, or
  with its own `get_api_representation` but no `api_schema`); the message names it.
- mortar_api.E002: an `APIField(serializer=...)` whose JSON Schema is unknown.
- mortar_api.E003: an `APIField(serializer=...)` that says nothing of what it shows, so
  no change to it would ever refresh the page.
- mortar_api.E005: a listing declared badly (`api_listings`, cms.api.listing): not a
  list of `Listing`, a model that is not an installed page type, no method giving its
  pages, a name the document already has, a per_page under 1.

(mortar_api.E004, a kind of value a site declares badly, is cms.api.kinds'.)
"""

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, register
from wagtail.api import APIField
from wagtail.models import Page


@register()
def api_contract(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The errors above, for every installed page type (and the navigation document)."""
    from cms.api.adapters import NoAdapter
    from cms.api.representation import SerializerAdapter
    from cms.api.schema import openapi, page_types

    errors = declared_listings()
    if errors:
        return errors  # the schema reads the listings: it cannot be walked without them
    try:
        openapi()  # walks every field and block the API shows, as export_schema does
    except NoAdapter as error:
        errors.append(Error(str(error), obj=type(error.block), id="mortar_api.E001"))
    for model in page_types():
        for field in getattr(model, "api_fields", []):
            if not isinstance(field, APIField) or field.serializer is None:
                continue
            adapter = SerializerAdapter(field.name, field.serializer)
            where = (f"APIField({field.name!r}, serializer="
                     f"{type(field.serializer).__qualname__}(...)) of {model._meta.label}")
            if adapter.schema({}) == {}:
                errors.append(Error(
                    f"{where} has no JSON Schema: give the serializer field an api_schema "
                    "attribute (a JSON Schema of what to_representation returns).",
                    obj=model, id="mortar_api.E002"))
            if not adapter.freshness_declared():
                errors.append(Error(
                    f"{where} says nothing of what it shows, so no change would refresh "
                    "the page: give the serializer field api_collect(page, refs), noting "
                    "what it shows with the kinds of value (cms.api.adapters.Kind, e.g. "
                    "IMAGE.collect(page.logo_id, refs)), or api_reads_page_only = True "
                    "when it shows only the page's own fields.",
                    obj=model, id="mortar_api.E003"))
    return errors


def declared_listings() -> list[CheckMessage]:
    """mortar_api.E005, on every installed page type (cms.api.listing.problems)."""
    from cms.api import listing

    return [Error(message, obj=model, id="mortar_api.E005")
            for model in apps.get_models() if issubclass(model, Page)
            for message in listing.problems(model)]
