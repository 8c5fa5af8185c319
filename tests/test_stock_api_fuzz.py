"""Hypothesis fuzzes Wagtail's stock endpoints and the preview endpoint on the running CMS.

Schemathesis (tests/test_schemathesis.py) covers what our OpenAPI document describes;
the stock endpoints are Wagtail's and not in it, so their parameters are listed here.
Every parameter gets odd values (control characters, NUL, huge and negative numbers,
malformed dates, unknown words) next to valid ones; no answer may be a 5xx.
"""

from collections import Counter
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The stack needs the test database, which pytest-django makes for marked tests only.
pytestmark = pytest.mark.django_db

EXAMPLES = 200

# Any character a URL can carry: controls and NUL included, lone surrogates not (they
# cannot be encoded, so no client can send them).
odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -1]),
).map(str)
known_words = st.sampled_from([
    "root", "and", "or", "title", "-title", "id", "-id", "random", "title,random", "*", "_",
    "-title,id", "*,-title", "title(id)", "example.ContentPage", "example.ContentPage,"
    "example.ArticlePage", "wagtailcore.Page", "en", "localhost", "localhost:80",
    "2026-01-01", "2026-13-45", "2026-01-01T10:00:00Z", "true", "false", "yes", "html",
    "plain", "api", "json", "/", "/about/", "/articles/", "//", "/../", "home",
])
value = st.one_of(odd_text, numbers, known_words)

LISTING = ["limit", "offset", "fields", "order", "search", "search_operator",
           "rich_text_format", "format", "_", "id", "title"]
PAGE_LISTING = [*LISTING, "type", "child_of", "ancestor_of", "descendant_of",
                "translation_of", "locale", "site", "slug", "show_in_menus", "seo_title",
                "search_description", "first_published_at", "last_published_at", "depth",
                "live", "path", "url_path"]
FILE_LISTING = [*LISTING, "tags", "width", "height", "collection", "file", "created_at"]

# Endpoint: (the path, or a format string taking a generated number; its parameters).
ENDPOINTS: dict[str, tuple[str, list[str]]] = {
    "pages/": ("/api/v2/pages/", PAGE_LISTING),
    "pages/<id>/": ("/api/v2/pages/{}/", ["fields", "type", "rich_text_format", "site"]),
    "pages/find/": ("/api/v2/pages/find/", ["id", "html_path", "site", "fields", "type"]),
    "images/": ("/api/v2/images/", FILE_LISTING),
    "images/find/": ("/api/v2/images/find/", ["id", "fields"]),
    "documents/": ("/api/v2/documents/", FILE_LISTING),
    "documents/<id>/": ("/api/v2/documents/{}/", ["fields"]),
    "page_preview/": ("/api/v2/page_preview/", ["content_type", "site", "token"]),
}


def queries(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    known = st.dictionaries(st.sampled_from(names), value, max_size=4)
    unknown = st.dictionaries(odd_text.filter(bool), value, max_size=1)
    return st.one_of(known, st.builds(lambda a, b: {**a, **b}, known, unknown))


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_stock_endpoints_answer_odd_parameters_without_a_server_error(cms_server, endpoint):
    template, names = ENDPOINTS[endpoint]
    sent: Counter[int] = Counter()
    failures: list[str] = []
    session = requests.Session()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=queries(names), number=numbers.filter(lambda n: not n.startswith("-")),
           token=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=60))
    def fuzz(query: dict[str, Any], number: str, token: str) -> None:
        url = cms_server + template.format(number)
        headers = {"X-Preview-Token": token} if endpoint == "page_preview/" else {}
        response = session.get(url, params=query, headers=headers, timeout=20,
                               allow_redirects=False)
        sent[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {response.request.url}")
        elif response.status_code == 400:
            assert response.headers.get("Content-Type", "").startswith("application/json"), \
                (response.request.url, response.text[:300])
            assert "message" in response.json(), response.text[:300]

    fuzz()
    total = sum(sent.values())
    print(f"{endpoint}: {total} requests, answers {dict(sorted(sent.items()))}")
    assert not failures, "\n".join(failures[:20])
    assert total >= EXAMPLES
    # The odd values must reach the checks, not only Wagtail's unknown-parameter refusal.
    assert sent[200] + sent[302] + sent[404] + sent[401] > 0 and sent[400] > 0, sent
