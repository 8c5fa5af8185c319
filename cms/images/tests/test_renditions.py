"""The renderer's rendition set: made by a worker after upload, never in a page request."""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import features
from wagtail.images import get_image_model

from cms.images.renditions import FILTER_SPECS, WIDTHS
from cms.images.tasks import make_renditions
from cms.testing.content import image_in_document, page_with_image, uploaded_image
from cms.testing.processes import wait_until

WITH_WORKER = pytest.mark.django_db(transaction=True)


def rendition_count(image_id: int) -> int:
    return get_image_model().get_rendition_model().objects.filter(
        image_id=image_id, filter_spec__in=FILTER_SPECS).count()


def test_one_rendition_set_of_widths_times_formats():
    formats = [fmt for fmt in ("avif", "webp") if features.check(fmt)]
    expected = {f"width-{w}" for w in WIDTHS} | {
        f"width-{w}|format-{fmt}" for w in WIDTHS for fmt in formats}
    assert set(FILTER_SPECS) == expected
    assert len(FILTER_SPECS) == len(WIDTHS) * (len(formats) + 1)


@WITH_WORKER
def test_upload_makes_every_rendition_in_the_background_and_the_api_lists_them(
        home, start_worker, editor, client):
    start_worker(concurrency=2)
    image = uploaded_image(editor)
    page_with_image(home, image)
    uploaded_at = time.monotonic()

    with CaptureQueriesContext(connection) as queries:
        first = image_in_document(client, "/gallery/")
    inserts = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("INSERT") and "rendition" in q["sql"]]
    assert inserts == [], "the page request generated renditions"
    assert first["width"] == 2000 and first["alt"] == "The harbour"
    assert first["src"]  # the original, or the nearest size that exists

    wait_until(lambda: rendition_count(image.pk) == len(FILTER_SPECS), 20, 0.1,
               "every rendition made")
    print(f"rendition set ready {time.monotonic() - uploaded_at:.1f}s after upload")

    # The worker drops the cached document once it has saved them: within seconds.
    wait_until(lambda: len(image_in_document(client, "/gallery/")["srcset"])
               == len(FILTER_SPECS), 10, 0.1, "the API lists every rendition")
    document = image_in_document(client, "/gallery/")
    srcset = document["srcset"]
    assert len(srcset) == len(FILTER_SPECS)
    assert {(entry["width"], entry["format"]) for entry in srcset} == {
        (width, fmt) for width in WIDTHS
        for fmt in ("jpeg", *[f for f in ("avif", "webp") if features.check(f)])}
    assert all(entry["height"] == round(entry["width"] * 1200 / 2000) for entry in srcset)
    assert document["src"].endswith(".jpg") and "width-1600" in document["src"]


@WITH_WORKER
def test_a_burst_of_requests_queues_one_task_per_image(home, start_worker, editor,
                                                        client):
    from cms.testing.processes import clear_broker, redis_client

    image = uploaded_image(editor, title="Burst")
    page_with_image(home, image, slug="burst")
    clear_broker()  # forget the upload's own task: the requests alone must queue one

    for _ in range(20):
        image_in_document(client, "/burst/")
    queued = redis_client().lrange("images", 0, -1)
    assert len(queued) == 1 and b"generate_renditions" in queued[0]

    start_worker()
    wait_until(lambda: rendition_count(image.pk) == len(FILTER_SPECS), 20, 0.1,
               "the one queued task made the set")


@WITH_WORKER
def test_focal_point_change_regenerates_in_the_background(home, start_worker, editor):
    worker = start_worker()
    image = uploaded_image(editor, title="Focus")
    wait_until(lambda: rendition_count(image.pk) == len(FILTER_SPECS), 20, 0.1, "first set")
    done_before = worker.log().count("generate_renditions")

    response = editor.post(reverse("wagtailimages:edit", args=[image.pk]), {
        "title": "Focus", "collection": image.collection_id, "tags": "", "description": "",
        "focal_point_x": 300, "focal_point_y": 200, "focal_point_width": 100,
        "focal_point_height": 100,
    })
    assert response.status_code == 302

    wait_until(lambda: worker.log().count("generate_renditions") >= done_before + 2, 10, 0.1,
               "a task for the new focal point")
    assert rendition_count(image.pk) == len(FILTER_SPECS)


@WITH_WORKER
def test_concurrent_generation_makes_each_rendition_once(home, editor):
    image = uploaded_image(editor, title="Raced")
    errors: list[BaseException] = []

    def render() -> None:
        try:
            make_renditions(image.pk)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=render) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    specs = list(get_image_model().get_rendition_model().objects
                 .filter(image_id=image.pk).values_list("filter_spec", flat=True))
    assert sorted(specs) == sorted(FILTER_SPECS)


@pytest.mark.django_db
def test_renditions_whose_rows_are_gone_are_made_again_whatever_the_cache_holds(home, editor):
    # Wagtail caches each rendition it makes (in Redis here); rows deleted behind its back
    # (a purge, a restored database) left those entries, which counted as made: the API,
    # which reads the rows, found the image short and queued the task at every request.
    image = uploaded_image(editor, title="Purged")
    assert make_renditions(image.pk) == len(FILTER_SPECS)
    rendition_model = get_image_model().get_rendition_model()
    with connection.cursor() as cursor:  # as a restore would: no signal purges the cache
        cursor.execute(f"DELETE FROM {rendition_model._meta.db_table} WHERE image_id = %s",
                       [image.pk])
    assert rendition_model.cache_backend.get_many([
        rendition_model.construct_cache_key(image, "", spec) for spec in FILTER_SPECS])

    assert make_renditions(image.pk) == len(FILTER_SPECS)

    assert rendition_count(image.pk) == len(FILTER_SPECS)


@pytest.mark.django_db
def test_regenerate_renditions_command(home, editor, capsys):
    first = uploaded_image(editor, title="One")
    second = uploaded_image(editor, title="Two", width=900)

    call_command("regenerate_renditions", "--force")

    assert rendition_count(first.pk) == len(FILTER_SPECS)
    assert rendition_count(second.pk) == len(FILTER_SPECS)
    out, err = capsys.readouterr()
    assert "2 of 2 images rendered" in out
    assert "2/2" in err  # the progress bar

    with pytest.raises(CommandError, match="no image with id 999999"):
        call_command("regenerate_renditions", "--image", "999999")
