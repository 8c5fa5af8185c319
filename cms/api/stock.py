"""Wagtail's stock API v2 endpoints (`pages/`, `images/`, `documents/`) as Mortar serves them.

Subclasses of Wagtail's viewsets, registered on the same `WagtailAPIRouter`, so the
URLs, parameters and answers stay Wagtail's; what Mortar adds goes here, in one module
for the three, which share it: the same parameter checks (`CheckedParametersMixin`),
and, for `pages/`, `pages/by-path/` mounted under its URL (cms.api.by_path). A page's
`api_fields` come out in the same shapes as by-path (`cms.api.representation`: images with
their srcset, page links with `html_path`, rich text with site paths), loaded in bulk
for all the pages of an answer: one contract.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import QuerySet, prefetch_related_objects
from django.http import QueryDict
from django.urls import NoReverseMatch, URLPattern
from rest_framework import serializers
from rest_framework.request import Request
from taggit.managers import TaggableManager
from wagtail.api.v2.serializers import PageSerializer as WagtailPageSerializer
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.models import Page, Site

from cms.api import representation
from cms.api.adapters import Refs, Resolver
from cms.api.by_path import PageByPathAPIViewSet
from cms.api.errors import BadRequest
from cms.api.requests import ERRORS, Schema, check_query_text, path_error, whole_number
from cms.api.visibility import not_expired_q, restricted_paths

# PostgreSQL's OFFSET is a bigint, but no listing comes near this; a larger one is a typo.
MAX_OFFSET = 2**31 - 1
SEARCH_OPERATORS = ("and", "or")


def integer_range(field: models.Field) -> tuple[int, int]:
    """The values the database column behind an integer field (or a key to one) can hold."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    # Backends without a limit (SQLite) answer None; PostgreSQL's bigint is the widest.
    return (-(2**63) if low is None else low, 2**63 - 1 if high is None else high)


def check_field_filter(model: type[models.Model], name: str, raw: str) -> None:
    """A `?field=value` filter holds a value the field's column can compare with."""
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return
    if isinstance(field, TaggableManager | models.BooleanField):
        return  # Wagtail parses these itself and answers 400 on a bad value
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        if isinstance(target, models.IntegerField | models.AutoField):
            low, high = integer_range(field)
            digits = raw.removeprefix("-")
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 20
                    and low <= int(raw) <= high):
                raise BadRequest(f"{name} must be a whole number from {low} to {high}")
            return
    if isinstance(field, models.DateField | models.TimeField | models.DecimalField
                  | models.FloatField | models.UUIDField):
        try:
            field.to_python(raw)
        except ValidationError as error:
            raise BadRequest(f"{name}: {' '.join(error.messages)}") from error


def check_choice(name: str, raw: str | None, choices: Iterable[str]) -> None:
    allowed = tuple(choices)
    if raw is not None and raw not in allowed:
        raise BadRequest(f"{name} must be one of: {', '.join(allowed)}")


class CheckedParametersMixin(BaseAPIViewSet):
    """Checks every query parameter in `initial`, before the viewset reads the database.

    Wagtail's own checks come later and stay (unknown parameters, field names, types);
    these catch what it passes on unchecked: control characters and NUL bytes, numbers
    beyond what the columns hold, unknown search operators, malformed dates.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        try:
            self.check_parameters(request.GET)
        except BadRequest as error:
            raise BadRequestError(error.message) from error

    def filter_model(self, query: QueryDict) -> type[models.Model]:
        """The model whose fields `?field=value` filters apply to."""
        return self.model

    def check_parameters(self, query: QueryDict) -> None:
        check_query_text(query)
        if "offset" in query:
            whole_number("offset", query["offset"], 0, MAX_OFFSET)
        if "limit" in query:
            whole_number("limit", query["limit"], 0, settings.WAGTAILAPI_LIMIT_MAX)
        check_choice("search_operator", query.get("search_operator"), SEARCH_OPERATORS)
        if self.action == "find_view" and "id" in query:
            whole_number("id", query["id"], 1, integer_range(self.model._meta.pk)[1])
        model = self.filter_model(query)
        filters = set(self.get_available_fields(model, db_fields_only=True)) & set(query)
        for name in sorted(filters):
            check_field_filter(model, name, query[name])


# The serializer context's key for the answer's bulk loader: the same as by-path's, so
# an APIField(serializer=...) reads it under one name wherever it is shown.
RESOLVER = "resolver"


class RepresentedField(serializers.Field):
    """A page's `api_fields` entry as by-path shows it (`cms.api.representation`), read from the
    answer's Resolver, which `PagesAPIViewSet.get_serializer` loaded for every page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page: Page) -> Any:
        field = representation.page_field(type(page), self.field_name)
        return field.adapter.represent(field.read(page), self.context[RESOLVER])


