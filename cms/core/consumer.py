"""The Celery worker's consumer, reconnecting to a broker that came back within a second.

Celery's own waits 2, 4, 6… up to 30 seconds between attempts (kombu's defaults, which
it passes no setting for), so after an outage of half a minute a worker could sleep
through a quarter of a minute of a broker that was back, holding every queued
revalidation. Here it tries at once, then every half second, then every second.
"""

from functools import partial
from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer

RECONNECT = {"interval_start": 0, "interval_step": 0.5, "interval_max": 1}


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn: Any) -> Any:
        # Celery calls conn.ensure_connection(handler, max_retries, callback=…) in here,
        # with kombu's default intervals: these replace them.
        conn.ensure_connection = partial(conn.ensure_connection, **RECONNECT)
        return super().ensure_connected(conn)
