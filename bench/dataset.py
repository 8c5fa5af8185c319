"""The benchmark dataset: the demo site with 5,000 extra articles, a heavy and a light article."""

from dataclasses import dataclass

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.images.models import AbstractImage

from cms.blocks.samples import heavy_body
from cms.images.renditions import FILTER_SPECS
from sites.example.demo import demo_images
from sites.example.models import ArticleIndexPage, ArticlePage

EXTRA_PAGES = 5000
HEAVY_BLOCKS, LIGHT_BLOCKS = 50, 5
LINKS = IMAGES = 20


@dataclass
class Dataset:
    heavy_id: int
    heavy_path: str
    light_path: str
    heavy_queries: int
    light_queries: int
    pages: int


def ensure_database() -> None:
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"],
                            host=db["HOST"], port=db["PORT"])
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()


def bench_images() -> list[AbstractImage]:
    images = demo_images(lambda line: None, IMAGES, name="bench")
    for image in images:
        image.get_renditions(*FILTER_SPECS)
    return images


def _article(index: ArticleIndexPage, slug: str, title: str, body: str) -> ArticlePage:
    page = ArticlePage.objects.filter(slug=slug).first()
    if page is None:
        page = ArticlePage(slug=slug, title=title, date="2026-01-01", live=False)
        index.add_child(instance=page)
    page.title, page.body, page.intro = title, body, "A page for the benchmarks."
    page.save_revision().publish()
    return page


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def count_queries(client: Client, path: str) -> int:
    """SQL statements of one uncached by-path answer; BEGIN/COMMIT around the renderer
    dependency upsert (Django's bulk_create opens a transaction) are not counted."""
    with override_settings(API_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/by-path/", {"html_path": path})
    assert response.status_code == 200, response.content
    return sum(1 for query in queries.captured_queries
               if not query["sql"].startswith(TRANSACTION_CONTROL))


def build() -> Dataset:
    ensure_database()
    call_command("migrate", verbosity=0)
    generated = ArticlePage.objects.filter(slug__startswith="generated-").count()
    call_command("seed_demo", pages=EXTRA_PAGES if generated < EXTRA_PAGES else 0, verbosity=0)
    index = ArticleIndexPage.objects.get(slug="articles")
    images = bench_images()
    targets = list(ArticlePage.objects.filter(slug__startswith="generated-")
                   .order_by("pk")[:LINKS])
    heavy = _article(index, "heavy-article", "The heavy article",
                     heavy_body(targets, images, HEAVY_BLOCKS))
    _article(index, "light-article", "The light article",
             heavy_body(targets[:1], images[:1], LIGHT_BLOCKS))
    client = Client(HTTP_HOST="127.0.0.1")
    heavy_path, light_path = "/articles/heavy-article/", "/articles/light-article/"
    count_queries(client, heavy_path)  # Django's per-process caches (content types) warm up
    return Dataset(heavy_id=heavy.pk, heavy_path=heavy_path, light_path=light_path,
                   heavy_queries=count_queries(client, heavy_path),
                   light_queries=count_queries(client, light_path),
                   pages=ArticlePage.objects.count())


def heavy_json(path: str) -> bytes:
    with override_settings(API_CACHE_SECONDS=0):
        response = Client(HTTP_HOST="127.0.0.1").get("/api/v2/pages/by-path/",
                                                     {"html_path": path})
    return response.content


def light_article() -> ArticlePage:
    return ArticlePage.objects.get(slug="light-article")


def heavy_article() -> ArticlePage:
    return ArticlePage.objects.get(slug="heavy-article")
