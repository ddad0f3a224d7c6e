"""No import cycles between hcode's modules.

Every import counts: at the top of a module, inside a function, under ``TYPE_CHECKING``, and a
package's ``__init__`` importing a submodule that imports the package back. ``from P import N``
is an import of the module ``P.N`` where that is a module, else of ``P``. A cycle is printed as
the chain of imports that closes it, each with its ``file:line``.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"

# Cycles still known, each named by its modules; every cycle found must lie inside one of these,
# and an entry that no longer matches a cycle fails the test, so the list only shrinks. None is
# left: keep it so.
KNOWN_CYCLES: dict[str, frozenset[str]] = {}

Graph = dict[str, dict[str, str]]  # module -> imported module -> where ("file:line")


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Every module under ``root`` (a folder holding packages): dotted name -> (file, is a package)."""
    out: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, package)
    return out


def import_graph(root: Path) -> Graph:
    """Which module imports which, counting every ``import`` and ``from ... import`` statement."""
    found = modules(root)
    graph: Graph = {name: {} for name in found}
    for name, (path, package) in found.items():
        here = name if package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = here.split(".")
                    base = ".".join(parts[: len(parts) - (node.level - 1)])
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module or ""
                targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in found else target for a in node.names]
            where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
            for target in targets:
                if target in found and target not in graph[name]:
                    graph[name][target] = where
    return graph


def strongly_connected(graph: Graph) -> list[frozenset[str]]:
    """The groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []

    def visit(start: str) -> None:
        # iterative, so a long chain of imports cannot exhaust the recursion limit
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph[node]:
                    groups.append(frozenset(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return groups


def a_cycle(graph: Graph, group: frozenset[str]) -> str:
    """One cycle through ``group``, as ``a (file:line) -> b (file:line) -> ... -> a``."""
    start = min(group)
    came: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt not in group:
                continue
            if nxt == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(came[chain[-1]])
                chain.reverse()
                steps = [f"{a} ({graph[a][b]})" for a, b in zip(chain, [*chain[1:], start], strict=True)]
                return " -> ".join([*steps, start])
            if nxt not in came:
                came[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no cycle through {sorted(group)}")


def test_no_import_cycles() -> None:
    graph = import_graph(SRC)
    groups = strongly_connected(graph)
    new = [g for g in groups if not any(g <= known for known in KNOWN_CYCLES.values())]
    assert not new, "import cycles:\n" + "\n".join(a_cycle(graph, g) for g in new)
    gone = [name for name, known in KNOWN_CYCLES.items() if not any(g <= known for g in groups)]
    assert not gone, f"these cycles are gone: remove them from KNOWN_CYCLES: {gone}"


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_every_kind_of_import_counts(tmp_path: Path) -> None:
    """A cycle closed by a function's import, by a ``TYPE_CHECKING`` import, by a relative import
    and by a package's ``__init__`` importing a submodule that imports it back: each is found."""
    root = _package(
        tmp_path,
        {
            "p/__init__.py": "from p import sub\n",
            "p/sub.py": "from p import VALUE\n",
            "p/a.py": "def f():\n    from p.b import g\n",
            "p/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import f\n",
            "p/c.py": "from . import d\n",
            "p/d.py": "import p.c\n",
            "p/e.py": "import os\n",
        },
    )
    graph = import_graph(root)
    groups = set(strongly_connected(graph))
    assert groups == {frozenset({"p", "p.sub"}), frozenset({"p.a", "p.b"}), frozenset({"p.c", "p.d"})}
    assert a_cycle(graph, frozenset({"p.a", "p.b"})) == "p.a (p/a.py:2) -> p.b (p/b.py:3) -> p.a"
    assert a_cycle(graph, frozenset({"p", "p.sub"})) == "p (p/__init__.py:1) -> p.sub (p/sub.py:1) -> p"


def test_a_chain_without_a_cycle_passes(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {"q/__init__.py": "", "q/a.py": "from q import b\n", "q/b.py": "from q.c import x\n", "q/c.py": "x = 1\n"},
    )
    graph = import_graph(root)
    assert graph["q.a"] == {"q.b": "q/a.py:1"}
    assert strongly_connected(graph) == []
