"""`mortar_delivery_duration_seconds`: how each renderer and HTTP cache answers deliveries.

The one hook inside the publishing code (cms.publishing.delivery wraps each request in
`observed`): which destination answered how, and how fast, cannot be seen from outside.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from cms.monitoring import metrics


@dataclass
class Attempt:
    """The answer's HTTP status, once there is one (None: no answer)."""

    status: int | None = None

    @property
    def outcome(self) -> str:
        return f"{self.status // 100}xx" if self.status else "error"


def origin(url: str) -> str:
    """The destination label: scheme, host and port, never a path or credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


@contextmanager
def observed(target: str, url: str) -> Iterator[Attempt]:
    """Time one delivery request to `url` ("renderer" or "http_cache"); set the yielded
    Attempt's `status` from the answer."""
    attempt = Attempt()
    started = time.perf_counter()
    try:
        yield attempt
    finally:
        if settings.METRICS_ENABLED:
            metrics.delivery_duration.labels(target, origin(url), attempt.outcome).observe(
                time.perf_counter() - started)
