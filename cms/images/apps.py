from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "cms.images"
    label = "mortar_images"
    verbose_name = "Mortar images"

    def ready(self) -> None:
        from cms.images import signals

        signals.connect()
