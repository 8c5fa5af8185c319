"""`python -m bench.search PAGES`: search latency (`GET /api/v2/search/`) at PAGES articles.

Its own database (`mortar_bench_search_<PAGES>` unless BENCH_SEARCH_DATABASE_URL says
otherwise), filled once with the demo site and PAGES bulk articles, which seed_demo
inserts without indexing them: the missing ones are indexed here, 1,000 at a time (as
`update_index` would, without rebuilding the rest). Times are in-process (Django's test
client), in milliseconds, over REPEAT requests after one warm-up, for two queries:
"broad" matches every generated article ("generated article", ranked and counted),
"narrow" matches one ("article N"). Prints one JSON object: search_{broad,narrow}_
{p50,p95}_ms_<label>, where the label is "5k" for 5,000 and "50k" for 50,000 pages.
"""

import json
import os
import statistics
import sys
import time

os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_SEARCH_DATABASE_URL",
    "postgres://postgres:postgres@127.0.0.1:5432/mortar_bench_search_"
    + (sys.argv[1:] or ["5000"])[0])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from bench.dataset import ensure_database  # noqa: E402
from sites.example.models import ArticlePage  # noqa: E402

PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
REPEAT = 40
CHUNK = 1000


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


def timings_ms(client: Client, query: str) -> list[float]:
    client.get("/api/v2/search/", {"q": query})  # warm-up: per-process caches
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get("/api/v2/search/", {"q": query})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (query, response.status_code)
        assert json.loads(response.content)["total"] > 0, query
    return timings


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", pages=PAGES, verbosity=0)
    index_missing()
    label = f"{PAGES // 1000}k" if PAGES % 1000 == 0 else str(PAGES)
    client = Client(HTTP_HOST="localhost")
    figures = {}
    for name, query in (("broad", "generated article"), ("narrow", f"article {PAGES // 2}")):
        values = timings_ms(client, query)
        figures[f"search_{name}_p50_ms_{label}"] = round(statistics.median(values), 1)
        figures[f"search_{name}_p95_ms_{label}"] = round(p95(values), 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
