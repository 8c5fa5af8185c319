"""The notification email of a form submission, sent from the worker."""

import smtplib

from celery import shared_task
from wagtail.contrib.forms.models import FormSubmission


# Retried while the mail server refuses or cannot be reached. acks_late: a worker that
# dies mid-send hands the task back, so an email may go out twice, never not at all.
@shared_task(acks_late=True, ignore_result=True,
             autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True,
             retry_backoff_max=600, max_retries=10)
def send_submission_email(submission_id: int) -> bool:
    """Email a stored submission to its page's `to_address` (Wagtail's `send_mail`, with
    its `subject` and `from_address`, through Django's EMAIL_BACKEND); False when the
    submission or the page is gone or the page has no recipient any more."""
    submission = FormSubmission.objects.filter(pk=submission_id).select_related("page").first()
    if submission is None:
        return False
    page = submission.page.specific
    if not getattr(page, "to_address", ""):
        return False
    # Wagtail renders the email from a validated form: its fields, with the stored data.
    form = page.get_form(page=page, user=None)
    form.cleaned_data = submission.form_data
    page.send_mail(form)
    return True
