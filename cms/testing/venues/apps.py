from django.apps import AppConfig


class TestingVenuesConfig(AppConfig):
    name = "cms.testing.venues"
    label = "mortar_testing_venues"
    default_auto_field = "django.db.models.BigAutoField"
    # Its own kind of value, which the API imports at start-up (cms.api.kinds).
    api_kinds = ("cms.testing.venues.api",)
