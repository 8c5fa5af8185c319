"""A kind of value an installed app declares badly in `api_kinds` is refused at start-up by
the system check mortar_api.E004, which names it and says how (cms.api.kinds)."""

import sys

import pytest
from django.apps import apps
from django.core.checks import run_checks

from cms.api import adapters, kinds

# A site's kind module whose Kind says nothing of freshness.
NO_NAMES = '''
from dataclasses import dataclass

from django import forms
from wagtail import blocks

from cms.api.adapters import Kind, register_block_adapter


class BadgeBlock(blocks.FieldBlock):
    def __init__(self, **kwargs):
        self.field = forms.IntegerField()
        super().__init__(**kwargs)


@dataclass(frozen=True)
class BadgeKind(Kind):
    def load(self, keys, resolver):
        return {}

    def schema(self, components):
        return {"type": "null"}


register_block_adapter(BadgeBlock, BadgeKind())
'''


@pytest.fixture
def declare(monkeypatch, tmp_path):
    """Declare `api_kinds` on the scratch site's AppConfig (its modules written to
    tmp_path), run the start-up's import of the declared kinds; the E004 messages."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(adapters, "_BLOCK_ADAPTERS", dict(adapters._BLOCK_ADAPTERS))
    monkeypatch.setattr(adapters, "_MODEL_ADAPTERS", dict(adapters._MODEL_ADAPTERS))
    monkeypatch.setattr(kinds, "_problems", [])
    config = apps.get_app_config("mortar_testing_venues")
    written: list[str] = []

    def declare(api_kinds: object, **modules: str) -> list[str]:
        for name, source in modules.items():
            (tmp_path / f"{name}.py").write_text(source)
            written.append(name)
        monkeypatch.setattr(config, "api_kinds", api_kinds)
        kinds.load_declared()
        messages = [m for m in run_checks() if m.id == "mortar_api.E004"]
        assert all(m.obj is config for m in messages)
        return [m.msg for m in messages]

    yield declare
    for name in written:
        sys.modules.pop(name, None)


def test_the_installed_sites_kinds_pass(declare):
    assert declare(("cms.testing.venues.api",)) == []


@pytest.mark.parametrize("declared", ["cms.testing.venues.api", [3], ("",)])
def test_api_kinds_must_be_module_paths(declare, declared):
    [message] = declare(declared)
    assert "AppConfig.api_kinds must be a tuple of module paths" in message
    assert '("cms.testing.venues.api",)' in message


def test_a_module_that_does_not_import_is_named_with_its_error(declare):
    [message] = declare(("site_kind_broken",), site_kind_broken="import no_such_module\n")
    assert "'site_kind_broken', which does not import" in message
    assert "No module named 'no_such_module'" in message


def test_a_module_that_registers_nothing_says_how(declare):
    [message] = declare(("site_kind_empty",), site_kind_empty="KIND = None\n")
    assert "'site_kind_empty', which registers no kind" in message
    assert "register_block_adapter" in message


def test_a_kind_that_names_nothing_for_freshness_says_how(declare):
    [message] = declare(("site_kind_no_names",), site_kind_no_names=NO_NAMES)
    assert "the kind site_kind_no_names.BadgeKind has no dependency_names" in message
    assert "freshness.watch(Model)" in message


# A site's kind module showing a model whose changes nothing maps to names.
UNWATCHED = '''
from wagtail.models import Locale

from cms.api.adapters import TEXT, register_model_adapter

register_model_adapter(Locale, TEXT)
'''


def test_a_model_shown_whose_changes_refresh_nothing_says_how(declare):
    [message] = declare(("site_kind_unwatched",), site_kind_unwatched=UNWATCHED)
    assert "site_kind_unwatched shows wagtailcore.Locale, whose changes refresh nothing" \
        in message
    assert "freshness.watch(Locale)" in message
