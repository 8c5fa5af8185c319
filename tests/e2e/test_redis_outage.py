"""Redis going away (a redis-server of the test's own) does not sign editors out.

Sessions live in the database and are read through Redis (cms.core.sessions): an
editor signed in before the outage is still signed in during it and after it, when
Redis comes back empty.
"""

import html
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from cms.testing.ports import free_port
from cms.testing.processes import REPO, stop, wait_for
from tests.redisserver import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cms_on_own_redis(cms_env, redis_server) -> Iterator[str]:
    url = redis_server.url
    port = free_port()
    env = {**cms_env, "REDIS_URL": url, "CELERY_BROKER_URL": url, "DEBUG": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1"], cwd=REPO, env=env)
    cms = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{cms}/api/v2/navigation/", process)
        yield cms
    finally:
        stop(process)


def test_editor_stays_signed_in_while_redis_is_down(cms_on_own_redis, redis_server, editor):
    cms = cms_on_own_redis
    session = requests.Session()
    form = session.get(f"{cms}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    signed_in = session.post(f"{cms}/admin/login/", timeout=10, data={
        "csrfmiddlewaretoken": token, "username": editor[0], "password": editor[1]})
    assert signed_in.url == f"{cms}/admin/", signed_in.text[:300]

    redis_server.stop()
    # Wagtail's admin pages read the cache themselves (site root paths), so the sign-in
    # page is where the session alone shows: a signed-in editor is sent on to the admin.
    during = session.get(f"{cms}/admin/login/", timeout=30, allow_redirects=False)
    redis_server.start()  # empty: whatever the cache held is gone
    after = session.get(f"{cms}/admin/", timeout=30, allow_redirects=False)

    assert during.status_code == 302 and during.headers["Location"] == "/admin/", during.text[:300]
    assert after.status_code == 200, after.text[:300]
    assert editor[0] in after.text


def test_admin_works_while_redis_is_down(cms_on_own_redis, redis_server, editor):
    """Wagtail's admin and django-axes read the cache on every request: an outage is a
    cache miss for them (django-redis ignoring it), not a 500."""
    cms = cms_on_own_redis
    redis_server.stop()
    try:
        guest = requests.Session()
        form = guest.get(f"{cms}/admin/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        wrong = guest.post(f"{cms}/admin/login/", timeout=30, data={
            "csrfmiddlewaretoken": token, "username": editor[0], "password": "not-it"})
        right = guest.post(f"{cms}/admin/login/", timeout=30, data={
            "csrfmiddlewaretoken": token, "username": editor[0], "password": editor[1]})
        dashboard = guest.get(f"{cms}/admin/", timeout=30)
        explorer = guest.get(f"{cms}/admin/pages/", timeout=30)
    finally:
        redis_server.start()

    assert form.status_code == 200, form.text[:300]
    assert wrong.status_code == 200 and "didn't match" in html.unescape(wrong.text), \
        wrong.text[:300]
    assert right.url == f"{cms}/admin/", right.text[:300]
    assert dashboard.status_code == 200 and editor[0] in dashboard.text, dashboard.text[:300]
    assert explorer.status_code == 200, explorer.text[:300]
