"""The tutorial notebook runs top to bottom, and its cells assert what they show."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "tutorial.ipynb"


def test_the_tutorial_runs_top_to_bottom() -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the test extra")
    nbclient = pytest.importorskip("nbclient", reason="nbclient comes with the test extra")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    # Charts show as pictures without `%matplotlib inline` (issue 12 item 19), and nothing warns.
    charts = [c for c in notebook.cells if c.cell_type == "code" and "study.chart(" in c.source]
    assert len(charts) == 3  # themes, flow, saturation
    for cell in charts:
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source
    streams = [
        o.get("text", "") for c in notebook.cells for o in c.get("outputs", []) if o.get("name") == "stderr"
    ]
    assert not [text for text in streams if "Warning" in text], streams
