"""The embedded default under concurrent work: two processes render against one SQLite file."""

import sqlite3
import subprocess
import sys
from contextlib import closing

from cms.images.renditions import FILTER_SPECS
from cms.testing.databases import migrated_sqlite
from cms.testing.processes import REPO, embedded_env

MAKE_IMAGES = """
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
import io
from wagtail.images import get_image_model
for n in range(2):
    buffer = io.BytesIO()
    Image.effect_noise((2400, 1600), 60 + n).convert("RGB").save(buffer, "JPEG")
    image = get_image_model()(title=f"Upload {n}")
    image.file = ImageFile(ContentFile(buffer.getvalue(), name=f"upload-{n}.jpg"))
    image.save()
    print(image.pk)
"""

RENDER = """
import sys
from cms.images.tasks import generate_renditions
result = generate_renditions.apply(args=[int(sys.argv[1])], throw=True)
print("renditions", result.get())
"""

COUNT = """
from wagtail.images import get_image_model
from cms.images.renditions import FILTER_SPECS
from cms.testing.databases import migrated_sqlite
for image in get_image_model().objects.order_by("pk"):
    print(image.renditions.filter(filter_spec__in=FILTER_SPECS).count())
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_two_processes_make_renditions_against_sqlite_at_once(tmp_path):
    env = embedded_env(tmp_path)
    migrated_sqlite(tmp_path / "db.sqlite3", env)  # what `migrate` makes, made once per run
    ids = manage(env, "shell", "-v", "0", "-c", MAKE_IMAGES).split()
    assert len(ids) == 2

    # The two render at the same moment, each in its own process and connection.
    processes = [subprocess.Popen([sys.executable, "-c", "import django; django.setup(); "
                                   f"exec({RENDER!r})", image_id],
                                  cwd=REPO, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
                 for image_id in ids]
    outputs = [process.communicate(timeout=240)[0] for process in processes]

    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert f"renditions {len(FILTER_SPECS)}" in output, output
    assert manage(env, "shell", "-v", "0", "-c", COUNT).split() == [str(len(FILTER_SPECS))] * 2
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
