"""`manage.py bucket_policy [--apply]`: show or set the media bucket's public-read policy."""

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from storages.backends.s3 import S3Storage

from cms.media.policy import public_read_policy_json
from cms.media.storage import STORAGE_ERRORS, describe


class Command(BaseCommand):
    help = "Print the media bucket policy (images public, documents private); --apply sets it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="put the policy on the bucket")

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(default_storage, S3Storage):
            raise CommandError("media is not on S3: set AWS_STORAGE_BUCKET_NAME first")
        policy = public_read_policy_json(default_storage.bucket_name)
        if not options["apply"]:
            self.stdout.write(policy)
            return
        try:
            default_storage.connection.meta.client.put_bucket_policy(
                Bucket=default_storage.bucket_name, Policy=policy)
        except STORAGE_ERRORS as exc:
            raise CommandError(f"bucket policy not set: {describe(exc, default_storage)}") from exc
        self.stdout.write(f"bucket policy set on '{default_storage.bucket_name}': "
                          "images public, documents private")
