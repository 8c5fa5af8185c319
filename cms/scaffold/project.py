"""What the scaffolding commands share: names, the files of the project they write, and
the `manage.py` and `npm` runs that follow (migrations, the Site, the generated types).

Every command checks everything first and raises `CommandError` (one line, exit 1)
before writing anything; then `Plan.apply` writes all its files or none.
"""

import ast
import keyword
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from wagtail.models import Page

REPO = Path(settings.BASE_DIR)
SKELETONS = Path(__file__).resolve().parent / "skeletons"
SITES_DIR = REPO / settings.SITES_PACKAGE
WEB = REPO / "web"
WEB_SITES = WEB / "sites"
# The page types of the platform's own tests (installed by cms.testing.settings only:
# cms/testing/pages, the scratch site cms/testing/venues): a site's page type of the same
# name would clash with them under `pytest`.
TEST_PAGE_MODELS = sorted((REPO / "cms" / "testing").glob("*/models.py"))

CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SITE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                      r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")
# A site's name is also the name of its registry's export in web/sites/index.ts.
JS_RESERVED = {"break", "case", "catch", "class", "const", "continue", "debugger", "default",
               "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
               "function", "if", "implements", "import", "in", "instanceof", "interface",
               "let", "new", "null", "package", "private", "protected", "public", "return",
               "static", "super", "switch", "this", "throw", "true", "try", "typeof", "var",
               "void", "while", "with", "yield", "await", "arguments", "eval"}


def rel(path: Path) -> str:
    return str(path.relative_to(REPO))


# Names ---------------------------------------------------------------------------------

def class_name(name: str, what: str, example: str) -> str:
    """`name` if it is a CamelCase Python identifier, else CommandError naming `what`."""
    if not (CLASS_NAME.fullmatch(name) and any(c.islower() for c in name)
            and not keyword.iskeyword(name)):
        raise CommandError(f"{what} {name!r} is not a CamelCase Python class name "
                           f"(letters and digits, starting with a capital: {example})")
    return name


def site_name(name: str) -> str:
    """`name` if it can be a site (a Python package, an app label, a JS export name)."""
    if not SITE_NAME.fullmatch(name) or keyword.iskeyword(name) or name in JS_RESERVED:
        raise CommandError(f"site name {name!r} is not a lower-case Python identifier "
                           "(letters, digits and _, starting with a letter: docs)")
    from django.core.management import get_commands

    if f"seed_{name}" in get_commands():
        # The new site's demo content command would shadow the one already there.
        raise CommandError(f"site name {name!r} is taken: manage.py seed_{name} exists")
    return name


def snake(name: str) -> str:
    """"FaqPage" -> "faq_page"; "HTMLBlock" -> "html_block"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def words(name: str) -> str:
    """"FaqPage" -> "Faq page": a verbose name, as Django would write it."""
    return snake(name).replace("_", " ").capitalize()


def camel(name: str) -> str:
    """"my_site" -> "MySite"."""
    return "".join(part.capitalize() for part in name.split("_"))


def page_model_names() -> set[str]:
    """Lower-cased names of every page type, installed or test-only: Django refuses two
    page types of one name in different apps (both would be `Page.<name>`)."""
    names = {model._meta.model_name for model in apps.get_models() if issubclass(model, Page)}
    for models_file in TEST_PAGE_MODELS:
        tree = ast.parse(models_file.read_text())
        names |= {node.name.lower() for node in tree.body if isinstance(node, ast.ClassDef)}
    return names


def site_home_model(label: str) -> type[Page]:
    """The installed site `label`'s home page type: its one page type allowed at the root."""
    homes = [model for model in apps.get_app_config(label).get_models()
             if issubclass(model, Page) and Page in model.allowed_parent_page_models()]
    if len(homes) != 1:
        raise CommandError(f"site {label!r} has {len(homes)} page types allowed at the root "
                           "(parent_page_types = ['wagtailcore.Page']), not one home page type")
    return homes[0]


