"""Wagtail's background tasks (django-tasks) run by the Celery worker.

Wagtail 8 queues its background work as django-tasks: the search index update after a
page or image is saved (`modelsearch.tasks.insert_or_update_object_task`), the reference
index update, a file's removal from storage. django-tasks' default backend runs them at
once, inside the editor's request; `CeleryTaskBackend` (the `TASKS` setting) instead
sends each to the worker once the transaction that queued it commits, as every other
background job here goes. One Celery task, `run_task`, runs any of them by path.

Nothing here may fail a save: the task is sent after the commit, robustly, and when the
broker does not take it (down, refusing, hanging: cms.core.broker) it runs at once in
the saving process instead, as django-tasks' own backend would have run it, so an index
update is never lost to a broker outage.
"""

import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError, transaction
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from cms.core import broker

logger = logging.getLogger(__name__)


class NotATask(TypeError):
    """The path names something other than a django-tasks Task."""


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True,
             retry_backoff_max=30, max_retries=5)
def run_task(path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run the django-tasks Task at `path` (module.name) with JSON `args` and `kwargs`.

    Raises NotATask when `path` names anything else: only declared tasks run here.
    """
    run_by_path(path, args, kwargs)


def run_by_path(path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """What run_task runs, in this process."""
    task = import_string(path)
    if not isinstance(task, Task):
        raise NotATask(f"{path} is not a django-tasks Task")
    try:
        task.call(*args, **kwargs)
    except ObjectDoesNotExist:
        # The row the task was queued for was deleted before it ran: nothing left to do.
        logger.info("%s%r: its object is gone", path, tuple(args))


class CeleryTaskBackend(BaseTaskBackend):
    """A django-tasks backend that enqueues on the Celery worker, after commit.

    Results are not kept (no task of Wagtail's reads them): `get_result` is unsupported.
    """

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
            kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[])
        path = task.module_path
        transaction.on_commit(lambda: _send_or_run(path, list(args), dict(kwargs)),
                              robust=True)
        return result


def _send_or_run(path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    if broker.available():
        try:
            run_task.apply_async((path, args, kwargs))
            return
        except Exception as error:  # the broker's errors are kombu's, redis's, OSError
            broker.note_failure(error)
    logger.info("broker unavailable: %s runs now, in this process", path)
    run_by_path(path, args, kwargs)
