"""Celery: Redis in production; with nothing set, kombu's filesystem transport in `.local/`.

The filesystem transport needs no server: the worker and beat exchange messages as
files in CELERY_BROKER_DIR, so `celery -A cms worker` and `celery -A cms beat` work
on a laptop with only SQLite. It is for development only (one machine, slow polling).
"""

from pathlib import Path

from kombu import Queue

from cms.settings.base import LOCAL_DIR, REDIS_CLIENT_OPTIONS, REDIS_URL, TIME_ZONE, env

# An empty CELERY_BROKER_URL counts as unset (Celery would otherwise try amqp://localhost).
CELERY_BROKER_URL: str = (
    env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://localhost//"
)
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(LOCAL_DIR / "celery-broker")))
# Results are only kept where the broker is Redis; no task of ours needs them.
CELERY_RESULT_BACKEND: str | None = (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None
)
CELERY_TASK_IGNORE_RESULT = True

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True

# Every task is idempotent, so it is acknowledged only once done and handed back to
# the queue when its worker process dies (SIGKILL, OOM) instead of being lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task still running when the broker connection drops will be delivered again (it is
# unacknowledged), so stop it rather than let two copies run.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT: int = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT: int = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = False

CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# One queue per kind of work, all consumed by a plain `celery -A cms worker`: a backlog of
# revalidations (renderer down) or renditions (bulk upload) never holds back a scheduled
# publish, because the worker takes from its queues in turn.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (
    Queue("celery", routing_key="celery"),
    Queue("revalidation", routing_key="revalidation"),
    Queue("images", routing_key="images"),
)
CELERY_TASK_ROUTES = {
    "cms.publishing.tasks.deliver_revalidation": {"queue": "revalidation"},
    "cms.publishing.tasks.send_revalidation_again": {"queue": "revalidation"},
    "cms.publishing.tasks.catch_up": {"queue": "revalidation"},
    "cms.publishing.tasks.send_told_again": {"queue": "revalidation"},
    "cms.images.tasks.generate_renditions": {"queue": "images"},
}

# An unacknowledged message (a running task, or an ETA task held by a worker) is
# delivered again after this many seconds. Scheduled changes are therefore armed as
# ETA tasks only when due before the next sweep (MORTAR_SCHEDULE_ARM_AHEAD), far
# below this timeout.
_VISIBILITY_TIMEOUT: int = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)


# Seconds between two looks at the filesystem broker's folders. The worker takes one message
# a look whenever its slots are busy, so kombu's 1 s made a backlog (the renditions and
# revalidations of `make setup`) hold an editor's change back for a minute. (Looking this
# often, kombu's own transport met half-written messages: cms/broker.py.)
FILESYSTEM_POLLING_INTERVAL = 0.1


def filesystem_options(folder: Path) -> dict[str, str | bool | float]:
    """Kombu's filesystem transport in `folder` (messages in, control and processed dirs)."""
    for sub in ("", "control", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(folder), "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"), "store_processed": False,
            "polling_interval": FILESYSTEM_POLLING_INTERVAL}


if CELERY_BROKER_URL.startswith("filesystem"):
    # Kombu's, with each message written whole (cms/broker.py says why).
    CELERY_BROKER_TRANSPORT = "cms.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = filesystem_options(CELERY_BROKER_DIR)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _VISIBILITY_TIMEOUT,
        # A broker that hangs costs a publish this (cms.core.broker sends it again later);
        # kombu's event loop, where the worker waits for tasks, is not bound by it.
        "socket_timeout": REDIS_CLIENT_OPTIONS["socket_timeout"],
        "socket_connect_timeout": REDIS_CLIENT_OPTIONS["socket_connect_timeout"],
        "socket_keepalive": True,
        # A publish connects once (no retries over kombu's intervals of seconds).
        "max_retries": 0,
        # Seconds: a worker waiting on a connection that stopped answering drops it after
        # about its BRPOP timeout (1 s) plus this, and reconnects.
        "health_check_interval": 1,
    }
# One try: a publish the broker does not take is kept and sent again (cms.core.broker),
# rather than retried in the editor's request.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_CLIENT_OPTIONS["socket_timeout"]
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CLIENT_OPTIONS["socket_connect_timeout"]
CELERY_REDIS_SOCKET_KEEPALIVE = True
# The worker reconnects to a broker that came back within a second, and one that refuses
# writes does not stop it (cms.core.consumer).
CELERY_WORKER_CONSUMER = "cms.core.consumer:Consumer"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "cms.core.consumer:RedisTransport"

# Scheduled publishing: the beat sweep's period, and how far ahead it arms ETA tasks.
MORTAR_SCHEDULE_SWEEP_SECONDS: int = env.int("MORTAR_SCHEDULE_SWEEP_SECONDS", default=60)
MORTAR_SCHEDULE_ARM_AHEAD: int = env.int(
    "MORTAR_SCHEDULE_ARM_AHEAD", default=MORTAR_SCHEDULE_SWEEP_SECONDS + 30
)

# Revalidation delivery: the longest wait (s) between two tries of a renderer or HTTP cache
# that is down; it is tried every second at first (cms.publishing.tasks.retry_delay).
REVALIDATE_RETRY_BACKOFF_MAX: int = env.int("REVALIDATE_RETRY_BACKOFF_MAX", default=60)
REVALIDATE_TIMEOUT: float = env.float("REVALIDATE_TIMEOUT", default=10.0)
# Seconds after a delivery when its tags are sent once more, for renders that straddled it.
REVALIDATE_AGAIN_SECONDS: float = env.float("REVALIDATE_AGAIN_SECONDS", default=2.0)

# Renditions wait out a storage outage: retries back off up to this many seconds, this
# many times (the defaults cover about two hours); after that, the next page that shows
# the image queues them again.
RENDITION_RETRY_BACKOFF_MAX: int = env.int("RENDITION_RETRY_BACKOFF_MAX", default=300)
RENDITION_MAX_RETRIES: int = env.int("RENDITION_MAX_RETRIES", default=30)

# Wagtail's own background tasks (search and reference index updates, file removal) are
# django-tasks; they go to the Celery worker too, after commit (cms.search.tasks).
TASKS = {"default": {"BACKEND": "cms.search.tasks.CeleryTaskBackend"}}
