"""The import graph of ``webapp/``: no cycles, layers that point down (read with ``ast``).

Every import counts, those inside functions too: an import moved into a function hides a
cycle from Python, not from this test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "webapp"


def module_files() -> dict[str, Path]:
    """Return every module of the package by dotted name (a package by its own name)."""
    modules = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Yield the dotted names a module imports, anywhere in it (relative ones resolved)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # ``from a import b``: the module a.b if there is one, else a (found by the caller)
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Return, for each module of the package, the modules of the package it imports."""
    modules = module_files()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of the graph as a path of modules, or None (depth-first, no
    recursion)."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                done.add(path.pop())
                stack.pop()
            elif following in path:
                return [*path[path.index(following):], following]
            elif following not in done:
                path.append(following)
                stack.append(iter(sorted(graph.get(following, ()))))
    return None


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "webapp.demo.generator" in graph["webapp.services.demo_seed"]  # imported in a function
    assert "webapp.policy" in graph["webapp.services.profiles"]


def test_a_cycle_is_found():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_webapp_has_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_the_policy_depends_on_the_models_only():
    assert import_graph()["webapp.policy"] == set()


def test_pages_do_not_import_the_api():
    graph = import_graph()
    pages = [m for m in graph if m.startswith("webapp.ui")]
    assert pages
    assert {(m, t) for m in pages for t in graph[m] if t.startswith("webapp.api")} == set()
