"""A draftable snippet's schedule, as pages have it (test_schedule_states.py): expired by
the schedule, it can be published again from the admin form as shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.core.forms import ScheduleModelForm
from cms.publishing import scheduling
from cms.testing.pages.models import SampleNotice
from cms.testing.processes import wait_until

pytestmark = pytest.mark.django_db

MINUTE_FORMAT = "%Y-%m-%d %H:%M"  # how the admin's date/time widget shows and posts


def shown(value) -> str:
    return timezone.localtime(value).strftime(MINUTE_FORMAT) if value else ""


def edit_url(notice: SampleNotice) -> str:
    return reverse("wagtailsnippets_mortar_testing_pages_samplenotice:edit", args=[notice.pk])


def expired_notice() -> SampleNotice:
    """A live notice whose expiry, saved with it, the sweep has applied."""
    notice = SampleNotice(text="Summer sale", expire_at=timezone.now() + timedelta(seconds=1))
    notice.save()
    notice.save_revision().publish()
    wait_until(lambda: scheduling.sweep().expired, timeout=10, message="expired")
    notice.refresh_from_db()
    assert notice.expired and not notice.live
    return notice


def post_edit(client, notice: SampleNotice, action: str = "action-publish", **changes: str):
    """Press a button of the edit form, having changed only `changes`."""
    response = client.get(edit_url(notice))
    assert response.status_code == 200
    form = response.context["form"]
    values = {"text": form["text"].value(), "go_live_at": shown(form["go_live_at"].value()),
              "expire_at": shown(form["expire_at"].value()), **changes}
    if action:
        values[action] = action
    return client.post(edit_url(notice), values)


def test_every_draftable_snippet_gets_the_schedule_form():
    assert issubclass(SampleNotice.base_form_class, ScheduleModelForm)


def test_expired_then_published_again_through_the_admin_form(editor):
    notice = expired_notice()

    # The form shows no spent expiry, so publishing it as shown is accepted.
    response = post_edit(editor, notice)

    assert response.status_code == 302, response.context["form"].errors
    notice.refresh_from_db()
    assert notice.live and not notice.expired and notice.expire_at is None
    assert not [row for row in scheduling.upcoming()
                if row["object_id"] in (notice.pk, str(notice.pk))]


def test_an_expiry_typed_in_the_past_is_still_refused(editor):
    notice = expired_notice()

    response = post_edit(editor, notice,
                         expire_at=shown(timezone.now() - timedelta(days=1)))

    assert response.status_code == 200
    assert "Expiry date/time must be in the future" in str(response.context["form"].errors)
    notice.refresh_from_db()
    assert not notice.live
