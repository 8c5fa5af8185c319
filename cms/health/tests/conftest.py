import pytest


@pytest.fixture(autouse=True)
def _fresh_health_checks(settings) -> None:
    """Each test breaks a part and asks again: no answer reused from before the break."""
    settings.HEALTH_CHECK_CACHE_SECONDS = 0
