from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for every sign-in made through a request, plus the brake per
    username.

    Axes counts wrong passwords per username and address together (AXES_LOCKOUT_PARAMETERS),
    so an attacker locks out only themselves. Guessing one username from many addresses
    meets a slower brake: once LOGIN_USERNAME_FAILURE_LIMIT wrong passwords for it came
    from any addresses within the cool-off, it is refused from every address that has
    never signed in as that user (Axes' access log), and keeps working from the ones that
    have: the real user is never locked out from their own address.

    Sign-ins without a request (management commands, a test client's `login`) are not
    password guessing from the web, and Axes would refuse them outright.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        if username and username_braked(request, username):
            request.axes_locked_out = True  # type: ignore[attr-defined]  # Axes' 429 page
            request.axes_credentials = {"username": username}  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied(f"too many wrong passwords for {username!r}")
        return None


def username_braked(request: HttpRequest, username: str) -> bool:
    """Whether `username` takes no more guesses from this request's address."""
    since = timezone.now() - get_cool_off(request)
    failures = (AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
                .aggregate(total=Sum("failures_since_start"))["total"] or 0)
    if failures < settings.LOGIN_USERNAME_FAILURE_LIMIT:
        return False
    address = get_client_ip_address(request)
    return not AccessLog.objects.filter(username=username, ip_address=address).exists()
