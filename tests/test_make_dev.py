"""`make dev` from a clean clone: the embedded default (SQLite, local media, filesystem broker)."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_for

ENV_NAMES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MEDIA_ROOT",
             "DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_USERNAME")


def test_make_dev_from_a_clean_clone(tmp_path):
    clone = tmp_path / "mortar"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    venv = Path(sys.executable).parent.parent
    env = {name: value for name, value in os.environ.items() if name not in ENV_NAMES}

    # The clone shares this venv: mark it installed so make does not reinstall into it.
    setup = subprocess.run(
        ["make", "-o", f"{venv}/.installed", "setup", f"VENV={venv}"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=300,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (clone / ".local" / "db.sqlite3").is_file()
    assert "admin user: admin / password: " in setup.stdout
    assert any((clone / ".local" / "media" / "original_images").iterdir())

    again = subprocess.run(
        ["make", "-o", f"{venv}/.installed", "setup", f"VENV={venv}"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=300,
    )
    assert again.returncode == 0 and "admin user: already exists" in again.stdout
    assert "demo content: the site has pages already, left as it is" in again.stdout

    port = free_port()
    stack = subprocess.Popen(
        [f"{venv}/bin/python", "manage.py", "runstack", "--no-web", "--cms-port", str(port)],
        cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v2/navigation/", stack, timeout=60)
        with urlopen(f"http://127.0.0.1:{port}/api/v2/pages/by-path/?html_path=/articles/") as r:
            assert r.status == 200
            assert b'"type":"example.ArticleIndexPage"' in r.read()
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        output, _ = stack.communicate(timeout=30)
    assert stack.returncode == 0, output[-3000:]  # Ctrl-C stops every part cleanly
    assert f"admin  http://localhost:{port}/admin/" in output
    assert "celery@" in output  # the worker started on the filesystem broker
