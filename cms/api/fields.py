"""Page model fields to API JSON, in the same two passes as blocks: collect, then render."""

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.api import richtext, streamfield
from cms.api.resolver import Refs, Resolver


def api_field_names(model: type[Page]) -> list[str]:
    return [field.name for field in getattr(model, "api_fields", [])]


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _fk_target(field: Any) -> type[models.Model] | None:
    return field.related_model if isinstance(field, models.ForeignKey) else None


def collect(page: Page, names: list[str], refs: Refs) -> None:
    for name in names:
        field = _field(type(page), name)
        if isinstance(field, StreamField):
            streamfield.collect(field.stream_block, list(getattr(page, name).raw_data), refs)
        elif isinstance(field, RichTextField):
            richtext.collect(getattr(page, name) or "", refs)
        elif (target := _fk_target(field)) is not None:
            pk = getattr(page, field.attname)
            if pk is None:
                continue
            if issubclass(target, AbstractImage):
                refs.images.add(pk)
            elif issubclass(target, Page):
                refs.pages.add(pk)


def render(page: Page, names: list[str], resolver: Resolver) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        field = _field(type(page), name)
        value = getattr(page, name, None)
        if isinstance(field, StreamField):
            out[name] = streamfield.render(field.stream_block, list(value.raw_data), resolver)
        elif isinstance(field, RichTextField):
            out[name] = richtext.render(value or "", resolver)
        elif (target := _fk_target(field)) is not None:
            pk = getattr(page, field.attname)
            if issubclass(target, AbstractImage):
                out[name] = resolver.image(pk)
            elif issubclass(target, Page):
                out[name] = resolver.page(pk)
            else:
                out[name] = pk
        elif isinstance(field, ClusterTaggableManager) or name == "tags":
            out[name] = sorted(tag.name for tag in value.all()) if value is not None else []
        elif isinstance(value, datetime.date | datetime.datetime):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out
