"""Run the whole development stack from one terminal.

Every part gets the same REVALIDATE_SECRET (the CMS's setting: the environment's, else
its development default), so the renderer identifies itself to the CMS and takes its
revalidations. Once the renderer answers, one line per renderer says whether it can be
told of changes, and why not.

Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closing) all stop every part: each
part runs in its own process group, which is sent SIGTERM (the Celery worker's main
process only: LEADER_STOPS), then SIGKILL if anything in it is still there after
STOP_GRACE seconds.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_GRACE = 8.0
# Parts whose main process stops the processes it started itself, and must be let to.
# Celery's worker takes its prefork pool down on SIGTERM (its documented way to stop); a
# SIGTERM to the whole group also killed the pool's processes mid-shutdown, and the main
# process then waited on a lock they held (billiard's `_help_stuff_finish`) until SIGKILL:
# every Ctrl-C of `make dev` took STOP_GRACE seconds. The others' groups are told at once:
# runserver's autoreloader parent, for one, dies on SIGTERM and leaves its server running.
LEADER_STOPS = frozenset({"worker"})


class Stopped(Exception):
    """A stop signal arrived."""


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    # One stop is enough: a process manager's SIGTERM to `make dev`'s group reaches us again
    # through make (which passes SIGTERM on), and a second Stopped raised while the first is
    # handled ended the run in a traceback.
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    raise Stopped(signal.Signals(signum).name)


def stack_env(cms_port: int, web_port: int) -> dict[str, str]:
    """Every address that follows from the two ports: the CMS's view of the renderer
    (preview, revalidation, "view live") and the renderer's view of the CMS; and the one
    secret they share."""
    cms, web = f"http://localhost:{cms_port}", f"http://localhost:{web_port}"
    return {"WAGTAILADMIN_BASE_URL": cms, "FRONTEND_URL": web,
            "CMS_API_URL": f"http://127.0.0.1:{cms_port}", "NEXT_PUBLIC_SITE_URL": web,
            "REVALIDATE_SECRET": settings.REVALIDATE_SECRET}


# How long the first answer of `next dev` may take: it compiles the route it is asked for.
RENDERER_START_SECONDS = 180


def renderer_lines(wait_for: str | None, alive: Callable[[], bool]) -> list[str]:
    """One line per renderer of the stack's Sites: told of every change, or why not.
    `wait_for`: a renderer URL to wait for first (the one this stack starts), as long as
    `alive()`."""
    from wagtail.models import Site

    from cms.core.renderers import renderer_urls
    from cms.publishing.delivery import probe, probe_all

    deadline = time.monotonic() + RENDERER_START_SECONDS
    while wait_for and alive() and time.monotonic() < deadline:
        if not (probe(wait_for, timeout=60) or "").startswith("cannot be reached"):
            break
        time.sleep(0.5)
    urls = set(renderer_urls(Site.objects.values_list("pk", flat=True)).values())
    return [f"renderer {url} is told of every change (it takes REVALIDATE_SECRET)"
            if error is None else f"renderer {url} cannot be told of changes: it {error}"
            for url, error in probe_all(urls or {settings.FRONTEND_URL}, timeout=10).items()]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_groups(processes: dict[str, subprocess.Popen], grace: float = STOP_GRACE) -> list[str]:
    """SIGTERM to each part's whole process group (to the main process of LEADER_STOPS'
    parts), SIGKILL to what is left of every group after `grace` s.

    Returns the names of the parts that had to be killed (empty when all stopped)."""
    for name, process in processes.items():
        if name in LEADER_STOPS and process.poll() is None:
            process.send_signal(signal.SIGTERM)
        elif _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for process in processes.values():
            process.poll()  # reap the leader, or its zombie keeps the group alive
        if not any(_group_alive(process.pid) for process in processes.values()):
            return []
        time.sleep(0.1)
    killed = []
    for name, process in processes.items():
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            killed.append(name)
        process.wait()
    return killed


class Command(BaseCommand):
    help = ("Run the CMS, the Celery worker and beat, and the Next.js renderer together; "
            "Ctrl-C, SIGTERM or SIGHUP stops them all.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cms-port", type=int, default=8000)
        parser.add_argument("--web-port", type=int, default=3000)
        parser.add_argument("--no-web", action="store_true", help="do not start the renderer")

    def handle(self, *args: Any, cms_port: int, web_port: int, no_web: bool,
               **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        python = sys.executable
        # The ports decide these, over any value in the environment or .env (which
        # Django reads only for names the environment does not set).
        addresses = stack_env(cms_port, web_port)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **addresses}
        settings.FRONTEND_URL = addresses["FRONTEND_URL"]  # this process's view, for the lines
        parts: dict[str, list[str]] = {
            "cms": [python, "manage.py", "runserver", f"127.0.0.1:{cms_port}"],
            "worker": [python, "-m", "celery", "-A", "cms", "worker", "--loglevel", "INFO",
                       "--concurrency", "2"],
            "beat": [python, "-m", "celery", "-A", "cms", "beat", "--loglevel", "INFO",
                     "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
        }
        web = base / "web"
        if not no_web and (web / "package.json").is_file() and shutil.which("npm"):
            parts["web"] = ["npm", "--prefix", str(web), "run", "dev", "--", "--port",
                            str(web_port)]
        Path(settings.CELERY_BROKER_DIR, "control").mkdir(parents=True, exist_ok=True)

        for signum in STOP_SIGNALS:
            signal.signal(signum, _stop_on_signal)
        processes: dict[str, subprocess.Popen] = {}
        try:
            for name, cmd in parts.items():
                # Own process group: the terminal's signals reach us only, and we stop
                # each part with everything it started (next dev's server, celery's pool).
                processes[name] = subprocess.Popen(cmd, cwd=base, env=env,
                                                   start_new_session=True)
            banner = self.banner(cms_port, web_port, "web" in processes)
            self.stdout.write(self.style.SUCCESS(banner))
            threading.Thread(target=self.announce_renderers, daemon=True, args=(
                addresses["FRONTEND_URL"] if "web" in processes else None,
                lambda: all(p.poll() is None for p in processes.values()), banner)).start()
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped; stopping the rest")
        except Stopped as stop:
            self.stderr.write(f"{stop}: stopping every part")
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            killed = stop_groups(processes)
            if killed:
                self.stderr.write(f"killed {', '.join(killed)}: still running {STOP_GRACE:.0f}s "
                                  f"after SIGTERM")

    def announce_renderers(self, wait_for: str | None, alive: Callable[[], bool],
                           banner: str) -> None:
        """The banner again and the renderers' lines (`renderer_lines`), once the stack's
        renderer answers: the addresses printed at the start have scrolled away under the
        parts' start-up output by the time the site can be used."""
        try:
            lines = renderer_lines(wait_for, alive)
        except Exception as exc:  # never take the stack down for a line of output
            lines = [f"renderers: could not be asked ({type(exc).__name__}: {exc})"]
        finally:
            from django.db import connection

            connection.close()  # this thread's own
        self.stdout.write(self.style.SUCCESS(banner))
        for line in lines:
            told = " is told of every change" in line
            self.stdout.write(self.style.SUCCESS(line) if told else self.style.ERROR(line))

    def banner(self, cms_port: int, web_port: int, with_web: bool) -> str:
        admin = (get_user_model().objects.filter(is_superuser=True).order_by("pk")
                 .values_list(get_user_model().USERNAME_FIELD, flat=True).first())
        login = (f"  log in as '{admin}' with the password printed when the user was made "
                 f"(by `make setup`, which `make dev` runs); forgot it?\n"
                 f"    {os.path.relpath(sys.executable, settings.BASE_DIR)} "
                 f"manage.py changepassword {admin}\n") if admin else (
            "  no admin user yet: run `make setup` (or manage.py ensure_admin)\n")
        return ("\nMortar is running:\n"
                + (f"  site   http://localhost:{web_port}/\n" if with_web else "")
                + f"  admin  http://localhost:{cms_port}/admin/\n"
                + login
                + f"  API    http://localhost:{cms_port}/api/v2/pages/by-path/?html_path=/\n"
                + "Ctrl-C stops everything.\n")
