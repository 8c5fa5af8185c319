"""`make bench`: the CMS and the renderer measured side by side, in one run, on this machine.

Prints a Markdown table and writes bench/results.json. Production settings,
PostgreSQL and Redis (database `mortar_bench`, Redis db 15 unless BENCH_* say
otherwise), gunicorn with 2 workers, `next build && next start`, wrk with 10
connections for 15 s after a warm-up. Then: scheduled-publish lateness
(bench.scheduling, its own worker), metrics on vs off (bench.monitoring), the answers
at 50,000 pages (bench.large), search
latency at 5,000 and 50,000 pages (bench.search), and
publish → visible on 2 CMS + 2 renderers behind nginx (bench.multi).

The front is Varnish (infra/varnish) in front of the renderer, purged by the worker as in
production (HTTP_CACHE_PURGE_URLS). Figures besides the table's loads:
- warm_over_ceiling: the warm (document cache hit) by-path answer's requests/s over those
  of a constant JSON body of the same bytes through the same Django stack (bench.urls).
- publish_visible_p50_s / _p95_s: an editor's publish until the renderer shows it.
- first_view_after_publish_p50_ms / _p95_ms: the first request for the heavy article
  through the front once its publish is delivered: the front's miss, the renderer's
  miss and the CMS's cold document (bench.first_view), over PUBLISHES publishes.
"""

import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.request import Request, urlopen

from cms.testing.ports import free_port
from cms.testing.stats import percentile

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-revalidate-secret-0123456789"


PORTS = {"warm": free_port(), "cold": free_port(), "web": free_port()}
ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/mortar_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "CELERY_BROKER_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "MEDIA_ROOT": str(REPO / ".local" / "bench-media"),
    "FRONTEND_URL": f"http://127.0.0.1:{PORTS['web']}",
    "REVALIDATE_SECRET": SECRET,
    "LOG_LEVEL": "WARNING",
    "NEXT_TELEMETRY_DISABLED": "1",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import tests.conftest  # noqa: E402, F401  (first: it imports tests.httpcache once defined)
from bench import dataset, first_view, monitoring, scheduling  # noqa: E402
from bench.load import Load, wrk  # noqa: E402
from cms.publishing.models import RevalidationRequest  # noqa: E402
from tests.httpcache import Varnish  # noqa: E402

PUBLISHES = 20


def start(name: str, cmd: list[str], cwd: Path = REPO, **env: str) -> subprocess.Popen:
    log = open(REPO / ".local" / f"bench-{name}.log", "w")
    return subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: the server for {url} exited; see .local/bench-*.log")
        try:
            with urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench: {url} did not answer within {timeout:.0f}s")


