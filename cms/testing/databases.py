"""Test databases cloned from one migrated template instead of migrated one by one.

Migrating a database from nothing takes most of a minute; `CREATE DATABASE … TEMPLATE`
copies a migrated one in about a second. So every test database of a run (one per
pytest-xdist worker, the scratch copies' of tests/test_scaffold.py) is a copy of a
template that `manage.py migrate` made once, and Django's own test-database creation
does the copying (`DATABASES[…]["TEST"]["TEMPLATE"]`); its `migrate` then finds nothing
left to apply and only runs the `post_migrate` handlers.

A template is named after the test database and a fingerprint of the migrations on disk
(`test_mortar_tpl_<fingerprint>`), so a changed or added migration gets a new one. It is
made under a PostgreSQL advisory lock (workers starting together wait for the first), from
the template whose migrations are the longest unchanged prefix of today's when there is
one (`migrate` then applies only the new ones, as on a deployed database), and kept
between runs, like `--reuse-db` without its state: each run still starts from what
migrations made. Older templates of the same test database are dropped.

The embedded default's SQLite file gets the same treatment (`migrated_sqlite`) for tests
that need one already migrated; `make setup` itself is tested as users run it.
"""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql

from cms.testing.processes import REPO

TEMPLATE_MARK = "_tpl_"
KEEP_TEMPLATES = 2  # per test database: the newest, and the one a parallel run may still use


def migration_files() -> dict[str, str]:
    """Every migration of the installed apps, as "app.name" -> a hash of its file."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    files = {}
    for (app, name), migration in loader.disk_migrations.items():
        path = sys.modules[migration.__module__].__file__ or ""
        with open(path, "rb") as source:
            files[f"{app}.{name}"] = hashlib.sha1(source.read()).hexdigest()[:12]
    return files


def fingerprint(files: dict[str, str], settings_module: str) -> str:
    """What a template is named after: its migrations and the settings that installed them."""
    digest = hashlib.sha1(settings_module.encode())
    for name in sorted(files):
        digest.update(f"{name}={files[name]}\n".encode())
    return digest.hexdigest()[:12]


def server_url(db: dict[str, Any], name: str = "postgres") -> str:
    """A libpq URL of database `name` on the server of Django's settings dict `db`."""
    return (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}")


@contextmanager
def maintenance(db: dict[str, Any]) -> Iterator[Any]:
    """A cursor on the server's `postgres` database, autocommitting."""
    connection = psycopg2.connect(server_url(db))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def templates(cursor: Any) -> dict[str, dict[str, str]]:
    """Every template database on the server: its name -> its migration files."""
    cursor.execute("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                   "WHERE strpos(datname, %s) > 0", [TEMPLATE_MARK])
    found = {}
    for name, comment in cursor.fetchall():
        try:
            found[name] = json.loads(comment or "")["migrations"]
        except (ValueError, KeyError, TypeError):
            continue  # not ours, or made half-way
    return found


def _base_for(files: dict[str, str], existing: dict[str, dict[str, str]]) -> str | None:
    """The template to start from: the one with the most migrations, all of them today's."""
    usable = [(len(theirs), name) for name, theirs in existing.items()
              if all(files.get(migration) == digest for migration, digest in theirs.items())]
    return max(usable)[1] if usable else None


def _migrate(db: dict[str, Any], name: str, settings_module: str) -> None:
    env = {**os.environ, "DATABASE_URL": server_url(db, name),
           "DJANGO_SETTINGS_MODULE": settings_module, "DATABASE_CONN_MAX_AGE": "0"}
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput",
                             "--verbosity", "0"], cwd=REPO, env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"migrating the test template {name} failed:\n"
                           f"{result.stdout[-3000:]}{result.stderr[-3000:]}")


def ensure_template(db: dict[str, Any], test_name: str, settings_module: str) -> str:
    """The name of a migrated template for the test database `test_name` (made now if
    there is none for today's migrations), on the server of Django's settings dict `db`."""
    files = migration_files()
    name = f"{test_name}{TEMPLATE_MARK}{fingerprint(files, settings_module)}"
    assert len(name) <= 63, f"test database name too long for a template: {test_name}"
    with maintenance(db) as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"mortar-template:{test_name}"])
        try:
            existing = templates(cursor)
            if name not in existing:
                _make(cursor, db, name, files, existing, settings_module)
                _drop_old(cursor, test_name, keep=name)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))",
                           [f"mortar-template:{test_name}"])
    return name


def session_template() -> str:
    """The migrated template of this test session's database (made now if there is none),
    also in a session that has not set up its test database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if template := db.get("TEST", {}).get("TEMPLATE"):
        return template
    return ensure_template(db, f"test_{db['NAME'].removeprefix('test_')}",
                           os.environ["DJANGO_SETTINGS_MODULE"])


def _make(cursor: Any, db: dict[str, Any], name: str, files: dict[str, str],
          existing: dict[str, dict[str, str]], settings_module: str) -> None:
    building = f"{name}_building"
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(building)))
    base = _base_for(files, existing)
    try:
        if base is None:
            raise LookupError(name)
        cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(building), sql.Identifier(base)))
    except (LookupError, psycopg2.Error):  # none, or in use or gone: start from nothing
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    _migrate(db, building, settings_module)
    cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
        sql.Identifier(building), sql.Literal(json.dumps({"migrations": files}))))
    # No connections: a connection to a template makes CREATE DATABASE … TEMPLATE fail.
    cursor.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(
        sql.Identifier(building)))
    cursor.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
        sql.Identifier(building), sql.Identifier(name)))


def _drop_old(cursor: Any, test_name: str, keep: str) -> None:
    prefix = f"{test_name}{TEMPLATE_MARK}"
    cursor.execute("SELECT datname FROM pg_database WHERE left(datname, %s) = %s "
                   "AND datname <> %s ORDER BY oid DESC", [len(prefix), prefix, keep])
    for (old,) in cursor.fetchall()[KEEP_TEMPLATES - 1:]:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(old)))


def migrated_sqlite(target: Path, env: dict[str, str]) -> None:
    """A SQLite database at `target` as `manage.py migrate` leaves it under `env` (the
    embedded default's, cms.testing.processes.embedded_env): a copy of one migrated once
    per migration fingerprint and kept in .local/test-templates."""
    key = fingerprint(migration_files(), env.get("DJANGO_SETTINGS_MODULE", "cms.settings"))
    folder = REPO / ".local" / "test-templates"
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / f"sqlite-{key}.sqlite3"
    with (folder / "sqlite.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = folder / f"building-{os.getpid()}.sqlite3"
            building.unlink(missing_ok=True)
            result = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
                cwd=REPO, env={**env, "DATABASE_URL": f"sqlite:///{building}"},
                capture_output=True, text=True, check=False)
            if result.returncode:
                raise RuntimeError(f"migrating the SQLite template failed:\n"
                                   f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
            for old in folder.glob("sqlite-*.sqlite3"):
                old.unlink()
            building.rename(template)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
