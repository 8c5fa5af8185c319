from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "tests.monitoring.probe"
    label = "monitoring_probe"
