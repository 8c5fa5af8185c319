"""The worker's side: task metrics and the publishing pipeline's, from Celery's signals.

Measured from outside the tasks (their names and arguments, what they return and the
outbox row they delivered), so the publishing code stays as it is. A worker started with
WORKER_METRICS_PORT serves them there (its pool processes write under
PROMETHEUS_MULTIPROC_DIR, the main process adds them up), on METRICS_HOST.
"""

import logging
import os
import time
from datetime import datetime
from typing import Any

from celery import signals
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cms.monitoring import metrics

logger = logging.getLogger(__name__)

SWEEP = "cms.publishing.tasks.sweep"
DELIVER = "cms.publishing.tasks.deliver_revalidation"
PUBLISH_SCHEDULED = "cms.publishing.tasks.publish_scheduled_revision"
PUBLISHED = "published"  # cms.publishing.scheduling.PUBLISHED

_started: dict[str, float] = {}


def _task_prerun(task_id: str, task: Any, args: tuple = (), **kwargs: Any) -> None:
    _started[task_id] = time.perf_counter()
    if task.name == SWEEP:
        metrics.beat_last_tick.set(time.time())


def _task_postrun(task_id: str, task: Any, args: tuple = (), retval: Any = None,
                  state: str | None = None, **kwargs: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        metrics.celery_task_duration.labels(task.name, (state or "unknown").lower()).observe(
            time.perf_counter() - started)
    if task.name == DELIVER and retval is True and args:
        _observe_delivered(args[0])
    elif task.name == PUBLISH_SCHEDULED and retval == PUBLISHED and len(args) > 1:
        _observe_lateness(args[1])


def _observe_delivered(row_id: int) -> None:
    """From the outbox row's creation (the change's commit) to its delivery."""
    from cms.publishing.models import RevalidationRequest

    times = (RevalidationRequest.objects.filter(pk=row_id, delivered_at__isnull=False)
             .values_list("created_at", "delivered_at").first())
    if times:
        metrics.publish_to_renderer_told.observe(max((times[1] - times[0]).total_seconds(), 0))


def _observe_lateness(go_live_at: str) -> None:
    due: datetime | None = parse_datetime(go_live_at) if isinstance(go_live_at, str) else None
    if due is not None:
        metrics.scheduled_publish_lateness.observe(
            max((timezone.now() - due).total_seconds(), 0))


def _task_failure(sender: Any = None, **kwargs: Any) -> None:
    metrics.celery_task_failures.labels(getattr(sender, "name", "unknown")).inc()


def _serve_metrics(**kwargs: Any) -> None:
    """In the worker's main process, before the pool starts: the metrics listener."""
    from prometheus_client import start_http_server

    from cms.monitoring.exposition import recorded_registry

    # PROMETHEUS_MULTIPROC_DIR is set (cms.settings.monitoring refuses to start otherwise).
    start_http_server(settings.WORKER_METRICS_PORT, addr=settings.METRICS_HOST,
                      registry=recorded_registry())
    logger.info("worker metrics on %s:%s", settings.METRICS_HOST, settings.WORKER_METRICS_PORT)


def _pool_process_exit(pid: int | None = None, **kwargs: Any) -> None:
    from prometheus_client import multiprocess

    from cms.monitoring.exposition import multiprocess_dir

    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(pid or os.getpid())


def _worker_logs(logger: logging.Logger | None = None, format: str = "",
                 **kwargs: Any) -> None:
    """Celery replaces the root logger's handlers in a worker: its lines (a task's
    "received", "succeeded", "retry", and the task's own) get the trace id too, in
    LOG_FORMAT (JSON: ours; text: Celery's own, the trace id after it)."""
    from celery.utils.log import ColorFormatter

    from cms.monitoring.logs import TraceFilter, formatter

    for handler in (logger.handlers if logger is not None else []):
        handler.addFilter(TraceFilter())
        current = handler.formatter
        if settings.LOG_FORMAT == "json":
            handler.setFormatter(formatter("json"))
        elif isinstance(current, ColorFormatter) and format:
            # Celery's own (its task formatter fills in the task's name and id).
            handler.setFormatter(type(current)(f"{format} [trace_id=%(trace_id)s]",
                                               use_color=current.use_color))


def connect(metrics: bool) -> None:
    """Connect the handlers; `metrics`: the task and publishing metrics too."""
    signals.after_setup_logger.connect(_worker_logs, weak=False,
                                       dispatch_uid="mortar_worker_logs")
    signals.after_setup_task_logger.connect(_worker_logs, weak=False,
                                            dispatch_uid="mortar_worker_task_logs")
    if not metrics:
        return
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="mortar_task_prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="mortar_task_postrun")
    signals.task_failure.connect(_task_failure, weak=False, dispatch_uid="mortar_task_failure")
    signals.worker_process_shutdown.connect(_pool_process_exit, weak=False,
                                            dispatch_uid="mortar_pool_process_exit")
    if settings.WORKER_METRICS_PORT:
        signals.worker_init.connect(_serve_metrics, weak=False,
                                    dispatch_uid="mortar_worker_metrics")
