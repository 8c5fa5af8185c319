"""Admin: the scheduled publishing report and the revalidation outbox."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.publishing.models import RevalidationRequest
from cms.publishing.views import ScheduledChangesReport

report_urls = [
    path("", ScheduledChangesReport.as_view(), name="scheduled"),
    path("results/", ScheduledChangesReport.as_view(results_only=True),
         name="scheduled_results"),
]


@hooks.register("register_admin_urls")
def register_report_urls() -> list:
    return [path("reports/scheduled-publishing/",
                 include((report_urls, "mortar_publishing"), namespace="mortar_publishing"))]


@hooks.register("register_reports_menu_item")
def register_report_menu_item() -> MenuItem:
    return MenuItem(_("Scheduled publishing"), reverse("mortar_publishing:scheduled"),
                    name="scheduled-publishing", icon_name="calendar-alt", order=650)


class RevalidationRequestViewSet(SnippetViewSet):
    """Every change sent (or still to be sent) to the renderers, and what came of it: how
    many entries each renderer was told to drop, that nothing cached showed it, or what
    fails where."""

    model = RevalidationRequest
    icon = "resubmit"
    menu_label = _("Revalidation")
    add_to_settings_menu = True
    list_display = ["__str__", "status", "outcome", "created_at", "delivered_at"]
    list_filter = {"delivered_at": ["isnull"]}
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ["reason", "tags", "status", "outcome", "created_at", "delivered_at",
                           "attempts", "last_attempt_at"]
    copy_view_enabled = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RevalidationRequest]:
        return RevalidationRequest.objects.prefetch_related("deliveries__renderer")


register_snippet(RevalidationRequestViewSet)
