"""`python -m bench.search PAGES`: search latency (`GET /api/v2/search/`) at PAGES articles.

Its own database (the bench's, BENCH_DATABASE_URL's, with `_search_<PAGES>` appended:
`mortar_bench_search_<PAGES>`, unless BENCH_SEARCH_DATABASE_URL says otherwise), filled
once with the demo site and PAGES bulk articles, which seed_demo inserts without indexing
them: the missing ones are indexed here, 1,000 at a time (as
`update_index` would, without rebuilding the rest), then analyzed. Times are in-process,
in milliseconds, over REPEAT calls after one warm-up, for two queries: "broad" matches
every generated article ("generated article", ranked and counted), "narrow" matches one
("article N"). Each is timed twice, the calls alternating: the endpoint's view now
(cms.api.search.search: the index read first, the count stopping at MAX_RESULTS) and as
it was before (bench.search_before: Wagtail's stock compiler, which joins the visible
pages to the index, and a full count), both called directly with the same request (no
middleware), and both must answer the same results. Prints one JSON object:
search_{broad,narrow}_{p50,p95}_ms_<label> (now) and the same names ending in _before,
where the label is "5k" for 5,000 and "50k" for 50,000 pages.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ["DATABASE_URL"] = os.environ.get("BENCH_SEARCH_DATABASE_URL") or (
    os.environ.get("BENCH_DATABASE_URL",
                   "postgres://postgres:postgres@127.0.0.1:5432/mortar_bench")
    + "_search_" + (sys.argv[1:] or ["5000"])[0])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from bench import search_before  # noqa: E402
from bench.dataset import ensure_database  # noqa: E402
from cms.api import search as search_api  # noqa: E402
from cms.api.search import MAX_RESULTS  # noqa: E402
from cms.testing.stats import percentile  # noqa: E402
from sites.example.models import ArticlePage  # noqa: E402

PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
REPEAT = 40
CHUNK = 1000
VIEWS = {"after": search_api.search, "before": search_before.search}


def index_missing() -> int:
    """Index the articles that have no index entry; returns how many were added."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    indexed = IndexEntry.objects.filter(content_type=content_type).values("object_id")
    missing = list(ArticlePage.objects.exclude(pk__in=[int(pk["object_id"]) for pk in indexed])
                   .values_list("pk", flat=True))
    index = get_search_backend().get_index_for_model(ArticlePage)
    for start in range(0, len(missing), CHUNK):
        index.add_items(ArticlePage, ArticlePage.objects.filter(
            pk__in=missing[start:start + CHUNK]))
    return len(missing)


def answer(view: Callable[[HttpRequest], HttpResponse], query: str) -> tuple[float, dict]:
    request = RequestFactory(HTTP_HOST="localhost").get("/api/v2/search/", {"q": query})
    started = time.perf_counter()
    response = view(request)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (query, response.status_code)
    return elapsed, json.loads(response.content)


def timings_ms(query: str) -> dict[str, list[float]]:
    """Milliseconds per answer, now and before, the calls alternating (so that both
    meet the same load on the machine). Both answer the same results; the total is the
    same, or beyond MAX_RESULTS, where today's count stops."""
    timings: dict[str, list[float]] = {"after": [], "before": []}
    for n in range(REPEAT + 1):  # the first of each: a warm-up (per-process caches)
        answers = {}
        for name in ("after", "before") if n % 2 else ("before", "after"):
            elapsed, answers[name] = answer(VIEWS[name], query)
            if n:
                timings[name].append(elapsed)
        after, before = answers["after"], answers["before"]
        assert after["total"] > 0, query
        assert after["results"] == before["results"], (query, answers)
        assert (before["total"] > MAX_RESULTS if after["more"]
                else before["total"] == after["total"]), (query, answers)
    return timings


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", pages=PAGES, verbosity=0)
    index_missing()
    # Statistics, as autovacuum gathers them soon after a bulk load: without them
    # PostgreSQL plans both backends' searches for a table of one page.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailcore_page, wagtailsearch_indexentry")
    label = f"{PAGES // 1000}k" if PAGES % 1000 == 0 else str(PAGES)
    figures = {}
    for kind, query in (("broad", "generated article"), ("narrow", f"article {PAGES // 2}")):
        for when, values in timings_ms(query).items():
            suffix = "_before" if when == "before" else ""
            figures[f"search_{kind}_p50_ms_{label}{suffix}"] = round(statistics.median(values), 1)
            figures[f"search_{kind}_p95_ms_{label}{suffix}"] = round(percentile(values, 0.95), 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
