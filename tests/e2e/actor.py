"""An editor acting on the CMS's database from its own process: `python -m tests.e2e.actor`.

The e2e tests' own connection sits in a transaction pytest-django rolls back, so changes
made there would never reach gunicorn. This process runs with the stack's environment,
reads one JSON request a line on stdin ({"op": name, "args": {...}}), performs it in
its own committed transaction through the same model methods the admin calls (so
Wagtail's signals and on-commit hooks fire as they do for an editor) and answers one
JSON line: {"ok": true, "result": ...} once committed, or {"ok": false, "error": ...}.

One such process serves a test session's stack (tests.e2e.helpers.editor_process): the
tests' ORM snippets too (`cms_shell`, the op `shell`), which as `manage.py shell` each
would pay a Django start (1.5 s of CPU).
"""

import datetime
import json
import sys
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import (  # noqa: E402
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from cms.core.models import NavigationSettings  # noqa: E402
from cms.images.tasks import generate_renditions  # noqa: E402
from sites.example.demo import demo_images  # noqa: E402

Op = Callable[..., Any]
OPS: dict[str, Op] = {}
# Ops run as they are, not in one transaction: as `manage.py shell -c` runs its code.
AUTOCOMMIT = {"shell"}


def op(function: Op) -> Op:
    OPS[function.__name__] = function
    return function


@op
def shell(code: str) -> None:
    """Python code run as `manage.py shell -c` runs it (autocommit; its output to stderr)."""
    exec(code, {"__name__": "__shell__"})


def _page(page_id: int) -> Page:
    return Page.objects.get(pk=page_id).specific


def _site() -> Site:
    return Site.objects.get(is_default_site=True)


def _editor() -> Any:
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _publish(page: Page) -> None:
    page.save_revision(user=_editor()).publish(user=_editor())


def _create_and_publish(parent: Page, page: Page) -> None:
    """As the admin's create view, then Publish: the page is a draft until published."""
    page.live = False
    parent.add_child(instance=page)
    _publish(page)


@op
def setup(prefix: str, articles: int, sections: int) -> dict[str, Any]:
    """Content the run may change freely: a collection with images, a document, pages.

    Returns {"images": [{id, title, file}], "collection": id, "document": id,
    "articles": [{id, title, path}], "sections": [...], "about": id, "home": id,
    "article_index": id}.
    """
    site = _site()
    home = site.root_page.specific
    index = home.get_children().get(slug="articles").specific
    about = home.get_children().get(slug="about").specific
    collection = Collection.get_first_root_node().add_child(name=f"Freshness {prefix}")
    images = demo_images(lambda _: None, count=2, name=f"fresh{prefix}")
    images[1].collection = collection
    images[1].save()
    for image in images:  # as the worker would; the run then starts from complete pages
        generate_renditions(image.pk)
    document = get_document_model()(title=f"Fresh leaflet {prefix}", collection=collection)
    document.file.save(f"fresh-{prefix}.txt", ContentFile(b"A leaflet."), save=False)
    document.save()
    made_articles = []
    article_model = type(index.get_children().first().specific)
    for n in range(articles):
        title = f"Fresh article {n} {prefix}"
        page = article_model(
            title=title, slug=f"fresh-{n}-{prefix}", date=timezone.localdate(),
            intro=f"Intro of {title}.", hero_image=images[n % 2],
            body=json.dumps([{"type": "rich_text", "value":
                              f'<p>See <a linktype="document" id="{document.pk}">the leaflet'
                              "</a>.</p>"}]))
        _create_and_publish(index, page)
        made_articles.append({"id": page.pk, "title": title, "path": page.url_path})
    made_sections = []
    section_model = type(about)
    for n in range(sections):
        title = f"Fresh section {n} {prefix}"
        page = section_model(title=title, slug=f"fresh-section-{n}-{prefix}", show_in_menus=True,
                             body=json.dumps([{"type": "image", "value": {
                                 "image": images[1].pk, "alt": "", "caption": ""}}]))
        _create_and_publish(home, page)
        made_sections.append({"id": page.pk, "title": title, "path": page.url_path})
    return {"images": [{"id": image.pk, "title": image.title, "file": image.file.name}
                       for image in images],
            "collection": collection.pk, "document": document.pk,
            "articles": made_articles, "sections": made_sections, "about": about.pk,
            "home": home.pk, "article_index": index.pk}


def _path(page_id: int) -> str:
    page = Page.objects.get(pk=page_id)
    return page.url_path


def _site_path(page_id: int) -> str:
    """The page's address on the site: its url_path below the site's root page."""
    root = _site().root_page.url_path
    return "/" + _path(page_id)[len(root):]


@op
def publish(page_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Sets `fields` (title, slug, show_in_menus, expire_at...), then Publish as in the admin."""
    page = _page(page_id)
    for name, value in fields.items():
        setattr(page, name, value)
    _publish(page)
    return {"path": _site_path(page_id)}


@op
def unpublish(page_id: int) -> dict[str, Any]:
    _page(page_id).unpublish(user=_editor())
    return {"path": _site_path(page_id)}


@op
def move(page_id: int, target_id: int, pos: str) -> dict[str, Any]:
    _page(page_id).move(Page.objects.get(pk=target_id), pos=pos, user=_editor())
    return {"path": _site_path(page_id)}


@op
def delete(page_id: int) -> dict[str, Any]:
    path = _site_path(page_id)
    _page(page_id).delete(user=_editor())
    return {"path": path}


@op
def expire(page_id: int, seconds: float) -> dict[str, Any]:
    """Publish with expire_at `seconds` from now (negative: already past); returns it."""
    page = _page(page_id)
    page.expire_at = timezone.now() + datetime.timedelta(seconds=seconds)
    _publish(page)
    return {"path": _site_path(page_id), "expire_at": page.expire_at.timestamp()}


@op
def make_private(page_id: int, kind: str) -> dict[str, Any]:
    fields = {"password": "fresh-secret"} if kind == PageViewRestriction.PASSWORD else {}
    PageViewRestriction.objects.create(page_id=page_id, restriction_type=kind, **fields)
    return {"path": _site_path(page_id)}


@op
def remove_privacy(page_id: int) -> dict[str, Any]:
    for restriction in PageViewRestriction.objects.filter(page_id=page_id):
        restriction.delete(user=_editor())
    return {"path": _site_path(page_id)}


@op
def restrict_collection(collection_id: int) -> None:
    CollectionViewRestriction.objects.create(collection_id=collection_id,
                                             restriction_type=CollectionViewRestriction.LOGIN)


@op
def unrestrict_collection(collection_id: int) -> None:
    for restriction in CollectionViewRestriction.objects.filter(collection_id=collection_id):
        restriction.delete()


MEDIA = {"image": get_image_model, "document": get_document_model}


@op
def edit_media(kind: str, pk: int, field: str, value: str) -> None:
    """An image's or document's text field (title, description: the alt text), saved."""
    item = MEDIA[kind]().objects.get(pk=pk)
    setattr(item, field, value)
    item.save()


@op
def focal_point(image_id: int, x: float, y: float) -> None:
    """A focal point centred at (x, y), fractions of the width and height."""
    image = get_image_model().objects.get(pk=image_id)
    image.focal_point_x, image.focal_point_y = int(image.width * x), int(image.height * y)
    image.focal_point_width, image.focal_point_height = image.width // 5, image.height // 5
    image.save()


@op
def footer_text(text: str) -> dict[str, Any]:
    settings = NavigationSettings.for_site(_site())
    before = settings.footer_text
    settings.footer_text = text
    settings.save()
    return {"before": before}


@op
def footer_links(links: list[dict[str, Any]]) -> dict[str, Any]:
    """Replaces the footer links; each is {"label", "page": id or None, "url"}."""
    settings = NavigationSettings.for_site(_site())
    before = [{"label": block.value["label"],
               "page": block.value["link"]["page"].pk if block.value["link"]["page"] else None,
               "url": block.value["link"]["url"] or ""} for block in settings.footer_links]
    settings.footer_links = json.dumps([
        {"type": "link", "value": {"label": link["label"],
                                   "link": {"page": link["page"], "url": link["url"]}}}
        for link in links])
    settings.save()
    return {"before": before}


@op
def site_name(name: str) -> dict[str, Any]:
    site = _site()
    before = site.site_name
    site.site_name = name
    site.save()
    return {"before": before}


@op
def site_hostname(hostname: str, port: int) -> dict[str, Any]:
    """The default site answers any host, so the site keeps serving it under a new name."""
    site = _site()
    before = {"hostname": site.hostname, "port": site.port}
    site.hostname, site.port = hostname, port
    site.save()
    return {"before": before}


@op
def redirect_add(old_path: str, page_id: int | None, url: str) -> dict[str, Any]:
    redirect = Redirect.objects.create(old_path=Redirect.normalise_path(old_path), site=_site(),
                                       redirect_page_id=page_id, redirect_link=url,
                                       is_permanent=True)
    return {"id": redirect.pk}


@op
def redirect_change(redirect_id: int, page_id: int | None, url: str) -> None:
    redirect = Redirect.objects.get(pk=redirect_id)
    redirect.redirect_page_id, redirect.redirect_link = page_id, url
    redirect.save()


@op
def redirect_delete(redirect_id: int) -> None:
    Redirect.objects.get(pk=redirect_id).delete()


def main() -> None:
    answers, sys.stdout = sys.stdout, sys.stderr  # nothing else may write to the answers
    for line in sys.stdin:
        request = json.loads(line)
        name = request["op"]
        try:
            with nullcontext() if name in AUTOCOMMIT else transaction.atomic():
                result = OPS[name](**request.get("args", {}))
            answer = {"ok": True, "result": result}
        except Exception:  # the test reports it; this process keeps serving
            answer = {"ok": False, "error": traceback.format_exc()}
        finally:
            # As after a request (CONN_MAX_AGE 0): a connection an outage test broke is
            # never reused.
            connection.close()
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
