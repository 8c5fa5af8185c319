"""Every state a schedule can leave a page in, and the way out of it from the admin.

The editor's steps are admin forms posted as the editor would (the values the form shows,
plus what they change); the schedule's own steps are the sweep, the function the minute
beat task and the ETA tasks both run. "Later" is a schedule moved into the past, since
the admin takes times to the minute. Each case ends with what the status panel and the
"Scheduled publishing" report say.
"""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.publishing import scheduling
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage
from cms.testing.processes import wait_until

pytestmark = pytest.mark.django_db

MINUTE_FORMAT = "%Y-%m-%d %H:%M"  # how the admin's date/time widget shows and posts


def shown(value: datetime | None) -> str:
    """A time as the widget shows it (the form gives its initial values in local time)."""
    if value is None:
        return ""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime(
        MINUTE_FORMAT)


def fresh(page: Page) -> SampleContentPage:
    return SampleContentPage.objects.get(pk=page.pk)


def expiring_page(home: Page, slug: str, seconds: float = 1) -> SampleContentPage:
    """A live page whose expiry, saved with it as an editor would, is `seconds` away."""
    return SampleContentPageFactory(parent=home, title=slug.title(),
                                    expire_at=timezone.now() + timedelta(seconds=seconds))


def expire_now(page: Page) -> None:
    """The sweep applies the page's expiry once it is due."""
    wait_until(lambda: scheduling.sweep().expired, timeout=10, message="expired")
    assert fresh(page).expired and not fresh(page).live


def go_live_now(page: Page) -> None:
    """Time passes until the scheduled revision is due; the sweep publishes it.

    The admin schedules to the minute, so instead of waiting, every stored moment of the
    schedule (the approval and the revision's own dates) moves back by the same amount.
    """
    revision = fresh(page).scheduled_revision
    assert revision is not None, "nothing is scheduled"
    shift = revision.approved_go_live_at - timezone.now() + timedelta(seconds=1)
    for field in ("go_live_at", "expire_at"):
        if revision.content.get(field):
            revision.content[field] = (parse_datetime(revision.content[field])
                                       - shift).isoformat()
    revision.approved_go_live_at -= shift
    revision.save(update_fields=["content", "approved_go_live_at"])
    assert scheduling.sweep().published == 1
    assert fresh(page).live and fresh(page).live_revision_id == revision.pk


