"""The kinds of value the installed apps declare: how a site adds one without editing cms/.

The platform's kinds are the modules of `cms.api.apps.KIND_MODULES`. A site's own kind is
the same: one module holding its `cms.api.adapters.Kind` (bulk load, JSON, schema,
dependency names) and its registrations (`register_block_adapter` for its chooser block,
`register_model_adapter` for a foreign key to its model, `register_component` for its
named schema, `cms.publishing.freshness.watch` for the changes of its model), named by the
site's AppConfig:

    class ShopConfig(AppConfig):
        name = "sites.shop"
        api_kinds = ("sites.shop.api",)

`ApiConfig.ready()` imports them after the platform's (`load_declared`). A kind declared
badly is refused at start-up by the system check `mortar_api.E004` (`manage.py check` and
the commands that run the checks), saying how: `api_kinds` that is not a tuple of module
paths, a module that does not import, one that registers no block or model adapter, or a
Kind in it whose load, dependency names or schema is left to the base class (its values
would never show, never refresh, or have no contract).
"""

import sys
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error, register

from cms.api import adapters

ATTRIBUTE = "api_kinds"
# What each Kind of a declared module must give itself, and why.
REQUIRED = (
    ("load", "load(keys, resolver), fetching its objects in bulk", adapters.Kind),
    ("dependency_names", "dependency_names(keys), the freshness names of its objects "
     "(cms.publishing.freshness.dependencies.instance(label, pk)) with "
     "freshness.watch(Model) for their changes, or no change would refresh the pages "
     "showing them", adapters.Kind),
    ("schema", "schema(components), the JSON Schema of its JSON", adapters.Adapter),
)

_problems: list[tuple[AppConfig, str]] = []


def _registered() -> tuple[set[Any], ...]:
    return (set(adapters._BLOCK_ADAPTERS), set(adapters._MODEL_ADAPTERS))


def _check_module(config: AppConfig, path: str) -> None:
    already = path in sys.modules
    before = _registered()
    try:
        module = import_module(path)
    except Exception as error:  # refused by the check, with what went wrong
        _problems.append((config, f"{config.name}: {ATTRIBUTE} names {path!r}, which does "
                                  f"not import ({type(error).__name__}: {error})."))
        return
    if not already and _registered() == before:
        _problems.append((config, f"{config.name}: {ATTRIBUTE} names {path!r}, which "
                                  "registers no kind: call cms.api.adapters."
                                  "register_block_adapter(YourChooserBlock, YOUR_KIND) (and "
                                  "register_model_adapter for foreign keys) in it."))
    for value in vars(module).values():
        if not (isinstance(value, type) and issubclass(value, adapters.Kind)
                and value.__module__ == module.__name__):
            continue
        for name, how, base in REQUIRED:
            if getattr(value, name) is getattr(base, name):
                _problems.append((config, f"{config.name}: the kind {path}.{value.__qualname__} "
                                          f"has no {name}: give it {how}."))


def load_declared() -> None:
    """Import the kind modules every installed app declares in `api_kinds`, noting what is
    wrong for the system check (called once, from cms.api's ready())."""
    _problems.clear()
    for config in apps.get_app_configs():
        declared = getattr(config, ATTRIBUTE, None)
        if declared is None:
            continue
        if not isinstance(declared, list | tuple) or not all(
                isinstance(path, str) and path for path in declared):
            _problems.append((config, f"{config.name}: AppConfig.{ATTRIBUTE} must be a tuple "
                                      f"of module paths ((\"{config.name}.api\",)), not "
                                      f"{declared!r}."))
            continue
        for path in declared:
            _check_module(config, path)


@register()
def declared_kinds(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """mortar_api.E004: a kind of value an installed app declares badly."""
    return [Error(message, obj=config, id="mortar_api.E004") for config, message in _problems]
