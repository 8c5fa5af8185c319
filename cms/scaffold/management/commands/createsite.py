from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from wagtail.models import Page, Site

from cms.scaffold import project
from cms.scaffold.management.commands.startsite import check_free, site_address


class Command(BaseCommand):
    help = ("Create the Wagtail Site of an installed site: its home page under Wagtail's "
            "root and the Site (HOST, port) pointing at it. Run once per database, e.g. in "
            "production after deploying a site made with startsite.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the installed site (sites/NAME)")
        parser.add_argument("--hostname", required=True)
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--title", help="the home page's title (the site's name)")

    def handle(self, *args: Any, name: str, hostname: str, port: int, title: str | None,
               **options: Any) -> None:
        project.installed_site(name)
        hostname = site_address(hostname, port)
        home_model = project.site_home_model(name)
        check_free(name, hostname, port)
        root = Page.get_first_root_node()
        title = title or name.replace("_", " ").capitalize()
        with transaction.atomic():
            home = home_model(title=title, slug=name, live=False)
            root.add_child(instance=home)
            home.save_revision().publish()
            Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=title)
        self.stdout.write(f"Site {hostname}:{port} -> {home_model._meta.label} {title!r}")
