"""Run the whole development stack from one terminal.

Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closing) all stop every part: each
part runs in its own process group, which is sent SIGTERM, then SIGKILL if anything
in it is still there after STOP_GRACE seconds.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_GRACE = 8.0


class Stopped(Exception):
    """A stop signal arrived."""


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def stack_env(cms_port: int, web_port: int) -> dict[str, str]:
    """Every address that follows from the two ports: the CMS's view of the renderer
    (preview, revalidation, "view live") and the renderer's view of the CMS."""
    cms, web = f"http://localhost:{cms_port}", f"http://localhost:{web_port}"
    return {"WAGTAILADMIN_BASE_URL": cms, "FRONTEND_URL": web,
            "CMS_API_URL": f"http://127.0.0.1:{cms_port}", "NEXT_PUBLIC_SITE_URL": web}


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_groups(processes: dict[str, subprocess.Popen], grace: float = STOP_GRACE) -> None:
    """SIGTERM to each part's whole process group, SIGKILL to what is left after `grace` s."""
    for process in processes.values():
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for process in processes.values():
            process.poll()  # reap the leader, or its zombie keeps the group alive
        if not any(_group_alive(process.pid) for process in processes.values()):
            return
        time.sleep(0.1)
    for process in processes.values():
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **stack_env(cms_port, web_port)}
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
            self.stdout.write(self.style.SUCCESS(self.banner(cms_port, web_port,
                                                             "web" in processes)))
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped; stopping the rest")
        except Stopped as stop:
            self.stderr.write(f"{stop}: stopping every part")
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            stop_groups(processes)

    def banner(self, cms_port: int, web_port: int, with_web: bool) -> str:
        admin = (get_user_model().objects.filter(is_superuser=True).order_by("pk")
                 .values_list(get_user_model().USERNAME_FIELD, flat=True).first())
        login = (f"  log in as '{admin}' with the password `make setup` printed when it made "
                 f"the user; forgot it?\n"
                 f"    {os.path.relpath(sys.executable, settings.BASE_DIR)} "
                 f"manage.py changepassword {admin}\n") if admin else (
            "  no admin user yet: run `make setup` (or manage.py ensure_admin)\n")
        return ("\nMortar is running:\n"
                + (f"  site   http://localhost:{web_port}/\n" if with_web else "")
                + f"  admin  http://localhost:{cms_port}/admin/\n"
                + login
                + f"  API    http://localhost:{cms_port}/api/v2/pages/by-path/?html_path=/\n"
                + "Ctrl-C stops everything.\n")
