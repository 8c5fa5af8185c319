from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cms.search"
    label = "mortar_search"
    verbose_name = "Mortar search"
