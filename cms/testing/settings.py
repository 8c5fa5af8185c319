"""The test suite's settings: Mortar's own, plus the test-only page types and the scratch
site that adds a kind of value and a block of its own (cms.testing.venues).

pytest chooses them (`DJANGO_SETTINGS_MODULE` in pyproject.toml's [tool.pytest]), and
the servers the platform's tests start (Celery workers, gunicorn: see
cms.testing.processes.server_env) run them too, so they know the same page types. The
end-to-end tests' stack (tests/) runs `cms.settings`, the installed sites without these
apps (their tables in the test database are simply unused there).
"""

from cms.settings import *  # noqa: F403
from cms.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "cms.testing.pages", "cms.testing.venues"]

# Wagtail's index updates at once, in the saving process, so tests on one connection (in a
# transaction that never commits) find what they saved; the Celery route is tested with a
# real worker (cms/search/tests/test_indexing.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
