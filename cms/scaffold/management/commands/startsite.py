from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Page, Site

from cms.scaffold import project
from cms.scaffold.project import SITES_DIR, WEB_SITES, Plan


class Command(BaseCommand):
    help = ("Start a website: sites/NAME/ (app, home page type, migration, demo content "
            "command, tests), web/sites/NAME/ (registry, home layout, test) and its line in "
            "web/sites/index.ts; then migrate, create its Wagtail Site (HOST, port) with its "
            "home page, and regenerate the types.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the site's name: a lower-case identifier (docs)")
        parser.add_argument("--hostname", required=True, help="the Site's hostname")
        parser.add_argument("--port", type=int, default=80, help="the Site's port (80)")

    def handle(self, *args: Any, name: str, hostname: str, port: int, **options: Any) -> None:
        name = project.site_name(name)
        home = f"{project.camel(name)}HomePage"
        check_new_site(name, home)
        hostname = site_address(hostname, port)
        check_free(name, hostname, port)
        values = {"name": name, "camel": project.camel(name), "home": home,
                  "title": name.replace("_", " ").capitalize()}

        plan = Plan()
        for source, target in (("site/py", SITES_DIR / name), ("site/web", WEB_SITES / name)):
            for skeleton in sorted((project.SKELETONS / source).rglob("*.tmpl")):
                relative = skeleton.relative_to(project.SKELETONS / source).as_posix()
                relative = (relative.removesuffix(".tmpl").replace("NAME", name)
                            .replace("HOME", home))
                plan.create(target / relative,
                            project.render(skeleton.relative_to(project.SKELETONS).as_posix(),
                                           **values))
        plan.edit(WEB_SITES / "index.ts", lambda text: text + (
            f'export {{ pageTypes as {name} }} from "@/sites/{name}/registry";\n'))
        plan.apply()
        self.stdout.write(f"wrote sites/{name}/ and web/sites/{name}/; web/sites/index.ts")

        env = project.environment(new_site=name)
        try:
            project.manage("makemigrations", name, "--verbosity", "0", env=env)
        except CommandError:
            plan.undo()
            raise
        project.manage("migrate", "--noinput", "--verbosity", "0", env=env)
        project.manage("createsite", name, "--hostname", hostname, "--port", str(port), env=env)
        project.regenerate_types(self.stdout.write, env=env)
        if "MORTAR_SITES" in env:
            self.stdout.write(f"MORTAR_SITES is set: add {name} to it where it is set "
                              f"(now {env['MORTAR_SITES']!r} for the commands run here)")
        self.stdout.write(f"{name} answers on {hostname}:{port}; demo content: "
                          f"manage.py seed_{name}")


def site_address(hostname: str, port: int) -> str:
    """The hostname, lower-cased, if it and `port` can be a Site's."""
    hostname = hostname.lower()
    if not project.HOSTNAME.fullmatch(hostname):
        raise CommandError(f"--hostname {hostname!r} is not a hostname (docs.example.com)")
    if not 1 <= port <= 65535:
        raise CommandError(f"--port {port} is not a port (1 to 65535)")
    return hostname


def check_free(name: str, hostname: str, port: int) -> None:
    """CommandError if a Site answers on hostname:port, or the root holds a page `name`."""
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise CommandError(f"a Site answers on {hostname}:{port} already")
    root = Page.get_first_root_node()
    if root is None:
        raise CommandError("Wagtail's page tree has no root: run `manage.py migrate` first")
    if root.get_children().filter(slug=name).exists():
        raise CommandError(f"Wagtail's root holds a page with the slug {name!r} already")


def check_new_site(name: str, home: str) -> None:
    """CommandError if anything of a site `name` exists already (files, app, page type)."""
    for folder in (SITES_DIR / name, WEB_SITES / name):
        if folder.exists():
            raise CommandError(f"{project.rel(folder)} exists already")
    if any(config.label == name for config in apps.get_app_configs()):
        raise CommandError(f"an installed app is labelled {name!r} already: choose another name")
    if home.lower() in project.page_model_names():
        raise CommandError(f"a page type named {home} exists already")
    if f" as {name} }}" in (WEB_SITES / "index.ts").read_text():
        raise CommandError(f"web/sites/index.ts names a site {name!r} already")
