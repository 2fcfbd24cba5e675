"""The layers hold: no import circle, and the layer contracts are kept.

The layer contract itself (each layer imports only from the layers below it,
the rule families, readers, formats and commands independent of one another)
is kept in ``pyproject.toml`` and checked by ``lint-imports``, which CI runs and
the last test here runs too. ``docs/architecture.md`` draws the map.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

import grimp

from tests.paths import ROOT

if TYPE_CHECKING:
    import pytest


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Return the strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_the_package_has_no_import_circle() -> None:
    """Every import, lazy ones in functions and type-checking ones included, runs one way."""
    graph = grimp.build_graph("hyperv_backup")
    assert len(graph.modules) > 50  # the whole package was read
    assert _circles(graph) == []


def test_a_circle_would_be_found() -> None:
    """The circle finder itself: a graph with one circle gives exactly that circle."""
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _circles(graph) == [["a.x", "a.y"]]


def test_the_layer_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every contract of pyproject.toml holds, as ``lint-imports`` (run by CI) reports."""
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


def _rule_id_literals(source: str) -> list[tuple[int, str]]:
    """Return the string constants of ``source`` that name a rule ID, docstrings aside."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and re.search(r"HVB\d{3}", node.value)
    ]


def test_code_outside_the_rules_names_rules_by_object() -> None:
    """No rule-ID string literal outside ``rules/``: a typo would be found only at run time."""
    package = ROOT / "hyperv_backup"
    found = [
        (path.relative_to(ROOT).as_posix(), line)
        for path in sorted(package.rglob("*.py"))
        if package / "rules" not in path.parents
        for line, _ in _rule_id_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_rule_id_literal_would_be_found() -> None:
    source = (
        '"""Docstring HVB101."""\nHELP = "see HVB105"\n\n\ndef f() -> None:\n    """HVB201."""\n'
    )
    assert _rule_id_literals(source) == [(2, "see HVB105")]
