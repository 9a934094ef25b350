"""Issue 16 items 2 and 4: what suggested each code ("Suggested by") and where every code came from (Origin).

The study is tests/conftest.py's; its suggestions, worked out by hand from its keywords:
fg1-002 Devices (laptop), fg1-003 Data plans (hotspot, data plan), fg1-006 Passwords,
fg1-007 Burnout (exhausted), fg2-002 Devices (tablet) and Burnout (burnout), fg2-003 Passwords.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from radar import columns as C
from radar.cli import main
from radar.study import Study


def _sheet(path: Path, title: str) -> list[dict[str, object]]:
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook[title].iter_rows(values_only=True))
    workbook.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def set_codes(path: Path, codes: dict[str, list[str]], column: str | None = None, value: str = "") -> None:
    """Write the analyst's Code cells of phase 2 (and, with ``column``, one other cell of each row)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[C.SHEET_PHASE2]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        sid = row[header.index(C.SEGMENT_ID)].value
        if column is not None:
            row[header.index(column)].value = value
        if sid in codes:
            for i in range(1, 4):
                row[header.index(C.code_column(i))].value = (codes[sid] + ["", "", ""])[i - 1] or None
    workbook.save(path)


def reduce(study: Path) -> None:
    result = CliRunner().invoke(main, ["reduce", str(study)])
    assert result.exit_code == 0, result.output


def test_suggested_by_says_which_keyword_matched_which_words(study_dir: Path) -> None:
    reduce(study_dir)
    by_id = {
        row[C.SEGMENT_ID]: row.get(C.SUGGESTED_BY)
        for row in _sheet(study_dir / "radar-tables.xlsx", C.SHEET_PHASE2)
    }
    assert by_id["fg1-002"] == 'Devices: "laptop" (laptop)'
    assert by_id["fg1-003"] == 'Data plans: "hotspot" (hotspot), "data plan" (data plan)'
    assert by_id["fg2-002"] == 'Devices: "tablet" (tablet); Burnout: "burnout" (burnout)'
    assert by_id["fg1-008"] in (None, "")  # "Nothing to add really": nothing suggested
    frame = Study(study_dir).suggested_by()
    assert list(frame.columns) == [C.SEGMENT_ID, C.CODE, "Keyword", "Matched"]
    assert len(frame) == 8  # 7 suggested codes, Data plans of fg1-003 by two keywords
    row = frame[(frame[C.SEGMENT_ID] == "fg1-007")].iloc[0]
    assert (row[C.CODE], row["Keyword"], row["Matched"]) == ("Burnout", "exhausted", "exhausted")


def test_suggested_by_edited_by_the_analyst_is_read_harmlessly_and_written_again(study_dir: Path) -> None:
    reduce(study_dir)
    tables = study_dir / "radar-tables.xlsx"
    set_codes(tables, {}, column=C.SUGGESTED_BY, value="my own words")
    reduce(study_dir)
    rows = _sheet(tables, C.SHEET_PHASE2)
    by_id = {row[C.SEGMENT_ID]: row[C.SUGGESTED_BY] for row in rows}
    assert by_id["fg1-002"] == 'Devices: "laptop" (laptop)'
    assert by_id["fg1-008"] in (None, "")
    assert all("Column" not in str(h) for h in rows[0])  # not taken for an own column


