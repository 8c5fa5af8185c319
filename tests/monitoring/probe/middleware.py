"""Answers two paths as a broken or busy CMS would, whoever asks (the renderer's by-path
request for them too):

- `/probe/fail/` (or `html_path=/probe/fail/`): queues a task that fails, then raises;
- `/probe/queue/` (or `html_path=/probe/queue/`): queues a task, then answers as usual.
"""

import os
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tests.monitoring.probe import tasks

FAIL = "/probe/fail/"
QUEUE = "/probe/queue/"


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = request.GET.get("html_path") or request.path
        if asked == FAIL:
            # A secret as its argument: the form's password, or the stack's own.
            tasks.fail.delay(request.POST.get("password") or os.environ["PROBE_TASK_SECRET"])
            raise RuntimeError(f"the probe view failed on purpose ({uuid.uuid4()})")
        if asked == QUEUE:
            tasks.note.delay(asked)
        return self.get_response(request)
