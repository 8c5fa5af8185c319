"""Make the renderer's rendition set for every image (or some), with a progress bar."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS
from cms.images.tasks import generate_renditions, make_renditions


class Command(BaseCommand):
    help = "Generate every rendition the renderer uses for all images (or --image IDs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--image", type=int, nargs="+", dest="image_ids",
                            help="only these image ids")
        parser.add_argument("--force", action="store_true",
                            help="delete the existing renditions of the set first")
        parser.add_argument("--queue", action="store_true",
                            help="hand each image to the Celery workers instead of working here")

    def handle(self, *args: Any, **options: Any) -> None:
        images = get_image_model().objects.order_by("pk")
        if options["image_ids"]:
            wanted = set(options["image_ids"])
            images = images.filter(pk__in=wanted)
            missing = wanted - set(images.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no image with id {', '.join(map(str, sorted(missing)))}")
        ids = list(images.values_list("pk", flat=True))
        failed: list[str] = []
        for image_id in tqdm(ids, desc="images", unit="image", file=self.stderr._out,
                             disable=options["verbosity"] == 0):
            if options["force"]:
                image = images.model.objects.get(pk=image_id)
                for rendition in image.renditions.filter(filter_spec__in=FILTER_SPECS):
                    rendition.delete()  # also deletes the file
            if options["queue"]:
                generate_renditions.delay(image_id)
                continue
            try:
                make_renditions(image_id)
            except Exception as exc:  # one broken original must not stop the others
                failed.append(f"image {image_id}: {exc}")
        verb = "queued" if options["queue"] else "rendered"
        self.stdout.write(f"{len(ids) - len(failed)} of {len(ids)} images {verb}, "
                          f"{len(FILTER_SPECS)} renditions each")
        if failed:
            raise CommandError("; ".join(failed))
