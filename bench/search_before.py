"""The search endpoint as it was before the index was read first, for bench.search.

`search(request)` is `cms.api.search.search` of e32e0de: Wagtail's stock PostgreSQL
compiler (the visible pages joined to their index entries, the query parsed again per
entry), every match counted. Its helpers (query checks, snippets) are today's, unchanged.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from wagtail.models import Page

from cms.api.errors import json_response
from cms.api.requests import check_query_text, html_path, site_for_request
from cms.api.search import PAGE_SIZE, SEARCH_MAX_AGE, clean_query, page_number, snippets
from cms.api.visibility import visible_pages

# The stock backend our cms.search.backend extends.
STOCK_BACKEND = {"default": {"BACKEND": "modelsearch.backends.database.postgres.postgres"}}


def search(request: HttpRequest) -> HttpResponse:
    with override_settings(WAGTAILSEARCH_BACKENDS=STOCK_BACKEND):
        check_query_text(request.GET)
        query = clean_query(request.GET.get("q"))
        number = page_number(request.GET.get("page"))
        site = site_for_request(request)
        visible = visible_pages(site=site).values("pk")
        words = query.replace('"', " ")
        results = Page.objects.filter(pk__in=visible).search(words, operator="and")
        total = results.count() if any(ch.isalnum() for ch in words) else 0
        start = (number - 1) * PAGE_SIZE
        pages = list(results[start:start + PAGE_SIZE]) if start < total else []
        marked = snippets(pages, query)
        root_path = site.root_page.url_path
        items = [{
            "id": page.pk, "title": page.title, "html_path": html_path(page, root_path),
            "type": ContentType.objects.get_for_id(page.content_type_id).model_class()
            ._meta.label,
            "snippet": marked.get(page.pk, ""),
        } for page in pages]
        return json_response(
            {"query": query, "results": items, "page": number, "per_page": PAGE_SIZE,
             "total": total, "total_pages": max(1, -(-total // PAGE_SIZE))},
            Cache_Control=f"public, max-age={SEARCH_MAX_AGE}")
