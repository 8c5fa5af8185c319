from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sites.example import demo


class Command(BaseCommand):
    help = "Build (or bring up to date) the example site's demo content. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=0, metavar="N",
                            help="also make N extra articles, for benchmarks")

    def handle(self, *args: Any, pages: int, **options: Any) -> None:
        if pages < 0:
            from django.core.management.base import CommandError

            raise CommandError("--pages must be 0 or more")
        demo.build(log=lambda line: self.stdout.write(line) if options["verbosity"] else None,
                   extra_pages=pages)
