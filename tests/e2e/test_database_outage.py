"""The database refusing or hanging, through a proxy the test controls (never the shared one).

A gunicorn of its own reaches PostgreSQL through `TcpProxy`; Redis stays up. What must
keep working: cached page documents, a bounded /healthz. What must answer 503: the
uncached API (JSON, Retry-After) and the admin's sign-in (a readable page).
"""

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from cms.testing.ports import free_port
from cms.testing.processes import REPO, database_url, stop, wait_for, wait_until
from tests.tcpproxy import TcpProxy

pytestmark = pytest.mark.django_db

# Longer than /healthz's own deadline (2.5 s), so the two can be told apart.
CONNECT_TIMEOUT = 4


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    database = urlsplit(database_url())
    tcp = TcpProxy(database.port or 5432)
    yield tcp
    tcp.close()


@pytest.fixture(scope="module")
def cms(cms_env, proxy) -> Iterator[str]:
    database = urlsplit(database_url())
    through_proxy = urlunsplit(database._replace(
        netloc=f"{database.username}:{database.password}@127.0.0.1:{proxy.port}"))
    port = free_port()
    env = {**cms_env, "DATABASE_URL": through_proxy, "DEBUG": "false",
           "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"], cwd=REPO, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/api/v2/navigation/", process)
        yield url
    finally:
        stop(process)


@pytest.fixture
def database_back(proxy, cms) -> Iterator[None]:
    """Whatever a test does to the proxy, the next one starts with the database reachable."""
    yield
    proxy.forward()
    wait_until(lambda: requests.get(f"{cms}/api/v2/pages/", timeout=10).status_code == 200,
               30, interval=0.2, message="the CMS recovered")


def timed_get(url: str, **kwargs: object) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=30, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def sign_in_form(cms: str, session: requests.Session) -> dict[str, str]:
    page = session.get(f"{cms}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return {"csrfmiddlewaretoken": token.group(1), "username": "someone",
            "password": "whatever-it-is"}


def test_refusing_database_is_503_json_and_a_readable_admin_page(cms, proxy, database_back):
    by_path = f"{cms}/api/v2/pages/by-path/"
    assert requests.get(by_path, params={"html_path": "/"}, timeout=10).status_code == 200
    session = requests.Session()
    form = sign_in_form(cms, session)

    proxy.refuse()
    api, api_seconds = timed_get(f"{cms}/api/v2/pages/")
    navigation, _ = timed_get(f"{cms}/api/v2/navigation/")
    cached, _ = timed_get(by_path, params={"html_path": "/"})
    sign_in = session.post(f"{cms}/admin/login/", data=form, timeout=30)
    health, health_seconds = timed_get(f"{cms}/healthz")

    for answer in (api, navigation):
        assert answer.status_code == 503, answer.text[:300]
        assert answer.headers["Content-Type"] == "application/json"
        assert "database" in answer.json()["message"]
        assert int(answer.headers["Retry-After"]) > 0
    assert api_seconds < 10
    assert cached.status_code == 200 and cached.headers["X-Mortar-Cache"] == "hit"
    assert sign_in.status_code == 503
    assert "Temporarily unavailable" in sign_in.text and "Traceback" not in sign_in.text
    assert health.status_code == 503 and health_seconds < 5
    assert health.json()["checks"]["database"]["ok"] is False


def test_hanging_database_is_given_up_on_in_seconds(cms, proxy, database_back):
    """On pooled connections too (CONN_MAX_AGE): the ones open when it hangs are cut,
    the next connection hangs; cached documents are served without the database."""
    by_path = f"{cms}/api/v2/pages/by-path/"
    for _ in range(2):
        assert requests.get(by_path, params={"html_path": "/"}, timeout=10).status_code == 200
    proxy.hang()
    cached, cached_seconds = timed_get(by_path, params={"html_path": "/"})
    api, api_seconds = timed_get(f"{cms}/api/v2/pages/")
    health, health_seconds = timed_get(f"{cms}/healthz")

    assert cached.status_code == 200 and cached.headers["X-Mortar-Cache"] == "hit"
    assert cached_seconds < 1

    assert api.status_code == 503, api.text[:300]
    assert health.status_code == 503 and health_seconds < 5
    # Longer than /healthz's deadline: the probe gives up first, the request at the timeout.
    assert health.json()["checks"]["database"]["error"] == "Timeout"
    assert CONNECT_TIMEOUT - 0.5 < api_seconds < CONNECT_TIMEOUT + 3


def test_statements_are_limited_on_every_connection(django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
