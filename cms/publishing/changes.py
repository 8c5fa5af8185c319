"""Every change an editor, the schedule or a task can make, mapped to dependency names.

This is the one place that knows what a change touches. Each handler writes an outbox
row (`RevalidationRequest`) with the names in the change's own transaction, so a
change that commits is never lost; after the commit the CMS's document cache drops
what shows those names, and a task delivers the row to the renderer
(`cms.publishing.delivery`). Nothing here may fail an editor's save: what runs after
the commit (Redis, the broker) is `robust`, and the sweep redelivers what was not sent.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.core import broker
from cms.core.redis import failing as redis_failing
from cms.publishing import cache, dependencies
from cms.publishing.models import RevalidationRequest

logger = logging.getLogger(__name__)

# A move or slug change re-paths every descendant; past this many, every answer goes.
MAX_DESCENDANTS = 500
# A collection's restriction changes what answers show of its media; past this many
# images and documents, every answer goes.
MAX_MEDIA = 500


def record(names: Iterable[str], reason: str) -> RevalidationRequest:
    """Write the outbox row in the current transaction; act on it once that commits."""
    from cms.publishing.tasks import deliver_revalidation

    name_list = sorted(set(names))
    row = RevalidationRequest.objects.create(tags=name_list, reason=reason[:255])
    # Robust: Redis or the broker being down must not turn a saved change into an error.
    # While Redis fails, the delivery drops the CMS's copies once it is back.
    transaction.on_commit(lambda: redis_failing() or cache.bump(name_list), robust=True)
    # Kept and sent again when the broker is back (cms.core.broker).
    broker.send_on_commit(deliver_revalidation, row.pk)
    return row


def _parent_id(page: Page) -> int | None:
    if not page.path or page.depth <= 1:
        return None
    parent_path = page.path[: -Page.steplen]
    return Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()


def site_names(page: Page) -> set[str]:
    """The routes and sitemap of each Site whose tree holds the page (none for a page
    outside every Site's tree). One query, of the database only: Wagtail's cached
    `Site.get_site_root_paths` would need Redis, which must not fail a save."""
    roots = Site.objects.values_list("pk", "root_page__url_path")
    return {name for site_id, root_path in roots
            if page.url_path and page.url_path.startswith(root_path)
            for name in (dependencies.routes(site_id), dependencies.pages(site_id))}


def page_names(page: Page) -> set[str]:
    """A page's live state, fields or place changed: it, its parent's listing, its
    Site's routes and sitemap.

    Menus show the pages they list by name; one more in a menu changes its parent's menu.
    """
    parent_id = _parent_id(page)
    names = {dependencies.page(page.pk), dependencies.children(parent_id),
             *site_names(page)}
    if page.show_in_menus:
        names.add(dependencies.menu(parent_id))
    return names


def subtree_names(page: Page) -> set[str]:
    """Paths below a page changed too (move, slug change): every descendant's name."""
    ids = list(Page.objects.descendant_of(page).values_list("pk", flat=True)
               [: MAX_DESCENDANTS + 1])
    if len(ids) > MAX_DESCENDANTS:
        return {dependencies.SITES}  # every answer shows it: drop them all
    return {dependencies.page(pk) for pk in ids}


def _published(sender: type, instance: Page, **kwargs: Any) -> None:
    record(page_names(instance), f"publish page {instance.pk}")


def _unpublished(sender: type, instance: Page, **kwargs: Any) -> None:
    # Also sent for every live page Wagtail deletes (its pre_delete handler unpublishes).
    record(page_names(instance), f"unpublish page {instance.pk}")


def _moved(sender: type, instance: Page, parent_page_before: Page | None = None,
           **kwargs: Any) -> None:
    # Sent for reordering among siblings too.
    instance.refresh_from_db(fields=["url_path", "path", "depth"])
    names = page_names(instance) | subtree_names(instance)
    if parent_page_before is not None:  # it may have been on another Site
        names.add(dependencies.children(parent_page_before.pk))
        names.add(dependencies.menu(parent_page_before.pk))
        names |= site_names(parent_page_before)
    record(names, f"move page {instance.pk}")


def _slug_changed(sender: type, instance: Page, **kwargs: Any) -> None:
    # Wagtail sends this after the commit: this row has its own transaction.
    record(page_names(instance) | subtree_names(instance), f"slug change of page {instance.pk}")


def _page_deleted(sender: type, instance: Page, **kwargs: Any) -> None:
    record(page_names(instance), f"delete page {instance.pk}")


def _restriction_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, CollectionViewRestriction):
        if names := collection_names(instance.collection_id):
            record(names, f"view restriction of collection {instance.collection_id}")
        return
    # Inherited by every page below: each answer that shows, lists or links one of them
    # names it (`page:<id>`), as after a move; past MAX_DESCENDANTS, every answer goes.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return  # deleted with its page, whose deletion named it
    if Site.objects.filter(root_page__path__startswith=page.path).exists():
        # A Site's root at or below it: that Site's menu, sitemap and 404s change whole.
        names = {dependencies.RESTRICTIONS}
    else:
        names = page_names(page) | subtree_names(page) | redirecting_sites(page)
    record(names, f"view restriction of page {page.pk}")


