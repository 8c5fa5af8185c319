"""Metrics on vs off: what monitoring costs the CMS and the renderer, side by side.

Two CMS servers (gunicorn, 2 workers) and two renderers (`next start` of one build), the
same in everything but METRICS_ENABLED; the "on" ones as production runs them (the CMS
with PROMETHEUS_MULTIPROC_DIR, the renderer with its metrics listener), while a scrape
every second reads them as Prometheus would. Each URL (the CMS's cached by-path answer of
the heavy article, and the renderer's page of it) is measured in turns, on then off,
ROUNDS times, so that a neighbour's load falls on both alike; figures are the means.

`python -m bench.monitoring` runs it alone (on the bench dataset and a fresh build);
`make bench` runs it after its other loads, on its own build.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

from cms.testing.ports import free_port

ROUNDS = 5
SECONDS = 6


def _scrape_every_second(urls: list[tuple[str, dict[str, str]]], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        for url, headers in urls:
            try:
                with urlopen(Request(url, headers=headers), timeout=5) as response:
                    response.read()
            except OSError:
                pass


def run(heavy_path: str, web_env: dict[str, str]) -> dict[str, float]:
    """Start the four servers, measure, stop them; the figures by name."""
    from bench.__main__ import REPO, gunicorn, start, wait_for
    from bench.load import wrk

    folder = Path(tempfile.mkdtemp(prefix="mortar-bench-metrics-"))
    ports = {name: free_port() for name in ("cms_on", "cms_off", "web_on", "web_off",
                                            "web_metrics")}
    processes = {
        "cms_on": gunicorn("cms-metrics-on", ports["cms_on"],
                           PROMETHEUS_MULTIPROC_DIR=str(folder)),
        "cms_off": gunicorn("cms-metrics-off", ports["cms_off"], METRICS_ENABLED="false"),
    }
    stop = threading.Event()
    try:
        for name in ("cms_on", "cms_off"):
            wait_for(f"http://127.0.0.1:{ports[name]}/api/v2/navigation/", processes[name])
        for name, extra in (("web_on", {"METRICS_PORT": str(ports["web_metrics"])}),
                            ("web_off", {"METRICS_ENABLED": "false"})):
            env = {**web_env, "CMS_API_URL": f"http://127.0.0.1:{ports['cms_off']}", **extra}
            processes[name] = start(name.replace("_", "-metrics-"),
                                    ["node", "node_modules/next/dist/bin/next", "start", "-p",
                                     str(ports[name]), "-H", "127.0.0.1"],
                                    cwd=REPO / "web", **env)
            wait_for(f"http://127.0.0.1:{ports[name]}{heavy_path}", processes[name])
        scraper = threading.Thread(target=_scrape_every_second, args=(
            [(f"http://127.0.0.1:{ports['cms_on']}/metrics", {}),
             (f"http://127.0.0.1:{ports['web_metrics']}/metrics", {})], stop), daemon=True)
        scraper.start()
        urls = {
            "cms": {state: f"http://127.0.0.1:{ports['cms_' + state]}"
                           f"/api/v2/pages/by-path/?html_path={heavy_path}"
                    for state in ("on", "off")},
            "web": {state: f"http://127.0.0.1:{ports['web_' + state]}{heavy_path}"
                    for state in ("on", "off")},
        }
        rps: dict[str, list[float]] = {f"{part}_{state}": [] for part in urls
                                       for state in ("on", "off")}
        for _ in range(ROUNDS):
            for part, by_state in urls.items():
                for state, url in by_state.items():
                    rps[f"{part}_{state}"].append(wrk(url, seconds=SECONDS).rps)
    finally:
        stop.set()
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=20)
    means = {name: statistics.mean(values) for name, values in rps.items()}
    print("bench.monitoring rounds (requests/s): " + ", ".join(
        f"{name} {[round(value) for value in values]}" for name, values in rps.items()),
          file=sys.stderr, flush=True)
    return {
        "metrics_on_cms_rps": round(means["cms_on"], 1),
        "metrics_off_cms_rps": round(means["cms_off"], 1),
        "metrics_cost_cms_percent": round(100 * (1 - means["cms_on"] / means["cms_off"]), 1),
        "metrics_on_web_rps": round(means["web_on"], 1),
        "metrics_off_web_rps": round(means["web_off"], 1),
        "metrics_cost_web_percent": round(100 * (1 - means["web_on"] / means["web_off"]), 1),
    }


def main() -> None:
    import importlib
    import subprocess

    # First: it sets the bench's environment and Django up, as `make bench` does.
    importlib.import_module("bench.__main__")
    from bench import dataset
    from bench.__main__ import PORTS, REPO, SECRET

    data = dataset.build()
    web = f"http://127.0.0.1:{PORTS['web']}"
    web_env = {"REVALIDATE_SECRET": SECRET, "NEXT_PUBLIC_SITE_URL": web,
               "CMS_SITE_HOSTNAME": "localhost"}
    build = subprocess.run(["npm", "run", "build"], cwd=REPO / "web",
                           env={**os.environ, **web_env}, capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit("bench: next build failed:\n" + build.stdout[-3000:] + build.stderr)
    began = time.monotonic()
    figures = run(data.heavy_path, web_env)
    print("| figure | metrics on | metrics off | cost |\n|---|---|---|---|")
    for part, name in (("cms", "CMS by-path (document cache hit), requests/s"),
                       ("web", "renderer page, requests/s")):
        print(f"| {name} | {figures[f'metrics_on_{part}_rps']:,.0f} | "
              f"{figures[f'metrics_off_{part}_rps']:,.0f} | "
              f"{figures[f'metrics_cost_{part}_percent']:.1f} % |")
    print(f"({ROUNDS} rounds of {SECONDS} s each, {time.monotonic() - began:.0f} s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
