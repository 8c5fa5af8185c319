"""The Celery worker's hold on its broker: it reconnects within a second of the broker's
return, and outlives a Redis that refuses writes, acks included.

Celery's own waits 2, 4, 6… up to 30 seconds between attempts (kombu's defaults, which
it passes no setting for), so after an outage of half a minute a worker could sleep
through a quarter of a minute of a broker that was back, holding every queued
revalidation. Here it tries at once, then every half second, then every second.
"""

from functools import partial
from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer
from kombu.transport import redis as redis_transport
from kombu.transport import virtual
from redis.exceptions import ResponseError

RECONNECT = {"interval_start": 0, "interval_step": 0.5, "interval_max": 1}


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn: Any) -> Any:
        # Celery calls conn.ensure_connection(handler, max_retries, callback=…) in here,
        # with kombu's default intervals: these replace them.
        conn.ensure_connection = partial(conn.ensure_connection, **RECONNECT)
        return super().ensure_connected(conn)


class QoS(redis_transport.QoS):
    """kombu's count of a worker's unacknowledged messages, which a refused ack leaves.

    An ack is a write to Redis (the message leaves the unacked index). Refused, kombu's
    raised before the message left the worker's own count, so each held a prefetch slot
    for good: ETA tasks that came due while Redis refused writes (a delivery's second
    sending) filled them, and the worker took no other task until it next reconnected,
    holding back every revalidation queued meanwhile. Here the slot is freed all the
    same, and the error still raised (kombu logs it). The message stays in Redis's
    unacked index, which kombu restores after the visibility timeout: a task that ran
    runs once more, and every task here is safe to run twice."""

    def ack(self, delivery_tag: str) -> None:
        try:
            super().ack(delivery_tag)
        except ResponseError:
            virtual.QoS.ack(self, delivery_tag)
            raise


class RedisChannel(redis_transport.Channel):
    QoS = QoS


class RedisTransport(redis_transport.Transport):
    """kombu's Redis transport, for which a refused write is a lost connection.

    A Redis that refuses writes (no replica for min-replicas-to-write, out of memory
    under noeviction, a failed save) answers the worker's BRPOP with an error that kombu
    counts as unrecoverable: the worker exited, and nothing took the queued revalidations
    once Redis took writes again. Counted as a connection error, the consumer reconnects
    instead (Celery allows five restarts a second, then sleeps a second) and carries on
    as soon as Redis does.
    """

    Channel = RedisChannel
    connection_errors = (*redis_transport.Transport.connection_errors, ResponseError)
