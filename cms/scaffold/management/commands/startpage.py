from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.scaffold import project
from cms.scaffold.project import SITES_DIR, WEB_SITES, Plan

MODEL_IMPORTS = {"FieldPanel": "wagtail.admin.panels", "APIField": "wagtail.api",
                 "StreamField": "wagtail.fields", "index": "wagtail.search",
                 "BodyStreamBlock": "cms.blocks.stream", "BasePage": "cms.core.models"}


class Command(BaseCommand):
    help = ("Add a page type to a site: the model in sites/SITE/models.py (a body of "
            "blocks, under the home page), its migration and test, its layout "
            "web/sites/SITE/NAME.tsx with its registry entry and test; then regenerate "
            "the types.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("site", help="an installed site (sites/SITE)")
        parser.add_argument("name", help="the page type's class name, CamelCase (FaqPage)")

    def handle(self, *args: Any, site: str, name: str, **options: Any) -> None:
        project.installed_site(site)
        cls = project.class_name(name, "page type", "FaqPage")
        if cls.lower() in project.page_model_names():
            raise CommandError(f"a page type named {cls} exists already")
        home = project.site_home_model(site).__name__
        models = SITES_DIR / site / "models.py"
        registry = WEB_SITES / site / "registry.ts"
        if not registry.is_file():
            raise CommandError(f"site {site!r} has no web/sites/{site}/registry.ts")
        values = {"site": site, "cls": cls, "home": home, "snake": project.snake(cls),
                  "slug": project.snake(cls).replace("_", "-"), "words": project.words(cls)}

        plan = Plan()
        plan.edit(models, lambda text: project.add_python_imports(text, MODEL_IMPORTS).rstrip()
                  + "\n" + project.render("page/model.py.tmpl", **values))
        plan.create(SITES_DIR / site / "tests" / f"test_{values['snake']}.py",
                    project.render("page/test.py.tmpl", **values))
        plan.create(WEB_SITES / site / f"{cls}.tsx",
                    project.render("page/layout.tsx.tmpl", **values))
        plan.create(WEB_SITES / site / "tests" / f"{cls}.test.tsx",
                    project.render("page/test.tsx.tmpl", **values))
        where = project.rel(registry)
        import_line = f'import {{ {cls} }} from "@/sites/{site}/{cls}";'
        entry = f'  "{site}.{cls}": {{ layout: {cls} }},'
        plan.edit(registry, lambda text: project.insert_before_closing(
            project.insert_in_order(text, rf'import {{ \w+ }} from "@/sites/{site}/', import_line,
                                    where),
            "export const pageTypes", entry, where))
        plan.write_and_migrate(self.stdout.write, site)
