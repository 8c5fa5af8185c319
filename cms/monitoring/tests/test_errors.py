"""What leaves for Sentry: cms.monitoring.errors.before_send on an event as sentry-sdk's
Django and Celery integrations shape it. (The SDKs end to end, with a local receiver of
their envelopes: tests/monitoring.)"""

import json

from django.conf import settings
from opentelemetry import trace

from cms.monitoring.errors import FILTERED, before_breadcrumb, before_send


def test_nothing_secret_is_left_and_the_request_id_is_added():
    event = {
        "request": {
            "url": "http://cms/api/v2/pages/by-path/",
            "query_string": ("html_path=%2Fabout%2F&token=qs-token-0123&preview_token=p-987654"
                             "&query=utm_source%3Dnews%26token%3Dnested-token-42"),
            "cookies": {"sessionid": "session-cookie-value"},
            "data": {"message": "a visitor's form submission", "password": "form-password"},
            "headers": {"Cookie": "sessionid=session-cookie-value",
                        "Authorization": f"Bearer {settings.REVALIDATE_SECRET}",
                        "X-Preview-Token": "preview-token-value", "X-Page-Access": "access-token",
                        "Accept": "application/json"},
        },
        "extra": {"celery-job": {"task_name": "x", "args": ["task-argument-secret"],
                                 "kwargs": {}}},
        "exception": {"values": [{"value": f"failed with {settings.SECRET_KEY} in it"}]},
    }
    span = trace.get_tracer(__name__).start_span("request")
    with trace.use_span(span, end_on_exit=True):
        sent = before_send(event, {})

    text = json.dumps(sent)
    for secret in ("qs-token-0123", "p-987654", "nested-token-42", "session-cookie-value",
                   "form submission",
                   "form-password", settings.REVALIDATE_SECRET, "preview-token-value",
                   "access-token", "task-argument-secret", settings.SECRET_KEY):
        assert secret not in text, secret
    assert "html_path=%2Fabout%2F" in sent["request"]["query_string"]
    assert "utm_source%3Dnews" in sent["request"]["query_string"]
    assert sent["request"]["headers"]["Accept"] == "application/json"
    assert sent["request"]["headers"]["Authorization"] == FILTERED
    assert sent["tags"]["request_id"] == format(span.get_span_context().trace_id, "032x")


def test_sql_breadcrumbs_lose_their_parameters():
    crumb = {"category": "query", "message": "SELECT ... WHERE session_key = %s",
             "data": {"db.params": ["session-key-value"]}}
    assert "session-key-value" not in json.dumps(before_breadcrumb(crumb, {}))
