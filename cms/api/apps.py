from importlib import import_module

from django.apps import AppConfig

# The change map of the kinds of value: each module holds one kind's load, JSON, schema
# and freshness names, and registers the blocks and models it shows when imported
# (cms.api.adapters). A new kind is a module and a line here; a site's own kind is a
# module its AppConfig names in `api_kinds` (cms.api.kinds), imported after these.
KIND_MODULES = (
    "cms.images.api",
    "cms.api.pagelinks",
    "cms.api.documents",
    "cms.api.embeds",
    "cms.api.snippets",
    "cms.api.richtext",
    "cms.forms.schema",
)


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "mortar_api"
    verbose_name = "Mortar API"

    def ready(self) -> None:
        for module in KIND_MODULES:
            import_module(module)
        from cms.api import kinds

        kinds.load_declared()  # the installed apps' (sites') own kinds, and its check
        import_module("cms.api.checks")  # registers the API's system checks
