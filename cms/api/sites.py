"""Which Wagtail Site a request is for: `?site=hostname[:port]`, else the Host header.

Both are looked up as Wagtail looks up a Host: the Site with that hostname (and port,
if one is given), else the Site with that hostname, else the default Site. The renderer
sends its visitor's hostname as `site`, so a hostname no Site names (an IP address, an
alias) shows the default Site, as Wagtail itself would; 404 only when there is no Site
to fall back to.
"""

import re

from django.db.models import Case, Q, When
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from cms.api.errors import BadRequest, NotFound

HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")


def site_param(request: HttpRequest) -> str | None:
    """The `site` parameter, checked for form (not existence), lower-cased; None if absent."""
    requested = request.GET.get("site")
    if requested is not None and not HOSTNAME.fullmatch(requested):
        raise BadRequest("site must be a hostname, optionally with :port")
    # "docs.example.com." is the same name as nginx matches it (and a browser may send it).
    return re.sub(r"\.(?=:|$)", "", requested.lower()) if requested is not None else None


def site_for_request(request: HttpRequest) -> Site:
    """The Site by Wagtail's own hostname-and-port lookup, remembered on the request
    where Wagtail keeps it, so its own code (routing, redirects, URLs) agrees."""
    site = _find(request)
    request._wagtail_site = site  # type: ignore[attr-defined]  # Site.find_for_request's cache
    return site


def _find(request: HttpRequest) -> Site:
    requested = site_param(request)
    if requested is None:
        # The port the client asked for (Host: localhost:8080), which Wagtail's own
        # Site.find_for_request ignores for the port the server listens on; the server's
        # when the Host header names none.
        hostname, port = split_domain_port(request._get_raw_host())  # type: ignore[attr-defined]
        try:
            return get_site_for_hostname(hostname, int(port) if port else request.get_port())
        except Site.DoesNotExist:
            raise NotFound("No site is configured for this host") from None
    hostname, _, port = requested.partition(":")
    if port:
        try:
            return get_site_for_hostname(hostname, int(port))
        except Site.DoesNotExist:
            raise NotFound(f"Unknown site '{requested}'") from None
    # No port: any Site of the hostname (the default one first), else the default Site.
    site = (Site.objects.select_related("root_page")
            .filter(Q(hostname=hostname) | Q(is_default_site=True))
            .order_by(Case(When(hostname=hostname, then=0), default=1),
                      "-is_default_site", "port")
            .first())
    if site is None:
        raise NotFound(f"Unknown site '{requested}'")
    return site
