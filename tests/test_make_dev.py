"""`make dev` from a clean clone, as the README says: the embedded default (SQLite, local
media, filesystem broker), nothing exported. An editor's changes are on the site within
seconds, and stay so across a restart of `make dev`."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_for, wait_until

# Nothing exported: what the test session sets for itself is not the user's.
ENV_NAMES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MEDIA_ROOT",
             "DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_USERNAME", "DJANGO_SETTINGS_MODULE",
             "CACHE_KEY_PREFIX", "REVALIDATE_SECRET", "FRONTEND_URL", "CMS_API_URL",
             "NEXT_PUBLIC_SITE_URL", "CMS_SITE_HOSTNAME", "NEXT_DIST_DIR", "NEXT_TSCONFIG_PATH",
             "NODE_ENV")
FRESH_WITHIN = 3.0  # seconds from an editor's change (committed) to the site showing it
ARTICLE = "/articles/designing-for-editors/"
PRIVATE = "/articles/previewing-drafts-safely/"


def clone_with_node_modules(target: Path) -> Path:
    """A clean clone, with web/node_modules as hard links of this checkout's (real files,
    which Turbopack needs; seconds, no space) marked installed, so that `make dev` does
    not download them again."""
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    modules = target / "web" / "node_modules"
    subprocess.run(["cp", "-al", str(REPO / "web" / "node_modules"), str(modules)], check=True)
    for stamp in modules.glob(".installed*"):  # `make install-web`'s, whatever its name
        stamp.unlink()
        stamp.touch()  # a file of its own: newer than the clone's lock file
    # The clone shares this checkout's venv: its pyproject.toml no newer than the checkout's,
    # or `make install` (a sub-make, which `-o` does not reach) would reinstall the venv
    # from the clone, and the editable install would then import `cms` from the clone.
    stamp = (REPO / "pyproject.toml").stat()
    os.utime(target / "pyproject.toml", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    return target


@dataclass
class Dev:
    """`make dev` running in a clone, on its own ports."""

    clone: Path
    env: dict[str, str]
    venv: Path
    cms_port: int
    web_port: int
    log: Path

    def page(self, path: str) -> tuple[int, str]:
        """The site's answer at `path`, asked as a browser on http://localhost:<port> asks."""
        conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=120)
        try:
            conn.request("GET", path, headers={"Host": f"localhost:{self.web_port}"})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def shell(self, code: str) -> None:
        """ORM code in a CMS process of the clone, committed with every signal, as the
        admin commits an editor's change."""
        subprocess.run([str(self.venv / "bin" / "python"), "manage.py", "shell", "-c", code],
                       cwd=self.clone, env=self.env, check=True, capture_output=True,
                       timeout=120)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def make_dev(dev: Dev) -> Iterator[subprocess.Popen]:
    """`make dev` in its own session, as a terminal runs it; Ctrl-C to its group at the end,
    after which every part must have ended."""
    started = len(dev.output()) if dev.log.exists() else 0
    with dev.log.open("a") as out:
        make = subprocess.Popen(
            ["make", "-o", f"{dev.venv}/.installed", "dev", f"VENV={dev.venv}",
             f"CMS_PORT={dev.cms_port}", f"WEB_PORT={dev.web_port}"],
            cwd=dev.clone, env=dev.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{dev.cms_port}/api/v2/navigation/", make, timeout=300)
        told = f"renderer http://localhost:{dev.web_port} is told of every change"

        def output() -> str:  # this start's: a second start appends to the first's
            return dev.output()[started:]

        wait_until(lambda: told in output() or make.poll() is not None, 300, interval=0.5,
                   message="the renderer's start-up line")
        started_up = output()
        assert told in started_up, started_up[-3000:]
        # Where a newcomer looks once the site answers: the addresses again, after the
        # parts' start-up output (next dev's among the last).
        assert started_up.rindex("Mortar is running:") > started_up.index("Ready in"), \
            started_up[-3000:]
        yield make
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C: the terminal's whole foreground group
        make.wait(timeout=60)
    for port in (dev.cms_port, dev.web_port):
        wait_until(lambda port=port: not _listening(port), 30, interval=0.2,
                   message=f"port {port} closed once make dev stopped")


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def h1(body: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def fresh_within(dev: Dev, path: str, shows: Callable[[int, str], bool], what: str) -> float:
    """Seconds until the site's answer at `path` shows the change; fails past FRESH_WITHIN."""
    started = time.monotonic()
    last: tuple[int, str] = (0, "")
    while time.monotonic() - started < FRESH_WITHIN:
        last = dev.page(path)
        if shows(*last):
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what}: {FRESH_WITHIN}s later {path} still answers {last[0]} "
                         f"{h1(last[1])!r}\n{dev.output()[-2000:]}")


