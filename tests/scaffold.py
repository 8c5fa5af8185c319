"""Scratch copies of this checkout for the scaffolding tests (tests/test_scaffold*.py):
its files as they are now, committed to a new git repository so that `git status` shows
exactly what a command wrote, with this checkout's Python and `web/node_modules` (a symlink:
enough for tsc, eslint and vitest; hard links, real files, where the copy is built with
`next build`), a database of its own cloned from the run's migrated template, and the
checks `make test` runs on what a command wrote.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from django.conf import settings

from cms.testing.databases import session_template
from cms.testing.processes import REPO

TIMEOUT = 900


def copy_checkout(target: Path, buildable: bool = False) -> Path:
    """This checkout's files (tracked and new, not ignored) in `target`, committed.

    `buildable`: web/node_modules as hard links of this checkout's (real files, which
    Turbopack's `next build` needs; seconds, no space), not a symlink. Same file system."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    modules = target / "web" / "node_modules"
    if buildable:
        subprocess.run(["cp", "-al", str(REPO / "web" / "node_modules"), str(modules)],
                       check=True)
    else:
        modules.symlink_to(REPO / "web" / "node_modules")
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "scratch copy")
    return target


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@localhost",
                           *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def changes(repo: Path) -> list[str]:
    """`git status --porcelain`, untracked files one by one."""
    return git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()


def run(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, (result.args, result.stdout[-3000:], result.stderr[-3000:])
    return result.stdout


@contextmanager
def scratch_database(suffix: str) -> Iterator[str]:
    """A database of its own for a scratch copy, named after the session's plus
    `_<suffix>`, made from the run's migrated template (what `migrate` makes, so a
    command's `migrate` applies only what it adds), dropped afterwards with the `test_`
    ones its pytest makes (and their template): `DATABASE_URL`."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME'].removeprefix('test_')}_{suffix}"
    server = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
              f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}")

    def recreate(create: bool) -> None:
        connection = psycopg2.connect(f"{server}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname = %s OR "
                           "left(datname, %s) = %s", [name, len(name) + 6, f"test_{name}_"])
            for (each,) in [*cursor.fetchall(), (f"test_{name}",)]:
                cursor.execute(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
            if create:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{session_template()}"')
        connection.close()

    recreate(create=True)
    try:
        yield f"{server}/{name}"
    finally:
        recreate(create=False)


def scratch_env(repo: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of the scratch copy's commands; no `database_url`: the embedded
    default (SQLite in its .local/)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("MORTAR_SITES", "DATABASE_URL")}
    if database_url:
        env["DATABASE_URL"] = database_url
    return {**env, "DJANGO_SETTINGS_MODULE": "cms.settings",
            "MEDIA_ROOT": str(repo / ".local" / "test-media"), "NEXT_TELEMETRY_DISABLED": "1"}


def manage(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(repo, sys.executable, "manage.py", *args, env=env)


def passes_make_test_checks(repo: Path, env: dict[str, str], pytest_files: list[str],
                            vitest_files: list[str]) -> None:
    """ruff and eslint on the files written, no missing migration, the generated files up
    to date, tsc, and the given test files, all green."""
    written = [line[3:] for line in changes(repo)]
    python = [name for name in written if name.endswith(".py")]
    web = repo / "web"
    scripts = [name.removeprefix("web/") for name in written
               if name.startswith("web/") and name.endswith((".ts", ".tsx", ".mjs"))]
    assert python and scripts, written
    ok(run(repo, str(Path(sys.executable).parent / "ruff"), "check", "--force-exclude", *python,
           env=env))
    for settings_module in ("cms.settings", "cms.testing.settings"):
        ok(manage(repo, "makemigrations", "--check", "--dry-run",
                  env={**env, "DJANGO_SETTINGS_MODULE": settings_module}))
    ok(manage(repo, "export_schema", "--check", env=env))
    for script in ("types:check", "typecheck"):
        ok(run(web, "npm", "run", "--silent", script, env=env))
    ok(run(web, "npx", "eslint", "--max-warnings", "0", *scripts, env=env))
    ok(run(web, "npx", "vitest", "run", *vitest_files, env=env))
    ok(run(repo, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--create-db", *pytest_files,
           env={key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}))


