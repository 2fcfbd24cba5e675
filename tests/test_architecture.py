"""The layers hold: no import circle, and the layer contracts are kept.

The layer contract itself (each layer imports only from the layers below it,
the rule families, readers, formats and commands independent of one another)
is kept in ``pyproject.toml`` and checked by ``lint-imports``, which CI runs and
the last test here runs too. ``docs/architecture.md`` draws the map.
"""

from __future__ import annotations

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
