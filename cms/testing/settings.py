"""The test suite's settings: Mortar's own, plus the test-only page types.

pytest chooses them (`DJANGO_SETTINGS_MODULE` in pyproject.toml's [tool.pytest]); the
servers the end-to-end tests start run `cms.settings`, without these apps (their
tables in the test database are simply unused there).
"""

from cms.settings import *  # noqa: F403
from cms.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "cms.testing.pages"]
