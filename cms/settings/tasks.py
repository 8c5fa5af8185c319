"""Celery: Redis in production; with nothing set, kombu's filesystem transport."""

from cms.settings.base import LOCAL_DIR, REDIS_URL, env

CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_DIR = LOCAL_DIR / "celery-broker"

CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"data_folder_in": str(CELERY_BROKER_DIR), "data_folder_out": str(CELERY_BROKER_DIR),
     "control_folder": str(CELERY_BROKER_DIR / "control")}
    if CELERY_BROKER_URL.startswith("filesystem") else {}
)
