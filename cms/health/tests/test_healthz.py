"""`/healthz`: each part reported, 503 when one is down, nothing secret in the answer; a line
per renderer saying whether the CMS can tell it of changes."""

import json
import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.test import override_settings
from moto.core.authorization import enable_iam_authentication

from cms.testing.ports import closed_port
from cms.testing.processes import gunicorn, server_env
from cms.testing.s3 import ACCESS_KEY, SECRET_KEY
from cms.testing.standins import StandInRenderer

PARTS = {"database", "cache", "broker", "storage"}


def healthz(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def failing(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_all_parts_reachable_is_200(db, s3_media, client):
    status, body = healthz(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == PARTS
    assert failing(body) == set()
    assert all(check["ms"] >= 0 for check in body["checks"].values())


def test_storage_down_is_503_naming_storage(db, s3_env, stoppable_moto, client):
    server, endpoint = stoppable_moto
    s3_env(endpoint)
    assert healthz(client)[0] == 200
    server.stop()
    started = time.monotonic()
    status, body = healthz(client)
    assert time.monotonic() - started < 5
    assert status == 503
    assert body["status"] == "fail"
    assert failing(body) == {"storage"}
    assert body["checks"]["storage"]["error"] == "EndpointConnectionError"


def test_missing_bucket_is_503(db, s3_env, moto_endpoint, client):
    s3_env(moto_endpoint, create_bucket=False)
    status, body = healthz(client)
    assert status == 503
    assert failing(body) == {"storage"}


def test_broker_down_is_503_naming_broker(db, client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        status, body = healthz(client)
    assert status == 503
    assert failing(body) == {"broker"}


def test_cache_down_is_503_naming_cache(db, client):
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(CACHES=caches):
        status, body = healthz(client)
    assert status == 503
    assert failing(body) == {"cache"}


def test_local_media_folder_counts_as_storage(db, client, tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        status, body = healthz(client)
    assert status == 200, body
    assert body["checks"]["storage"]["ok"]


def test_answer_holds_no_secrets_or_addresses(db, s3_media, client):
    with override_settings(CELERY_BROKER_URL=f"redis://:hunter2@127.0.0.1:{closed_port()}/0"):
        status, body = healthz(client)
    text = json.dumps(body)
    db = settings.DATABASES["default"]
    for secret in (ACCESS_KEY, SECRET_KEY, settings.SECRET_KEY, "hunter2", s3_media.bucket,
                   s3_media.endpoint, "127.0.0.1", db["NAME"], db.get("PASSWORD") or "\0"):
        assert secret not in text
    assert status == 503


@pytest.fixture
def gunicorn_with_s3(s3_media, db):
    """The CMS as deployed: gunicorn reading S3 settings from its environment."""
    env = server_env("cms.settings", **s3_media.env)
    with gunicorn(env, workers=1, ready_path="/healthz", quiet=True) as url:
        yield f"{url}/healthz"


def test_gunicorn_with_s3_from_env_reports_healthy(gunicorn_with_s3):
    try:
        with urlopen(gunicorn_with_s3, timeout=10) as response:
            status, body = response.status, json.load(response)
    except HTTPError as error:
        status, body = error.code, json.load(error)
    assert status == 200, body
    assert failing(body) == set()


def test_probe_by_ip_is_answered_despite_allowed_hosts(db, client):
    assert settings.MIDDLEWARE[0] == "cms.health.middleware.HealthzMiddleware"
    with override_settings(ALLOWED_HOSTS=["cms.example.com"]):
        response = client.get("/healthz", headers={"host": "10.0.0.5:8000"})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "ok"
        # Everything else still checks the host.
        assert client.get("/api/v2/navigation/",
                          headers={"host": "10.0.0.5:8000"}).status_code == 400


def test_wrong_credentials_is_503_naming_storage(db, s3_media, client):
    with enable_iam_authentication():
        status, body = healthz(client)
    assert status == 503
    assert failing(body) == {"storage"}
    assert body["checks"]["storage"]["error"] == "ClientError"


def test_one_run_answers_every_caller_within_the_window(db, s3_env, stoppable_moto, client,
                                                        settings):
    server, endpoint = stoppable_moto
    s3_env(endpoint)
    first = healthz(client)  # a run of its own (the window is 0 until now)
    settings.HEALTH_CHECK_CACHE_SECONDS = 60
    server.stop()
    within = healthz(client)  # S3 is down, but no caller makes the CMS ask it again yet
    settings.HEALTH_CHECK_CACHE_SECONDS = 0
    after = healthz(client)

    assert first[0] == 200 and within == first
    assert after[0] == 503 and failing(after[1]) == {"storage"}
    assert after[1]["checked_at"] > first[1]["checked_at"]


def test_livez_answers_without_checking_anything(db, client):
    # Broker, cache and storage all unreachable: liveness is about this process only.
    broken = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0",
                           CACHES=broken, ALLOWED_HOSTS=["cms.example.com"]):
        response = client.get("/livez", headers={"host": "10.0.0.5:8000"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_each_renderer_is_one_line_saying_whether_it_can_be_told_of_changes(db, client,
                                                                            settings):
    """Beside the checks, never failing them: the CMS serves its API whatever a renderer
    does, but a renderer it cannot tell is said, with why."""
    right = StandInRenderer(0, settings.REVALIDATE_SECRET)
    wrong = StandInRenderer(0, "not-the-cms-secret")
    try:
        for renderer in (right, wrong):
            settings.FRONTEND_URL = renderer.url
            status, body = healthz(client)
            assert status == 200 and body["status"] == "ok"
            [line] = body["renderers"]
            assert line["url"] == renderer.url
            if renderer is right:
                assert line["ok"] is True and "error" not in line
            else:
                assert line["ok"] is False
                assert line["error"].startswith("refuses this CMS's REVALIDATE_SECRET (401)")
        settings.FRONTEND_URL = f"http://127.0.0.1:{closed_port()}"
        [line] = healthz(client)[1]["renderers"]
        assert line == {"url": settings.FRONTEND_URL, "ok": False, "ms": line["ms"],
                        "error": "cannot be reached: Connection refused"}
    finally:
        right.close()
        wrong.close()
