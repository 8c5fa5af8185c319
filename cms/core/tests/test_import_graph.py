"""No import circle in cms/: every module's imports, read from its source, form no cycle.

A circle makes the order modules load in matter, and ties their jobs together so
neither can change alone. Every `import` and `from ... import` counts, at module level
or inside a function alike. The one exception is a Celery task pair: a module that
queues a task and the tasks module that calls back into it, the import of the tasks
made inside the function that queues, under a comment starting `# Celery task pair:`
that says why.

Beside it, two layering rules: freshness sits below the API (cms.publishing never
imports cms.api, and cms.api's code uses only `cms.publishing.freshness` of it), and
neither cms.core nor cms.api reaches up into cms.preview, which builds on both.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import cms

CMS = Path(cms.__file__).parent
TASK_PAIR_COMMENT = "# Celery task pair:"


@dataclass(frozen=True)
class Edge:
    """`source` imports `target` (dotted module names) at `line` of source's file."""

    source: str
    target: str
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CMS.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = CMS) -> dict[str, Path]:
    """Every module under `root` by dotted name (packages by their own name)."""
    return {module_name(path): path for path in sorted(root.rglob("*.py"))}


def _known(name: str, known: dict[str, Path]) -> str | None:
    """The module `name` is, or the nearest package holding it among `known`."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def edges(known: dict[str, Path]) -> Iterator[Edge]:
    """Each import of one cms module by another. `from package import name` is an edge
    to the submodule `package.name` when there is one, else to the package."""
    for source, path in known.items():
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [_known(alias.name, known) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                targets = [_known(f"{base}.{alias.name}", known) for alias in node.names]
            else:
                continue
            for target in targets:
                if target is not None and target != source:
                    yield Edge(source, target, node.lineno)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def is_task_pair(circle: list[str], found: list[Edge], known: dict[str, Path]) -> bool:
    """A circle of a module and its app's `tasks`, whose every import of the tasks is
    inside a function under a `# Celery task pair:` comment."""
    if len(circle) != 2 or not any(name.endswith(".tasks") for name in circle):
        return False
    caller, tasks = sorted(circle, key=lambda name: name.endswith(".tasks"))
    if caller.rpartition(".")[0] != tasks.rpartition(".")[0]:
        return False
    lines = known[caller].read_text().splitlines()
    for edge in found:
        if edge.source != caller or edge.target != tasks:
            continue
        indented = lines[edge.line - 1].startswith((" ", "\t"))
        above = "\n".join(lines[max(0, edge.line - 4):edge.line - 1])
        if not indented or TASK_PAIR_COMMENT not in above:
            return False
    return True


def import_graph(known: dict[str, Path]) -> tuple[dict[str, set[str]], list[Edge]]:
    found = list(edges(known))
    graph: dict[str, set[str]] = {name: set() for name in known}
    for edge in found:
        graph[edge.source].add(edge.target)
    return graph, found


def describe(circle: list[str], found: list[Edge], known: dict[str, Path]) -> str:
    inside = set(circle)
    steps = sorted({f"{edge.source} -> {edge.target} "
                    f"({known[edge.source].relative_to(CMS.parent)}:{edge.line})"
                    for edge in found if edge.source in inside and edge.target in inside})
    return f"{len(circle)} modules: " + ", ".join(circle) + "\n    " + "\n    ".join(steps)


def test_no_import_circle_in_cms() -> None:
    known = modules()
    graph, found = import_graph(known)
    bad = [circle for circle in circles(graph) if not is_task_pair(circle, found, known)]
    assert not bad, "import circles in cms/:\n" + "\n".join(
        describe(circle, found, known) for circle in bad)


def _app(name: str) -> str:
    return ".".join(name.split(".")[:2])


def _outside_tests(edge: Edge) -> bool:
    return ".tests." not in f"{edge.source}." and not edge.source.startswith("cms.testing")


def test_freshness_sits_below_the_api() -> None:
    """cms.publishing never imports cms.api; cms.api's code imports only
    `cms.publishing.freshness` of cms.publishing (its tests may look at the records)."""
    _, found = import_graph(modules())
    upward = sorted({f"{edge.source} -> {edge.target}" for edge in found
                     if _app(edge.source) == "cms.publishing" and _app(edge.target) == "cms.api"})
    assert not upward, f"cms.publishing imports the API: {upward}"
    internals = sorted({f"{edge.source} -> {edge.target}" for edge in found
                        if _outside_tests(edge) and _app(edge.source) == "cms.api"
                        and _app(edge.target) == "cms.publishing"
                        and edge.target != "cms.publishing.freshness"})
    assert not internals, f"cms.api imports cms.publishing's internals: {internals}"


@pytest.mark.parametrize(("lower", "upper"), [
    # The page mixins (cms.core.pages) hold what pages need of previews.
    ("cms.core", "cms.preview"),
    # The preview endpoint builds on the API; the router that registers it is cms.urls.
    ("cms.api", "cms.preview"),
])
def test_an_app_never_imports_one_built_on_it(lower: str, upper: str) -> None:
    _, found = import_graph(modules())
    upward = sorted({f"{edge.source} -> {edge.target}" for edge in found
                     if _outside_tests(edge) and _app(edge.source) == lower
                     and _app(edge.target) == upper})
    assert not upward, f"{lower} imports {upper}, which builds on it: {upward}"


def test_the_graph_sees_a_circle(tmp_path: Path) -> None:
    """The check finds a circle through a function-level import and a relative import,
    and takes a task pair only with its comment."""
    package = tmp_path / "cms" / "app"
    package.mkdir(parents=True)
    (tmp_path / "cms" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from cms.app.a import x\n")
    (package / "queue.py").write_text("def f():\n    from cms.app.tasks import t\n")
    (package / "tasks.py").write_text("from cms.app import queue\n")
    known = {module_name_in(tmp_path, path): path for path in sorted(tmp_path.rglob("*.py"))}
    graph, found = import_graph(known)
    found_circles = circles(graph)
    assert ["cms.app.a", "cms.app.b"] in found_circles
    assert ["cms.app.queue", "cms.app.tasks"] in found_circles
    assert not is_task_pair(["cms.app.queue", "cms.app.tasks"], found, known)
    (package / "queue.py").write_text(
        f"def f():\n    {TASK_PAIR_COMMENT} the task calls back\n"
        "    from cms.app.tasks import t\n")
    graph, found = import_graph(known)
    assert is_task_pair(["cms.app.queue", "cms.app.tasks"], found, known)


def module_name_in(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
