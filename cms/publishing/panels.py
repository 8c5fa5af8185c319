"""Settings → Renderer: what the field is for, and whether its renderer hears of changes."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail.admin.panels import HelpPanel


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def renderer_status(site_id: int | None) -> SafeString:
    """Paragraphs for editors: what the renderer URL is for, whether that renderer takes
    this CMS's revalidations now (asked as the page is shown, cms.publishing.delivery.probe),
    and how its last revalidation went."""
    from cms.core.renderers import renderer_urls
    from cms.publishing.delivery import probe
    from cms.publishing.models import Delivery, DeliveryTarget

    fallback = settings.FRONTEND_URL.rstrip("/")
    paragraphs = [format_html(
        "<strong>What this is for.</strong> The address of the website that shows this "
        "site's pages. Each time you publish or change something, the CMS tells that "
        "website which of its pages to show afresh, so visitors see the change within "
        "seconds; Preview and “View live” open it too. Left blank, it is {}.", fallback)]
    if site_id is None:
        return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))
    url = renderer_urls([site_id])[site_id]
    problem = probe(url)
    if problem is None:
        paragraphs.append(format_html("<strong>Now:</strong> {} answers, and takes this "
                                      "CMS's changes.", url))
    else:
        paragraphs.append(format_html("<strong>Now: {} cannot be told of changes:</strong> "
                                      "it {}. Until it can, visitors may see pages as they "
                                      "were.", url, problem))
    target = DeliveryTarget.objects.filter(kind=DeliveryTarget.RENDERER, url=url).first()
    waiting = Delivery.objects.filter(renderer=target, told_at__isnull=True).count() \
        if target else 0
    if target is None or (target.answered_at is None and target.failing_since is None):
        paragraphs.append(format_html("<strong>Last revalidation:</strong> none yet (no "
                                      "change has shown on a page it keeps)."))
    elif target.failing_since is not None:
        paragraphs.append(format_html(
            "<strong>Last revalidation: not answered.</strong> It has failed since {}: {}. "
            "{} change(s) wait, and reach it as soon as it answers again.",
            _when(target.failing_since), target.last_error, waiting))
    else:
        paragraphs.append(format_html(
            "<strong>Last revalidation:</strong> answered at {}; it dropped {} of its saved "
            "pages.", _when(target.answered_at), target.told))
    return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))


class RendererStatusPanel(HelpPanel):
    """`renderer_status` of the Site whose setting is edited, below its URL field."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.content = renderer_status(getattr(self.instance, "site_id", None))
