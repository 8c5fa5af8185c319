from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "cms.monitoring"
    label = "mortar_monitoring"
    verbose_name = "Mortar monitoring"

    def ready(self) -> None:
        from django.conf import settings

        from cms.monitoring import tracing, worker

        tracing.instrument()
        if settings.METRICS_ENABLED:
            from cms.monitoring import database, redis_errors

            database.connect()
            redis_errors.connect()
        worker.connect(metrics=settings.METRICS_ENABLED)