def publish_title(path: str, title: str) -> str:
    return ("from wagtail.models import Page\n"
            f"page = Page.objects.get(url_path='/home{path}').specific\n"
            f"page.title = {title!r}\n"
            "page.save_revision().publish()\n")


def test_make_dev_from_a_clean_clone(tmp_path):
    clone = clone_with_node_modules(tmp_path / "mortar")
    # The clone shares this venv: `-o` marks it installed so make does not reinstall into it.
    venv = Path(sys.executable).parent.parent
    env = {name: value for name, value in os.environ.items() if name not in ENV_NAMES}
    dev = Dev(clone, env, venv, free_port(), free_port(), tmp_path / "make-dev.log")
    seconds: dict[str, float] = {}
    try:
        with make_dev(dev):
            assert (clone / ".local" / "db.sqlite3").is_file()
            assert "admin user: admin / password: " in dev.output()
            assert any((clone / ".local" / "media" / "original_images").iterdir())
            with urlopen(f"http://127.0.0.1:{dev.cms_port}/api/v2/pages/by-path/"
                         "?html_path=/articles/") as r:
                assert r.status == 200
                assert b'"type":"example.ArticleIndexPage"' in r.read()
            for path in ("/", ARTICLE, PRIVATE, ARTICLE, PRIVATE, "/"):  # compiled, cached
                assert dev.page(path)[0] == 200

            dev.shell(publish_title(ARTICLE, "Designing for editors, again"))
            seconds["title"] = fresh_within(dev, ARTICLE, lambda status, body: h1(body) ==
                                            "Designing for editors, again", "a title publish")

            dev.shell("from wagtail.models import Page, PageViewRestriction\n"
                      f"page = Page.objects.get(url_path='/home{PRIVATE}')\n"
                      "PageViewRestriction.objects.create(page=page, restriction_type='password',"
                      " password='a-visitor-password-3171')\n")
            seconds["private"] = fresh_within(
                dev, PRIVATE, lambda status, body: 'data-testid="page-password"' in body
                and "Previewing drafts safely</h1>" not in body,
                "a page made private with a password")

            dev.shell("from wagtail.models import Site\n"
                      "from cms.core.models import NavigationSettings\n"
                      "site = Site.objects.get(is_default_site=True)\n"
                      "footer = NavigationSettings.for_site(site)\n"
                      "footer.footer_text = 'A footer written by the make dev test.'\n"
                      "footer.save()\n")
            seconds["footer"] = fresh_within(dev, "/", lambda status, body:
                                             "A footer written by the make dev test." in body,
                                             "a footer edit")
        assert "celery@" in dev.output()  # the worker ran on the filesystem broker

        # While it is stopped, the page changes behind every signal's back: nothing the
        # renderer cached before the restart may show after it.
        dev.shell("from wagtail.models import Page\n"
                  f"Page.objects.filter(url_path='/home{ARTICLE}')"
                  ".update(title='Changed while stopped')\n")
        started = len(dev.output())
        with make_dev(dev):
            again = dev.output()[started:]  # `make dev` again keeps the work
            assert "admin user: already exists" in again
            assert "demo content: the site has pages already, left as it is" in again
            assert h1(dev.page(ARTICLE)[1]) == "Changed while stopped"
            dev.page(ARTICLE)
            dev.shell(publish_title(ARTICLE, "Designing for editors, after a restart"))
            seconds["title after a restart"] = fresh_within(
                dev, ARTICLE, lambda status, body: h1(body) ==
                "Designing for editors, after a restart", "a publish after a restart")
    finally:
        shutil.rmtree(clone / "web" / "node_modules", ignore_errors=True)
    assert f"admin  http://localhost:{dev.cms_port}/admin/" in dev.output()
    imported = subprocess.run([sys.executable, "-c", "import cms; print(cms.__file__)"],
                              cwd=tmp_path, capture_output=True, text=True, check=True)
    assert imported.stdout.startswith(str(REPO)), imported.stdout  # the venv is still ours
    print("make dev, fresh in seconds:", {what: round(s, 2) for what, s in seconds.items()})
