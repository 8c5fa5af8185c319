import pytest

# The moto S3 server and the real-settings switch are the media app's fixtures.
from cms.media.tests.conftest import moto_endpoint, s3_env, s3_media, stoppable_moto  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_health_checks(settings) -> None:
    """Each test breaks a part and asks again: no answer reused from before the break."""
    settings.HEALTH_CHECK_CACHE_SECONDS = 0
