"""Paginated page listings inside a page document (e.g. an article index's articles)."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

from cms.api.errors import NotFound

MAX_LISTING_PAGE = 100_000


class PendingListing:
    """A page of a listing whose items are rendered once the whole document is resolved."""

    def __init__(self, items: list[Any], number: int, per_page: int, total: int) -> None:
        self.items = items
        self.number = number
        self.per_page = per_page
        self.total = total

    def meta(self) -> dict[str, int]:
        pages = max(1, -(-self.total // self.per_page))
        return {"page": self.number, "per_page": self.per_page, "total": self.total,
                "total_pages": pages}


def paginate(queryset: QuerySet, number: int, per_page: int) -> PendingListing:
    paginator = Paginator(queryset, per_page)
    if number > paginator.num_pages:
        raise NotFound(f"Listing page {number} does not exist; there are {paginator.num_pages}.")
    page = paginator.page(number)
    return PendingListing(list(page.object_list), number, per_page, paginator.count)
