"""`python -m bench.large`: the answers that grow with a site, measured at 50,000 pages.

Its own database (the bench's, BENCH_DATABASE_URL's, with `_50k` appended:
`mortar_bench_50k`, unless BENCH_LARGE_DATABASE_URL says otherwise),
filled once with the demo site and 50,000 articles (about two minutes), then kept.
Times are in-process (Django's test client, the document cache off: every answer is
built), in milliseconds, medians of REPEAT requests after one warm-up. Prints one JSON
object: sitemap_index_ms, sitemap_child_ms, bypath_cold_p50_ms_50k,
listing_page_1000_p50_ms_50k, pages_50k.
"""

import json
import os
import statistics
import time

os.environ["DATABASE_URL"] = os.environ.get("BENCH_LARGE_DATABASE_URL") or (
    os.environ.get("BENCH_DATABASE_URL",
                   "postgres://postgres:postgres@127.0.0.1:5432/mortar_bench") + "_50k")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ["API_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench.dataset import ensure_database  # noqa: E402
from sites.example.models import ArticlePage  # noqa: E402

PAGES = 50_000
REPEAT = 7


def median_ms(client: Client, path: str, params: dict[str, str]) -> float:
    client.get(path, params)  # warm-up: per-process caches
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, params, response.status_code)
    return round(statistics.median(timings), 1)


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", pages=PAGES, verbosity=0)
    client = Client(HTTP_HOST="localhost")
    by_path = "/api/v2/pages/by-path/"
    print(json.dumps({
        # The index asks for the first page: it needs the number of pages.
        "sitemap_index_ms": median_ms(client, "/api/v2/sitemap/", {"page": "1"}),
        "sitemap_child_ms": median_ms(client, "/api/v2/sitemap/", {"page": "3"}),
        "bypath_cold_p50_ms_50k": median_ms(client, by_path,
                                            {"html_path": "/articles/generated-25000/"}),
        "listing_page_1000_p50_ms_50k": median_ms(client, by_path,
                                                  {"html_path": "/articles/", "page": "1000"}),
        "pages_50k": ArticlePage.objects.count(),
    }))


if __name__ == "__main__":
    main()
