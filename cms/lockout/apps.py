from django.apps import AppConfig


class LockoutConfig(AppConfig):
    name = "cms.lockout"
    label = "mortar_lockout"
