import gc

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = "Mortar core"

    def ready(self) -> None:
        from cms.core import checks  # noqa: F401  # registers the system checks
        from cms.core.forms import use_schedule_forms

        use_schedule_forms()
        # Every model, module and class loaded by now lives as long as the process: moved
        # out of the collector's sight (Python's documented use of gc.freeze), so no
        # collection walks them again, in requests or at exit: `manage.py check` took
        # 3.2-3.3 s of CPU before, 2.2-2.4 s after, most of it the last collection at exit,
        # which every process (gunicorn and Celery workers, manage.py, tests) pays.
        gc.freeze()
