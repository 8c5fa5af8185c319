"""What editors see of revalidation: Settings → Revalidation says what came of each change
(never "delivered" when no entry heard of it), and Settings → Renderer what the renderer URL
is for and whether that renderer hears of changes."""

from django.urls import reverse
from wagtail.models import Site

from cms.core.models import NavigationSettings
from cms.publishing.delivery import deliver
from cms.publishing.models import RevalidationRequest
from cms.publishing.tests.renderer import add_page, as_renderer
from cms.testing.ports import closed_port
from cms.testing.standins import StandInRenderer


def renderer_page(editor) -> str:
    site = Site.objects.get(is_default_site=True)
    response = editor.get(reverse("wagtailsettings:edit",
                                  args=["core", "renderersettings", site.pk]))
    assert response.status_code == 200
    return response.content.decode()


def revalidation_list(editor) -> str:
    response = editor.get(reverse("wagtailsnippets_mortar_publishing_revalidationrequest:list"))
    assert response.status_code == 200
    return response.content.decode()


def publish_a_page_the_renderer_shows(home, client, slug: str) -> None:
    """A page the renderer has cached, published again: its outbox row alone."""
    page = add_page(home, slug)
    as_renderer(client, f"/{slug}/")
    RevalidationRequest.objects.all().delete()
    page.save_revision().publish()


def deliver_all() -> None:
    for row in RevalidationRequest.objects.all():
        deliver(row.pk)


def test_each_change_says_how_many_entries_it_reached_where_or_that_none_showed_it(
        home, editor, client, settings):
    renderer = StandInRenderer(0, settings.REVALIDATE_SECRET)
    settings.FRONTEND_URL = renderer.url
    try:
        publish_a_page_the_renderer_shows(home, client, "shown")
        NavigationSettings.for_site(Site.objects.get()).save()  # no cached entry shows it
        deliver_all()
    finally:
        renderer.close()

    shown = RevalidationRequest.objects.get(reason__startswith="publish")
    unseen = RevalidationRequest.objects.filter(reason__startswith="setting").last()
    assert (shown.status, shown.outcome) == ("delivered", f"told 1 entry on {renderer.url}")
    assert (unseen.status, unseen.outcome) == ("nothing cached showed this",) * 2
    listing = revalidation_list(editor)
    assert f"told 1 entry on {renderer.url}" in listing
    assert "nothing cached showed this" in listing


def test_the_renderer_page_says_what_it_is_for_and_whether_it_hears_of_changes(
        home, editor, client, settings):
    wrong = StandInRenderer(0, "not-the-cms-secret")
    settings.FRONTEND_URL = wrong.url
    try:
        page = renderer_page(editor)
        assert "What this is for." in page and "see the change within seconds" in page
        assert f"Now: {wrong.url} cannot be told of changes:" in page
        assert "refuses this CMS&#x27;s REVALIDATE_SECRET (401)" in page
        assert "Last revalidation:</strong> none yet" in page
    finally:
        wrong.close()

    right = StandInRenderer(0, settings.REVALIDATE_SECRET)
    settings.FRONTEND_URL = right.url
    try:
        publish_a_page_the_renderer_shows(home, client, "seen")
        deliver_all()
        shown = renderer_page(editor)
        assert f"Now:</strong> {right.url} answers, and takes this CMS's changes." in shown
        assert "Last revalidation:</strong> answered at" in shown
        assert "it dropped 1 of its saved pages" in shown
    finally:
        right.close()

    settings.FRONTEND_URL = f"http://127.0.0.1:{closed_port()}"
    row = RevalidationRequest.objects.create(tags=["sites"])
    deliver(row.pk)
    down = renderer_page(editor)
    assert "cannot be reached: Connection refused" in down
    assert "Last revalidation: not answered.</strong> It has failed since" in down
    assert "1 change(s) wait, and reach it as soon as it answers again." in down
