"""What every test of the platform (`cms/`) starts from."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _migrated_data_kept(leave_migrated_data) -> None:
    """Transactional tests here flush the tables: the next `--reuse-db` session still
    finds what migrations made (see cms.testing.fixtures.leave_migrated_data)."""