class PageHtmlUrlField(serializers.Field):
    """`meta.html_url`: the page's full URL on its Site's renderer, worked out once per Site
    for the whole answer (the request remembers each Site's renderer URL)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page: Page) -> str | None:
        try:
            return page.get_full_url(request=self.context.get("request"))
        except NoReverseMatch:
            return None


class PageSerializer(WagtailPageSerializer):
    html_url = PageHtmlUrlField()


class PagesAPIViewSet(CheckedParametersMixin, WagtailPagesAPIViewSet):
    """`/api/v2/pages/`, `pages/<id>/`, `pages/find/`; and `pages/by-path/`, the page
    document by path, an endpoint of its own (cms.api.by_path) under this one's URL, as
    `find/` is: the router mounts it with this endpoint."""

    base_serializer_class = PageSerializer

    @classmethod
    def get_urlpatterns(cls) -> list[URLPattern]:
        return [*super().get_urlpatterns(), *PageByPathAPIViewSet.get_urlpatterns()]

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Schema]) -> dict[str, Schema]:
        return {url: {"get": {
            "operationId": "stockPages", "summary": "Wagtail's stock pages listing",
            "responses": {"200": {"description": "See Wagtail's API v2 docs",
                                  "content": {"application/json": {}}}, **ERRORS},
        }}, **PageByPathAPIViewSet.openapi_paths(f"{url}by-path/", components)}

    @classmethod
    def get_field_serializer_overrides(cls, model: type[models.Model]) -> dict[str, Any]:
        # Every api_fields entry as by-path shows it; an APIField(serializer=...) keeps its own.
        overrides = super().get_field_serializer_overrides(model)
        for name in representation.api_field_names(model):
            if representation.shown_by_adapter(model, name):
                overrides.setdefault(name, RepresentedField())
        return overrides

    def get_serializer_context(self) -> dict[str, Any]:
        site = Site.find_for_request(self.request) or Site.objects.filter(
            is_default_site=True).select_related("root_page").first()
        if site is None:  # no Site at all: paths are the tree's own, from its root
            site = Site(root_page=Page.get_first_root_node())
        return {**super().get_serializer_context(),
                RESOLVER: Resolver(site, restricted_paths())}

    def get_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        """The serializer, with what its pages' represented fields show loaded at once."""
        serializer = super().get_serializer(*args, **kwargs)
        one = serializer.child if kwargs.get("many") else serializer
        # Represented fields, and declared serializers that note what they show.
        names = [name for name, field in one.fields.items()
                 if isinstance(field, RepresentedField) or hasattr(field, "api_collect")]
        if names:
            pages = list(args[0]) if kwargs.get("many") else [args[0]]
            # Tags, a query per page otherwise: one for all (by-path's listings do the same).
            tagged = [name for name in names if pages and isinstance(
                representation.page_field(type(pages[0]), name).adapter,
                representation.TagsAdapter)]
            prefetch_related_objects(pages, *tagged)
            refs = Refs()
            for page in pages:
                representation.collect_fields(page, names, refs)
            serializer.context[RESOLVER].load(refs)
        return serializer

    def get_base_queryset(self) -> QuerySet:
        # Wagtail's own rule (live, public, in the request's site) plus Mortar's one
        # difference (cms.api.visibility): a page past its expiry is gone at once.
        # By path, which Wagtail's search can filter on (expire_at is not indexed); the
        # pages past their expiry but still live are a handful at any moment.
        expired = list(Page.objects.filter(live=True).exclude(not_expired_q())
                       .values_list("path", flat=True))
        queryset = super().get_base_queryset()
        return queryset.exclude(path__in=expired) if expired else queryset

    def filter_model(self, query: QueryDict) -> type[models.Model]:
        # As get_queryset picks it, without its queries: one type narrows to that model.
        try:
            models_ = page_models_from_string(query["type"]) if "type" in query else []
        except (LookupError, ValueError) as error:
            raise BadRequest("type doesn't exist") from error
        return models_[0] if len(models_) == 1 else Page

    def check_parameters(self, query: QueryDict) -> None:
        super().check_parameters(query)
        top = integer_range(Page._meta.pk)[1]
        for name in ("child_of", "descendant_of", "translation_of", "ancestor_of"):
            raw = query.get(name)
            if raw is not None and not (raw == "root" and name != "ancestor_of"):
                whole_number(name, raw, 0, top)
        if self.action == "find_view" and "html_path" in query:
            error = path_error(query["html_path"])
            if error:
                raise BadRequest(error)


class ImagesAPIViewSet(CheckedParametersMixin, WagtailImagesAPIViewSet):
    """`/api/v2/images/`, `images/<id>/`."""

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Schema]) -> dict[str, Schema]:
        return {}  # Wagtail's own, as Wagtail documents it; the renderer never asks it


class DocumentsAPIViewSet(CheckedParametersMixin, WagtailDocumentsAPIViewSet):
    """`/api/v2/documents/`, `documents/<id>/`."""

    @classmethod
    def openapi_paths(cls, url: str, components: dict[str, Schema]) -> dict[str, Schema]:
        return {}  # Wagtail's own, as Wagtail documents it; the renderer never asks it
