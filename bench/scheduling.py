"""Scheduled-publish lateness and rendition time, measured with a real Celery worker.

    python bench/scheduling.py        (or: python -m bench.scheduling)

Uses DATABASE_URL / REDIS_URL / CELERY_BROKER_URL when set, else the bench's own
PostgreSQL database `mortar_bench` and Redis db 15 (BENCH_DATABASE_URL and
BENCH_REDIS_URL override). Migrates, starts one worker, schedules 20 pages a few
seconds ahead and reports how late each went live (Wagtail's `last_published_at`
minus its go-live time) as p50/p95/max, then renders the full rendition set of a
few photo-sized images and reports the time per image. Everything it creates is
deleted again. `run()` returns the figures for `make bench`.
"""

from __future__ import annotations

import io
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cms.testing.stats import percentile

if TYPE_CHECKING:
    from wagtail.models import Page

REPO = Path(__file__).resolve().parent.parent
SCHEDULES = 20
IMAGES = 4


def configure() -> None:
    """Environment for a standalone run; `make bench` sets up Django itself and calls run()."""
    redis_url = os.environ.get("REDIS_URL") or os.environ.get("BENCH_REDIS_URL",
                                                              "redis://127.0.0.1:6379/15")
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/mortar_bench")
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_BROKER_URL"] = os.environ.get("CELERY_BROKER_URL") or redis_url
    os.environ.setdefault("MEDIA_ROOT", str(REPO / ".local" / "bench-media"))
    os.environ.setdefault("FRONTEND_URL", "http://127.0.0.1:9")  # revalidation is not measured
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    sys.path.insert(0, str(REPO))

    import django

    django.setup()


def site_root() -> Page:
    from wagtail.models import Locale, Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site.root_page
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = Page(title="Home", slug="home")
    root.add_child(instance=home)
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def start_worker(log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--concurrency", "2",
         "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=REPO, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while " ready." not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start; see {log_path}")
        time.sleep(0.2)
    return process


def measure_lateness(parent: Page) -> list[float]:
    """Schedule SCHEDULES pages 8-13 s ahead; seconds between go-live and actual publish.

    The drafts are made first and every schedule is saved before the first go-live, so
    the editor-side saves here do not race the worker's publishes: with Wagtail's
    database search backend, concurrent saves can deadlock on its index table.
    """
    from django.utils import timezone

    from sites.example.models import ContentPage

    pages = []
    for index in range(SCHEDULES):
        page = ContentPage(title=f"Scheduled {index}", slug=f"scheduled-{index}", live=False)
        parent.add_child(instance=page)
        pages.append(page)
    start = timezone.now() + timedelta(seconds=8)
    for index, page in enumerate(pages):
        page.go_live_at = start + timedelta(seconds=index * 0.25)
        page.save_revision().publish()
    if timezone.now() > start:
        raise SystemExit("scheduling 20 pages took longer than 8 s; the machine is too busy")
    deadline = time.monotonic() + 40
    ids = [page.pk for page in pages]
    while ContentPage.objects.filter(pk__in=ids, live=True).count() < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit("scheduled pages did not all go live in time")
        time.sleep(0.1)
    published = dict(ContentPage.objects.filter(pk__in=ids)
                     .values_list("pk", "last_published_at"))
    return [(published[page.pk] - page.go_live_at).total_seconds() for page in pages]


def measure_renditions() -> list[float]:
    """Seconds to make the whole rendition set of one 2400x1600 photo, per image."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from cms.images.renditions import FILTER_SPECS
    from cms.images.tasks import make_renditions

    image_model = get_image_model()
    timings = []
    for index in range(IMAGES):
        picture = PILImage.effect_noise((2400, 1600), 40 + index).convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        image = image_model(title=f"bench rendition {index}")
        image.file = ImageFile(buffer, name=f"bench-{index}.jpg")
        image.save()
        began = time.perf_counter()
        made = make_renditions(image.pk)
        timings.append(time.perf_counter() - began)
        assert made == len(FILTER_SPECS)
        image.delete()
    return timings


def run() -> dict:
    """Both measures on the configured database and broker; Django must be set up."""
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Page

    from cms.images.renditions import FILTER_SPECS
    from cms.publishing.models import RevalidationRequest
    from sites.example.models import ContentPage

    call_command("migrate", verbosity=0, interactive=False)
    log_path = REPO / ".local" / f"bench-scheduling-worker-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    began = timezone.now()
    worker = start_worker(log_path)
    parent = None
    try:
        parent = ContentPage(title="Bench scheduling", slug=f"bench-scheduling-{os.getpid()}")
        site_root().add_child(instance=parent)
        lateness = measure_lateness(parent)
        renditions = measure_renditions()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if parent is not None and parent.pk:
            Page.objects.get(pk=parent.pk).delete()
        # The publishes asked the renderer to revalidate pages that are gone again.
        RevalidationRequest.objects.filter(created_at__gte=began).delete()
    return {
        "scheduled_publish_lateness_ms": {
            "p50": round(statistics.median(lateness) * 1000),
            "p95": round(percentile(lateness, 0.95) * 1000),
            "max": round(max(lateness) * 1000), "n": len(lateness)},
        "rendition_set_seconds_per_image": {
            "mean": round(statistics.mean(renditions), 2),
            "max": round(max(renditions), 2), "renditions": len(FILTER_SPECS),
            "n": len(renditions)},
    }


def main() -> None:
    configure()
    figures = run()
    late = figures["scheduled_publish_lateness_ms"]
    rend = figures["rendition_set_seconds_per_image"]
    print("| measure | value |\n|---|---|")
    print(f"| scheduled publish lateness p50 ({late['n']} schedules) | {late['p50']} ms |")
    print(f"| scheduled publish lateness p95 | {late['p95']} ms |")
    print(f"| scheduled publish lateness max | {late['max']} ms |")
    print(f"| rendition set ({rend['renditions']} renditions of a 2400x1600 JPEG), "
          f"mean per image | {rend['mean']} s |")
    print(f"| rendition set, slowest image | {rend['max']} s |")


if __name__ == "__main__":
    main()
