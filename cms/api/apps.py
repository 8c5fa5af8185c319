from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "mortar_api"
    verbose_name = "Mortar API"
