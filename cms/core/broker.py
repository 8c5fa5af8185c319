"""Sending Celery tasks from a request or a save, without ever failing it.

`send_on_commit(task, *args)` queues the task once the transaction commits (Django's
`on_commit(..., robust=True)`: an error there is logged, never raised into the save).
When the broker refuses, fails or hangs (each publish gives up after the socket
timeouts of cms/settings/tasks.py), the task is kept in this process and a thread sends
it again every RETRY_SECONDS until the broker takes it: a change saved during a broker
outage reaches the worker within about a second of the broker's return. For
BREAK_SECONDS after a failure, tasks are kept without trying, so that an outage costs
one request the timeout, not every request each.

What is kept lives in memory: a process that stops first loses it (logged), and the
durable records behind each task (the revalidation outbox, which the minute sweep
redelivers; renditions, queued again by the next page that shows the image) cover it.
At most MAX_KEPT tasks are kept; past that the oldest are dropped, logged.
"""

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)

RETRY_SECONDS = 0.5
BREAK_SECONDS = 1.0
MAX_KEPT = 10_000


@dataclass(frozen=True)
class _Kept:
    task: Task
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


_kept: deque[_Kept] = deque()
_lock = threading.Lock()
_wake = threading.Event()
_state = {"broken_until": 0.0, "thread": None}


def _publish(item: _Kept) -> None:
    item.task.apply_async(item.args, item.kwargs)


def _keep(item: _Kept) -> None:
    with _lock:
        if len(_kept) >= MAX_KEPT:
            dropped = _kept.popleft()
            logger.error("broker down: %s dropped, %d tasks kept already", dropped.task.name,
                         MAX_KEPT)
        _kept.append(item)
        thread = _state["thread"]
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_send_kept, name="mortar-broker-retry",
                                      daemon=True)
            _state["thread"] = thread
            thread.start()
    _wake.set()


def _send_kept() -> None:
    """Send what was kept, oldest first, until the broker takes all of it."""
    while True:
        _wake.wait(RETRY_SECONDS)
        _wake.clear()
        time.sleep(max(0.0, _state["broken_until"] - time.monotonic()))
        while True:
            with _lock:
                if not _kept:
                    break
                item = _kept[0]
            try:
                _publish(item)
            except Exception as error:  # the broker's errors are kombu's, redis's, OSError
                _state["broken_until"] = time.monotonic() + RETRY_SECONDS
                logger.debug("broker still unavailable: %s", error)
                break
            with _lock:
                if _kept and _kept[0] is item:
                    _kept.popleft()
                remaining = len(_kept)
            if not remaining:
                logger.warning("broker back: every kept task sent")


def kept() -> int:
    """How many tasks wait for the broker in this process."""
    with _lock:
        return len(_kept)


def send(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Queue `task(*args, **kwargs)` now if the broker takes it (True), else keep it to
    send again (False). Never raises for the broker's sake."""
    item = _Kept(task, args, kwargs)
    if time.monotonic() < _state["broken_until"] or kept():
        _keep(item)  # behind what waits already: tasks keep their order
        return False
    try:
        _publish(item)
    except Exception as error:  # the broker's errors are kombu's, redis's, OSError
        _state["broken_until"] = time.monotonic() + BREAK_SECONDS
        logger.warning("broker unavailable, %s kept to send again: %s", task.name, error)
        _keep(item)
        return False
    return True


def send_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """`send` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task, *args, **kwargs), robust=True)


def note_failure(error: BaseException) -> None:
    """A publish made elsewhere failed: the broker is in its break."""
    _state["broken_until"] = time.monotonic() + BREAK_SECONDS
    logger.warning("broker unavailable: %s", error)


def available() -> bool:
    """False while the broker is in its break after a failure, or tasks wait for it."""
    return time.monotonic() >= _state["broken_until"] and not kept()
