"""The renderer under `next build && next start`, against the CMS of the test stack.

Each test run builds once, into a folder of its own (NEXT_DIST_DIR) with its own tsconfig,
so runs side by side never share a build lock or a half-written `.next`; the test processes
of one run (pytest-xdist workers) share that build, each starting its own `next start`.
"""

import fcntl
import itertools
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_for
from tests.conftest import REVALIDATE_SECRET

WEB = REPO / "web"
BUILD_MARKS = REPO / ".local" / "test-builds"  # a build's lock, and its failure if it failed
# The test stack's renderers serve the seeded site alone (CMS_SITE_HOSTNAME pins it): they
# are reached as 127.0.0.1, which no Wagtail Site is. tests/e2e/test_multisite.py starts one
# that serves every site by its Host header.
PINNED_SITE = {"CMS_SITE_HOSTNAME": "localhost"}


@dataclass(frozen=True)
class WebBuild:
    """One `next build`: its folder (NEXT_DIST_DIR, relative to `web`), its tsconfig, and
    the web/ folder it was built in (the session's: this checkout's)."""

    dist_dir: str
    tsconfig: str
    web: Path = WEB

    def preview_mode_id(self) -> str:
        """The value of the `__prerender_bypass` cookie that turns draft mode on."""
        manifest = json.loads((self.web / self.dist_dir / "prerender-manifest.json").read_text())
        return manifest["preview"]["previewModeId"]


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


@contextmanager
def next_start(build: WebBuild, port: int, env: dict[str, str],
               **popen: object) -> Iterator[subprocess.Popen]:
    """`next start` of `build` on 127.0.0.1:`port`, answering once robots.txt does; pinned
    to the seeded site unless `env` says otherwise (CMS_SITE_HOSTNAME="": any site)."""
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "NODE_ENV": "production",
           "NEXT_DIST_DIR": build.dist_dir, "NEXT_TSCONFIG_PATH": build.tsconfig,
           **PINNED_SITE, **env}
    # Its own process group: `next start` forks a server that must not outlive the session.
    process = subprocess.Popen([str(build.web / "node_modules" / ".bin" / "next"), "start",
                                "-p", str(port), "-H", "127.0.0.1"],
                               cwd=build.web, env=env, start_new_session=True, **popen)
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process, timeout=90)
        yield process
    finally:
        _stop_group(process)


def _build_once(build: WebBuild, env: dict[str, str]) -> None:
    """`next build` into `build`'s folder, unless another process of the run has (or is
    doing it: it waits on the lock). A failed build is reported to every process."""
    done = WEB / build.dist_dir / ".mortar-built"
    failed = BUILD_MARKS / f"{build.dist_dir}.failed"
    BUILD_MARKS.mkdir(parents=True, exist_ok=True)
    with (BUILD_MARKS / f"{build.dist_dir}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            raise RuntimeError(f"next build failed in another test process:\n{failed.read_text()}")
        if done.exists():
            return
        _session_tsconfig(build.dist_dir)
        result = subprocess.run(["npm", "run", "build"], cwd=WEB, env=env, capture_output=True,
                                text=True, check=False)
        if result.returncode:
            failed.write_text(result.stdout[-5000:] + result.stderr[-5000:])
            raise RuntimeError(f"next build failed:\n{failed.read_text()}")
        done.touch()


def remove_run_builds(run: str) -> None:
    """What `web_build` and `dev_server` left for run `run`: their output folders,
    tsconfigs, locks and marks."""
    for folder in [WEB / f".next-e2e-{run}", *WEB.glob(f".next-dev-{run}-*")]:
        dist_dir = folder.name
        shutil.rmtree(folder, ignore_errors=True)
        (WEB / f"tsconfig.{dist_dir.lstrip('.')}.json").unlink(missing_ok=True)
        for name in (f"{dist_dir}.lock", f"{dist_dir}.failed"):
            (BUILD_MARKS / name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def web_build(test_run: str) -> WebBuild:
    """The run's one `next build`, made by the first test process that needs it and served
    by every renderer of every process: what depends on where a renderer runs (its CMS,
    its public origin) is read when it starts (web/lib/settings.ts). Removed when the run
    ends (`remove_run_builds`, from tests/conftest.py)."""
    dist_dir = f".next-e2e-{test_run}"
    build = WebBuild(dist_dir, f"tsconfig.{dist_dir.lstrip('.')}.json")
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "NEXT_DIST_DIR": build.dist_dir,
           "NEXT_TSCONFIG_PATH": build.tsconfig, "NODE_ENV": "production"}
    if not (WEB / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, env=env, check=True)
    _build_once(build, env)
    return build


@pytest.fixture(scope="session")
def web_server(web_build, cms_server, ports, web_url) -> Iterator[str]:
    # The admin is on another origin (another port of 127.0.0.1), as under `make dev`: the
    # site's CSP must let the userbar's scripts come from it (web/lib/csp.ts).
    env = {"CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "NEXT_PUBLIC_SITE_URL": web_url, "WAGTAILADMIN_BASE_URL": cms_server}
    with next_start(web_build, ports["web"], env):
        yield web_url


@contextmanager
def _dev_dist_dir(run: str) -> Iterator[str]:
    """An output folder (NEXT_DIST_DIR) of run `run`'s `next dev` servers that none of them
    is using, locked while the caller's is: the first free one, so a module's `next dev`
    starts on what an earlier module's compiled (Turbopack's filesystem cache, on for
    `next dev` since Next.js 16.1) and compiles only what differs. Removed when the run
    ends (`remove_run_builds`)."""
    BUILD_MARKS.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        dist_dir = f".next-dev-{run}-{n}"
        with (BUILD_MARKS / f"{dist_dir}.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a `next dev` of another test process of the run has it
            yield dist_dir
            return


@pytest.fixture(scope="module")
def dev_server(cms_server, test_run: str) -> Iterator[str]:
    """The renderer under `next dev` (as `make dev` runs it), against the same CMS.

    Pages compile on their first request, so tests ask it for a few addresses only. Per
    module: its watchers and compiler must not weigh on the tests that come after.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with _dev_dist_dir(test_run) as dist_dir:
        tsconfig = _session_tsconfig(dist_dir)
        env = {**os.environ, "CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
               "NEXT_PUBLIC_SITE_URL": url,
               "WAGTAILADMIN_BASE_URL": cms_server, "NEXT_TELEMETRY_DISABLED": "1",
               "NEXT_DIST_DIR": dist_dir, "NEXT_TSCONFIG_PATH": tsconfig,
               "NODE_ENV": "development", **PINNED_SITE}
        # Its own process group: `next dev` forks a server that must not outlive the module.
        process = subprocess.Popen([str(WEB / "node_modules" / ".bin" / "next"), "dev", "-p",
                                    str(port), "-H", "127.0.0.1"],
                                   cwd=WEB, env=env, start_new_session=True)
        try:
            wait_for(f"{url}/robots.txt", process, timeout=180)
            yield url
        finally:
            _stop_group(process)
