"""The html_path rules, and the pattern the OpenAPI document states for them, agree."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cms.api.errors import BadRequest
from cms.api.requests import HTML_PATH_PATTERN, clean_html_path, path_error

PATHS = st.one_of(
    st.text(max_size=40).map(lambda s: "/" + s),
    st.lists(st.sampled_from(["a", ".", "..", "", "ü", "x.y", "...", "\x7f", "?", "\\"]),
             max_size=5).map(lambda parts: "/" + "/".join(parts)),
)


@given(PATHS)
def test_pattern_matches_exactly_the_paths_the_rules_accept(raw):
    # As OpenAPI (ECMA-262) reads the pattern: `$` is the end of the input, which Python's
    # fullmatch is (its `$` alone also matches before a final newline).
    assert bool(re.fullmatch(HTML_PATH_PATTERN, raw)) == (path_error(raw) is None)


def test_a_path_ending_in_a_newline_is_refused_not_canonicalised():
    with pytest.raises(BadRequest, match="characters that cannot appear"):
        clean_html_path("/\n")
    with pytest.raises(BadRequest):
        clean_html_path("/about\n")


def test_canonical_form_has_one_trailing_slash():
    assert clean_html_path("/") == "/"
    assert clean_html_path("/a/b") == "/a/b/"
    assert clean_html_path("/a/b/") == "/a/b/"
