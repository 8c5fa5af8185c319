"""infra/monitoring: Prometheus accepts the configuration and rules, and every metric they
and the Grafana dashboard name is one the CMS, the worker or the renderer records."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cms.testing.processes import REPO

MONITORING = REPO / "infra" / "monitoring"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
DEFINED_IN = [REPO / "cms" / "monitoring" / "metrics.py",
              REPO / "cms" / "monitoring" / "collectors.py", REPO / "web" / "lib" / "metrics.ts"]
# prom-client's default metrics, under the renderer's prefix (collectDefaultMetrics).
DEFAULT_RENDERER = {"mortar_renderer_process_resident_memory_bytes",
                    "mortar_renderer_nodejs_eventloop_lag_p99_seconds"}
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


@pytest.mark.skipif(not Path(PROMTOOL).exists(), reason="promtool is not installed")
def test_prometheus_accepts_the_configuration_and_the_rules():
    for command in (["check", "rules", str(MONITORING / "alerts.yml")],
                    ["check", "config", "--syntax-only", str(MONITORING / "prometheus.yml")]):
        result = subprocess.run([PROMTOOL, *command], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def defined() -> set[str]:
    names = set()
    for path in DEFINED_IN:
        names |= set(re.findall(r"""["'](mortar_[a-z0-9_]+)["']""", path.read_text()))
    return names | DEFAULT_RENDERER


def used(text: str) -> set[str]:
    names = set()
    for name in re.findall(r"\b(mortar_[a-z0-9_]+)", text):
        for suffix in SUFFIXES:
            if name.endswith(suffix) and name.removesuffix(suffix) in defined():
                name = name.removesuffix(suffix)
                break
        names.add(name)
    return names


def test_every_metric_the_rules_and_the_dashboard_name_is_recorded():
    dashboard = json.loads((MONITORING / "grafana" / "mortar.json").read_text())
    expressions = " ".join(target["expr"] for panel in dashboard["panels"]
                           for target in panel["targets"])
    rules = (MONITORING / "alerts.yml").read_text()
    assert used(expressions) and used(rules)
    assert (used(expressions) | used(rules)) - defined() == set()


def test_the_compose_profile_starts_prometheus_on_these_files_and_ports():
    import yaml

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    prometheus = services["prometheus"]
    assert prometheus["profiles"] == ["monitoring"]  # `docker compose up` alone leaves it out
    assert "./infra/monitoring:/etc/prometheus:ro" in prometheus["volumes"]
    assert all(port.startswith("127.0.0.1:") for port in prometheus["ports"])
    jobs = {job["job_name"]: job for job in
            yaml.safe_load((MONITORING / "prometheus.yml").read_text())["scrape_configs"]}
    cms_env = services["api"]["environment"]
    assert jobs["mortar-worker"]["dns_sd_configs"][0]["port"] == int(cms_env["WORKER_METRICS_PORT"])
    assert jobs["mortar-cms"]["dns_sd_configs"][0]["names"] == ["api"]
    for name in ("web-1", "web-2"):
        port = services[name]["environment"]["METRICS_PORT"]
        assert f"{name}:{port}" in jobs["mortar-renderer"]["static_configs"][0]["targets"]
        assert "ports" not in services[name] or all(
            not mapping.endswith(f":{port}") for mapping in services[name]["ports"])
