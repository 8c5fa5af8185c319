"""The renderer under `next build && next start`, against the CMS of the test stack.

Each test session builds into its own folder (NEXT_DIST_DIR) with its own tsconfig, so
sessions running side by side never share a build lock or a half-written `.next`.
"""

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import REPO, REVALIDATE_SECRET, free_port, wait_for

WEB = REPO / "web"


def _session_tsconfig(dist_dir: str) -> str:
    """web/tsconfig.json plus this build's type folders, which Next.js would add itself."""
    config = json.loads((WEB / "tsconfig.json").read_text())
    config["include"] = [*config["include"], f"{dist_dir}/types/**/*.ts",
                         f"{dist_dir}/dev/types/**/*.ts"]
    name = f"tsconfig.{dist_dir.lstrip('.')}.json"
    (WEB / name).write_text(json.dumps(config, indent=2))
    return name


def _stop_group(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _renderer_env(cms_server: str, url: str, dist_dir: str, tsconfig: str,
                  node_env: str) -> dict[str, str]:
    return {**os.environ, "CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
            "NEXT_PUBLIC_SITE_URL": url, "NEXT_TELEMETRY_DISABLED": "1",
            "NEXT_DIST_DIR": dist_dir, "NEXT_TSCONFIG_PATH": tsconfig, "NODE_ENV": node_env}


def _next(command: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    # Its own process group: `next` forks a server that must not outlive the session.
    return subprocess.Popen([str(WEB / "node_modules" / ".bin" / "next"), command, "-p",
                             str(port), "-H", "127.0.0.1"],
                            cwd=WEB, env=env, start_new_session=True)


@pytest.fixture(scope="session")
def web_server(cms_server, ports, web_url) -> Iterator[str]:
    dist_dir = f".next-e2e-{os.getpid()}"
    tsconfig = _session_tsconfig(dist_dir)
    env = _renderer_env(cms_server, web_url, dist_dir, tsconfig, "production")
    try:
        if not (WEB / "node_modules").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, env=env, check=True)
        subprocess.run(["npm", "run", "build"], cwd=WEB, env=env, check=True)
        process = _next("start", ports["web"], env)
        try:
            wait_for(f"{web_url}/robots.txt", process, timeout=90)
            yield web_url
        finally:
            _stop_group(process)
    finally:
        shutil.rmtree(WEB / dist_dir, ignore_errors=True)
        (WEB / tsconfig).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def dev_server(cms_server) -> Iterator[str]:
    """The renderer under `next dev` (as `make dev` runs it), against the same CMS.

    Pages compile on their first request, so tests ask it for a few addresses only. Per
    module: its watchers and compiler must not weigh on the tests that come after.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    dist_dir = f".next-dev-{os.getpid()}"
    tsconfig = _session_tsconfig(dist_dir)
    process = _next("dev", port, _renderer_env(cms_server, url, dist_dir, tsconfig,
                                               "development"))
    try:
        wait_for(f"{url}/robots.txt", process, timeout=180)
        yield url
    finally:
        _stop_group(process)
        shutil.rmtree(WEB / dist_dir, ignore_errors=True)
        (WEB / tsconfig).unlink(missing_ok=True)
