from django.apps import AppConfig


class ScaffoldConfig(AppConfig):
    name = "cms.scaffold"
    label = "scaffold"
    verbose_name = "Mortar scaffolding"
