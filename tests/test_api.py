"""The library API a notebook user meets first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import radar
from radar.errors import RadarWarning, StudyError


def test_three_lines_to_a_tally(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    study.reduce()
    frame = study.tally()
    assert list(frame.columns) == ["theme", "n", "N", "percent", "label"]
    assert frame["n"].sum() == 7


def test_every_public_name_resolves() -> None:
    for name in radar.__all__:
        assert getattr(radar, name) is not None, name
    with pytest.raises(AttributeError):
        radar.not_a_thing


def test_import_radar_is_light() -> None:
    probe = "import sys, radar; print([m for m in ('pandas', 'spacy', 'matplotlib', 'docx', 'openpyxl') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_loaders_work_without_a_study(tmp_path: Path) -> None:
    path = tmp_path / "g.txt"
    path.write_text("Moderator: Hello?\nP1: Hi there.\n", encoding="utf-8")
    transcript = radar.read_transcript(path)
    assert [t.speaker for t in transcript.turns] == ["Moderator", "P1"]
    book = tmp_path / "codebook.csv"
    book.write_text(
        "Theme,Code,Definition,Include,Exclude,Example,Keywords\nA,B,,,,,x; y\n", encoding="utf-8"
    )
    assert radar.load_codebook(book).code_names == ("B",)


def test_notes_on_the_input_are_warnings(study_dir: Path) -> None:
    (study_dir / "transcripts" / "notes.xlsx").write_bytes(b"")
    with pytest.warns(RadarWarning, match="notes.xlsx is not read"):
        radar.Study(study_dir).reduce()


def test_the_study_card_says_what_is_stale(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    assert "needs <code>reduce()</code>: no tables yet" in study._repr_html_()
    study.reduce()
    assert "up to date" in study._repr_html_() and study.stale() == []
    (study_dir / "transcripts" / "fg2.txt").write_text("Moderator: Hi\nP1: Bye\n", encoding="utf-8")
    assert study.stale() == ["transcripts/fg2.txt changed"]
    (study_dir / "transcripts" / "fg3.txt").write_text("Moderator: Hi\nP1: Bye\n", encoding="utf-8")
    assert "transcripts/fg3.txt is new" in study._repr_html_()


def test_codebook_card(study_dir: Path) -> None:
    html = radar.load_codebook(study_dir / "codebook.yaml")._repr_html_()
    assert "3 themes, 4 codes" in html and "Devices, Data plans" in html


def test_phase_tables_follow_the_workbook(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    study.reduce()
    assert len(study.phase1) == 11 and len(study.phase2) == 7 and len(study.phase3) == 7


def test_edits_from_python_are_read_back_as_the_analysts(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    study.reduce()
    written = study.edit(
        codes={"fg1-008": ["burnout", "Devices"]},  # names resolve case-insensitively
        keep={"fg1-003": ("no", "off topic")},
        memos={"fg2-002": "two themes in one breath"},
    )
    assert written == 3 + 2 + 1
    result = study.reduce()
    table = study.phase2.set_index("Segment ID")
    assert [table.loc["fg1-008", c] for c in ("Code 1", "Code 2")] == ["Burnout", "Devices"]
    assert "fg1-003" not in table.index
    assert table.loc["fg2-002", "Memo"] == "two themes in one breath"
    assert {c.segment for c in result.changes} == {"fg1-008", "fg1-003", "fg2-002"}


def test_edits_are_checked_before_anything_is_written(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    study.reduce()
    before = (study_dir / "radar-tables.xlsx").read_bytes()
    with pytest.raises(radar.RadarError, match="did you mean 'Passwords'"):
        study.edit(codes={"fg1-002": ["Pasword"]})
    with pytest.raises(radar.RadarError, match="only kept segments have Code cells"):
        study.edit(codes={"fg1-001": ["Devices"]})
    assert (study_dir / "radar-tables.xlsx").read_bytes() == before


def test_every_package_of_radar_is_installed() -> None:
    """A subpackage missing from pyproject's list works from the source tree and breaks in a real install."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    found = {".".join(init.parent.relative_to(root).parts) for init in (root / "radar").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_the_study_card_shows_codebook_speakers_notes_and_edits(study_dir: Path) -> None:
    import os
    import time

    study = radar.Study(study_dir)
    (study_dir / "transcripts" / "notes.xlsx").write_bytes(b"")
    with pytest.warns(RadarWarning):
        study.reduce()
    card = study._repr_html_()
    assert "codebook.yaml: 3 themes, 4 codes" in card
    assert "no speakers.csv" in card
    assert "transcripts/notes.xlsx is not read" in card
    assert "up to date" in card
    study.edit(memos={"fg1-002": "old laptop"})
    later = time.time() + 10
    os.utime(study_dir / "radar-tables.xlsx", (later, later))
    assert "the workbook was edited since the last run" in study._repr_html_()


def test_a_phase_table_to_read_in_jupyter(study_dir: Path) -> None:
    study = radar.Study(study_dir)
    study.reduce()
    view = study.view(2)
    page = view._repr_html_()
    assert "<strong>2 Relevant</strong> (7 rows)" in page
    assert "white-space: pre-wrap" in page
    # the whole turn, not cut to a line
    assert "I use a hotspot from my phone and the data plan runs out. It runs out in a week." in page
    assert "1 more row(s)" in study.view(1, rows=10)._repr_html_()  # 11 turns in phase 1
    with pytest.raises(StudyError, match="there is no phase 4"):
        study.view(4)
