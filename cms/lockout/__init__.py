"""Password guessing: django-axes counts failures per username and per client IP.

Sign-ins (Wagtail's admin, Django's admin) go through `LockoutBackend`; Wagtail's page
and document password forms through the views here. After `AXES_FAILURE_LIMIT` failures
the username (or, for a password form, the restriction) and the IP are refused for
`AXES_COOLOFF_TIME`; `manage.py axes_reset_username NAME` / `axes_reset_ip IP` unlock
sooner.
"""
