#!/usr/bin/env python3
"""Print the import graph of custom_components/textboost and say whether it is acyclic.

Every explicit import between the integration's own modules counts, including
those under ``if TYPE_CHECKING:`` and inside functions. A package stands for
its ``__init__.py``; ``from . import x`` names the submodule ``x``. Python's
implicit import of a parent package is not an edge.

Usage: scripts/import_graph.py [package directory]
Prints ``module -> dependency, ...`` lines, then either ``acyclic`` or one
``cycle: a -> b -> a`` line per cycle found; exits 1 when there is a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / "textboost"


def module_name(path: Path, package: Path) -> str:
    """``services/messages.py`` -> ``services.messages``; ``__init__.py`` -> ``.``."""
    parts = list(path.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "."


def _resolve(current: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module (within the package) of a relative import."""
    base = [] if current == "." else current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    parts = base + (target.split(".") if target else [])
    return ".".join(parts) or "."


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    modules = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    top = f"custom_components.{package.name}"
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    source = _resolve(name, is_package, node.level, node.module)
                elif node.module and (node.module + ".").startswith(top + "."):
                    source = node.module.removeprefix(top).lstrip(".") or "."
                else:
                    continue
                for alias in node.names:
                    submodule = (
                        source + "." + alias.name if source != "." else alias.name
                    )
                    targets.append(submodule if submodule in modules else source)
            elif isinstance(node, ast.Import):
                targets = [
                    a.name.removeprefix(top).lstrip(".") or "."
                    for a in node.names
                    if (a.name + ".").startswith(top + ".")
                ]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dependency in sorted(graph[node]):
            if dependency not in index:
                visit(dependency)
                low[node] = min(low[node], low[dependency])
            elif dependency in on_stack:
                low[node] = min(low[node], index[dependency])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main(argv: list[str]) -> int:
    """Print the graph and the verdict; 1 when there is a cycle."""
    package = Path(argv[1]).resolve() if len(argv) > 1 else PACKAGE
    graph = import_graph(package)
    for name in sorted(graph):
        print(f"{name} -> {', '.join(sorted(graph[name])) or '(nothing)'}")
    found = cycles(graph)
    for component in found:
        print("cycle: " + " <-> ".join(component))
    if not found:
        print("acyclic")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
