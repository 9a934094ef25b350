"""The import graph of the radar package, read from the code's own imports.

Every ``import radar.x`` and ``from radar.x import y`` counts, at the top of a
module or inside a function, so an import moved into a function to hide a
circle is still seen. Run ``python docs/import_graph.py`` to print the
circles, the arrows that point up the floors, and the radar imports written
inside functions outside the modules allowed to defer them (:data:`LAZY`);
``tests/test_layers.py`` keeps all three lists empty.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "radar"

# Each module's floor: a module may import only from its own floor or below.
# A package's modules share its floor unless listed on their own.
_ALL: set[str] = set()  # filled below, once the package is listed

FLOORS: Mapping[str, int] = {
    # Records and primitives: errors, column names, safe file writes, the clock and hashes.
    "radar.errors": 1,
    "radar.columns": 1,
    "radar.files": 1,
    "radar.progress": 1,
    "radar.safety": 1,
    # Any sheet of any workbook, tables in every text form, radar.toml, speakers.csv.
    "radar.excel": 2,
    "radar.formats": 2,
    "radar.word": 2,
    "radar.config": 2,
    "radar.speakers": 2,
    # The readers: transcripts (a registry of families) and the codebook (a registry of forms).
    "radar.identifiers": 3,
    "radar.transcripts": 3,
    "radar.codebook": 3,
    # The study folder; what works on a codebook and turns alone (keywords, counts, themes).
    "radar.folder": 4,
    "radar.lock": 4,
    "radar.roles": 4,
    "radar.suggest": 4,
    "radar.semantic": 4,
    "radar.tally": 4,
    "radar.themes": 4,
    "radar.matrix": 4,
    "radar.characteristics": 4,
    "radar.quotes": 4,
    "radar.saturation": 4,
    "radar.balance": 4,
    "radar.checklists": 4,
    # De-identification takes the folder.
    "radar.deidentify": 5,
    # The reduction, and its old module names (thin re-exports kept for old imports).
    "radar.reduction": 6,
    "radar.reduce": 6,
    "radar.tables": 6,
    "radar.workbook": 6,
    "radar.history": 6,
    # The outputs.
    "radar.agreement": 7,
    "radar.reconcile": 7,
    "radar.membercheck": 7,
    "radar.refiqda": 7,
    "radar.charts": 7,
    "radar.quotebook": 7,
    "radar.evidence": 7,
    "radar.rapid": 7,
    "radar.suggestions_report": 7,
    "radar.report": 8,
    # The facade, the command, and the package's lazy names.
    "radar.study": 9,
    "radar.cli": 10,
    "radar": 11,  # the package's __init__: lazy names for users, imports nothing at import time
}


def _module_names() -> set[str]:
    return set(modules())


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path: Path, name: str) -> set[str]:
    """The radar modules a module imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("radar"))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base is None or not base.startswith("radar"):
                continue
            submodules = {f"{base}.{alias.name}" for alias in node.names} & _ALL
            found.update(submodules or {base})
    return found


# Where a radar module may be imported inside a function, and why: nowhere else.
LAZY: Mapping[str, str] = {
    "radar.cli": "each command loads what it runs, so `radar --help` stays fast",
}


def imported_in_functions(path: Path, name: str) -> set[str]:
    """The radar modules a module imports inside a function (the start of an import it defers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("radar"))
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, package)
                if base is not None and base.startswith("radar"):
                    found.add(base)
    return found


def deferred() -> list[tuple[str, str]]:
    """(module, radar module it imports inside a function), outside the modules :data:`LAZY` allows."""
    return sorted(
        (name, target)
        for name, path in modules().items()
        if floor(name) and not any(name == lazy or name.startswith(f"{lazy}.") for lazy in LAZY)
        for target in imported_in_functions(path, name)
    )


def _absolute(node: ast.ImportFrom, package: str) -> str | None:
    if node.level == 0:
        return node.module
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports.

    Names that are not modules are dropped, and so are imports of a module's
    own packages (``radar``, ``radar.transcripts`` from ``radar.transcripts.text``),
    which Python runs first whatever is imported.
    """
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {t for t in imports_of(path, name) if t in known and t != name}
        edges[name] = {t for t in targets if not name.startswith(f"{t}.")}
    return edges


def floor(name: str) -> int:
    """The floor of a module: its own entry, else its package's."""
    while name not in FLOORS and "." in name:
        name = name.rpartition(".")[0]
    return FLOORS.get(name, 0)


def upward(edges: Mapping[str, set[str]]) -> list[tuple[str, str]]:
    """Arrows from a module to one on a higher floor, or to a module with no floor."""
    bad = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if floor(target) == 0 or floor(source) == 0 or floor(target) > floor(source):
                bad.append((source, target))
    return bad


def circles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


_ALL.update(_module_names())


def report() -> Iterator[str]:
    edges = graph()
    for group in circles(edges):
        yield f"circle of {len(group)}: {', '.join(group)}"
    for source, target in upward(edges):
        yield f"upward: {source} (floor {floor(source)}) imports {target} (floor {floor(target)})"
    for source, target in deferred():
        yield f"in a function: {source} imports {target} (import it at the top)"


if __name__ == "__main__":
    lines = list(report())
    print("\n".join(lines) if lines else "no circles, every arrow points down, no radar import in a function")
    edges = graph()
    print(f"{len(edges)} modules, {sum(map(len, edges.values()))} imports", file=sys.stderr)