def redirecting_sites(page: Page) -> set[str]:
    """The routes of every Site, if a redirect (of any Site, or of all) leads to the page
    or below it: such a redirect answers 404 while its target is private. One query."""
    if not Redirect.objects.filter(redirect_page__path__startswith=page.path).exists():
        return set()
    return {dependencies.routes(pk) for pk in Site.objects.values_list("pk", flat=True)}


def collection_names(collection_id: int) -> set[str]:
    """Who may see a collection changed: the images and documents in it and in the
    collections below it (two queries), which are what answers show of it; past
    MAX_MEDIA of them, every answer goes. A collection gone already names nothing."""
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None:
        return set()
    below = Collection.objects.filter(path__startswith=collection.path)
    names: set[str] = set()
    for model, name in ((get_image_model(), dependencies.image),
                        (get_document_model(), dependencies.document)):
        ids = list(model.objects.filter(collection__in=below).values_list("pk", flat=True)
                   [: MAX_MEDIA + 1 - len(names)])
        names |= {name(pk) for pk in ids}
        if len(names) > MAX_MEDIA:
            return {dependencies.RESTRICTIONS}
    return names


def _collection_changed(sender: type, instance: Collection, **kwargs: Any) -> None:
    # Saved also when the admin moves it (in the same transaction): under or out of a
    # restricted collection, its media change who may see them.
    if names := collection_names(instance.pk):  # a new or empty one shows nowhere
        record(names, f"collection {instance.pk}")


