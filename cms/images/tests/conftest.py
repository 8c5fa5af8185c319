"""Real Celery workers for the image tests: the same fixtures as the publishing tests."""

from cms.publishing.tests.conftest import admin_client_db, home, start_worker  # noqa: F401
from cms.publishing.tests.workers import leave_migrated_data  # noqa: F401
