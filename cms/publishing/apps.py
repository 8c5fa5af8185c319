from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

SWEEP_NAME = "mortar: scheduled publishing sweep"


def register_periodic_tasks(sender: AppConfig, **kwargs: Any) -> None:
    """Keep the beat schedule in code: created or corrected on every migrate (and flush)."""
    from django.conf import settings
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from cms.publishing.tasks import SWEEP_TASK

    using = kwargs.get("using", "default")
    every = settings.MORTAR_SCHEDULE_SWEEP_SECONDS
    interval = (IntervalSchedule.objects.using(using)
                .filter(every=every, period=IntervalSchedule.SECONDS).order_by("pk").first()
                or IntervalSchedule.objects.using(using).create(every=every,
                                                                period=IntervalSchedule.SECONDS))
    PeriodicTask.objects.using(using).update_or_create(
        name=SWEEP_NAME,
        defaults={"task": SWEEP_TASK, "interval": interval, "crontab": None, "enabled": True,
                  "args": "[]", "kwargs": "{}",
                  # A sweep that waited longer than its period is superseded by the next one.
                  "expire_seconds": every,
                  "description": "Publishes and expires scheduled content; arms ETA tasks."},
    )


class PublishingConfig(AppConfig):
    name = "cms.publishing"
    label = "mortar_publishing"
    verbose_name = "Mortar publishing"

    def ready(self) -> None:
        from cms.publishing import changes, signals  # noqa: F401  (connects the handlers)

        changes.connect()

        post_migrate.connect(register_periodic_tasks, sender=self,
                             dispatch_uid="mortar_register_periodic_tasks")
