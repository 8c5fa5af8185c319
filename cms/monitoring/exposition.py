"""The text Prometheus scrapes: this process's metrics, or every process's under
PROMETHEUS_MULTIPROC_DIR (gunicorn workers, Celery's pool), plus collectors read at
scrape time."""

import os
from collections.abc import Iterable

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.registry import Collector


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def recorded_registry() -> CollectorRegistry:
    """What the processes recorded: all of them in multiprocess mode, else this one's."""
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def exposition(collectors: Iterable[Collector] = ()) -> bytes:
    """Prometheus's text format: recorded metrics, then each collector's."""
    body = generate_latest(recorded_registry())
    live = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        live.register(collector)
    return body + generate_latest(live)
