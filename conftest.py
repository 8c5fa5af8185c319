"""Fixtures shared by the unit and integration tests of every app: they live in
cms.testing.fixtures (the platform's test support), registered here for every suite."""

import pytest

pytest_plugins = ["cms.testing.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_api_cache() -> None:
    """Tests roll their data back behind the signals' back: start from no cached document."""
    from cms.api import cache, dependencies

    cache.bump(dependencies.GLOBAL)
