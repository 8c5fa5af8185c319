"""The scaffolding commands (`startblock`, `startpage`, `startsite`), each run in a scratch
copy of this checkout (its files as they are now, committed to a new git repository so
that `git status` shows exactly what a command wrote), with this checkout's Python and
`web/node_modules` (a symlink: enough for tsc, eslint and vitest, not for `next build`).

What they write must pass, unchanged, what `make test` runs on it: ruff, the migrations
and generated-files checks, `npm run typecheck`, `npm run lint`, and the tests they write
(pytest, vitest). A refused command writes nothing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from cms.testing.processes import REPO

TIMEOUT = 900


def copy_checkout(target: Path) -> Path:
    """This checkout's files (tracked and new, not ignored) in `target`, committed."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "web" / "node_modules").symlink_to(REPO / "web" / "node_modules")
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


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own for the scratch copy (and the `test_` one its pytest makes),
    dropped afterwards: `DATABASE_URL`."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME'].removeprefix('test_')}_scaffold"
    server = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
              f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}")

    def recreate(*names: str, create: bool) -> None:
        connection = psycopg2.connect(f"{server}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            for each in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
            if create:
                cursor.execute(f'CREATE DATABASE "{names[0]}"')
        connection.close()

    recreate(name, f"test_{name}", create=True)
    yield f"{server}/{name}"
    recreate(name, f"test_{name}", create=False)


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
    """ruff, no missing migration, the generated files up to date, tsc, eslint, and the
    given test files, all green."""
    ok(run(repo, str(Path(sys.executable).parent / "ruff"), "check", ".", env=env))
    for settings_module in ("cms.settings", "cms.testing.settings"):
        ok(manage(repo, "makemigrations", "--check", "--dry-run",
                  env={**env, "DJANGO_SETTINGS_MODULE": settings_module}))
    ok(manage(repo, "export_schema", "--check", env=env))
    web = repo / "web"
    for script in ("types:check", "typecheck", "lint"):
        ok(run(web, "npm", "run", "--silent", script, env=env))
    ok(run(web, "npx", "vitest", "run", *vitest_files, env=env))
    ok(run(repo, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--create-db", *pytest_files,
           env={key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}))


REFUSALS = [
    (["startsite", "Docs", "--hostname", "docs.localhost"],
     "site name 'Docs' is not a lower-case Python identifier (letters, digits and _, "
     "starting with a letter: docs)"),
    (["startsite", "class", "--hostname", "docs.localhost"],
     "site name 'class' is not a lower-case Python identifier (letters, digits and _, "
     "starting with a letter: docs)"),
    (["startsite", "example", "--hostname", "docs.localhost"], "sites/example exists already"),
    (["startsite", "docs", "--hostname", "docs_site!"],
     "--hostname 'docs_site!' is not a hostname (docs.example.com)"),
    (["startpage", "nosuch", "FaqPage"],
     "unknown site 'nosuch': installed sites are example (MORTAR_SITES)"),
    (["startpage", "example", "faq_page"],
     "page type 'faq_page' is not a CamelCase Python class name (letters and digits, "
     "starting with a capital: FaqPage)"),
    (["startpage", "example", "ContentPage"], "a page type named ContentPage exists already"),
    # The platform's test-only page types share the one namespace of page type names.
    (["startpage", "example", "SampleHomePage"],
     "a page type named SampleHomePage exists already"),
    (["startblock", "9Lives"],
     "block '9Lives' is not a CamelCase Python class name (letters and digits, starting "
     "with a capital: Pullquote)"),
    (["startblock", "Quote"], "the body stream has a block 'quote' already"),
]


def test_a_refused_name_is_one_line_and_nothing_written(tmp_path):
    repo = copy_checkout(tmp_path)
    env = scratch_env(repo)
    for args, line in REFUSALS:
        result = manage(repo, *args, env=env)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [f"CommandError: {line}"], args
    assert changes(repo) == []


def test_startblock_and_startpage_output_passes_lint_types_and_its_tests(tmp_path, database):
    repo = copy_checkout(tmp_path)
    env = scratch_env(repo, database)
    ok(manage(repo, "startblock", "Pullquote", env=env))
    ok(manage(repo, "startpage", "example", "FaqPage", env=env))

    written = {line[3:] for line in changes(repo)}
    assert {
        "cms/blocks/pullquote.py", "cms/blocks/tests/test_pullquote.py", "cms/blocks/stream.py",
        "web/components/blocks/Pullquote.tsx", "web/components/blocks/column-stream.tsx",
        "web/tests/blocks/Pullquote.test.tsx", "web/lib/types.ts",
        "sites/example/models.py", "sites/example/tests/test_faq_page.py",
        "web/sites/example/FaqPage.tsx", "web/sites/example/registry.ts",
        "web/sites/example/tests/FaqPage.test.tsx",
        "web/lib/openapi.json", "web/lib/api.generated.ts",
    } <= written
    # The page type's migration, numbered after the block's (which alters every body).
    assert [name for name in written if re.fullmatch(
        r"sites/example/migrations/[0-9]{4}_faqpage\.py", name)], written
    schema = json.loads((repo / "web" / "lib" / "openapi.json").read_text())
    assert "PullquoteBlockValue" in schema["components"]["schemas"]
    assert "FaqPage" in schema["components"]["schemas"]

    passes_make_test_checks(
        repo, env,
        pytest_files=["cms/blocks/tests/test_pullquote.py", "sites/example/tests/test_faq_page.py"],
        vitest_files=["tests/blocks/Pullquote.test.tsx", "sites/example/tests/FaqPage.test.tsx"])


BY_PATH = """
import json
from django.test import Client
answers = {}
asked = (("docs.localhost", "/"), ("localhost:8000", "/"), ("docs.localhost", "/welcome/"))
for host, path in asked:
    response = Client().get("/api/v2/pages/by-path/", {"html_path": path}, HTTP_HOST=host)
    answers[host + path] = [response.status_code, response.json()]
print(json.dumps(answers))
"""


def test_startsite_makes_a_second_site_that_answers_by_its_hostname(tmp_path, database):
    repo = copy_checkout(tmp_path)
    env = scratch_env(repo, database)
    ok(manage(repo, "migrate", "--noinput", "--verbosity", "0", env=env))
    # The example site on localhost:8000, its home page with a child page.
    ok(manage(repo, "createsite", "example", "--hostname", "localhost", "--port", "8000",
              env=env))
    ok(manage(repo, "shell", "-c", (
        "from sites.example.models import ContentPage, HomePage\n"
        "page = HomePage.objects.get().add_child(instance=ContentPage(title='Welcome', "
        "slug='welcome', live=False))\n"
        "page.save_revision().publish()"), env=env))

    ok(manage(repo, "startsite", "docs", "--hostname", "docs.localhost", env=env))

    written = {line[3:] for line in changes(repo)}
    assert {"sites/docs/apps.py", "sites/docs/models.py", "sites/docs/migrations/0001_initial.py",
            "sites/docs/management/commands/seed_docs.py", "sites/docs/tests/test_pages.py",
            "web/sites/docs/registry.ts", "web/sites/docs/DocsHomePage.tsx",
            "web/sites/docs/tests/registry.test.tsx", "web/sites/index.ts"} <= written
    assert (repo / "web" / "sites" / "index.ts").read_text().endswith(
        'export { pageTypes as docs } from "@/sites/docs/registry";\n')

    answers = json.loads(ok(manage(repo, "shell", "-c", BY_PATH, env=env)).splitlines()[-1])
    status, docs = answers["docs.localhost/"]
    assert status == 200 and docs["meta"]["type"] == "docs.DocsHomePage"
    assert docs["title"] == "Docs"
    status, example = answers["localhost:8000/"]
    assert status == 200 and example["meta"]["type"] == "example.HomePage"
    # The example's page is not served on the docs hostname.
    assert answers["docs.localhost/welcome/"][0] == 404

    # The Site's address is taken now: refused, nothing written.
    before = changes(repo)
    result = manage(repo, "startsite", "manual", "--hostname", "docs.localhost", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "CommandError: a Site answers on docs.localhost:80 already"]
    assert changes(repo) == before
    assert not (repo / "sites" / "manual").exists()

    passes_make_test_checks(repo, env, pytest_files=["sites/docs/tests"],
                            vitest_files=["sites/docs/tests"])
