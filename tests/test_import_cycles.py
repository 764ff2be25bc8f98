"""No module of recommender or bot takes part in an import cycle.

A cycle hidden by a function-local import (``bundle`` ↔ ``train``, ``vocabulary`` ↔ ``builder``)
still ties the two modules together; imports under ``TYPE_CHECKING`` count too. import-linter's
``acyclic_siblings`` contract checks packages, which this tree does not meet yet; this test checks
modules, with grimp (import-linter's own graph builder).
"""

from __future__ import annotations

import grimp

PACKAGES = ("recommender", "bot")


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of two or more modules that import each other, directly or not (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while (member := stack.pop()) != module:
                on_stack.discard(member)
                group.append(member)
            on_stack.discard(module)
            if group:
                groups.append(sorted([module, *group]))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    lines = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & set(group)):
            where = [
                detail["line_number"]
                for detail in graph.get_import_details(importer=importer, imported=imported)
            ]
            lines.append(f"  {importer} -> {imported} (line {', '.join(map(str, where))})")
    return "\n".join(lines)


def test_the_finder_sees_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(module)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.y", imported="a.z")

    assert strongly_connected(graph) == [["a.x", "a.y"]]


def test_no_import_cycles() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert "recommender.bundle" in graph.modules  # the packages were really read

    cycles = strongly_connected(graph)

    assert not cycles, "import cycles:\n" + "\n\n".join(describe(graph, group) for group in cycles)
