from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "cms.health"
    label = "mortar_health"
