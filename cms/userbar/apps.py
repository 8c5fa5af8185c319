from django.apps import AppConfig


class UserbarConfig(AppConfig):
    """Wagtail's userbar on the headless site: signed-in editors' way back to the admin,
    and the content checks of the preview panel (cms.userbar.views)."""

    name = "cms.userbar"
    label = "mortar_userbar"
    verbose_name = "Mortar userbar"
