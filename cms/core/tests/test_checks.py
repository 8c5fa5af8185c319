"""The platform's system checks."""

from django.test import override_settings

from cms.core.checks import csrf_middleware_installed, schedule_forms


def test_csrf_middleware_is_found_as_django_or_a_subclass_of_it(settings):
    assert csrf_middleware_installed(None) == []
    without = [path for path in settings.MIDDLEWARE if "Csrf" not in path]
    with override_settings(MIDDLEWARE=[*without, "django.middleware.csrf.CsrfViewMiddleware"]):
        assert csrf_middleware_installed(None) == []
    with override_settings(MIDDLEWARE=without):
        assert [message.id for message in csrf_middleware_installed(None)] == ["mortar.W001"]


def test_a_draftable_snippet_whose_form_keeps_a_spent_expiry_is_reported(monkeypatch):
    from wagtail.admin.forms import WagtailAdminModelForm

    from cms.testing.pages.models import SampleNotice

    assert schedule_forms(None) == []
    monkeypatch.setattr(SampleNotice, "base_form_class", WagtailAdminModelForm)
    assert [(message.id, message.obj) for message in schedule_forms(None)] == [
        ("mortar.W002", SampleNotice)]