def installed_site(label: str) -> None:
    """CommandError unless `label` is an installed site (an app `sites/<label>/`)."""
    try:
        config = apps.get_app_config(label)
    except LookupError:
        config = None
    if config is None or config.name != f"{settings.SITES_PACKAGE}.{label}":
        raise CommandError(f"unknown site {label!r}: installed sites are "
                           f"{', '.join(settings.MORTAR_SITES) or 'none'} (MORTAR_SITES)")


# Files -------------------------------------------------------------------------------

def render(skeleton: str, **values: str) -> str:
    """The skeleton file `skeletons/<skeleton>` with `${name}`s filled in."""
    return Template((SKELETONS / skeleton).read_text()).substitute(values)


@dataclass
class Plan:
    """Files to create (must not exist) and files to rewrite (must exist), written only
    once every check passed, all or none."""

    creates: dict[Path, str] = field(default_factory=dict)
    edits: dict[Path, str] = field(default_factory=dict)
    # What `apply` did, for `undo`.
    written: list[Path] = field(default_factory=list)
    originals: dict[Path, str] = field(default_factory=dict)
    made_dirs: list[Path] = field(default_factory=list)

    def create(self, path: Path, text: str) -> None:
        if path.exists():
            raise CommandError(f"{rel(path)} exists already")
        self.creates[path] = text

    def edit(self, path: Path, change: Callable[[str], str]) -> None:
        self.edits[path] = change(self.edits.get(path) or path.read_text())

    def apply(self) -> list[Path]:
        """Write everything; on an error, remove what was created and restore what was
        rewritten, then raise CommandError. Returns the paths written."""
        self.originals = {path: path.read_text() for path in self.edits}
        made_dirs, written = self.made_dirs, self.written
        try:
            for path, text in {**self.creates, **self.edits}.items():
                missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
                for folder in reversed(missing):
                    folder.mkdir()
                    made_dirs.append(folder)
                temporary = path.with_name(f".{path.name}.scaffold")
                temporary.write_text(text)
                os.replace(temporary, path)
                written.append(path)
        except OSError as error:
            self.undo()
            raise CommandError(f"could not write {error.filename}: {error.strerror}") from error
        return written

    def write_and_migrate(self, write: Callable[[str], None], *makemigrations: str,
                          env: dict[str, str] | None = None) -> None:
        """`apply`, sort the imports, `manage.py makemigrations <makemigrations>` in `env`
        (all undone if it fails), name what was written, then `regenerate_types`."""
        written = self.apply()
        tidy(written)
        try:
            manage("makemigrations", *makemigrations, "--verbosity", "0", env=env)
        except CommandError:
            self.undo()
            raise
        for path in written:
            write(f"wrote {rel(path)}")
        regenerate_types(write)

    def undo(self) -> None:
        """Put the files back as they were before `apply` (also what later steps added in
        the folders it made, such as a migration)."""
        for path in self.written:
            if path in self.originals:
                path.write_text(self.originals[path])
            else:
                path.unlink(missing_ok=True)
        for folder in reversed(self.made_dirs):
            shutil.rmtree(folder, ignore_errors=True)


