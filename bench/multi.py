"""`python -m bench.multi`: publish → visible on every instance of a scaled-out stack.

nginx (infra/nginx) in front of 2 gunicorns and of Varnish (infra/varnish), which spreads
the site over 2 `next start` instances sharing one ISR/data cache in Redis
(web/cache-handler.mjs); 1 Celery worker, which revalidates through the cache (as
docker-compose.yml does) and purges it. Each of PUBLISHES title changes is polled on every
instance (each renderer, each CMS's by-path answer, the front over HTTPS) until all show
it: its time is the slowest instance's. Then every instance is read READS_AFTER times
more: an answer without the new title is a stale read.

Prints one JSON object (multi_publish_visible_p50_s, multi_publish_visible_p95_s,
multi_stale_reads, multi_publishes) and merges it into bench/results.json.
`--reuse-build`: `make bench` has just built web/ with the same settings.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from urllib.parse import quote
from urllib.request import urlopen

# isort: off
# First: it sets the bench environment up (database, Redis, production settings).
from bench.__main__ import PUBLISHES, REPO, SECRET, free_port, gunicorn, start, wait_for
from bench import dataset
from tests.e2e.nginx import hostport, nginx
from tests.httpcache import Varnish
from cms.testing.stats import percentile
# isort: on

READS_AFTER = 5  # rounds over every instance after each publish is visible everywhere
RESULTS = REPO / "bench" / "results.json"


def read_text(url: str) -> str:
    with urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8", "replace")


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        process.wait(timeout=20)


def main() -> dict[str, float | int]:
    data = dataset.build()
    path = data.light_path
    cms = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    web = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    varnish = Varnish([("127.0.0.1", int(url.rsplit(":", 1)[1])) for url in web], SECRET)
    processes: dict[str, subprocess.Popen] = {}
    # Entries of this run only: the Redis database may hold an earlier run's.
    prefix = f"bench-{time.time_ns()}:"
    with ExitStack() as stack:
        stack.callback(varnish.stop)
        stack.callback(stop_all, processes)
        varnish.wait_ready()
        for n, url in enumerate(cms, start=1):
            processes[f"cms{n}"] = gunicorn(f"multi-cms{n}", int(url.rsplit(":", 1)[1]),
                                            FRONTEND_URL=varnish.url)
        processes["worker"] = start(
            "multi-worker", [sys.executable, "-m", "celery", "-A", "cms", "worker",
                             "--concurrency", "2", "--loglevel", "WARNING"],
            FRONTEND_URL=varnish.url, HTTP_CACHE_PURGE_URLS=varnish.url)
        for n, url in enumerate(cms, start=1):
            wait_for(f"{url}/api/v2/navigation/", processes[f"cms{n}"])
        web_env = {"REVALIDATE_SECRET": SECRET, "NEXT_PUBLIC_SITE_URL": varnish.url,
                   # reached as 127.0.0.1: pinned to the demo site (web/README.md)
                   "CMS_SITE_HOSTNAME": "localhost",
                   "CACHE_KEY_PREFIX": prefix}
        if "--reuse-build" not in sys.argv:
            build = subprocess.run(["npm", "run", "build"], cwd=REPO / "web",
                                   env={**os.environ, "CMS_API_URL": cms[0], **web_env},
                                   capture_output=True, text=True)
            if build.returncode != 0:
                raise SystemExit("bench.multi: next build failed:\n" + build.stdout[-3000:])
        for n, (url, api) in enumerate(zip(web, cms, strict=True), start=1):
            processes[f"web{n}"] = start(
                f"multi-web{n}", ["node", "node_modules/next/dist/bin/next", "start", "-p",
                                  url.rsplit(":", 1)[1], "-H", "127.0.0.1"],
                cwd=REPO / "web", CMS_API_URL=api, **web_env)
        for n, url in enumerate(web, start=1):
            wait_for(f"{url}{path}", processes[f"web{n}"])
        wait_for(f"{varnish.url}{path}", processes["web1"])
        front = stack.enter_context(nginx(";\n    server ".join(hostport(url) for url in cms),
                                          hostport(varnish.url)))

        def reads() -> dict[str, Callable[[], str]]:
            def through_front() -> str:
                answer = front.request("GET", path)
                return (f"{answer.status} {answer.headers.get('X-Cache')}\n"
                        + answer.body.decode("utf-8", "replace"))

            found: dict[str, Callable[[], str]] = {"front": through_front}
            for n, url in enumerate(web, start=1):
                found[f"web{n}"] = lambda url=url: read_text(f"{url}{path}")
            for n, url in enumerate(cms, start=1):
                found[f"cms{n}"] = lambda url=url: read_text(
                    f"{url}/api/v2/pages/by-path/?html_path={quote(path)}")
            return found

        for read in reads().values():  # every instance holds the page, as a visited site does
            read()
        timings, stale = [], 0
        page = dataset.light_article()
        for n in range(PUBLISHES):
            title = f"Light article, multi edition {n} {time.time_ns()}"
            page.title = title
            started = time.monotonic()
            page.save_revision().publish()
            waiting = reads()
            while waiting and time.monotonic() - started < 30:
                for name, read in list(waiting.items()):
                    if title in read():
                        del waiting[name]
                if waiting:
                    time.sleep(0.02)
            if waiting:
                raise SystemExit(f"bench.multi: {sorted(waiting)} never showed publish {n}: "
                                 + " | ".join(read()[:300] for read in waiting.values()))
            timings.append(time.monotonic() - started)
            for _ in range(READS_AFTER):
                stale += sum(title not in read() for read in reads().values())
            page.refresh_from_db()
    return {
        "multi_publish_visible_p50_s": round(percentile(timings, 0.5), 3),
        "multi_publish_visible_p95_s": round(percentile(timings, 0.95), 3),
        "multi_stale_reads": stale,
        "multi_publishes": len(timings),
        "multi_reads_after": len(timings) * READS_AFTER * (2 + 2 + 1),
    }


if __name__ == "__main__":
    figures = main()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**results, **figures}, indent=2) + "\n")
    print(json.dumps(figures))