def _restriction_groups_changed(sender: type, instance: Any, action: str, reverse: bool,
                                model: type, pk_set: set[int] | None,
                                **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _restriction_changed(sender, instance)
    elif pk_set is None:  # a group's restrictions cleared: which ones is not said
        record({dependencies.RESTRICTIONS}, f"view restrictions of group {instance.pk}")
    else:  # from the group's side: `model` is the restriction model, `pk_set` its rows
        for restriction in model.objects.filter(pk__in=pk_set):
            _restriction_changed(model, restriction)


def _image_changed(sender: type, instance: Model, **kwargs: Any) -> None:
    record({dependencies.image(instance.pk)}, f"image {instance.pk}")


def renditions_made(image_id: int) -> None:
    """Renditions of an image were made: answers built while it lacked them show it better."""
    record({dependencies.image(image_id)}, f"renditions of image {image_id}")


def _document_changed(sender: type, instance: Model, **kwargs: Any) -> None:
    record({dependencies.document(instance.pk)}, f"document {instance.pk}")


def _snippet_or_setting_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # Connected for every model: snippets and settings are registered by sites at any time.
    if sender._meta.app_label == RevalidationRequest._meta.app_label:
        return  # the outbox itself (a snippet in the admin) is no content
    if isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        record({dependencies.setting(sender._meta.label)}, f"setting {sender._meta.label}")
    elif sender in get_snippet_models():
        record({dependencies.snippet(sender._meta.label, instance.pk)},
               f"snippet {sender._meta.label} {instance.pk}")


def _site_changed(sender: type, instance: Site, **kwargs: Any) -> None:
    # Every answer shows SITES: the Site's hostname or root decides what each answers.
    record({dependencies.SITES, dependencies.routes(instance.pk), dependencies.site(instance.pk)},
           f"site {instance.pk}")


def _redirect_changed(sender: type, instance: Redirect, **kwargs: Any) -> None:
    # A redirect without a Site covers every Site's paths.
    site_ids = ([instance.site_id] if instance.site_id is not None
                else Site.objects.values_list("pk", flat=True))
    record({dependencies.routes(pk) for pk in site_ids}, f"redirect {instance.old_path}")


def _on_save_and_delete(model: type[Model], handler: Any, uid: str) -> None:
    post_save.connect(handler, sender=model, dispatch_uid=f"mortar_changes_{uid}_saved")
    post_delete.connect(handler, sender=model, dispatch_uid=f"mortar_changes_{uid}_deleted")


_watched: set[type[Model]] = set()


def watched(model: type[Model]) -> bool:
    """Whether a change to an object of `model` is mapped to names: by `watch`, or as the
    platform's own (pages, images, documents, snippets, settings, Sites)."""
    return (model in _watched
            or issubclass(model, Page | Site | BaseSiteSetting | BaseGenericSetting)
            or issubclass(model, get_image_model() | get_document_model())
            or model in get_snippet_models())


def watch(model: type[Model],
          names: Callable[[Model], Iterable[str]] | None = None) -> None:
    """Saves and deletes of `model` change what shows `names(instance)` (by default its
    `dependencies.instance` name): how a site's own kind of value (a
    `cms.api.adapters.Kind` whose `dependency_names` name its objects) has their changes
    reach the answers that show them. Watching a model again replaces its names."""
    label = model._meta.label

    def changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        found = (names(instance) if names is not None
                 else {dependencies.instance(label, instance.pk)})
        record(found, f"{label} {instance.pk}")

    for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
        # Strong: `changed` lives nowhere else. One per model: a second watch replaces it.
        uid = f"mortar_changes_watch_{model._meta.label_lower}_{event}"
        signal.disconnect(sender=model, dispatch_uid=uid)
        signal.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    _watched.add(model)


def connect() -> None:
    """Connect every source of change (called once, from the app's ready())."""
    page_published.connect(_published, dispatch_uid="mortar_changes_published")
    page_unpublished.connect(_unpublished, dispatch_uid="mortar_changes_unpublished")
    post_page_move.connect(_moved, dispatch_uid="mortar_changes_moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="mortar_changes_slug")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="mortar_changes_page_deleted")
    for model in (PageViewRestriction, CollectionViewRestriction):
        _on_save_and_delete(model, _restriction_changed, model._meta.label_lower)
        m2m_changed.connect(_restriction_groups_changed, sender=model.groups.through,
                            dispatch_uid=f"mortar_changes_{model._meta.label_lower}_groups")
    post_save.connect(_collection_changed, sender=Collection,
                      dispatch_uid="mortar_changes_collection_saved")
    _on_save_and_delete(get_image_model(), _image_changed, "image")
    _on_save_and_delete(get_document_model(), _document_changed, "document")
    post_save.connect(_snippet_or_setting_changed, dispatch_uid="mortar_changes_model_saved")
    post_delete.connect(_snippet_or_setting_changed, dispatch_uid="mortar_changes_model_deleted")
    _on_save_and_delete(Site, _site_changed, "site")
    _on_save_and_delete(Redirect, _redirect_changed, "redirect")
