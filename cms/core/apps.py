from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = "Mortar core"

    def ready(self) -> None:
        from cms.core import checks  # noqa: F401  # registers the system checks
        from cms.core.forms import use_schedule_forms

        use_schedule_forms()
