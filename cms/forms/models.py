"""Editor-built forms: the abstract form page every site's form page type inherits.

Wagtail's form builder (`wagtail.contrib.forms`) does the work: editors add fields
(`AbstractFormField`: label, type, required, choices, default, help text) to a page,
`page.get_form()` builds the Django form that validates a submission, and
`process_form_submission` stores it as a `FormSubmission`, which the admin lists under
Forms (CSV and XLSX export are Wagtail's). What Mortar adds:

- the page document shows the form as a schema (`form`, see `cms.forms.schema`) and the
  thank-you text, so the renderer draws the form itself;
- submissions come through `POST /api/v2/forms/<page_id>/submissions/` (cms.forms.views);
- the notification email to `to_address` goes out from the Celery worker after the
  submission is committed (cms.forms.tasks), never in the request.

A site's form page type (see sites/example) is this class plus its own fields, and a
form field model: `class FormField(AbstractFormField)` with
`page = ParentalKey("<site>.FormPage", related_name="form_fields")`.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from cms.blocks.text import RICH_TEXT_FEATURES
from cms.core import broker
from cms.core.forms import SchedulePageForm
from cms.core.models import BasePage
from cms.forms.schema import FormSchemaField


class FormPageAdminForm(SchedulePageForm, WagtailAdminFormPageForm):
    """The admin form of a form page: Mortar's page form (schedules) and the form
    builder's (no two fields with the same name)."""


class BaseFormPage(EmailFormMixin, FormMixin, BasePage):
    """A page holding a form that editors build (Wagtail's `AbstractEmailForm`, on Mortar's
    `BasePage`). Subclasses define the `form_fields` relation (a ParentalKey of their
    `AbstractFormField` model) and may add fields; they keep `api_fields` (extend it)."""

    base_form_class = FormPageAdminForm
    # The renderer draws the form and posts it to the API: the CMS serves no form page
    # itself (Wagtail's FormMixin would render a template and take a POST unchecked).
    preview_modes = BasePage.DEFAULT_PREVIEW_MODES

    thank_you_text = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES,
        help_text="Shown to the visitor once the form is sent.")

    content_panels = [
        *BasePage.content_panels,
        FormSubmissionsPanel(),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
            FieldPanel("subject"),
        ], heading="Email the submissions to"),
    ]
    api_fields = [APIField("form", serializer=FormSchemaField()), APIField("thank_you_text")]

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Any request for the page's CMS URL, a POST included, goes to it on its Site's
        renderer, as for every page (cms.core.pages.PreviewMixin.serve)."""
        return BasePage.serve(self, request)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The renderer shows the draft, as for every page."""
        return BasePage.serve_preview(self, request, mode_name)

    def process_form_submission(self, form: Any) -> Any:
        """Store the submission (Wagtail's `FormSubmission`); the email to `to_address`
        is queued to go out from the worker once the transaction commits."""
        submission = FormMixin.process_form_submission(self, form)
        if self.to_address:
            from cms.forms.tasks import send_submission_email

            broker.send_on_commit(send_submission_email, submission.pk)
        return submission
