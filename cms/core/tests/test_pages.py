"""The page mixins live in cms.core.pages, and the paths old migrations record still work."""

import pytest
from django.core.management import call_command

from cms.core import pages


def test_old_import_paths_are_the_same_classes() -> None:
    """Migrations written before the move name `cms.preview.tokens.PreviewMixin` and
    `cms.api.routes.HeadlessRoutablePageMixin` among their bases: they must be these."""
    from cms.api import routes
    from cms.preview import tokens

    assert tokens.PreviewMixin is pages.PreviewMixin
    assert routes.HeadlessRoutablePageMixin is pages.HeadlessRoutablePageMixin
    assert routes.RouteAnswer is pages.RouteAnswer


@pytest.mark.django_db
def test_the_move_needs_no_migration() -> None:
    """Django records a model's bases only when it is created: no migration follows."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
