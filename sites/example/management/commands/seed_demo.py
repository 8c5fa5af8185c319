from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sites.example import demo


class Command(BaseCommand):
    help = ("Make the example site's demo content on an empty site; a site that has pages "
            "is left as it is. --pages N adds N bulk articles for benchmarks.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=0, metavar="N",
                            help="also make N extra articles, for benchmarks")

    def handle(self, *args: Any, pages: int, **options: Any) -> None:
        if pages < 0:
            raise CommandError("--pages must be 0 or more")
        try:
            demo.build(log=lambda line: self.stdout.write(line) if options["verbosity"] else None,
                       extra_pages=pages)
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
