"""Debian's Prometheus, started for a test on a free port, and the questions tests ask it."""

import json
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from cms.testing.ports import free_port
from cms.testing.processes import REPO, stop, wait_for, wait_until

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
ALERTS = REPO / "infra" / "monitoring" / "alerts.yml"


def fast_rules(thresholds: dict[str, tuple[str, str]]) -> dict:
    """infra/monitoring/alerts.yml as it is, with every `for` 0s and, for each alert named
    in `thresholds`, its comparison (say "> 60") replaced (by "> 2"): the same rules, fast."""
    rules = yaml.safe_load(ALERTS.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule["for"] = "0s"
            if rule["alert"] in thresholds:
                old, new = thresholds[rule["alert"]]
                assert old in rule["expr"], f"{rule['alert']} no longer says {old!r}"
                rule["expr"] = rule["expr"].replace(old, new)
    return rules


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url

    def _get(self, path: str, **params: str) -> dict:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}{path}?{query}", timeout=10) as response:
            answer = json.load(response)
        assert answer["status"] == "success", answer
        return answer["data"]

    def value(self, expr: str) -> float | None:
        """The query's single value now, None when it has none."""
        result = self._get("/api/v1/query", query=expr)["result"]
        assert len(result) <= 1, f"{expr} has {len(result)} series"
        return float(result[0]["value"][1]) if result else None

    def series(self, expr: str) -> list[dict]:
        return self._get("/api/v1/query", query=expr)["result"]

    def alert_state(self, name: str) -> str:
        """"firing", "pending", or "inactive" (not in /api/v1/alerts)."""
        states = [alert["state"] for alert in self._get("/api/v1/alerts")["alerts"]
                  if alert["labels"]["alertname"] == name]
        return "firing" if "firing" in states else (states[0] if states else "inactive")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


@contextmanager
def prometheus(scrape: dict[str, dict], rules: dict) -> Iterator[Prometheus]:
    """Prometheus scraping each job (name: scrape config without job_name) every 2 seconds,
    evaluating `rules` every second, in a folder of its own."""
    directory = Path(tempfile.mkdtemp(prefix="mortar-prometheus-"))
    port = free_port()
    (directory / "alerts.yml").write_text(yaml.safe_dump(rules))
    # Every 2 s, each scrape given as long: a loaded test machine must not make a target
    # look down.
    config = {"global": {"scrape_interval": "2s", "evaluation_interval": "1s",
                         "scrape_timeout": "2s"},
              "rule_files": [str(directory / "alerts.yml")],
              "scrape_configs": [{"job_name": name, **job} for name, job in scrape.items()]}
    (directory / "prometheus.yml").write_text(yaml.safe_dump(config))
    log = (directory / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [PROMETHEUS, f"--config.file={directory / 'prometheus.yml'}",
         f"--storage.tsdb.path={directory / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
         "--storage.tsdb.retention.time=1h"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/-/ready", process, timeout=30)
        # /-/ready answers 503 until Prometheus is ready, and so does its query API.
        wait_until(lambda: _ready(f"http://127.0.0.1:{port}/-/ready"), 30, interval=0.2,
                   message="Prometheus ready")
        yield Prometheus(f"http://127.0.0.1:{port}")
    finally:
        stop(process)
        log.close()
        shutil.rmtree(directory, ignore_errors=True)