def edit_form(client, page: Page, url: str | None = None) -> tuple[str, dict[str, str]]:
    """The edit form's HTML and the values it shows, as the editor sees them."""
    response = client.get(url or reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    values = {name: form[name].value() for name in
              ("title", "slug", "go_live_at", "expire_at", "seo_title", "search_description")}
    return response.content.decode(), {
        **{name: value or "" for name, value in values.items() if "_at" not in name},
        "go_live_at": shown(values["go_live_at"]), "expire_at": shown(values["expire_at"])}


def post_edit(client, page: Page, action: str = "action-publish", url: str | None = None,
              **changes: str):
    """Press a button of the edit form, having changed only `changes`."""
    url = url or reverse("wagtailadmin_pages:edit", args=[page.pk])
    _html, values = edit_form(client, page, url)
    data = nested_form_data({**values, **changes, "body": streamfield([]),
                             "comments": inline_formset([])})
    if action:
        data[action] = action
    return client.post(url, data)


def refused(response) -> str:
    """The form errors of an admin answer that re-showed the form, else ''."""
    if response.status_code == 302:
        return ""
    return str(response.context["form"].errors)


def status_panel(client, page: Page) -> str:
    html, _values = edit_form(client, page)
    start = html.index('data-side-panel="status"')
    end = html.find('data-side-panel="', start + 1)
    return html[start:end if end > 0 else None]


def report(client) -> str:
    """The report's table (the page around it may quote titles in its messages)."""
    response = client.get(reverse("mortar_publishing:scheduled"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")].split("</header>", 1)[-1]


def unschedule(client, page: Page) -> None:
    """"Cancel scheduled publish": a scheduled page is locked until the editor does this."""
    revision = fresh(page).scheduled_revision
    response = client.post(reverse("wagtailadmin_pages:revisions_unschedule",
                                   args=[page.pk, revision.pk]))
    assert response.status_code == 302
    assert fresh(page).scheduled_revision is None


def upcoming_for(page: Page) -> list[str]:
    return [row["action"] for row in scheduling.upcoming() if row["object_id"] in
            (page.pk, str(page.pk))]


def test_expired_then_republished(home, editor):
    page = expiring_page(home, "offer", seconds=3)
    assert upcoming_for(page) == ["unpublish"]
    expire_now(page)
    assert upcoming_for(page) == []
    assert "Expiry:" not in status_panel(editor, page)  # spent, not a plan

    # Publish as shown: the form no longer carries the spent expiry, so it is accepted.
    response = post_edit(editor, page)
    assert not refused(response)
    page = fresh(page)
    assert page.live and not page.expired and page.expire_at is None
    assert upcoming_for(page) == []
    assert "Offer" not in report(editor)


def test_an_expiry_typed_in_the_past_is_still_refused(home, editor):
    page = SampleContentPageFactory(parent=home, title="Typo")
    response = post_edit(editor, page,
                         expire_at=shown(timezone.now() - timedelta(days=1)))
    assert "Expiry date/time must be in the future" in refused(response)


def test_expired_then_rescheduled(home, editor):
    page = expiring_page(home, "season")
    expire_now(page)
    # The editor sets a new go-live date and leaves the rest of the form as shown.
    response = post_edit(editor, page,
                         go_live_at=shown(timezone.now() + timedelta(days=1)))
    assert not refused(response)
    page = fresh(page)
    assert not page.live and page.status_string == "scheduled"
    assert upcoming_for(page) == ["publish"]
    panel = status_panel(editor, page)
    assert "Go-live:" in panel and "Expiry:" not in panel
    assert "Season" in report(editor)

    go_live_now(page)
    page = fresh(page)
    assert page.live and not page.expired and page.expire_at is None
    assert upcoming_for(page) == []


def test_an_expiry_keeps_the_next_version_scheduled_after_it(home, editor):
    """Offline on Friday, the new version on Monday: Friday must not cancel Monday."""
    page = expiring_page(home, "sale", seconds=3)
    response = post_edit(editor, page, title="Sale, next week",
                         go_live_at=shown(timezone.now() + timedelta(days=3)), expire_at="")
    assert not refused(response)
    assert sorted(upcoming_for(page)) == ["publish", "unpublish"]

    expire_now(page)
    assert upcoming_for(page) == ["publish"]
    assert "Go-live:" in status_panel(editor, page)
    assert "Sale, next week" in report(editor)

    go_live_now(page)
    page = fresh(page)
    assert page.title == "Sale, next week" and page.live and not page.expired
    assert upcoming_for(page) == []


def test_unpublished_by_hand_while_scheduled(home, editor):
    page = SampleContentPageFactory(parent=home, title="Notice",
                                    expire_at=timezone.now() + timedelta(days=2))
    post_edit(editor, page, title="Notice v2",
              go_live_at=shown(timezone.now() + timedelta(days=1)))
    assert sorted(upcoming_for(page)) == ["publish", "unpublish"]
    panel = status_panel(editor, page)
    assert "Locked by schedule" in panel and "Go-live:" in panel

    # Wagtail locks a page scheduled to go live: unpublishing it is refused as a whole...
    editor.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert fresh(page).live and sorted(upcoming_for(page)) == ["publish", "unpublish"]
    # ... until the editor cancels the schedule, which the status panel offers.
    unschedule(editor, page)
    response = editor.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    page = fresh(page)
    assert not page.live and page.status_string == "draft"
    assert upcoming_for(page) == []  # nor the expiry of a page that is offline anyway
    assert "Notice" not in report(editor)
    panel = status_panel(editor, page)
    # What is left is the draft's own plan, shown as such, not an active schedule.
    assert "Locked by schedule" not in panel and "Once scheduled:" in panel

    # The editor publishes again when they choose, from the form as shown: the draft
    # (v2) goes live at once with the expiry it still carries.
    response = post_edit(editor, page, go_live_at="")
    assert not refused(response)
    page = fresh(page)
    assert page.live and page.title == "Notice v2" and upcoming_for(page) == ["unpublish"]


def test_scheduled_then_reverted_to_the_live_revision(home, editor):
    page = SampleContentPageFactory(parent=home, title="Pricing")
    live_revision = fresh(page).live_revision_id
    post_edit(editor, page, title="Pricing 2027",
              go_live_at=shown(timezone.now() + timedelta(days=1)))
    assert upcoming_for(page) == ["publish"]

    unschedule(editor, page)
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, live_revision])
    _html, values = edit_form(editor, page, revert)
    assert values["title"] == "Pricing" and values["go_live_at"] == ""
    response = post_edit(editor, page, url=revert)
    assert not refused(response)
    page = fresh(page)
    assert page.live and page.title == "Pricing" and page.status_string == "live"
    assert upcoming_for(page) == []
    assert "Pricing 2027" not in report(editor)


def test_reverting_to_a_revision_with_a_spent_expiry(home, editor):
    page = expiring_page(home, "event")
    first = fresh(page).live_revision_id
    expire_now(page)
    post_edit(editor, page, action="", title="Event (draft)")  # save draft
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first])
    response = post_edit(editor, page, url=revert)
    assert not refused(response)
    page = fresh(page)
    assert page.live and page.title == "Event" and page.expire_at is None


