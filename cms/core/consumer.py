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
    def connection_for_read(self, heartbeat: float | None = None) -> Any:
        connection = super().connection_for_read(heartbeat)
        connection.ensure_connection = partial(connection.ensure_connection, **RECONNECT)
        return connection
