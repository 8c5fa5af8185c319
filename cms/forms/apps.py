from django.apps import AppConfig


class FormsConfig(AppConfig):
    """Editor-built forms (Wagtail's form builder) through the API: cms.forms.models."""

    name = "cms.forms"
    label = "mortar_forms"