def insert_before_closing(text: str, opening: str, line: str, where: str) -> str:
    """`line` added as the last entry of the object literal that starts on the line
    beginning with `opening` and ends at the next line `};`."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, row in enumerate(lines) if row.startswith(opening)), None)
    end = next((i for i in range(start, len(lines)) if lines[i].rstrip() == "};"), None) \
        if start is not None else None
    if end is None:
        raise CommandError(f"{where}: no `{opening} ... }};` to add the entry to")
    lines.insert(end, line + "\n")
    return "".join(lines)


def insert_after_last(text: str, pattern: str, line: str, where: str,
                      within: str | None = None) -> str:
    """`line` added after the last line matching the regex `pattern` (with `within`, in the
    top-level block that starts with that line only)."""
    lines = text.splitlines(keepends=True)
    start, end = 0, len(lines)
    if within is not None:
        start = next((i for i, row in enumerate(lines) if row.startswith(within)), end)
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].strip() and not lines[i][0].isspace()), end)
    found = [i for i in range(start, end) if re.match(pattern, lines[i])]
    if not found:
        raise CommandError(f"{where}: no line like {pattern!r} to add {line.strip()!r} after")
    lines.insert(found[-1] + 1, line + "\n")
    return "".join(lines)


def insert_in_order(text: str, pattern: str, line: str, where: str) -> str:
    """`line` added among the lines matching the regex `pattern`, before the first that
    sorts after it (an import among imports), else after the last."""
    lines = text.splitlines(keepends=True)
    found = [i for i, row in enumerate(lines) if re.match(pattern, row)]
    if not found:
        raise CommandError(f"{where}: no line like {pattern!r} to add {line.strip()!r} to")
    position = next((i for i in found if lines[i].rstrip("\n") > line), found[-1] + 1)
    lines.insert(position, line + "\n")
    return "".join(lines)


def add_python_imports(text: str, imports: dict[str, str]) -> str:
    """`from <module> import <name>` for each name the module does not bind at its top
    level yet, after its last top-level import (`ruff --fix` sorts them: `tidy`)."""
    tree = ast.parse(text)
    bound = {alias.asname or alias.name for node in tree.body
             if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    missing = [f"from {module} import {name}" for name, module in imports.items()
               if name not in bound]
    if not missing:
        return text
    last = max(node.end_lineno or node.lineno for node in tree.body
               if isinstance(node, ast.Import | ast.ImportFrom))
    lines = text.splitlines(keepends=True)
    lines[last:last] = [row + "\n" for row in missing]
    return "".join(lines)


def tidy(paths: list[Path]) -> None:
    """Sort the imports of the Python files written, as `ruff check` wants them (when ruff
    is installed: it is a test dependency)."""
    ruff = Path(sys.executable).parent / "ruff"
    python = [str(path) for path in paths if path.suffix == ".py"]
    if ruff.exists() and python:
        subprocess.run([str(ruff), "check", "--quiet", "--select", "I", "--fix", *python],
                       cwd=REPO, check=False)


# Runs ---------------------------------------------------------------------------------

def environment(new_site: str | None = None) -> dict[str, str]:
    """This process's environment for a `manage.py` run; with `new_site`, that site added
    to an explicit MORTAR_SITES (unset, the sites are found under sites/ anyway)."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    if new_site and env.get("MORTAR_SITES") is not None:
        listed = [name.strip() for name in env["MORTAR_SITES"].split(",") if name.strip()]
        env["MORTAR_SITES"] = ",".join([*listed, new_site] if new_site not in listed else listed)
    return env


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    """`manage.py <args>` in a new process (it sees the apps just written); CommandError
    naming the step if it fails (its own message is on stderr above)."""
    result = subprocess.run([sys.executable, str(REPO / "manage.py"), *args], cwd=REPO,
                            env=env or environment(), check=False)
    if result.returncode:
        raise CommandError(f"`manage.py {' '.join(args)}` failed (exit {result.returncode})")


def regenerate_types(write: Callable[[str], None], env: dict[str, str] | None = None) -> None:
    """`make types`: the OpenAPI document from the models, then the renderer's TypeScript
    types from it; skipped, with a note, without web/node_modules."""
    if not (WEB / "node_modules").is_dir():
        write("web/node_modules is missing: run `make install` then `make types`")
        return
    manage("export_schema", env=env)
    result = subprocess.run(["npm", "run", "--silent", "types"], cwd=WEB, check=False,
                            env=env or environment())
    if result.returncode:
        raise CommandError(f"`npm run types` in web/ failed (exit {result.returncode})")