def copy(client, page: Page, slug: str, parent: Page) -> SampleContentPage:
    response = client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), {
        "new_title": slug.title(), "new_slug": slug, "new_parent_page": parent.pk,
        "copy_subpages": False, "publish_copies": False, "alias": False})
    assert response.status_code == 302, response.content[:500]
    return SampleContentPage.objects.get(slug=slug)


def test_copied_while_scheduled(home, editor):
    original = home.add_child(instance=SampleContentPage(title="Launch", slug="launch", live=False))
    post_edit(editor, original, go_live_at=shown(timezone.now() + timedelta(days=1)))
    assert upcoming_for(original) == ["publish"]

    duplicate = copy(editor, original, "launch-copy", home)
    # The copy is a draft with the schedule as a plan: nothing of it is armed.
    assert not duplicate.live and duplicate.status_string == "draft"
    assert upcoming_for(duplicate) == [] and upcoming_for(original) == ["publish"]
    panel = status_panel(editor, duplicate)
    assert "Once scheduled" in panel and "Go-live:" in panel
    # Publishing the copy as shown schedules it, like the original.
    assert not refused(post_edit(editor, duplicate))
    assert upcoming_for(duplicate) == ["publish"] and not fresh(duplicate).live

    go_live_now(original)
    go_live_now(duplicate)


def test_copied_after_expiry(home, editor):
    original = expiring_page(home, "promo")
    expire_now(original)
    duplicate = copy(editor, original, "promo-copy", home)
    assert not refused(post_edit(editor, duplicate))
    duplicate = fresh(duplicate)
    assert duplicate.live and duplicate.expire_at is None


def test_moved_while_scheduled(home, editor):
    section = SampleContentPageFactory(parent=home, title="Section")
    page = home.add_child(instance=SampleContentPage(title="Moving", slug="moving", live=False))
    post_edit(editor, page, go_live_at=shown(timezone.now() + timedelta(days=1)))

    response = editor.post(
        reverse("wagtailadmin_pages:move_confirm", args=[page.pk, section.pk]))
    assert response.status_code == 302
    assert fresh(page).url_path.endswith("/section/moving/")
    assert upcoming_for(page) == ["publish"]
    assert "Moving" in report(editor)

    go_live_now(page)
    page = fresh(page)
    assert page.url_path.endswith("/section/moving/")  # published where it now is
    assert page.get_parent().pk == section.pk


def test_workflow_approval_with_a_go_live_date(home, editor):
    """Submitted for moderation with a go-live date; the approval schedules it."""
    task = GroupApprovalTask.objects.create(name="Approve")
    task.groups.set([editor.user.groups.model.objects.create(name="Moderators 2")])
    workflow = Workflow.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})

    page = home.add_child(instance=SampleContentPage(title="Reviewed", slug="reviewed", live=False))
    response = post_edit(editor, page, action="action-submit",
                         go_live_at=shown(timezone.now() + timedelta(days=1)))
    assert not refused(response)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    assert upcoming_for(page) == []  # only a request so far: nothing is scheduled
    assert "Reviewed" not in report(editor)

    response = editor.post(
        reverse("wagtailadmin_pages:workflow_action",
                args=[page.pk, "approve", state.current_task_state.pk]), {"comment": ""})
    assert response.status_code in (200, 302)
    page = fresh(page)
    assert not page.live and page.status_string == "scheduled"
    assert upcoming_for(page) == ["publish"]
    assert "Reviewed" in report(editor)
    assert "Go-live:" in status_panel(editor, page)

    go_live_now(page)
    assert upcoming_for(fresh(page)) == []
