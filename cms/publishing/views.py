"""Admin report: scheduled publishes and expiries still to come."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.views.reports import ReportView

from cms.publishing.scheduling import upcoming


class ObjectColumn(Column):
    """The page title, linking to its edit view."""

    cell_template_name = "wagtailadmin/tables/title_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: dict) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        if instance.get("label") == "wagtailcore.Page":
            context["link_url"] = reverse("wagtailadmin_pages:edit", args=[instance["object_id"]])
        return context


class ScheduledChangesReport(ReportView):
    page_title = _("Scheduled publishing")
    header_icon = "calendar-alt"
    index_url_name = "mortar_publishing:scheduled"
    index_results_url_name = "mortar_publishing:scheduled_results"
    paginate_by = 50
    columns = [
        ObjectColumn("object", label=_("Page or snippet")),
        Column("model", label=_("Type")),
        Column("action", label=_("Action")),
        DateColumn("when", label=_("When")),
        Column("revision", label=_("Revision")),
        UserColumn("user", label=_("Scheduled by")),
    ]
    list_export = ["object", "model", "action", "when", "revision", "user"]

    def get_queryset(self) -> list[dict]:
        return upcoming()

    def get_filename(self) -> str:
        return "scheduled-publishing"
