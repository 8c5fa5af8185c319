"""`make run` (runstack): the ports decide every address, and every stop signal ends every part.

The stack runs on the embedded default in a temporary folder, as `make dev` does on a
laptop. Every process it starts inherits a marker variable, so the test finds them all
(runserver's reloader, celery's pool, npm, next dev's server) wherever they reparent.
"""

import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cms.testing.databases import migrated_sqlite
from cms.testing.ports import free_port
from cms.testing.processes import REPO, embedded_env, wait_for, wait_until

MARK = "MORTAR_RUNSTACK_TEST"


def marked(mark: str) -> dict[int, dict[str, str]]:
    """pid -> environment of every live process carrying MARK=mark."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":
            continue
        env = dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0")
                   if "=" in item)
        if env.get(MARK) == mark:
            found[int(entry.name)] = env
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory) -> dict[str, str]:
    """A migrated SQLite site with an admin user, as `make setup` leaves it."""
    folder = tmp_path_factory.mktemp("stack")
    env = {**embedded_env(folder), "DJANGO_SUPERUSER_USERNAME": "stack-admin",
           "DJANGO_SUPERUSER_PASSWORD": "stack-admin-password-1"}
    migrated_sqlite(folder / "db.sqlite3", env)  # what `migrate` makes, made once per run
    subprocess.run([sys.executable, "manage.py", "ensure_admin"], cwd=REPO, env=env,
                   check=True, capture_output=True, timeout=300)
    return env


@pytest.fixture
def stack(embedded_site, tmp_path) -> Iterator[dict]:
    """`make run CMS_PORT=… WEB_PORT=…` in its own session, as a terminal runs it."""
    ports = {"cms": free_port(), "web": free_port()}
    mark = uuid.uuid4().hex
    # A stale value, as a copied .env.example would give: the ports must win over it.
    env = {**embedded_site, MARK: mark, "FRONTEND_URL": "http://localhost:3000"}
    log = tmp_path / "stack.log"
    venv = Path(sys.executable).parent.parent
    with log.open("w") as out:
        make = subprocess.Popen(["make", "run", f"VENV={venv}", f"CMS_PORT={ports['cms']}",
                                 f"WEB_PORT={ports['web']}"],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{ports['cms']}/api/v2/navigation/", make, timeout=90)
        wait_until(lambda: listening(ports["web"]), 90, interval=0.2, message="next dev listening")
        wait_until(lambda: "ready." in log.read_text() and "beat: Starting" in log.read_text(),
                   60, interval=0.2, message="the worker and beat started")
        yield {"make": make, "mark": mark, "ports": ports, "log": log}
    finally:
        for pid in marked(mark):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        make.wait(timeout=10)


def assert_everything_ends(stack: dict) -> None:
    wait_until(lambda: not marked(stack["mark"]), 10, interval=0.2,
               message=f"every part ended (running: "
                       f"{[cmdline(pid) for pid in marked(stack['mark'])]})")
    assert not listening(stack["ports"]["cms"]) and not listening(stack["ports"]["web"])


def assert_ports_secret_and_banner(stack: dict) -> None:
    """The ports and the secret are every part's, and the banner says how to log in."""
    cms, web = stack["ports"]["cms"], stack["ports"]["web"]
    envs = list(marked(stack["mark"]).values())
    children = [env for env in envs if env.get("WAGTAILADMIN_BASE_URL")]
    assert children, envs
    # One secret for every part: the renderer identifies itself with it and takes the
    # CMS's revalidations.
    assert len({env.get("REVALIDATE_SECRET") for env in children}) == 1
    assert children[0]["REVALIDATE_SECRET"]
    for env in children:
        assert env["WAGTAILADMIN_BASE_URL"] == f"http://localhost:{cms}"
        assert env["FRONTEND_URL"] == f"http://localhost:{web}"
        assert env["CMS_API_URL"] == f"http://127.0.0.1:{cms}"
        assert env["NEXT_PUBLIC_SITE_URL"] == f"http://localhost:{web}"
    banner = stack["log"].read_text()
    assert f"site   http://localhost:{web}/" in banner
    assert f"admin  http://localhost:{cms}/admin/" in banner
    assert "log in as 'stack-admin'" in banner
    assert "manage.py changepassword stack-admin" in banner


# One start for both (a start of every part costs 10 s of the `alone` stage): this test
# took in test_the_ports_and_the_secret_are_every_parts_and_the_banner_says_how_to_log_in.
def test_every_part_has_the_ports_and_the_secret_and_sigterm_ends_them_all(stack):
    assert_ports_secret_and_banner(stack)
    processes = marked(stack["mark"])
    runstack = [pid for pid in processes if "runstack" in cmdline(pid)
                and "manage.py" in cmdline(pid)]
    assert len(runstack) == 1 and len(processes) >= 6, [cmdline(pid) for pid in processes]

    # As a process manager stops `make dev`: the whole group, so runstack gets SIGTERM from
    # it and again from make, which passes SIGTERM on to its children.
    os.killpg(stack["make"].pid, signal.SIGTERM)

    assert_everything_ends(stack)
    log = stack["log"].read_text()
    assert "SIGTERM: stopping every part" in log
    assert "Traceback" not in log, log[-2000:]
    # Each part stopped by itself: the worker's pool too (it used to hang until SIGKILL).
    assert "killed" not in log, log[-2000:]


def test_sighup_from_a_closed_terminal_ends_every_part(stack):
    os.killpg(stack["make"].pid, signal.SIGHUP)  # the terminal's whole foreground group

    assert_everything_ends(stack)
