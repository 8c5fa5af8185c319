from django.apps import AppConfig


class TestingPagesConfig(AppConfig):
    name = "cms.testing.pages"
    label = "mortar_testing_pages"
    default_auto_field = "django.db.models.BigAutoField"
