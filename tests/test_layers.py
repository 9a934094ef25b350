"""The package's layers: no import circle, every arrow down the floors (docs/import_graph.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "docs" / "import_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_imports_inside_functions_and_relative_ones_are_seen(tmp_path: Path) -> None:
    graph = load()
    path = tmp_path / "mod.py"
    path.write_text(
        "from __future__ import annotations\nimport os\nfrom radar import columns as C\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from radar.study import Study\n"
        "def f():\n    from radar.tally import tally\n    from .files import write_text_atomic\n",
        encoding="utf-8",
    )
    found = graph.imports_of(path, "radar.mod")
    assert {"radar.columns", "radar.study", "radar.tally", "radar.files"} <= found
    assert "os" not in found


def test_a_circle_is_found() -> None:
    graph = load()
    assert graph.circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_transcript_readers_import_only_downwards() -> None:
    graph = load()
    edges = graph.graph()
    readers = {name: targets for name, targets in edges.items() if name.startswith("radar.transcripts")}
    assert not [
        group for group in graph.circles(edges) if any(m.startswith("radar.transcripts") for m in group)
    ]
    assert [arrow for arrow in graph.upward(edges) if arrow[0] in readers] == []


def test_no_import_circle() -> None:
    graph = load()
    assert graph.circles(graph.graph()) == []


def test_every_arrow_points_down() -> None:
    graph = load()
    assert graph.upward(graph.graph()) == []


def test_nothing_below_the_facade_imports_it() -> None:
    graph = load()
    importers = {name for name, targets in graph.graph().items() if "radar.study" in targets}
    assert importers <= {"radar.cli", "radar"}


def test_radar_modules_are_imported_at_the_top() -> None:
    """An import inside a function is for a heavy library, never to hide a circle."""
    assert load().deferred() == []


def test_every_module_has_a_floor() -> None:
    graph = load()
    assert [name for name in graph.modules() if graph.floor(name) == 0] == []
    assert [name for name in graph.FLOORS if name not in graph.modules()] == []


def test_the_old_module_names_still_resolve() -> None:
    import radar.history
    import radar.reduce
    import radar.tables
    import radar.workbook
    from radar import excel
    from radar.reduction import edits, history, readback, records, run, tables

    assert radar.reduce.run_reduce is run.run_reduce and radar.reduce.flow_of is tables.flow_of
    assert radar.reduce.rename_code is edits.rename_code
    assert radar.tables.PreviousWork is records.PreviousWork and radar.tables.phase1 is tables.phase1
    assert radar.workbook.write_workbook is excel.write_workbook
    assert radar.workbook.read_previous_work is readback.read_previous_work
    assert radar.history.Change is records.Change and radar.history.read_audit is history.read_audit
