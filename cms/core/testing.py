"""Helpers the test suites of every app share (imported by tests only)."""

import os
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale, Page, Site


def ensure_tree_root() -> Page:
    """What Wagtail's migrations create and a transactional test's flush removes."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def make_home() -> Page:
    """A published home page as the default site's root, replacing Wagtail's starter page."""
    from sites.example.models import HomePage

    root = ensure_tree_root()
    Site.objects.all().delete()
    for starter in root.get_children():
        starter.delete()
    home = HomePage(title="Home", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Test site")
    return home


def embedded_env(folder: Path) -> dict[str, str]:
    """The environment of the embedded default (`make dev` on a laptop) in `folder`: a
    SQLite file, local media and the filesystem broker; no PostgreSQL, Redis or broker URL."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    return {**env, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"), "CELERY_BROKER_DIR": str(folder / "broker"),
            "DJANGO_SETTINGS_MODULE": "cms.settings", "PYTHONUNBUFFERED": "1"}
