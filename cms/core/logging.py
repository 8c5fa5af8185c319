"""Logging pieces the settings' LOGGING names."""

import logging


class WithoutTraceback(logging.Filter):
    """Keeps a record's message and drops its traceback.

    For `django.security.DisallowedHost`: any visitor can send a Host header no Site has,
    and Django logs each at ERROR with the whole stack of its own request handling, which
    says nothing the message does not (`Invalid HTTP_HOST header: 'x'. ...`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
