import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.blocks.stream import BodyStreamBlock
from cms.scaffold import project
from cms.scaffold.project import REPO, Plan

BLOCKS = REPO / "cms" / "blocks"
STREAM = BLOCKS / "stream.py"
COMPONENTS = REPO / "web" / "components" / "blocks"
REGISTRY = COMPONENTS / "column-stream.tsx"
TYPES = REPO / "web" / "lib" / "types.ts"


class Command(BaseCommand):
    help = ("Add a platform block: NAMEBlock in cms/blocks/<name>.py, allowed wherever "
            "content goes (cms/blocks/stream.py), its test, the React component NAME in "
            "web/components/blocks/ with its COLUMN_BLOCKS entry, its type NAMEBlockValue "
            "and its test; then the migrations of every page type and the types.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the block's name, CamelCase (Pullquote: "
                                         "PullquoteBlock in Python, \"pullquote\" in JSON)")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        cls = project.class_name(name.removesuffix("Block") or name, "block", "Pullquote")
        snake = project.snake(cls)
        values = {"cls": cls, "snake": snake, "slug": snake.replace("_", "-"),
                  "words": project.words(cls)}
        if snake in BodyStreamBlock().child_blocks:
            raise CommandError(f"the body stream has a block {snake!r} already")
        for module in BLOCKS.glob("*.py"):
            if re.search(rf"^class {cls}Block\b", module.read_text(), re.M):
                raise CommandError(f"{project.rel(module)} defines {cls}Block already")
        if re.search(rf"\b{cls}BlockValue\b", TYPES.read_text()):
            raise CommandError(f"web/lib/types.ts names {cls}BlockValue already")

        plan = Plan()
        plan.create(BLOCKS / f"{snake}.py", project.render("block/block.py.tmpl", **values))
        plan.create(BLOCKS / "tests" / f"test_{snake}.py",
                    project.render("block/test.py.tmpl", **values))
        plan.create(COMPONENTS / f"{cls}.tsx", project.render("block/component.tsx.tmpl", **values))
        plan.create(REPO / "web" / "tests" / "blocks" / f"{cls}.test.tsx",
                    project.render("block/test.tsx.tmpl", **values))
        plan.edit(STREAM, lambda text: project.insert_after_last(
            project.add_python_imports(text, {f"{cls}Block": f"cms.blocks.{snake}"}),
            r"    \w+ = \w+Block\(\)$", f"    {snake} = {cls}Block()", "cms/blocks/stream.py",
            within="class ColumnStreamBlock"))
        plan.edit(REGISTRY, lambda text: project.insert_before_closing(
            project.insert_in_order(text, r'import \{ \w+ \} from "@/components/blocks/',
                                      f'import {{ {cls} }} from "@/components/blocks/{cls}";',
                                      project.rel(REGISTRY)),
            "export const COLUMN_BLOCKS", f"  {snake}: {cls},", project.rel(REGISTRY)))
        plan.edit(TYPES, lambda text: project.insert_after_last(
            text, r'export type \w+BlockValue = Schemas\["\w+BlockValue"\];',
            f'export type {cls}BlockValue = Schemas["{cls}BlockValue"];', "web/lib/types.ts"))
        # Every StreamField holding the body stream changes: the sites' page types and
        # the platform's test-only ones (installed by the test settings) get migrations.
        plan.write_and_migrate(self.stdout.write, env={
            **project.environment(), "DJANGO_SETTINGS_MODULE": "cms.testing.settings"})
