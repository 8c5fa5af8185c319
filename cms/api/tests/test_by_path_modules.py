"""Which of our modules a by-path request runs code in, from the view to the JSON.

cms/api/README.md lists them, numbered, in two lists: the request's own pipeline
(endpoint, lookup, document, walk, freshness: at most 8 modules) and the plug-ins the
page's values call (each kind of value and block in a module of its own, by design).
This test follows a request that uses every kind of value a body shows (a heading, rich
text with a page link, an image, a call to action) from the by-path view's entry to its
answer (Python's profiler hook sees every call) and checks that it runs code in the
listed modules, all of them, and no other. The request is answered twice: built (a miss)
and from the document cache (a hit, in the pipeline's first HIT modules only).
Middleware and URL resolving are not the view's: they run around it.
"""

import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from django.urls import resolve

from cms.testing.content import add
from cms.testing.pages.models import SampleContentPage

URL = "/api/v2/pages/by-path/"
README = Path(__file__).resolve().parents[1] / "README.md"
PATH = "## A by-path request, from view to JSON"
PLUG_INS = "## Plug-ins the page's values call"
HOOKS = "## Hooks that run on the way"
MOST = 8  # modules of the pipeline at most (issue 25)
HIT = 3  # a cache hit runs in the pipeline's first three modules, and no others


def listed_modules(heading: str) -> list[str]:
    """The numbered list under `heading` in cms/api/README.md: "1. `cms.api.by_path`: ..."."""
    text = README.read_text()
    section = text[text.index(heading):].split("\n## ", 1)[0]
    return re.findall(r"^\d+\. `([\w.]+)`", section, flags=re.MULTILINE)


def modules_run(client: Any, path: str) -> tuple[set[str], Any]:
    """The `cms.*` and `sites.*` modules whose functions run while the by-path view
    answers `path`, and the response."""
    view_code = resolve(URL).func.__code__
    seen: set[str] = set()
    inside = 0

    def watch(frame: FrameType, event: str, arg: object) -> None:
        nonlocal inside
        if event == "call" and frame.f_code is view_code:
            inside += 1
        elif event == "return" and frame.f_code is view_code:
            inside -= 1
        elif event == "call" and inside and frame.f_code.co_name != "<module>":
            name = frame.f_globals.get("__name__", "")
            if name.startswith(("cms.", "sites.")):
                seen.add(name)

    sys.setprofile(watch)
    try:
        response = client.get(URL, {"html_path": path})
    finally:
        sys.setprofile(None)
    return seen, response


def test_a_by_path_request_runs_in_the_listed_modules(client, home, make_image):
    target = add(home, SampleContentPage(title="Target", slug="target"))
    add(home, SampleContentPage(title="Everything", slug="everything", body=[
        ("heading", {"text": "Hello", "level": 2}),
        ("rich_text", f'<p>See <a linktype="page" id="{target.pk}">the target</a>.</p>'),
        ("image", {"image": make_image(), "alt": "A pier", "caption": ""}),
        ("cta", {"label": "Go", "link": {"page": target, "url": ""}}),
    ]))
    client.get(URL, {"html_path": "/target/"})  # the view's own first-use imports, done

    built, miss = modules_run(client, "/everything/")
    cached, hit = modules_run(client, "/everything/")

    assert miss.status_code == 200 and miss["X-Mortar-Cache"] == "miss"
    assert hit.status_code == 200 and hit["X-Mortar-Cache"] == "hit"
    path, plug_ins, hooks = (listed_modules(PATH), listed_modules(PLUG_INS),
                             listed_modules(HOOKS))
    listed = path + plug_ins + hooks
    assert len(listed) == len(set(listed)), "a module is listed twice in cms/api/README.md"
    assert len(path) <= MOST, f"the by-path pipeline runs in more than {MOST} modules"
    # Both ways: a module the request no longer runs in leaves the lists too, and one it
    # runs in that neither list names fails the test.
    assert sorted(built - set(hooks)) == sorted(path + plug_ins), \
        "cms/api/README.md lists others"
    assert sorted(cached - set(hooks)) == sorted(path[:HIT]), \
        f"a hit runs in 1-{HIT} of cms/api/README.md's pipeline"
