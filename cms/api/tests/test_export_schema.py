"""`export_schema` writes the renderer's cache-tag vocabulary from its one Python
definition, beside the OpenAPI document, and `--check` fails when it is out of date."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.publishing import freshness

EXPORT = re.compile(r"^export const (\w+) = (.+);$", re.M)


def exported(module: Path) -> dict[str, object]:
    """{name: value} of the module's `export const NAME = <JSON literal>;` lines."""
    return {name: json.loads(value) for name, value in EXPORT.findall(module.read_text())}


def test_the_tag_module_holds_the_python_definitions_and_the_documents_limits(tmp_path):
    call_command("export_schema", "--output", str(tmp_path / "openapi.json"), verbosity=0)

    module = tmp_path / "cache-tags.generated.ts"
    assert exported(module) == {
        "NAVIGATION_TAG": "navigation", "SITEMAP_TAG": "sitemap", "PATH_PREFIX": "path:",
        "SITE_SEPARATOR": "|", "MAX_TAG_LENGTH": 256, "MAX_ITEMS": 1000,
        "DIGEST_PREFIX": "sha256:"}
    # The same numbers as the OpenAPI document's RevalidateRequest: one source for both.
    limits = json.loads((tmp_path / "openapi.json").read_text())[
        "components"]["schemas"]["RevalidateRequest"]["properties"]["tags"]
    assert (limits["maxItems"], limits["items"]["maxLength"]) == (1000, 256)
    # Every export documented, for the renderer's readers.
    lines = module.read_text().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("export const"):
            assert lines[index - 1].startswith("/** "), line


def test_the_tag_module_follows_a_changed_definition_as_the_document_does(tmp_path, monkeypatch):
    output = tmp_path / "openapi.json"
    module = tmp_path / "cache-tags.generated.ts"
    call_command("export_schema", "--output", str(output), verbosity=0)
    monkeypatch.setattr(freshness, "SITEMAP", "site-map")
    monkeypatch.setattr(freshness, "MAX_ITEMS", 500)

    # The document's RevalidateRequest takes MAX_ITEMS from the same definition.
    with pytest.raises(CommandError) as stale:
        call_command("export_schema", "--check", "--output", str(output), verbosity=0)
    assert str(stale.value) == (f"{output} and {module} are stale: "
                                "run `make types` and commit the result")

    call_command("export_schema", "--output", str(output), verbosity=0)
    values = exported(module)
    assert (values["SITEMAP_TAG"], values["MAX_ITEMS"]) == ("site-map", 500)
    tags = json.loads(output.read_text())[
        "components"]["schemas"]["RevalidateRequest"]["properties"]["tags"]
    assert tags["maxItems"] == 500


def test_check_names_the_stale_file_and_writes_nothing(tmp_path):
    output = tmp_path / "openapi.json"
    module = tmp_path / "cache-tags.generated.ts"
    call_command("export_schema", "--output", str(output), verbosity=0)
    call_command("export_schema", "--check", "--output", str(output), verbosity=0)
    module.write_text(module.read_text().replace('"navigation"', '"menu"'))

    with pytest.raises(CommandError) as stale:
        call_command("export_schema", "--check", "--output", str(output), verbosity=0)
    assert str(stale.value) == f"{module} is stale: run `make types` and commit the result"
    assert exported(module)["NAVIGATION_TAG"] == "menu"

    module.unlink()  # a missing module is stale too
    with pytest.raises(CommandError, match=r"cache-tags\.generated\.ts is stale"):
        call_command("export_schema", "--check", "--output", str(output), verbosity=0)
    assert not module.exists()
