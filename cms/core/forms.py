"""The admin form of every Mortar page type."""

from typing import Any

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm


class SchedulePageForm(WagtailAdminPageForm):
    """Wagtail's page form, without an expiry that has already passed.

    A spent expiry stays in the page's latest revision (and in the revisions an editor
    reverts to, and in copies). Wagtail would show it as the page's next schedule and
    refuse every Publish or Save with "Expiry date/time must be in the future" until the
    editor found and cleared the field; the page would stay offline. It schedules nothing
    any more, so the form (and the status panel, which reads the same object) starts
    without it. An expiry the editor types in the past is still refused.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        page = kwargs.get("instance")
        if page is not None and page.expire_at and page.expire_at <= timezone.now():
            page.expire_at = None
        super().__init__(*args, **kwargs)
