"""Production settings: `check --deploy` is clean, and the hardening does what it says.

Each check runs the CMS in a fresh process with production variables, the way the
compose stack (docker-compose.yml) starts it.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest

from cms.testing.processes import REPO, database_url

PUBLIC = "lcl.example.com"


def production_env(**extra: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    return {**{k: v for k, v in os.environ.items() if k in keep},
            "DJANGO_SETTINGS_MODULE": "cms.settings", "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": f"{PUBLIC},api",
            "REVALIDATE_SECRET": secrets.token_urlsafe(24),
            "CSRF_TRUSTED_ORIGINS": f"https://{PUBLIC}",
            "CORS_ALLOWED_ORIGINS": f"https://{PUBLIC}",
            "WAGTAILADMIN_BASE_URL": f"https://{PUBLIC}", "FRONTEND_URL": f"https://{PUBLIC}",
            **extra}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_gives_no_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced is Django's security.W003, which takes our CSRF middleware (a
    # subclass of Django's) for none; mortar.W001 checks for it instead (cms.core.checks).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_production_refuses_to_start_without_secrets():
    env = production_env()
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# Requests through Django's test client in a production process, on the test database.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client

def answer(path, secure, **headers):
    response = Client().get(path, secure=secure, headers=headers)
    return {"status": response.status_code, "location": response.get("Location"),
            "hsts": response.get("Strict-Transport-Security"),
            "xfo": response.get("X-Frame-Options"),
            "acao": response.get("Access-Control-Allow-Origin"),
            "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
                        for name, c in response.cookies.items()}}

host = {"Host": "lcl.example.com"}
print(json.dumps({
    "admin_over_http": answer("/admin/login/", False, **host),
    "admin_behind_tls": answer("/admin/login/", False, X_Forwarded_Proto="https", **host),
    "api_from_renderer": answer("/api/v2/navigation/", False, Host="api:8000"),
    "cors_ours": answer("/api/v2/navigation/", True, Origin="https://lcl.example.com", **host),
    "cors_other": answer("/api/v2/navigation/", True, Origin="https://evil.example", **host),
    "debug": settings.DEBUG,
}))
"""


@pytest.mark.django_db
def test_production_requests_are_hardened(seeded_db, tmp_path):
    env = production_env(DATABASE_URL=database_url(), STATIC_ROOT=str(tmp_path / "static"))
    # As the api container does before gunicorn: the manifest storage needs it.
    collected = run(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    assert collected.returncode == 0, collected.stderr
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False

    # A browser that reached the CMS over plain HTTP is sent to HTTPS.
    assert seen["admin_over_http"]["status"] == 301
    assert seen["admin_over_http"]["location"] == "https://lcl.example.com/admin/login/"

    # Behind nginx (X-Forwarded-Proto: https): served, HSTS, secure cookies, no framing.
    tls = seen["admin_behind_tls"]
    assert tls["status"] == 200
    assert tls["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert tls["xfo"] == "DENY"
    assert tls["cookies"]["csrftoken"]["secure"] is True

    # The renderer reads the API inside the stack over plain HTTP: no redirect.
    assert seen["api_from_renderer"]["status"] == 200

    # CORS answers the configured origin only.
    assert seen["cors_ours"]["acao"] == "https://lcl.example.com"
    assert seen["cors_other"]["acao"] is None
