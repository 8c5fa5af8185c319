"""The scaffolding's names, edits and all-or-nothing writes (the commands themselves run
end to end in tests/test_scaffold.py)."""

import re

import pytest
from django.core.management.base import CommandError

from cms.scaffold import project
from cms.scaffold.project import Plan


@pytest.mark.parametrize(("name", "snake", "words"), [
    ("FaqPage", "faq_page", "Faq page"),
    ("HTMLBlock", "html_block", "Html block"),
    ("Pullquote", "pullquote", "Pullquote"),
    ("Step2Page", "step2_page", "Step2 page"),
])
def test_names(name, snake, words):
    assert project.class_name(name, "page type", "FaqPage") == name
    assert project.snake(name) == snake
    assert project.words(name) == words


@pytest.mark.parametrize("name", ["faqPage", "faq_page", "FAQ", "Faq-Page", "9Page", "None", "",
                                  "FaqPage\n"])
def test_not_a_class_name(name):
    with pytest.raises(CommandError, match="is not a CamelCase Python class name"):
        project.class_name(name, "page type", "FaqPage")


@pytest.mark.parametrize("name", ["Docs", "my-site", "class", "default", "_docs", "1st", "docs\n"])
def test_not_a_site_name(name):
    with pytest.raises(CommandError, match="is not a lower-case Python identifier"):
        project.site_name(name)


def test_a_site_whose_demo_command_would_shadow_another_is_refused():
    """The example site's `seed_demo` is what `make dev` runs: a site `demo` would take it."""
    with pytest.raises(CommandError, match=r"manage\.py seed_demo exists"):
        project.site_name("demo")


def test_the_page_type_names_taken_include_the_platforms_test_only_ones():
    taken = project.page_model_names()
    assert {"samplehomepage", "routedpage"} <= taken


def test_imports_are_added_only_where_missing():
    text = "from a import b\n\nfrom cms.x import Y\n\n\nclass Z:\n    pass\n"
    changed = project.add_python_imports(text, {"Y": "cms.x", "W": "cms.w"})
    assert changed == ("from a import b\n\nfrom cms.x import Y\nfrom cms.w import W\n\n\n"
                       "class Z:\n    pass\n")


def test_an_entry_goes_last_in_its_object_and_an_import_in_order():
    text = ('import { A } from "@/x/A";\nimport { C } from "@/x/C";\n\n'
            "export const things = {\n  a: A,\n};\n\nconst other = {\n};\n")
    text = project.insert_in_order(text, r'import \{ \w+ \} from "@/x/',
                                   'import { B } from "@/x/B";', "f")
    text = project.insert_before_closing(text, "export const things", "  b: B,", "f")
    assert text == ('import { A } from "@/x/A";\nimport { B } from "@/x/B";\n'
                    'import { C } from "@/x/C";\n\nexport const things = {\n  a: A,\n  b: B,\n};'
                    "\n\nconst other = {\n};\n")
    with pytest.raises(CommandError, match=re.escape("f: no `export const missing ... };`")):
        project.insert_before_closing(text, "export const missing", "  b: B,", "f")


def test_a_plan_writes_all_or_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(project, "REPO", tmp_path)
    edited = tmp_path / "edited.txt"
    edited.write_text("before\n")
    plan = Plan()
    plan.create(tmp_path / "new" / "deep" / "a.txt", "a")
    plan.edit(edited, lambda text: text + "after\n")
    with pytest.raises(CommandError, match=re.escape("edited.txt exists already")):
        plan.create(edited, "x")
    plan.apply()
    assert (tmp_path / "new" / "deep" / "a.txt").read_text() == "a"
    assert edited.read_text() == "before\nafter\n"
    plan.undo()
    assert not (tmp_path / "new").exists()
    assert edited.read_text() == "before\n"

    # A write that fails half-way leaves nothing behind.
    (tmp_path / "blocked").write_text("a file where a folder must go")
    failing = Plan()
    failing.create(tmp_path / "first.txt", "1")
    failing.create(tmp_path / "blocked" / "second.txt", "2")
    with pytest.raises(CommandError, match="could not write"):
        failing.apply()
    assert not (tmp_path / "first.txt").exists()
