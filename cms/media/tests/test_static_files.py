"""Static files in production: hashed names, served by the CMS itself through WhiteNoise."""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from cms.testing.processes import REPO, gunicorn, server_env

# The server reads the test database (the admin's login page needs it): have
# pytest-django make one even when this module runs alone.
pytestmark = pytest.mark.django_db
HTTPS = {"X-Forwarded-Proto": "https"}  # as nginx says it; production redirects plain HTTP


def get(url: str, **headers: str):
    return urlopen(Request(url, headers={**HTTPS, **headers}), timeout=10)


@pytest.fixture(scope="module")
def production_cms(tmp_path_factory, django_db_setup) -> tuple[str, Path]:
    static_root = tmp_path_factory.mktemp("static")
    env = server_env(
        "cms.settings", DJANGO_ENV="production",
        SECRET_KEY="static-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1", REVALIDATE_SECRET="static-test-revalidate-0123456789",
        STATIC_ROOT=str(static_root))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=REPO, env=env, check=True, timeout=300)
    with gunicorn(env, workers=1, ready_path="/static/staticfiles.json", quiet=True) as url:
        yield url, static_root


def test_hashed_static_files_are_served_compressed_and_cached_forever(production_cms):
    url, static_root = production_cms
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/css/core.css"]
    assert re.fullmatch(r"wagtailadmin/css/core\.[0-9a-f]{12}\.css", hashed)

    with get(f"{url}/static/{hashed}", **{"Accept-Encoding": "gzip"}) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]


def test_admin_pages_link_the_hashed_names(production_cms):
    url, static_root = production_cms
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    with get(f"{url}/admin/login/") as response:
        html = response.read().decode()
    assert f"/static/{manifest['wagtailadmin/css/core.css']}" in html
