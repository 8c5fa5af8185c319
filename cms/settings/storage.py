"""Media and static files: S3 when a bucket is named, else local folders."""

from botocore.config import Config

from cms.settings.base import LOCAL_DIR, PRODUCTION, env

# Media: S3 (or any S3-compatible endpoint) when a bucket is named, else a local folder.
# Credentials are never settings: boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
# (or AWS_PROFILE, or the instance role) itself.
AWS_STORAGE_BUCKET_NAME: str = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL: str | None = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME: str | None = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_S3_CUSTOM_DOMAIN: str | None = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
# "http:" only for a CDN or test endpoint without TLS.
AWS_S3_URL_PROTOCOL: str = env.str("AWS_S3_URL_PROTOCOL", default="https:")
# MinIO and most S3-compatible servers want "path"; empty lets boto3 choose.
AWS_S3_ADDRESSING_STYLE: str | None = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None
AWS_S3_FILE_OVERWRITE = False
# No ACL per object: the bucket policy (or the CDN) decides what the public may read.
AWS_DEFAULT_ACL = None
# Public images get plain, cacheable URLs; documents are served through Wagtail's view
# (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which checks collection privacy first.
AWS_QUERYSTRING_AUTH = False
AWS_S3_OBJECT_PARAMETERS: dict[str, str] = {}
# Cache-Control per key prefix (cms.media.storage.MediaStorage). Rendition names carry
# their filter spec and their original's unique name, so they never change content.
MORTAR_S3_CACHE_CONTROL: dict[str, str] = {
    "images/": "public, max-age=31536000, immutable",
    "original_images/": "public, max-age=86400",
    "documents/": "private, no-cache",
}
# Fail an editor's upload within seconds when S3 is down instead of hanging a worker.
AWS_S3_CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"total_max_attempts": 3, "mode": "standard"},
    s3={"addressing_style": AWS_S3_ADDRESSING_STYLE},
)

MEDIA_ROOT = env.path("MEDIA_ROOT", default=LOCAL_DIR / "media")
# Static files are served by the CMS itself (WhiteNoise, hashed and compressed names,
# `collectstatic` at build time), so /static/ needs no other server behind nginx.
# To put them on S3/a CDN instead, set STORAGES["staticfiles"] to
# {"BACKEND": "storages.backends.s3.S3ManifestStaticStorage",
#  "OPTIONS": {"location": "static", "object_parameters":
#              {"CacheControl": "public, max-age=31536000, immutable"}}}
# and make the bucket policy public for "static/*" too.
MEDIA_URL = "/media/"
STATIC_ROOT = env.path("STATIC_ROOT", default=LOCAL_DIR / "static")
STATIC_URL = "/static/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "cms.media.storage.MediaStorage"}
    MEDIA_URL = (
        f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN}/"
        if AWS_S3_CUSTOM_DOMAIN
        else f"{AWS_S3_ENDPOINT_URL or 'https://s3.amazonaws.com'}/{AWS_STORAGE_BUCKET_NAME}/"
    )

# Uploads: the admin forms store the file while validating, so a storage failure
# becomes a form error (cms.media.forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.media.forms.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.media.forms.DocumentForm"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
MORTAR_DOCUMENTS_MAX_UPLOAD_SIZE = env.int(
    "DOCUMENTS_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024
)
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
