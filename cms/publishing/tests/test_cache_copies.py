"""A process's copies of the documents it read (cms.publishing.cache._Copies): a document
read again is served from the copy, and never once Redis has it changed, dropped or gone."""

import dataclasses
import time
import uuid

import pytest
import redis
from django.conf import settings as django_settings

from cms.publishing import cache


@pytest.fixture
def key(settings):
    settings.CACHE_KEY_PREFIX = f"copies-{uuid.uuid4().hex}"
    return cache.request_key(None, "localhost", "/copied/", 1)


def store(key: str, body: bytes = b'{"title": "Copied"}', names: tuple[str, ...] = ("page:1",),
          max_age: float | None = None) -> None:
    document = cache.CachedDocument.of(body, cache.etag_for(body), 1, names, True)
    assert cache.put(key, document, cache.epoch(), max_age=max_age)


def other_client() -> redis.Redis:
    """Another process's connection, as the worker's."""
    return redis.Redis.from_url(django_settings.REDIS_URL, socket_timeout=5)


def test_a_document_read_again_is_the_copy(key):
    store(key)
    first = cache.get(key)
    again = cache.get(key)
    assert first is not None and first.body == b'{"title": "Copied"}'
    assert again is first  # no second read of Redis


def test_a_bump_drops_the_copy_at_once(key):
    store(key)
    assert cache.get(key) is cache.get(key)
    cache.bump(["page:1"])
    assert cache.get(key) is None


def test_a_change_by_another_connection_reaches_the_copy(key):
    store(key)
    assert cache.get(key) is cache.get(key)
    client = other_client()
    newer = b'{"title": "Changed elsewhere"}'
    changed = cache.CachedDocument.of(newer, cache.etag_for(newer), 1, ["page:1"], True)
    client.set(key, dataclasses.replace(changed, expires_at=time.time() + 60).encode())
    client.ping()  # the push is written by the time a later command is answered
    assert cache.get(key).body == newer
    client.delete(key)
    client.ping()
    assert cache.get(key) is None


def test_a_flushed_database_drops_every_copy(key):
    store(key)
    assert cache.get(key) is cache.get(key)
    client = other_client()
    client.flushdb()
    client.ping()
    assert cache.get(key) is None


def test_a_copy_never_outlives_its_entry(key, monkeypatch):
    monkeypatch.setattr(cache, "CONFIRM_SECONDS", 3600.0)  # only the entry's expiry ends it
    store(key, max_age=1)
    first = cache.get(key)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and cache.get(key) is not None:
        time.sleep(0.05)
    assert first is not None and cache.get(key) is None


def test_a_copy_is_served_only_while_redis_answers(key, monkeypatch):
    store(key)
    first = cache.get(key)
    monkeypatch.setattr(cache, "CONFIRM_SECONDS", 0.0)  # the connection went quiet
    again = cache.get(key)
    assert again is not first and again.body == first.body  # read from Redis again


def test_a_killed_connection_loses_no_change(key):
    store(key)
    assert cache.get(key) is cache.get(key)
    client = other_client()
    host, port = cache._copies.connection._sock.getsockname()[:2]
    client.execute_command("CLIENT", "KILL", "ADDR", f"{host}:{port}")
    client.delete(key)  # pushed to no one: the connection is gone
    client.ping()
    assert cache.get(key) is None


def test_where_redis_cannot_track_documents_are_read_as_before(key, monkeypatch):
    def refused(connection: redis.Connection) -> None:
        raise redis.ResponseError("unknown subcommand 'TRACKING'")  # a proxy, an old Redis

    monkeypatch.setattr(cache, "_copies", cache._Copies())
    monkeypatch.setattr(cache._Copies, "_start_tracking", staticmethod(refused))
    store(key)
    first, again = cache.get(key), cache.get(key)
    assert first is not None and again is not first and again.body == first.body
    cache.bump(["page:1"])
    assert cache.get(key) is None
