"""The platform's system checks."""

from django.test import override_settings

from cms.core.checks import csrf_middleware_installed


def test_csrf_middleware_is_found_as_django_or_a_subclass_of_it(settings):
    assert csrf_middleware_installed(None) == []
    without = [path for path in settings.MIDDLEWARE if "Csrf" not in path]
    with override_settings(MIDDLEWARE=[*without, "django.middleware.csrf.CsrfViewMiddleware"]):
        assert csrf_middleware_installed(None) == []
    with override_settings(MIDDLEWARE=without):
        assert [message.id for message in csrf_middleware_installed(None)] == ["mortar.W001"]
