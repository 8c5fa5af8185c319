"""Changes stay durable when Redis (the document cache) fails: editors never see an error,
nothing is lost, and nothing stale is served once it is back."""

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse

from cms.publishing import cache
from cms.publishing.models import RevalidationRequest
from cms.publishing.tests.renderer import add_page, as_renderer
from cms.testing.ports import free_port
from cms.testing.processes import wait_until
from cms.testing.standins import StandInRenderer

pytestmark = pytest.mark.django_db(transaction=True)


class SideRedis:
    """A redis-server of the test's own on another port, which the test can break."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL)
        self.client = redis.Redis(port=self.port)
        wait_until(self._answers, 10, message="side redis-server up")

    def _answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.ConnectionError:
            return False

    def refuse_writes(self, refuse: bool) -> None:
        # With no replica attached, a primary that needs one refuses every write.
        self.client.config_set("min-replicas-to-write", 1 if refuse else 0)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def side_redis(settings) -> Iterator[SideRedis]:
    side = SideRedis()
    settings.REDIS_URL = side.url  # the document cache of this process
    cache._redis.cache_clear()
    try:
        yield side
    finally:
        side.stop()
        cache._redis.cache_clear()


def unpublish_in_admin(client, page_id: int) -> int:
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page_id]))
    return response.status_code


def test_redis_refusing_writes_loses_nothing_and_leaves_nothing_stale(
        home, start_worker, side_redis, editor, client):
    renderer = StandInRenderer(0, django_settings.REVALIDATE_SECRET)
    try:
        worker = start_worker(FRONTEND_URL=renderer.url, REDIS_URL=side_redis.url)
        pages = [add_page(home, f"page-{n}") for n in range(10)]
        for page in pages:  # the renderer and the CMS's cache hold every page
            assert as_renderer(client, page.url_path.removeprefix("/home")) == 200
        # What the publishes above still have in flight (a second send comes
        # REVALIDATE_AGAIN_SECONDS after the first) ends with this worker: from here on the
        # renderer hears only of the outage's changes.
        worker.stop()
        RevalidationRequest.objects.all().delete()
        renderer.bodies.clear()
        start_worker(FRONTEND_URL=renderer.url, REDIS_URL=side_redis.url)  # empties the queue

        side_redis.refuse_writes(True)
        statuses = [unpublish_in_admin(editor, page.pk) for page in pages]

        assert statuses == [302] * 10  # 0 editor errors
        rows = RevalidationRequest.objects.all()
        assert rows.count() == 10
        wait_until(lambda: all(row.attempts >= 1 for row in rows.all()), 10,
                   message="every delivery tried while Redis refuses writes")
        # The renderer must not refetch before the CMS's copy is dropped.
        assert renderer.bodies == []
        assert all("document cache" in row.last_error for row in rows.all())

        side_redis.refuse_writes(False)
        wait_until(lambda: not rows.filter(delivered_at__isnull=True).exists(), 30,
                   interval=0.2, message="every change delivered once Redis takes writes")
        paths = {page.url_path.removeprefix("/home") for page in pages}
        assert {f"path:{path}" for path in paths} <= renderer.tags()
        for path in paths:  # nothing stale in the CMS's cache
            assert as_renderer(client, path) == 404
    finally:
        renderer.close()


def test_redis_unreachable_never_fails_an_editor_or_a_reader(home, side_redis, editor,
                                                             client):
    page = add_page(home, "reachable")
    assert as_renderer(client, "/reachable/") == 200
    side_redis.stop()

    assert as_renderer(client, "/reachable/") == 200  # served uncached
    before = RevalidationRequest.objects.count()
    assert unpublish_in_admin(editor, page.pk) == 302
    assert RevalidationRequest.objects.count() == before + 1
    assert as_renderer(client, "/reachable/") == 404


def test_an_ack_redis_refuses_does_not_hold_the_workers_prefetch_slot(side_redis):
    """A task that ran while Redis refused writes (an ETA task come due): its ack fails,
    and the worker must still take the next message (cms.core.consumer.QoS)."""
    from kombu import Connection

    from cms.core.consumer import RedisTransport

    with Connection(side_redis.url, transport=RedisTransport) as connection:
        channel = connection.default_channel
        channel.basic_qos(0, 1, False)  # one message at a time, as a busy worker
        queue = connection.SimpleQueue("acks", channel=channel)
        queue.put({"n": 1})
        queue.put({"n": 2})
        first = queue.get(timeout=5)
        assert not channel.qos.can_consume()
        side_redis.refuse_writes(True)
        with pytest.raises(redis.ResponseError, match="NOREPLICAS"):
            first.ack()
        assert channel.qos.can_consume()
        side_redis.refuse_writes(False)
        second = queue.get(timeout=5)
        assert second.payload == {"n": 2}
        second.ack()
        queue.close()
