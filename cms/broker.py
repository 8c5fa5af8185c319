"""Kombu's filesystem transport (the embedded default's broker), each message written whole.

Kombu writes a message straight into the queue folder, where a worker looking at the
folder in that instant moves and reads it empty and stops for good (JSONDecodeError:
celery/kombu#1551), taking `make dev` down with it. Here a message is written beside the
folder and renamed into it: a reader sees it whole or not at all. Selected by
CELERY_BROKER_TRANSPORT (cms/settings/tasks.py) with the filesystem broker.
"""

import os
import tempfile
import time
import uuid
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps
from kombu.utils.objects import cached_property


class Channel(filesystem.Channel):
    @cached_property
    def staging_folder(self) -> str:
        """Beside the queue folder, on its file system (a rename must not copy)."""
        folder = os.path.join(self.data_folder_out, ".staging")
        os.makedirs(folder, exist_ok=True)
        return folder

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        # The name kombu gives it: readers take messages in name order.
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        try:
            handle, staged = tempfile.mkstemp(dir=self.staging_folder)
            with os.fdopen(handle, "wb") as staging:
                staging.write(str_to_bytes(dumps(payload)))
            os.replace(staged, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
