"""The listing: a paginated list of pages inside a page's document (an article index's
articles), declared on its page type as Wagtail declares the page's API fields:

    from cms.api.listing import Listing

    class ArticleIndexPage(HeadlessRoutablePageMixin, BasePage):
        api_fields = [APIField("intro")]
        api_listings = [Listing("articles", "example.ArticlePage", per_page=10)]

        def articles(self) -> QuerySet[ArticlePage]:  # the method of the listing's name
            return visible_pages(ArticlePage.objects.child_of(self)).order_by("-date")

The document shows one page of it as the field `articles`: `{"items": [...], "page",
"per_page", "total", "total_pages"}`, each item a summary of a page of the listing's
model (`id`, `title`, `type`, `html_path` and its type's `summary_fields`). Which page
of its listings a document shows is its `RouteAnswer.listing_page` (a `page/<N>/`
sub-route) or `?page=`.

Everything the API does with a listing is here, as each kind of value holds its own
(cms.api.adapters): its bulk load (`Listing.load`: one page of the queryset, counted),
its JSON (`PendingListing.represent`), its schema (`Listing.schema`) and its dependency
names (`PendingListing.dependency_names`). What an item shows is a page's summary
fields, which the document's field walk (cms.api.representation) loads in bulk with the
page's own fields and hands in, as cms.api.schema hands in the summary's schema. A page
type that declares a listing badly is refused at start-up (`mortar_api.E005`, from
`problems`), saying how.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from wagtail.models import Page

from cms.api.adapters import INTEGER, Resolver, Schema, obj
from cms.api.errors import NotFound
from cms.publishing.freshness import dependencies

MAX_LISTING_PAGE = 100_000
PER_PAGE = 10
ATTRIBUTE = "api_listings"
# The document's own keys, which a listing's name must leave alone.
DOCUMENT_KEYS = ("id", "title", "meta")


@dataclass(frozen=True)
class Listing:
    """A paginated listing of the page type's document: the field `name`, showing pages of
    `model` ("app_label.ModelName") that the page's method `name()` returns (a queryset,
    in the order shown, of what the public may see: `cms.api.visibility.visible_pages`),
    `per_page` at a time."""

    name: str
    model: str
    per_page: int = PER_PAGE

    def items_model(self) -> type[Page]:
        """The page type of its items. Raises LookupError (or ValueError for a label that
        is no "app_label.ModelName"), which the system check reports."""
        return apps.get_model(self.model)

    def load(self, page: Page, number: int) -> "PendingListing":
        """Page `number` (from 1) of the page's listing. Raises NotFound past the last."""
        paginator = Paginator(getattr(page, self.name)(), self.per_page)
        if number > paginator.num_pages:
            raise NotFound(f"Listing page {number} does not exist; "
                           f"there are {paginator.num_pages}.")
        shown = paginator.page(number)
        return PendingListing(self, page.pk, list(shown.object_list), number, paginator.count)

    def schema(self, item: Schema) -> Schema:
        """The JSON Schema of its JSON, `item` being the schema of its items' summary."""
        return obj({"items": {"type": "array", "items": item}, "page": INTEGER,
                    "per_page": INTEGER, "total": INTEGER, "total_pages": INTEGER})


@dataclass
class PendingListing:
    """A page of a listing, loaded; its items are shown once the whole document is."""

    listing: Listing
    parent_pk: int | None
    items: list[Any]
    number: int
    total: int

    def meta(self) -> dict[str, int]:
        per_page = self.listing.per_page
        pages = max(1, -(-self.total // per_page))
        return {"page": self.number, "per_page": per_page, "total": self.total,
                "total_pages": pages}

    def represent(self, summary: Callable[[Any], dict[str, Any]],
                  resolver: Resolver) -> dict[str, Any]:
        """Its JSON, `summary(item)` being an item's, once the resolver loaded what the
        items show; notes when the first of them expires."""
        for item in self.items:
            resolver.note_expiry(item.expire_at)
        return {"items": [summary(item) for item in self.items], **self.meta()}

    def dependency_names(self) -> set[str]:
        """Which pages are below the listing's page (a page published, moved or removed
        changes what it lists) and each page it shows."""
        names = {dependencies.page(item.pk) for item in self.items}
        if self.parent_pk is not None:
            names.add(dependencies.children(self.parent_pk))
        return names


def declared(model: type[models.Model]) -> tuple[Listing, ...]:
    """The listings a page type declares (`api_listings`), in the document's order."""
    return tuple(getattr(model, ATTRIBUTE, ()))


def load(page: Page, number: int) -> list[PendingListing]:
    """Page `number` of each of the page's listings. Raises NotFound past the last."""
    return [listing.load(page, number) for listing in declared(type(page))]


def _old_form(value: dict[Any, Any], model: type[models.Model]) -> str:
    per_page = getattr(model, "listing_per_page", PER_PAGE)
    return ", ".join(f"Listing({name!r}, {label!r}, per_page={per_page!r})"
                     for name, label in value.items())


def problems(model: type[models.Model]) -> list[str]:
    """What is wrong with the listings `model` declares, each saying how to fix it."""
    where = f"{model._meta.label}.{ATTRIBUTE}"
    value = getattr(model, ATTRIBUTE, None)
    if value is None:
        return []
    if isinstance(value, dict):
        return [f"{where} is a dict, the old form: declare each listing with "
                f"cms.api.listing.Listing: {ATTRIBUTE} = [{_old_form(value, model)}] "
                "(and drop listing_per_page)."]
    if not isinstance(value, list | tuple) or not all(isinstance(v, Listing) for v in value):
        return [f"{where} must be a list of cms.api.listing.Listing(name, "
                f"\"app_label.ModelName\", per_page=N), not {value!r}."]
    found: list[str] = []
    if hasattr(model, "listing_per_page"):
        found.append(f"{model._meta.label}.listing_per_page is no longer read: give "
                     "each Listing its per_page.")
    taken = {*DOCUMENT_KEYS, *(field.name for field in getattr(model, "api_fields", []))}
    for listing in value:
        what = f"{where}: Listing({listing.name!r}, {listing.model!r})"
        if not isinstance(listing.name, str) or not listing.name.isidentifier():
            found.append(f"{what}: its name must be a Python name, the field of the "
                         "document and the page type's method giving its pages.")
            continue
        if listing.name in taken:
            found.append(f"{what}: {listing.name!r} is already a field of the document "
                         "(id, title, meta, an api_fields name or another listing): "
                         "give the listing another name.")
        taken.add(listing.name)
        try:
            items = listing.items_model()
        except (LookupError, ValueError, AttributeError):
            found.append(f"{what}: {listing.model!r} is no installed model: name the page "
                         "type of its items as \"app_label.ModelName\".")
        else:
            if not issubclass(items, Page):
                found.append(f"{what}: {listing.model} is not a page type: a listing shows "
                             "pages (their title, path and summary_fields).")
        if not callable(getattr(model, listing.name, None)):
            found.append(f"{what}: {model.__name__} has no method {listing.name}(): give "
                         f"it `def {listing.name}(self) -> QuerySet[...]`, returning the "
                         "pages to list in their order, of what the public may see "
                         "(cms.api.visibility.visible_pages).")
        if (not isinstance(listing.per_page, int) or isinstance(listing.per_page, bool)
                or listing.per_page < 1):
            found.append(f"{what}: per_page must be a whole number of items, at least 1, "
                         f"not {listing.per_page!r}.")
    return found
