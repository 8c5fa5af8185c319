from django.apps import AppConfig


class ExampleSiteConfig(AppConfig):
    name = "sites.example"
    label = "example"
    verbose_name = "Example site"
