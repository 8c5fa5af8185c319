"""Which Wagtail Site a request is for: `?site=hostname[:port]`, else the Host header."""

import re

from django.http import HttpRequest
from wagtail.models import Site

from cms.api.errors import BadRequest, NotFound

HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")


def site_param(request: HttpRequest) -> str | None:
    """The `site` parameter, checked for form (not existence), lower-cased; None if absent."""
    requested = request.GET.get("site")
    if requested is not None and not HOSTNAME.match(requested):
        raise BadRequest("site must be a hostname, optionally with :port")
    return requested.lower() if requested is not None else None


def site_for_request(request: HttpRequest) -> Site:
    requested = site_param(request)
    if requested is None:
        site = Site.find_for_request(request)
        if site is None:
            raise NotFound("No site is configured for this host")
        return site
    hostname, _, port = requested.partition(":")
    sites = Site.objects.select_related("root_page").filter(hostname=hostname)
    if port:
        sites = sites.filter(port=int(port))
    site = sites.order_by("-is_default_site", "port").first()
    if site is None:
        raise NotFound(f"Unknown site '{requested}'")
    return site
