from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: behind nginx (production) the last X-Forwarded-For entry.

    nginx appends the address it was reached from ($proxy_add_x_forwarded_for); entries
    before it come from the client and could be anything, so only the last one counts.
    """
    if settings.PRODUCTION:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
