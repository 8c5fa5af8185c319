"""What /metrics reads at scrape time rather than counts: the publishing pipeline's state.

Cost per scrape, and nothing more: one SQL query on the outbox (`OutboxCollector`: an
aggregate over undelivered rows, which the `delivered_at` index finds) and one Redis
round trip to the broker (`BrokerCollector`: LLEN of each queue and its priority lists,
and INFO memory), only when the broker is Redis.
"""

from collections.abc import Iterator

import redis
from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from cms.publishing.models import RevalidationRequest

# kombu's Redis transport keeps each priority level of a queue in a list of its own,
# named queue + "\x06\x16" + level for every level but 0 (its default priority_steps).
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)


class OutboxCollector(Collector):
    """`mortar_outbox_pending_rows`, `mortar_outbox_failing_rows` (pending with an error)
    and `mortar_outbox_oldest_pending_age_seconds` (0 when none): one query."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending = RevalidationRequest.objects.filter(delivered_at__isnull=True).aggregate(
            rows=Count("pk"), failing=Count("pk", filter=~Q(last_error="")),
            oldest=Min("created_at"))
        age = (timezone.now() - pending["oldest"]).total_seconds() if pending["oldest"] else 0
        yield GaugeMetricFamily("mortar_outbox_pending_rows",
                                "Changes not yet delivered to every cache that shows them.",
                                value=pending["rows"])
        yield GaugeMetricFamily("mortar_outbox_failing_rows",
                                "Undelivered changes whose last delivery attempt failed.",
                                value=pending["failing"])
        yield GaugeMetricFamily("mortar_outbox_oldest_pending_age_seconds",
                                "Age of the oldest undelivered change (0: none pending).",
                                value=max(age, 0.0))


def queue_names() -> list[str]:
    return [queue.name for queue in settings.CELERY_TASK_QUEUES]


class BrokerCollector(Collector):
    """`mortar_celery_queue_length{queue}` (messages waiting, not those a worker holds)
    and `mortar_redis_used_memory_bytes` of the broker's Redis: one round trip."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        names = queue_names()
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            for step in PRIORITY_STEPS:
                pipe.llen(name if step == 0 else f"{name}{PRIORITY_SEPARATOR}{step}")
        pipe.info("memory")
        try:
            *lengths, memory = pipe.execute()
        except redis.RedisError:
            yield GaugeMetricFamily("mortar_broker_up", "Whether the broker answered.", value=0)
            return
        yield GaugeMetricFamily("mortar_broker_up", "Whether the broker answered.", value=1)
        queues = GaugeMetricFamily("mortar_celery_queue_length",
                                   "Messages waiting in each Celery queue.", labels=["queue"])
        steps = len(PRIORITY_STEPS)
        for index, name in enumerate(names):
            queues.add_metric([name], sum(lengths[index * steps:(index + 1) * steps]))
        yield queues
        yield GaugeMetricFamily("mortar_redis_used_memory_bytes",
                                "Memory the broker's Redis uses (INFO used_memory).",
                                value=memory.get("used_memory", 0))
        if memory.get("maxmemory"):
            yield GaugeMetricFamily("mortar_redis_max_memory_bytes",
                                    "The broker's Redis memory limit (maxmemory).",
                                    value=memory["maxmemory"])