def gunicorn(name: str, port: int, **env: str) -> subprocess.Popen:
    return start(name, [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--workers",
                        "2", "--bind", f"127.0.0.1:{port}", "--limit-request-line", "0"], **env)


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child in Path("/proc").glob("[0-9]*"):
            try:
                ppid = int((child / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == parent:
                found.append(int(child.name))
                frontier.append(int(child.name))
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def static_file_url(web: str, size: int, gzipped: bool = False) -> str:
    """A file of the build's own static assets, of about the page's size: the same bytes
    to send, without the page pipeline. With `gzipped`, sizes compare gzip-compressed
    (as the HTTP cache stores and sends both to browsers): HTML compresses about 11x, the
    JavaScript about 3x, so equal raw sizes would not be equal work."""
    chunks = (REPO / "web" / ".next" / "static" / "chunks").glob("*.js")

    def sent(chunk: Path) -> int:
        return len(gzip.compress(chunk.read_bytes(), 6)) if gzipped else chunk.stat().st_size
    closest = min(chunks, key=lambda chunk: abs(sent(chunk) - size))
    return f"{web}/_next/static/chunks/{closest.name}"


def publish_to_visible(web_page_url: str) -> list[float]:
    """Publish a title change, then poll the renderer until it shows it."""
    page = dataset.light_article()
    timings = []
    for n in range(PUBLISHES):
        title = f"Light article, edition {n} {time.time():.0f}"
        page.title = title
        started = time.monotonic()
        page.save_revision().publish()
        while time.monotonic() - started < 30:
            with urlopen(web_page_url, timeout=10) as response:
                if title.encode() in response.read():
                    break
            time.sleep(0.05)
        timings.append(time.monotonic() - started)
        page.refresh_from_db()
    return timings


def table(rows: list[tuple[str, Load]]) -> str:
    lines = ["| measure | requests/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {load.rps:,.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | "
              f"{load.errors} |" for name, load in rows]
    return "\n".join(lines)


def main() -> None:
    began = time.monotonic()
    print("bench: building the dataset (first run: 5,000 articles, a few minutes)", flush=True)
    data = dataset.build()
    (REPO / "bench" / ".ceiling.json").write_bytes(dataset.heavy_json(data.heavy_path))

    cms = f"http://127.0.0.1:{PORTS['warm']}"
    cold_cms = f"http://127.0.0.1:{PORTS['cold']}"
    web = f"http://127.0.0.1:{PORTS['web']}"
    # The HTTP cache in front of the renderer, which the worker purges after each change.
    front = Varnish([("127.0.0.1", PORTS["web"])], SECRET)
    stoppers: list[Callable[[], None]] = [front.stop]
    processes = {
        "warm": gunicorn("cms-warm", PORTS["warm"]),
        "cold": gunicorn("cms-cold", PORTS["cold"], API_CACHE_SECONDS="0"),
        "worker": start("worker", [sys.executable, "-m", "celery", "-A", "cms", "worker",
                                   "--concurrency", "2", "--loglevel", "WARNING"],
                        HTTP_CACHE_PURGE_URLS=front.url),
    }
    try:
        wait_for(f"{cms}/api/v2/navigation/", processes["warm"])
        wait_for(f"{cold_cms}/api/v2/navigation/", processes["cold"])
        web_env = {"CMS_API_URL": cms, "REVALIDATE_SECRET": SECRET, "NEXT_PUBLIC_SITE_URL": web,
                   # reached as 127.0.0.1: pinned to the demo site (web/README.md)
                   "CMS_SITE_HOSTNAME": "localhost"}
        build = subprocess.run(["npm", "run", "build"], cwd=REPO / "web",
                               env={**os.environ, **web_env}, capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit("bench: next build failed:\n" + build.stdout[-3000:] + build.stderr)
        processes["web"] = start("web", ["node", "node_modules/next/dist/bin/next", "start",
                                         "-p", str(PORTS["web"]), "-H", "127.0.0.1"],
                                 cwd=REPO / "web", **web_env)
        wait_for(f"{web}/", processes["web"])

        front.wait_ready()
        wait_for(f"{front.url}{data.heavy_path}", processes["web"])

        by_path = f"/api/v2/pages/by-path/?html_path={data.heavy_path}"
        with urlopen(f"{web}{data.heavy_path}") as response:
            page_bytes = len(response.read())
        static_url = static_file_url(web, page_bytes)
        # Browsers ask for gzip, and Varnish keeps gzip (it would gunzip for each other
        # client): the front is measured as browsers use it.
        gzip_header = {"Accept-Encoding": "gzip"}
        with urlopen(Request(f"{front.url}{data.heavy_path}", headers=gzip_header)) as response:
            front_page_bytes = len(response.read())
        front_static_url = static_file_url(front.url, front_page_bytes, gzipped=True)
        print("bench: measuring (8 x 18 s)", flush=True)
        loads = {
            "stock": wrk(f"{cms}/api/v2/pages/{data.heavy_id}/?fields=*"),
            "cold": wrk(f"{cold_cms}{by_path}"),
            "warm": wrk(f"{cms}{by_path}"),
            "ceiling": wrk(f"{cms}/bench/ceiling/"),
            "site": wrk(f"{web}{data.heavy_path}"),
            "static": wrk(static_url),
            # The same page and file through the HTTP cache in front (infra/varnish).
            "front_site": wrk(f"{front.url}{data.heavy_path}", headers=gzip_header),
            "front_static": wrk(front_static_url, headers=gzip_header),
        }
        print(f"bench: publish-to-visible ({PUBLISHES} publishes)", flush=True)
        # The renderer holds a few pages, as a visited site does: a publish must reach the
        # ones that show the article, no others.
        for warm_path in ("/", "/articles/", "/articles/page/2/", data.heavy_path,
                          data.light_path):
            urlopen(f"{web}{warm_path}").read()
        first_row = RevalidationRequest.objects.order_by("-pk").values_list("pk", flat=True)
        after_pk = first_row.first() or 0
        visible = publish_to_visible(f"{web}{data.light_path}")
        sent = [row.sent_tags or 0 for row in RevalidationRequest.objects.filter(
            pk__gt=after_pk, reason__startswith="publish page")]
        print(f"bench: first view through the front after a publish ({PUBLISHES} publishes)",
              flush=True)
        first_views = first_view.run(f"{front.url}{data.heavy_path}", dataset.heavy_article(),
                                     PUBLISHES)
        cms_rss = max(peak_rss_mb(pid) for pid in descendants(processes["warm"].pid))
        web_rss = sum(peak_rss_mb(pid) for pid in
                      [processes["web"].pid, *descendants(processes["web"].pid)])
    finally:
        for stop in stoppers:
            stop()
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=20)

    print(f"bench: metrics on vs off ({monitoring.ROUNDS} rounds)", flush=True)
    metrics_cost = monitoring.run(data.heavy_path, web_env)
    print("bench: scheduled-publish lateness and rendition time (own worker)", flush=True)
    background = scheduling.run()
    print("bench: answers at 50,000 pages (first run: builds them, about two minutes)",
          flush=True)
    large = json.loads(subprocess.run(
        [sys.executable, "-m", "bench.large"], cwd=REPO, check=True, capture_output=True,
        text=True, env={k: v for k, v in os.environ.items()
                        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ENV")}).stdout
        .strip().splitlines()[-1])
    print("bench: search latency at 5,000 and 50,000 pages (first run: builds and indexes "
          "them, a few minutes)", flush=True)
    search = {}
    for pages in (5000, 50_000):
        search.update(json.loads(subprocess.run(
            [sys.executable, "-m", "bench.search", str(pages)], cwd=REPO, check=True,
            capture_output=True, text=True,
            env={k: v for k, v in os.environ.items()
                 if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ENV")}).stdout
            .strip().splitlines()[-1]))
    print(f"bench: publish-to-visible on 2 CMS + 2 renderers behind nginx ({PUBLISHES} "
          "publishes)", flush=True)
    multi = json.loads(subprocess.run(
        [sys.executable, "-m", "bench.multi", "--reuse-build"], cwd=REPO, check=True,
        capture_output=True, text=True).stdout.strip().splitlines()[-1])
    late = background["scheduled_publish_lateness_ms"]
    results = {
        "schedule_lateness_p50_ms": late["p50"], "schedule_lateness_p95_ms": late["p95"],
        "rendition_set_seconds_per_image":
            background["rendition_set_seconds_per_image"]["mean"],
        "stock_rps": loads["stock"].rps, "cold_rps": loads["cold"].rps,
        "warm_rps": loads["warm"].rps, "ceiling_rps": loads["ceiling"].rps,
        "site_rps": loads["site"].rps, "static_rps": loads["static"].rps,
        "front_site_rps": loads["front_site"].rps, "front_static_rps": loads["front_static"].rps,
        "stock_p99_ms": loads["stock"].p99_ms, "cold_p99_ms": loads["cold"].p99_ms,
        "warm_p50_ms": loads["warm"].p50_ms, "warm_p99_ms": loads["warm"].p99_ms,
        "ceiling_p99_ms": loads["ceiling"].p99_ms, "site_p99_ms": loads["site"].p99_ms,
        "heavy_queries": data.heavy_queries, "light_queries": data.light_queries,
        "publish_visible_p50_s": statistics.median(visible),
        "publish_visible_p95_s": percentile(visible, 0.95),
        # Renderer cache tags one publish of an article sent (the most over the publishes).
        "publish_renderer_tags_max": max(sent, default=0),
        **first_views,
        "cms_worker_rss_mb": round(cms_rss, 1), "web_rss_mb": round(web_rss, 1),
        "errors": sum(load.errors for load in loads.values()),
        "pages": data.pages,
        **large,
        **search,
        **multi,
        **metrics_cost,
    }
    ratios = {
        "warm_over_stock": results["warm_rps"] / results["stock_rps"],
        "warm_over_ceiling": results["warm_rps"] / results["ceiling_rps"],
        "cold_over_stock": results["cold_rps"] / results["stock_rps"],
        "site_over_static": results["site_rps"] / results["static_rps"],
        "front_site_over_static": results["front_site_rps"] / results["front_static_rps"],
    }
    results.update({key: round(value, 2) for key, value in ratios.items()})
    results["seconds"] = round(time.monotonic() - began)
    (REPO / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")

    print()
    print(table([(f"stock `/api/v2/pages/{data.heavy_id}/?fields=*`", loads["stock"]),
                 ("ours, cold (cache off)", loads["cold"]), ("ours, warm", loads["warm"]),
                 ("ceiling (constant JSON, same size)", loads["ceiling"]),
                 ("site: heavy article via Next.js", loads["site"]),
                 ("static file via Next.js", loads["static"]),
                 ("site: heavy article via the HTTP cache, gzip", loads["front_site"]),
                 ("static file via the HTTP cache, gzip", loads["front_static"])]))
    print()
    print("| figure | value |\n|---|---|")
    for key in ("warm_over_stock", "warm_over_ceiling", "cold_over_stock", "site_over_static",
                "front_site_over_static",
                "heavy_queries", "light_queries", "publish_visible_p50_s",
                "publish_visible_p95_s", "publish_renderer_tags_max",
                "first_view_after_publish_p50_ms", "first_view_after_publish_p95_ms",
                "multi_publish_visible_p50_s", "multi_publish_visible_p95_s",
                "multi_stale_reads", "multi_reads_after",
                "schedule_lateness_p50_ms", "schedule_lateness_p95_ms",
                "rendition_set_seconds_per_image", "cms_worker_rss_mb", "web_rss_mb", "pages",
                "sitemap_index_ms", "sitemap_child_ms", "bypath_cold_p50_ms_50k",
                "listing_page_1000_p50_ms_50k", "pages_50k",
                *sorted(search), *metrics_cost, "seconds"):
        value = results[key]
        print(f"| {key} | {value:.2f} |" if isinstance(value, float) else f"| {key} | {value} |")


if __name__ == "__main__":
    main()
