"""Real Celery workers for the search tests: the same fixtures as the publishing tests."""

from cms.publishing.tests.conftest import home, start_worker  # noqa: F401
from cms.publishing.tests.workers import leave_migrated_data  # noqa: F401