def test_every_code_has_its_origin_in_the_coded_sheet_state_audit_and_report(study_dir: Path) -> None:
    reduce(study_dir)
    tables = study_dir / "radar-tables.xlsx"
    # The analyst: fg1-002 Devices -> Data plans (a suggestion changed), fg1-007 and fg2-002's Burnout
    # removed, Passwords typed on fg1-008 where nothing was suggested.
    set_codes(
        tables, {"fg1-002": ["Data plans"], "fg1-007": [], "fg2-002": ["Devices"], "fg1-008": ["Passwords"]}
    )
    reduce(study_dir)
    origins = {(r[C.SEGMENT_ID], r[C.CODE]): r[C.ORIGIN] for r in _sheet(tables, C.SHEET_PHASE3)}
    assert origins == {
        ("fg1-002", "Data plans"): C.ORIGIN_CHANGED,
        ("fg1-003", "Data plans"): C.ORIGIN_KEYWORD,
        ("fg1-006", "Passwords"): C.ORIGIN_KEYWORD,
        ("fg1-008", "Passwords"): C.ORIGIN_ANALYST,
        ("fg2-002", "Devices"): C.ORIGIN_KEYWORD,
        ("fg2-003", "Passwords"): C.ORIGIN_KEYWORD,
    }
    state = {r[C.SEGMENT_ID]: r for r in _sheet(tables, C.SHEET_STATE)}
    assert json.loads(str(state["fg1-008"][C.STATE_ORIGINS])) == {"Passwords": [C.ORIGIN_ANALYST, 2]}
    assert json.loads(str(state["fg1-006"][C.STATE_ORIGINS])) == {"Passwords": [C.ORIGIN_KEYWORD, 1]}
    audit = [json.loads(line) for line in (study_dir / ".radar" / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["origins"] == {C.ORIGIN_KEYWORD: 4, C.ORIGIN_ANALYST: 1, C.ORIGIN_CHANGED: 1}
    # A third run keeps every origin (a code keeps the origin it had when first decided).
    reduce(study_dir)
    again = {(r[C.SEGMENT_ID], r[C.CODE]): r[C.ORIGIN] for r in _sheet(tables, C.SHEET_PHASE3)}
    assert again == origins
    from radar.suggestions_report import origins_paragraph

    assert origins_paragraph(Study(study_dir).phase3) == (
        "Of the 6 codes given to coded segments, 4 were suggested by keywords and accepted, "
        "1 was typed by the analyst and 1 was typed by the analyst in place of a suggestion."
    )


def test_codes_of_a_qdpx_import_are_imported(study_dir: Path, tmp_path: Path) -> None:
    reduce(study_dir)
    set_codes(study_dir / "radar-tables.xlsx", {"fg1-008": ["Passwords"]})
    reduce(study_dir)
    project = tmp_path / "project.qdpx"
    runner = CliRunner()
    result = runner.invoke(main, ["export", "qdpx", str(study_dir), str(project)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "imported"
    result = runner.invoke(main, ["import", "qdpx", str(project), str(target)])
    assert result.exit_code == 0, result.output
    coded = Study(target).phase3
    assert len(coded) == 8  # the 7 suggestions left in place and the analyst's Passwords
    assert set(coded[C.ORIGIN]) == {C.ORIGIN_IMPORTED}
    sheet = _sheet(target / "radar-tables.xlsx", C.SHEET_PHASE3)  # the workbook says so too, at once
    assert {row[C.ORIGIN] for row in sheet} == {C.ORIGIN_IMPORTED}
    assert not (target / ".radar" / "importing").exists()
    reduce(target)  # and keeps saying so
    assert {row[C.ORIGIN] for row in _sheet(target / "radar-tables.xlsx", C.SHEET_PHASE3)} == {
        C.ORIGIN_IMPORTED
    }


def test_a_code_a_reconciled_decision_added_is_reconciled(study_dir: Path, tmp_path: Path) -> None:
    from radar.reconcile import reconcile

    reduce(study_dir)
    tables = study_dir / "radar-tables.xlsx"
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(tables, alice)
    shutil.copy(tables, bob)
    set_codes(bob, {"fg1-003": ["Data plans", "Devices"]})  # Bob adds Devices to a suggestion both kept
    agreed = reconcile(alice, bob, tmp_path / "agreed.xlsx").path
    workbook = openpyxl.load_workbook(agreed)
    sheet = workbook["Reconcile"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "fg1-003":
            row[header.index("Decision")].value = "B"
    workbook.save(agreed)
    shutil.copy(agreed, tables)
    reduce(study_dir)
    origins = {(r[C.SEGMENT_ID], r[C.CODE]): r[C.ORIGIN] for r in _sheet(tables, C.SHEET_PHASE3)}
    assert origins[("fg1-003", "Devices")] == C.ORIGIN_RECONCILED
    assert origins[("fg1-003", "Data plans")] == C.ORIGIN_KEYWORD  # both coders kept the suggestion
    assert origins[("fg1-006", "Passwords")] == C.ORIGIN_KEYWORD
    audit = [json.loads(line) for line in (study_dir / ".radar" / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["origins"] == {C.ORIGIN_KEYWORD: 7, C.ORIGIN_RECONCILED: 1}


def test_an_exact_form_keyword_is_shown_as_the_codebook_writes_it(study_dir: Path) -> None:
    book = (study_dir / "codebook.yaml").read_text(encoding="utf-8")
    (study_dir / "codebook.yaml").write_text(
        book.replace("[password]", "['=\"password\"']"), encoding="utf-8"
    )
    reduce(study_dir)
    by_id = {
        row[C.SEGMENT_ID]: row[C.SUGGESTED_BY]
        for row in _sheet(study_dir / "radar-tables.xlsx", C.SHEET_PHASE2)
    }
    assert by_id["fg1-006"] == 'Passwords: ="password" (password)'
