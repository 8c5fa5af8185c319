import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.api.adapters import NoAdapter
from cms.api.schema import openapi

DEFAULT_PATH = Path(settings.BASE_DIR) / "web" / "lib" / "openapi.json"


def schema_text() -> str:
    return json.dumps(openapi(), indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document generated from the models (the site's types come from it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=DEFAULT_PATH)
        parser.add_argument("--check", action="store_true",
                            help="exit non-zero if the file differs from what the models give")

    def handle(self, *args: Any, output: Path, check: bool, **options: Any) -> None:
        try:
            text = schema_text()
        except NoAdapter as error:  # a block the API cannot show: no document, no types
            raise CommandError(str(error)) from error
        if check:
            if not output.is_file() or output.read_text() != text:
                raise CommandError(f"{output} is stale: run `make types` and commit the result")
            self.stdout.write(f"{output}: up to date")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        self.stdout.write(f"wrote {output}")
