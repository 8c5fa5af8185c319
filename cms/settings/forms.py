"""Email (Django's backend, one URL) and the limits on editor-built forms (cms.forms)."""

import re

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import env

# How Django sends email: smtp://user:password@host:587 (submission notifications,
# password resets), consolemail:// prints it (the default, for development),
# filemail:////absolute/folder writes one file per message.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# Form submissions (POST /api/v2/forms/<id>/submissions/): the largest body in bytes, and
# how many one visitor's address may send ("<count>/<seconds or s|m|h|d>", e.g. 10/10m),
# counted in the Django cache (Redis; per process on the embedded default).
FORM_SUBMISSION_MAX_BYTES: int = env.int("FORM_SUBMISSION_MAX_BYTES", default=32 * 1024)
FORM_SUBMISSION_RATE: str = env.str("FORM_SUBMISSION_RATE", default="10/10m")
if not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", FORM_SUBMISSION_RATE):
    raise ImproperlyConfigured(
        "FORM_SUBMISSION_RATE must be <count>/<period>, e.g. 10/10m (s, m, h or d)")
if not 1024 <= FORM_SUBMISSION_MAX_BYTES <= 10 * 1024 * 1024:
    raise ImproperlyConfigured("FORM_SUBMISSION_MAX_BYTES must be from 1024 to 10485760")
# Redis unreachable: submissions go through uncounted rather than all being refused.
RATELIMIT_FAIL_OPEN = True
