from django.apps import AppConfig


class PreviewConfig(AppConfig):
    name = "cms.preview"
    label = "mortar_preview"
