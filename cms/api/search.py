"""`GET /api/v2/search/?q=…&site=…&page=N`: the public pages of a site that match words.

Wagtail's search (cms.search.backend: PostgreSQL full-text search, SQLite FTS on the
embedded default) over the pages the public may see (cms.api.visibility, the one rule)
in the site, best match first, PAGE_SIZE to a page. Each result has a snippet of its
indexed text, HTML-escaped, with the matched words in `<mark>`. The matches are
counted up to MAX_RESULTS, the most one can page through (`more` says there are more):
counting every match of a broad query costs about as much as ranking them all (0.3 s
for 50,000 on the bench), and would tell a reader nothing more. Answers may be kept
SEARCH_MAX_AGE seconds by shared caches; nothing is cached per query here.
"""

import html
import itertools
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf, Replace
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from cms.api.adapters import ref
from cms.api.errors import BadRequest, json_response
from cms.api.requests import (
    ERRORS,
    SITE,
    MortarAPIViewSet,
    Parameter,
    Schema,
    answer,
    check_query_text,
    check_text,
    html_path,
    site_for_request,
)
from cms.api.visibility import visible_pages

PAGE_SIZE = 10  # results per page of an answer
MAX_PAGE = 50  # pages of results one may ask for: 500 results; past that, refine the words
MAX_RESULTS = PAGE_SIZE * MAX_PAGE  # matches counted: past these, `more` is true
MAX_QUERY_LENGTH = 200  # characters of `q`
SEARCH_MAX_AGE = 10  # seconds a shared cache may keep an answer (a page made private goes soon)
SNIPPET_WORDS = (15, 35)  # fewest and most words of a snippet

# What ts_headline puts around a match; characters that no indexed text keeps (they are
# removed from it first), so escaping the snippet and then turning them into <mark> is safe.
_START, _STOP = "\x02", "\x03"


# What QUERY_PATTERN allows besides whitespace: no control characters, no U+FFFD.
_CHAR = r"[^\x00-\x1f\x7f-\x9f\ufffd]"
# `q` in the OpenAPI document: something other than whitespace, no control characters.
QUERY_PATTERN = rf"^{_CHAR}*[^\s\x00-\x1f\x7f-\x9f\ufffd]{_CHAR}*$"


def single_values(request: HttpRequest) -> None:
    """Raises BadRequest when `q`, `page` or `site` is given more than once: Django reads
    the last value, browsers and the site (web/app/search) the first; neither guess."""
    for name in sorted(SearchAPIViewSet.view_parameters):
        if len(request.GET.getlist(name)) > 1:
            raise BadRequest(f"{name} is given more than once: give it once")


def clean_query(raw: str | None) -> str:
    """`q` with its whitespace collapsed. Raises BadRequest when it is missing or blank,
    longer than MAX_QUERY_LENGTH, or holds control or undecodable characters."""
    if raw is None or not raw.strip():
        raise BadRequest("q is required: the words to search for, for example ?q=headless")
    if len(raw) > MAX_QUERY_LENGTH:
        raise BadRequest(f"q is longer than {MAX_QUERY_LENGTH} characters")
    check_text("q", raw)
    return " ".join(raw.split())


def page_number(raw: str | None) -> int:
    """`page` as 1..MAX_PAGE (1 when absent). Raises BadRequest otherwise."""
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def _marked(headline: str) -> str:
    return (html.escape(headline, quote=False)
            .replace(_START, "<mark>").replace(_STOP, "</mark>"))


def snippets(pages: list[Page], query: str) -> dict[int, str]:
    """Page id → HTML snippet of its indexed text (body, else title), matches in <mark>.

    One query for all the pages. PostgreSQL picks the fragments (ts_headline, with the
    stemming the index used); elsewhere the snippet is the start of the text, words of
    the query marked where they appear whole."""
    keys = {(page.content_type_id, str(page.pk)): page.pk for page in pages}
    entries = IndexEntry.objects.filter(content_type_id__in={ct for ct, _ in keys},
                                        object_id__in={pk for _, pk in keys})
    if connection.vendor != "postgresql":
        words = set(query.split())
        found = {}
        for ct, pk, text in entries.values_list("content_type_id", "object_id", "body"):
            if (ct, pk) in keys:
                found[keys[ct, pk]] = _mark_words(text or "", words)
        return found
    config = get_search_backend().config
    text = Coalesce(NullIf(F("body_text"), Value("")), F("title_text"))
    for sentinel in (_START, _STOP):
        text = Replace(text, Value(sentinel), Value(""))
    headline = SearchHeadline(
        text, SearchQuery(query, search_type="plain", config=config), config=config,
        start_sel=_START, stop_sel=_STOP, min_words=SNIPPET_WORDS[0],
        max_words=SNIPPET_WORDS[1], max_fragments=2, fragment_delimiter=" … ")
    rows = entries.annotate(snippet=headline).values_list(
        "content_type_id", "object_id", "snippet")
    return {keys[ct, pk]: _marked(snippet or "") for ct, pk, snippet in rows
            if (ct, pk) in keys}


