"""What drops cached page documents: each change bumps the versions of what it touched.

Bumps run after the transaction commits, so a document rebuilt because of them
reads the committed data.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.api import cache
from cms.api.cache import dep


def bump_after_commit(*names: str) -> None:
    transaction.on_commit(lambda: cache.bump(names))


def _page_changed(sender: type, instance: Page, **kwargs: Any) -> None:
    parent_path = instance.path[: -Page.steplen] if instance.path else ""
    parent_id = (Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
                 if parent_path else None)
    bump_after_commit(dep("page", instance.pk), dep("children", parent_id))


def _tree_changed(sender: type, instance: Page, **kwargs: Any) -> None:
    # Paths below a moved, renamed or deleted page change too: drop every document.
    bump_after_commit("tree", dep("page", instance.pk))


def _image_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_after_commit(dep("image", getattr(instance, "image_id", None) or instance.pk))


def _document_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_after_commit(dep("document", instance.pk))


def _restrictions_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_after_commit("restrictions")


def _sites_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_after_commit("sites")


def connect() -> None:
    page_published.connect(_page_changed, dispatch_uid="mortar_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="mortar_cache_unpublished")
    post_page_move.connect(_tree_changed, dispatch_uid="mortar_cache_moved")
    page_slug_changed.connect(_tree_changed, dispatch_uid="mortar_cache_slug")
    post_delete.connect(_tree_changed, sender=Page, dispatch_uid="mortar_cache_deleted")
    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        post_save.connect(_image_changed, sender=model, dispatch_uid=f"mortar_cache_{model}")
        post_delete.connect(_image_changed, sender=model, dispatch_uid=f"mortar_cache_d{model}")
    document_model = get_document_model()
    post_save.connect(_document_changed, sender=document_model, dispatch_uid="mortar_cache_doc")
    post_delete.connect(_document_changed, sender=document_model,
                        dispatch_uid="mortar_cache_doc_d")
    for model in (PageViewRestriction,):
        post_save.connect(_restrictions_changed, sender=model, dispatch_uid="mortar_cache_pvr")
        post_delete.connect(_restrictions_changed, sender=model,
                            dispatch_uid="mortar_cache_pvr_d")
    post_save.connect(_sites_changed, sender=Site, dispatch_uid="mortar_cache_site")
    post_delete.connect(_sites_changed, sender=Site, dispatch_uid="mortar_cache_site_d")
