"""A refused scaffolding command (`startsite`, `startpage`, `startblock`) says why in one
line, exits 1 and writes nothing, in a scratch copy of this checkout (tests/scaffold.py).
A file of its own: pytest-xdist runs it beside tests/test_scaffold.py's long chain.
"""

from tests.scaffold import changes, copy_checkout, manage, scratch_env

REFUSALS = [
    (["startsite", "Docs", "--hostname", "docs.localhost"],
     "site name 'Docs' is not a lower-case Python identifier (letters, digits and _, "
     "starting with a letter: docs)"),
    (["startsite", "class", "--hostname", "docs.localhost"],
     "site name 'class' is not a lower-case Python identifier (letters, digits and _, "
     "starting with a letter: docs)"),
    (["startsite", "example", "--hostname", "docs.localhost"], "sites/example exists already"),
    (["startsite", "docs", "--hostname", "docs_site!"],
     "--hostname 'docs_site!' is not a hostname (docs.example.com)"),
    (["startpage", "nosuch", "FaqPage"],
     "unknown site 'nosuch': installed sites are example (MORTAR_SITES)"),
    (["startpage", "example", "faq_page"],
     "page type 'faq_page' is not a CamelCase Python class name (letters and digits, "
     "starting with a capital: FaqPage)"),
    (["startpage", "example", "ContentPage"], "a page type named ContentPage exists already"),
    # The platform's test-only page types share the one namespace of page type names.
    (["startpage", "example", "SampleHomePage"],
     "a page type named SampleHomePage exists already"),
    (["startblock", "9Lives"],
     "block '9Lives' is not a CamelCase Python class name (letters and digits, starting "
     "with a capital: Pullquote)"),
    (["startblock", "Quote"], "the body stream has a block 'quote' already"),
]


def test_a_refused_name_is_one_line_and_nothing_written(tmp_path):
    repo = copy_checkout(tmp_path)
    env = scratch_env(repo)
    for args, line in REFUSALS:
        result = manage(repo, *args, env=env)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [f"CommandError: {line}"], args
    assert changes(repo) == []


