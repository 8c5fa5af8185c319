# The moto S3 server and the real-settings switch are the media app's fixtures.
from cms.media.tests.conftest import moto_endpoint, s3_env, s3_media, stoppable_moto  # noqa: F401
