"""More instances of the stack, for the scale-out test: a second gunicorn on the session's
database and Redis, and the session's build under more `next start` instances (ports
web2..webN, behind `scale_out_cache`). With REDIS_URL set, as in every test session, each
renderer keeps its ISR and data cache in Redis (web/cache-handler.mjs): all of them share
one, so the revalidation the CMS sends one of them reaches every one.

Each added renderer runs a copy of the build, as on a machine of its own: Next.js's local
cache lives in the build folder, and instances sharing one folder would share it on disk,
which separate machines cannot.
"""

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace

import pytest

from cms.testing.ports import free_port
from cms.testing.processes import gunicorn
from tests.conftest import GUNICORN_ARGS, RENDERERS, REVALIDATE_SECRET
from tests.webserver import WEB, WebBuild, next_start


class Renderer:
    """One `next start` of the session's build, which a test may stop and start again."""

    def __init__(self, build: WebBuild, port: int, env: dict[str, str]) -> None:
        self.build, self.port, self.env = build, port, env
        self.url = f"http://127.0.0.1:{port}"
        self._running: ExitStack | None = None

    def start(self) -> None:
        assert self._running is None, f"{self.url} already runs"
        stack = ExitStack()
        stack.enter_context(next_start(self.build, self.port, self.env))
        self._running = stack

    def stop(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None


@pytest.fixture(scope="module")
def more_renderers(web_build, web_server, cms_server, ports, web_url) -> Iterator[list[Renderer]]:
    """Renderers 2..RENDERERS, running; the session's `web_server` is the first."""
    env = {"CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "NEXT_PUBLIC_SITE_URL": web_url}
    builds = [replace(web_build, dist_dir=f"{web_build.dist_dir}-{n}")
              for n in range(2, RENDERERS + 1)]
    renderers = [Renderer(build, ports[f"web{n}"], env)
                 for n, build in enumerate(builds, start=2)]
    try:
        for renderer in renderers:
            # Not the build's own cache folder (compiler caches, large): only what runs.
            shutil.copytree(WEB / web_build.dist_dir, WEB / renderer.build.dist_dir,
                            symlinks=True, ignore=lambda folder, names: (
                                ["cache"] if folder == str(WEB / web_build.dist_dir) else []))
            renderer.start()
        yield renderers
    finally:
        for renderer in renderers:
            renderer.stop()
            shutil.rmtree(WEB / renderer.build.dist_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def more_cms_servers(cms_env, cms_server) -> Iterator[list[str]]:
    """A second gunicorn of the CMS, on the session's database and Redis."""
    with gunicorn(cms_env, free_port(), args=GUNICORN_ARGS) as url:
        yield [url]
