"""The package's layers: no import circle, every arrow down the floors (docs/import_graph.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

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


@pytest.mark.xfail(
    strict=True, reason="issue 11: study.py is both facade and foundation (a 17-module circle)"
)
def test_no_import_circle() -> None:
    graph = load()
    assert graph.circles(graph.graph()) == []


@pytest.mark.xfail(strict=True, reason="issue 11: lower modules import radar.study")
def test_every_arrow_points_down() -> None:
    graph = load()
    assert graph.upward(graph.graph()) == []
