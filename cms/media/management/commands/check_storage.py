"""`manage.py check_storage`: prove the media storage works before traffic depends on it."""

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from cms.media.storage import STORAGE_ERRORS, describe, describe_target, explain, probe


class Command(BaseCommand):
    help = "Write, read back and delete a probe object in the media storage."

    def handle(self, *args: Any, **options: Any) -> None:
        target = describe_target(default_storage)
        try:
            elapsed = probe(default_storage)
        except STORAGE_ERRORS as exc:
            # CommandError prints one line and exits 1, without a traceback.
            reason = describe(explain(exc, default_storage), default_storage)
            raise CommandError(f"storage check failed for {target}: {reason}") from exc
        self.stdout.write(f"storage ok: {target}: wrote, read and deleted a probe object "
                          f"in {elapsed:.0f} ms")