def _mark_words(text: str, words: set[str]) -> str:
    shown = " ".join(text.split()[: SNIPPET_WORDS[1]])
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b",
                         re.IGNORECASE)
    # Split first, escape each part: a match is never inside an escaped entity.
    parts = pattern.split(shown)
    return "".join(f"<mark>{html.escape(part, quote=False)}</mark>" if odd
                   else html.escape(part, quote=False)
                   for part, odd in zip(parts, itertools.cycle((False, True))))


def search(request: HttpRequest) -> HttpResponse:
    """The answer to `GET /api/v2/search/` (shape: the SearchResults schema)."""
    check_query_text(request.GET)
    single_values(request)
    query = clean_query(request.GET.get("q"))
    number = page_number(request.GET.get("page"))
    site = site_for_request(request)
    # Searched within the visible pages' ids: the visibility rule filters on fields
    # (expire_at) that Wagtail's search cannot filter on itself.
    visible = visible_pages(site=site).values("pk")
    # Words only: SQLite's FTS5 backend quotes each word without escaping a '"' in it,
    # and a quote means nothing to a plain-words search anyway.
    words = query.replace('"', " ")
    results = Page.objects.filter(pk__in=visible).search(words, operator="and")
    start = (number - 1) * PAGE_SIZE
    # Only punctuation: no word to look for (Wagtail's query would hold no term).
    searchable = any(ch.isalnum() for ch in words)
    pages = list(results[start:start + PAGE_SIZE]) if searchable else []
    if not searchable:
        counted = 0
    elif len(pages) < PAGE_SIZE and (pages or start == 0):
        counted = start + len(pages)  # the last page of results: no need to count
    else:
        counted = results[:MAX_RESULTS + 1].count()
    total = min(counted, MAX_RESULTS)
    marked = snippets(pages, query)
    root_path = site.root_page.url_path
    items = [{
        "id": page.pk, "title": page.title, "html_path": html_path(page, root_path),
        "type": ContentType.objects.get_for_id(page.content_type_id).model_class()._meta.label,
        "snippet": marked.get(page.pk, ""),
    } for page in pages]
    return json_response(
        {"query": query, "results": items, "page": number, "per_page": PAGE_SIZE,
         "total": total, "more": counted > MAX_RESULTS,
         "total_pages": max(1, -(-total // PAGE_SIZE))},
        Cache_Control=f"public, max-age={SEARCH_MAX_AGE}")


def results_schema() -> dict[str, Any]:
    """The SearchResults schema of the OpenAPI document."""
    integer = {"type": "integer"}
    string = {"type": "string"}
    result = {"type": "object", "required": ["id", "title", "html_path", "type", "snippet"],
              "properties": {
                  "id": integer, "title": string, "html_path": string,
                  "type": {**string, "description": "app_label.Model"},
                  "snippet": {**string, "description":
                              "HTML: escaped text, the matched words in <mark>"}}}
    return {"type": "object",
            "required": ["query", "results", "page", "per_page", "total", "more",
                         "total_pages"],
            "properties": {
                "query": string, "results": {"type": "array", "items": result},
                "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "per_page": integer,
                "total": {"type": "integer", "minimum": 0, "maximum": MAX_RESULTS,
                          "description": f"Pages that match, counted up to {MAX_RESULTS} "
                                         "(the most one can page through)"},
                "more": {"type": "boolean", "description":
                         f"More than {MAX_RESULTS} pages match: `total` is {MAX_RESULTS}; "
                         "more words narrow the search"},
                "total_pages": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}}}


class SearchAPIViewSet(MortarAPIViewSet):
    """`/api/v2/search/`."""

    parameters = (
        Parameter("q", {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH,
                        "pattern": QUERY_PATTERN}, required=True,
                  description="The words to search for, given once; a page matches when it "
                              "has them all"),
        Parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        SITE,
    )

    def root_view(self, request: Request) -> HttpResponse:
        return search(request._request)

    @classmethod
    def openapi_operation(cls, components: dict[str, Schema]) -> Schema:
        components["SearchResults"] = results_schema()
        return {"get": {
            "operationId": "search",
            "summary": "Public pages of the site matching every word of q, best first",
            "parameters": cls.openapi_parameters(),
            "responses": {"200": answer(ref("SearchResults"), "A page of results"), **ERRORS},
        }}
