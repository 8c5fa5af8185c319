"""System checks of the platform's own settings."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def csrf_middleware_installed(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Django's security.W003, accepting a subclass of its CsrfViewMiddleware (such as
    cms.core.middleware.RendererCsrfViewMiddleware), which W003 takes for none."""
    if any(isinstance(path, str) and _is_csrf(path) for path in settings.MIDDLEWARE):
        return []
    return [Warning("No CSRF middleware (Django's CsrfViewMiddleware or a subclass) is in "
                    "MIDDLEWARE: forms posted to the CMS are not protected.",
                    id="mortar.W001")]


def _is_csrf(path: str) -> bool:
    try:
        middleware = import_string(path)
    except ImportError:
        return False
    return isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware)


@register()
def schedule_forms(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Every draftable snippet's admin form drops a spent expiry (cms.core.forms), or an
    expired snippet could never be published again (pages: BasePage's form does)."""
    from wagtail.models import DraftStateMixin, Page

    from cms.core.forms import SpentExpiryMixin

    return [Warning(f"{model._meta.label}.base_form_class does not include "
                    "cms.core.forms.SpentExpiryMixin: once its expiry passes, the admin "
                    "refuses to publish it again.", id="mortar.W002", obj=model)
            for model in apps.get_models()
            if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
            and not issubclass(getattr(model, "base_form_class", SpentExpiryMixin),
                               SpentExpiryMixin)]
