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
paths, a module that does not import, one that registers no block or model adapter, a
Kind in it whose load, dependency names or schema is left to the base class (its values
would never show, never refresh, or have no contract), or a model it shows (a foreign
key's, a chooser block's) whose changes nothing maps to names (`freshness.watch`).
"""

import sys
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error, register
from django.db import models
from wagtail import blocks

from cms.api import adapters
from cms.publishing import freshness

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


def _registered() -> tuple[set[Any], set[Any]]:
    return set(adapters._BLOCK_ADAPTERS), set(adapters._MODEL_ADAPTERS)


def _shown_models(block_classes: set[Any], model_classes: set[Any]) -> set[type[models.Model]]:
    """The concrete models the new registrations show: foreign keys' targets, and the
    target of a chooser block that can be made without arguments."""
    shown = set(model_classes)
    for block_class in block_classes:
        if issubclass(block_class, blocks.ChooserBlock):
            try:
                shown.add(block_class().target_model)
            except Exception:  # needs arguments, or its model is given per block: not judged
                continue
    return {model for model in shown if isinstance(model, type)
            and issubclass(model, models.Model) and not model._meta.abstract}


def _check_module(config: AppConfig, path: str) -> None:
    already = path in sys.modules
    before = _registered()
    try:
        module = import_module(path)
    except Exception as error:  # refused by the check, with what went wrong
        _problems.append((config, f"{config.name}: {ATTRIBUTE} names {path!r}, which does "
                                  f"not import ({type(error).__name__}: {error})."))
        return
    after = _registered()
    if not already and after == before:
        _problems.append((config, f"{config.name}: {ATTRIBUTE} names {path!r}, which "
                                  "registers no kind: call cms.api.adapters."
                                  "register_block_adapter(YourChooserBlock, YOUR_KIND) (and "
                                  "register_model_adapter for foreign keys) in it."))
    for model in sorted(_shown_models(after[0] - before[0], after[1] - before[1]),
                        key=lambda model: model._meta.label):
        if not freshness.watched(model):
            _problems.append((config, f"{config.name}: {path} shows {model._meta.label}, "
                                      "whose changes refresh nothing: call cms.publishing."
                                      f"freshness.watch({model.__name__}) in it (its "
                                      "dependencies.instance names, as the kind's "
                                      "dependency_names give them)."))
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
