"""Run the whole development stack from one terminal; Ctrl-C stops every part."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the CMS, the Celery worker and beat, and the Next.js renderer together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cms-port", type=int, default=8000)
        parser.add_argument("--web-port", type=int, default=3000)
        parser.add_argument("--no-web", action="store_true", help="do not start the renderer")

    def handle(self, *args: Any, cms_port: int, web_port: int, no_web: bool,
               **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        python = sys.executable
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
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
            env.setdefault("CMS_API_URL", f"http://127.0.0.1:{cms_port}")
            env.setdefault("NEXT_PUBLIC_SITE_URL", f"http://localhost:{web_port}")
        Path(settings.CELERY_BROKER_DIR, "control").mkdir(parents=True, exist_ok=True)

        processes = {name: subprocess.Popen(cmd, cwd=base, env=env, start_new_session=True)
                     for name, cmd in parts.items()}
        self.stdout.write(self.style.SUCCESS(
            f"\nMortar is running:\n"
            f"  admin  http://localhost:{cms_port}/admin/\n"
            f"  API    http://localhost:{cms_port}/api/v2/pages/by-path/?html_path=/\n"
            + (f"  site   http://localhost:{web_port}/\n" if "web" in processes else "")
            + "Ctrl-C stops everything.\n"))
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped; stopping the rest")
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
