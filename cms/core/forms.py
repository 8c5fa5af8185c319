"""The admin forms of everything that can be scheduled: pages and draftable snippets."""

from typing import Any

from django.apps import apps
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import DraftStateMixin, Page


class SpentExpiryMixin:
    """An admin form without an expiry that has already passed.

    A spent expiry stays in the object's latest revision (and in the revisions an editor
    reverts to, and in copies). Wagtail would show it as the next schedule and refuse
    every Publish or Save with "Expiry date/time must be in the future" until the editor
    found and cleared the field; the page or snippet would stay offline. It schedules
    nothing any more, so the form (and the status panel, which reads the same object)
    starts without it. An expiry the editor types in the past is still refused.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        expire_at = getattr(instance, "expire_at", None)
        if expire_at is not None and expire_at <= timezone.now():
            instance.expire_at = None  # type: ignore[union-attr]
        super().__init__(*args, **kwargs)


class SchedulePageForm(SpentExpiryMixin, WagtailAdminPageForm):
    """The admin form of every Mortar page type (`BasePage.base_form_class`)."""


class ScheduleModelForm(SpentExpiryMixin, WagtailAdminModelForm):
    """The admin form of every draftable snippet (given by `use_schedule_forms`)."""


def use_schedule_forms() -> None:
    """Give every draftable model that is not a page and names no admin form of its own
    ScheduleModelForm, so that it can be published again after its expiry as pages can.
    Called once the models are loaded (cms.core's ready()); a model naming a form that
    lacks SpentExpiryMixin is reported by the system check mortar.W002."""
    for model in apps.get_models():
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page) \
                and "base_form_class" not in vars(model):
            model.base_form_class = ScheduleModelForm  # type: ignore[attr-defined]
