"""Reconciling two coders' copies: the meeting sheet, the decisions, and the way back into reduce."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_agreement import EXTRA_THEME
from workbook_helpers import set_codes, set_keep

from radar import columns as C
from radar.codebook import load_codebook
from radar.errors import OutputExistsError, WorkbookError
from radar.reconcile import (
    APPLIED,
    DECISION,
    DECISION_LIST,
    RECONCILE_SHEET,
    apply_reconciliation,
    reconcile,
    reconcile_sheet_after,
)
from radar.reduction.history import next_run_number, read_audit
from radar.reduction.readback import read_previous_work
from radar.study import Study


@pytest.fixture
def copies(study_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Alice's and Bob's copies.

    Alice adds Burnout to fg1-008; Bob adds Devices to fg1-003, removes Burnout
    from fg1-007 and drops fg1-008 (off topic). fg1-002, fg1-006, fg2-002 and
    fg2-003 they coded alike.
    """
    with (study_dir / "codebook.yaml").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_THEME)
    Study(study_dir).reduce()
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(study_dir / "radar-tables.xlsx", alice)
    shutil.copy(study_dir / "radar-tables.xlsx", bob)
    set_codes(alice, {"fg1-008": ["Burnout"]})
    set_codes(bob, {"fg1-003": ["Data plans", "Devices"], "fg1-007": []})
    set_keep(bob, "fg1-008", "no", "off topic")
    return alice, bob


@pytest.fixture
def agreed(copies: tuple[Path, Path], tmp_path: Path) -> Path:
    return reconcile(*copies, tmp_path / "agreed.xlsx").path


def sheet_rows(path: Path, title: str) -> list[dict[str, Any]]:
    workbook = load_workbook(path)
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def phase2_codes(path: Path) -> dict[str, list[str]]:
    return {
        row[C.SEGMENT_ID]: [v for k, v in row.items() if C.is_code_column(str(k)) and v]
        for row in sheet_rows(path, C.SHEET_PHASE2)
    }


def decide(path: Path, decisions: dict[str, str], by: str = "team, 12 May") -> None:
    """Fill Decision cells as the team would at the meeting."""
    workbook = load_workbook(path)
    ws = workbook[RECONCILE_SHEET]
    header = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        sid = row[0].value
        if sid in decisions:
            row[header.index(DECISION)].value = decisions[sid]
            row[header.index("Decided by")].value = by
    workbook.save(path)


def test_reconcile_keeps_agreed_codes_and_lays_out_disagreements(
    copies: tuple[Path, Path], tmp_path: Path
) -> None:
    result = reconcile(*copies, tmp_path / "agreed.xlsx")
    assert (result.keep_differences, result.code_differences, result.segments) == (1, 2, 11)
    assert result.coders == ("alice", "bob")
    assert "3 of 11 segment(s) to decide" in result.summary()
    path = result.path
    codes = phase2_codes(path)
    assert codes["fg1-003"] == ["Data plans"]  # both chose Data plans; only Bob Devices
    assert codes["fg1-007"] == []  # only Alice chose Burnout
    assert codes["fg1-008"] == []  # Bob dropped it: nothing agreed
    assert codes["fg2-002"] == ["Devices", "Burnout"]  # agreed, untouched
    coded = {(r[C.SEGMENT_ID], r[C.CODE]) for r in sheet_rows(path, C.SHEET_PHASE3)}
    assert ("fg1-007", "Burnout") not in coded and ("fg2-002", "Burnout") in coded

    rows = sheet_rows(path, RECONCILE_SHEET)
    assert list(rows[0]) == [
        "Segment ID", "Group", "Participant", "Text",
        "Keep A (alice)", "Reason A (alice)", "Codes A (alice)",
        "Keep B (bob)", "Reason B (bob)", "Codes B (bob)",
        "Agreed codes", "Decision", "Decided by", "Note", "Applied",
    ]  # fmt: skip
    by_id = {row[C.SEGMENT_ID]: row for row in rows}
    assert list(by_id) == ["fg1-003", "fg1-007", "fg1-008"]
    assert by_id["fg1-003"]["Codes A (alice)"] == "Data plans"
    assert by_id["fg1-003"]["Codes B (bob)"] == "Data plans; Devices"
    assert by_id["fg1-003"]["Agreed codes"] == "Data plans"
    assert by_id["fg1-003"]["Participant"] == "P02"
    assert by_id["fg1-008"]["Keep B (bob)"] == "no"
    assert by_id["fg1-008"]["Reason B (bob)"] == "off topic"
    assert by_id["fg1-008"]["Codes A (alice)"] == "Burnout"
    assert by_id["fg1-007"]["Text"] == "Honestly I am exhausted by the end of the day."
    assert all(row[DECISION] is None for row in rows)

    workbook = load_workbook(path)
    ws = workbook[RECONCILE_SHEET]
    assert workbook.active.title == RECONCILE_SHEET
    assert ws.freeze_panes == "B2"
    assert ws["A1"].font.bold
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == DECISION_LIST
    assert str(validation.sqref) == "L2:L4"
    log = [(r["Section"], r["Item"]) for r in sheet_rows(path, C.SHEET_LOG)]
    assert ("Reconcile", "copy A") in log and ("Reconcile", "Keep differs") in log
    # Everything else of copy A is still there.
    assert workbook.sheetnames[:8] == [
        C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3, C.SHEET_THEMES,
        C.SHEET_CODEBOOK, C.SHEET_LOG, C.SHEET_LISTS, C.SHEET_STATE,
    ]  # fmt: skip
    assert workbook[C.SHEET_STATE].sheet_state == "hidden"


def test_reconcile_refuses_to_overwrite(copies: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "agreed.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputExistsError, match=r"agreed.xlsx: already exists; .* --force") as refused:
        reconcile(*copies, out)
    assert refused.value.path == str(out)
    assert out.read_bytes() == b"old"
    reconcile(*copies, out, force=True)
    assert RECONCILE_SHEET in load_workbook(out).sheetnames
    with pytest.raises(WorkbookError, match=r"is alice\.xlsx, a coder's copy"):
        reconcile(*copies, copies[0], force=True)


def test_reconcile_refuses_a_pending_earlier_sheet_and_sets_aside_an_applied_one(
    copies: tuple[Path, Path], agreed: Path, tmp_path: Path
) -> None:
    bob = copies[1]
    decide(agreed, {"fg1-003": "B"})
    with pytest.raises(WorkbookError, match="has decisions not applied yet; run radar reduce"):
        reconcile(agreed, bob, tmp_path / "again.xlsx")
    workbook = load_workbook(agreed)
    ws = workbook[RECONCILE_SHEET]
    ws.cell(row=2, column=[c.value for c in ws[1]].index(APPLIED) + 1).value = "run 2"
    workbook.save(agreed)
    again = reconcile(agreed, bob, tmp_path / "again.xlsx").path
    names = load_workbook(again).sheetnames
    assert f"{RECONCILE_SHEET} 1" in names and RECONCILE_SHEET in names


def test_decisions_are_applied(copies: tuple[Path, Path], agreed: Path) -> None:
    decide(agreed, {"fg1-003": "B", "fg1-007": "burnout; Devices", "fg1-008": "drop"})
    codebook = load_codebook(agreed)
    previous = read_previous_work(agreed, codebook)
    after, records = apply_reconciliation(agreed, previous, codebook)
    assert after.rows2["fg1-003"].codes == ("Data plans", "Devices")
    assert after.rows2["fg1-007"].codes == ("Burnout", "Devices")
    assert (after.rows1["fg1-008"].keep, after.rows1["fg1-008"].reason) == ("no", "off topic")
    assert after.rows2["fg2-002"] == previous.rows2["fg2-002"]
    assert previous.rows2["fg1-003"].codes == ("Data plans",)  # the input is not changed
    assert records[0] == {
        "segment": "fg1-003",
        "decision": "B",
        "keep_before": "yes",
        "keep_after": "yes",
        "codes_before": ["Data plans"],
        "codes_after": ["Data plans", "Devices"],
        "decided_by": "team, 12 May",
        "note": "",
        "row": 2,
    }
    assert [r["segment"] for r in records] == ["fg1-003", "fg1-007", "fg1-008"]
    assert records[2]["keep_after"] == "no"


@pytest.mark.parametrize(
    ("sid", "decision", "keep", "codes"),
    [
        ("fg1-003", "A", "yes", ("Data plans",)),
        ("fg1-003", "both", "yes", ("Data plans", "Devices")),
        ("fg1-003", "Agreed", "yes", ("Data plans",)),
        ("fg1-007", "a", "yes", ("Burnout",)),
        ("fg1-007", "drop", "no", ()),
        ("fg1-008", "A", "yes", ("Burnout",)),
        ("fg1-008", "keep", "yes", ("Burnout",)),
        ("fg1-008", "KEEP ", "yes", ("Burnout",)),
        ("fg1-008", "agreed", "yes", ()),
        ("fg1-008", "Passwords", "yes", ("Passwords",)),
    ],
)
def test_each_decision_word(agreed: Path, sid: str, decision: str, keep: str, codes: tuple[str, ...]) -> None:
    decide(agreed, {sid: decision})
    codebook = load_codebook(agreed)
    after, _ = apply_reconciliation(agreed, read_previous_work(agreed, codebook), codebook)
    assert after.rows1[sid].keep == keep
    assert after.rows2[sid].codes == codes


def test_b_on_a_segment_b_dropped_keeps_the_codes_on_record(agreed: Path) -> None:
    decide(agreed, {"fg1-008": "B"})
    codebook = load_codebook(agreed)
    previous = read_previous_work(agreed, codebook)
    after, records = apply_reconciliation(agreed, previous, codebook)
    assert (after.rows1["fg1-008"].keep, after.rows1["fg1-008"].reason) == ("no", "off topic")
    assert after.rows2["fg1-008"].codes == previous.rows2["fg1-008"].codes
    assert records[0]["codes_before"] == records[0]["codes_after"]


def error_for(agreed: Path, decisions: dict[str, str]) -> str:
    decide(agreed, decisions)
    codebook = load_codebook(agreed)
    with pytest.raises(WorkbookError) as caught:
        apply_reconciliation(agreed, read_previous_work(agreed, codebook), codebook)
    return str(caught.value)


def test_an_unknown_decision_word_names_the_cell(agreed: Path) -> None:
    message = error_for(agreed, {"fg1-007": "maybe"})
    assert message.startswith("agreed.xlsx, sheet 'Reconcile', cell L3 (Segment ID fg1-007): 'maybe'")
    assert "write A, B, both, agreed, keep, drop, or codes separated by ;" in message


def test_an_unknown_code_names_the_cell_and_suggests(agreed: Path) -> None:
    message = error_for(agreed, {"fg1-003": "Data plans; Devicez"})
    assert message.startswith("agreed.xlsx, sheet 'Reconcile', cell L2 (Segment ID fg1-003): 'Devicez'")
    assert "did you mean 'Devices'" in message


def test_keep_on_a_row_where_keep_agrees_is_refused(agreed: Path) -> None:
    message = error_for(agreed, {"fg1-003": "keep"})
    assert "cell L2 (Segment ID fg1-003): Keep does not differ on this row" in message


def test_a_segment_decided_twice_or_unknown_is_refused(agreed: Path) -> None:
    workbook = load_workbook(agreed)
    ws = workbook[RECONCILE_SHEET]
    ws.cell(row=4, column=1).value = "fg1-003"
    workbook.save(agreed)
    message = error_for(agreed, {"fg1-003": "A"})
    assert "cell L4 (Segment ID fg1-003): the segment is decided twice (rows 2 and 4)" in message
    ws.cell(row=4, column=1).value = "fg9-001"
    workbook.save(agreed)
    message = error_for(agreed, {"fg9-001": "A"})
    assert "cell A4 (Segment ID fg9-001): no such segment in sheet '1 All data'" in message


def test_a_bad_keep_cell_and_a_missing_column_are_refused(agreed: Path) -> None:
    workbook = load_workbook(agreed)
    ws = workbook[RECONCILE_SHEET]
    ws["E2"] = "perhaps"
    workbook.save(agreed)
    assert "cell E2 (Segment ID fg1-003): Keep is 'perhaps'; write yes or no" in error_for(
        agreed, {"fg1-003": "A"}
    )
    ws["L1"] = "Verdict"
    workbook.save(agreed)
    assert "the column 'Decision' is missing" in error_for(agreed, {})


def test_no_reconcile_sheet_or_no_decision_changes_nothing(copies: tuple[Path, Path], agreed: Path) -> None:
    codebook = load_codebook(agreed)
    for path in (copies[0], agreed):
        previous = read_previous_work(path, codebook)
        after, records = apply_reconciliation(path, previous, codebook)
        assert after is previous and records == []


def test_reconcile_sheet_after_marks_applied_rows(agreed: Path) -> None:
    decide(agreed, {"fg1-003": "B", "fg1-007": "A"})
    sheet = reconcile_sheet_after(agreed, {"fg1-003", "fg1-008"}, 4)
    marks = {
        sid: mark
        for sid, mark in zip(sheet.frame[C.SEGMENT_ID], sheet.frame[APPLIED])
        if isinstance(mark, str)
    }
    # fg1-007 was not applied this run; fg1-008 has no decision, so nothing was applied to it.
    assert marks == {"fg1-003": "run 4"}
    assert sheet.title == RECONCILE_SHEET
    assert sheet.dropdowns == {DECISION: DECISION_LIST}


# The way back into reduce ------------------------------------------------------


def test_reduce_accepts_the_reconciled_workbook(study_dir: Path, agreed: Path) -> None:
    shutil.copy(agreed, study_dir / "radar-tables.xlsx")
    result = Study(study_dir).reduce()
    phase2 = result.tables.phase2.set_index(C.SEGMENT_ID)
    assert phase2.loc["fg1-003", "Code 1"] == "Data plans" and not phase2.loc["fg1-003", "Code 2"]
    assert not phase2.loc["fg1-007", "Code 1"]
    rows = sheet_rows(study_dir / "radar-tables.xlsx", RECONCILE_SHEET)
    assert [row[C.SEGMENT_ID] for row in rows] == ["fg1-003", "fg1-007", "fg1-008"]


def applied_by_last_run(study: Study) -> list[dict[str, Any]]:
    """The reconciliation decisions the last reduce applied, as its audit entry records them."""
    return list(read_audit(study.paths)[-1]["reconciled"])


def test_round_trip_through_reduce(study_dir: Path, agreed: Path) -> None:
    tables = study_dir / "radar-tables.xlsx"
    shutil.copy(agreed, tables)
    decide(tables, {"fg1-003": "B", "fg1-007": "Burnout", "fg1-008": "drop"})
    study = Study(study_dir)
    run = next_run_number(study.paths)
    result = study.reduce()
    assert [r["segment"] for r in applied_by_last_run(study)] == ["fg1-003", "fg1-007", "fg1-008"]
    phase2 = result.tables.phase2.set_index(C.SEGMENT_ID)
    assert phase2.loc["fg1-003", ["Code 1", "Code 2"]].tolist() == ["Data plans", "Devices"]
    assert phase2.loc["fg1-007", "Code 1"] == "Burnout"
    assert "fg1-008" not in phase2.index
    phase1 = result.tables.phase1.set_index(C.SEGMENT_ID)
    assert phase1.loc["fg1-008", C.REASON] == "off topic"
    marks = {r[C.SEGMENT_ID]: r[APPLIED] for r in sheet_rows(tables, RECONCILE_SHEET)}
    assert marks == dict.fromkeys(["fg1-003", "fg1-007", "fg1-008"], f"run {run}")
    workbook = load_workbook(tables)
    (validation,) = workbook[RECONCILE_SHEET].data_validations.dataValidation
    assert validation.formula1 == DECISION_LIST

    # A newer edit survives the next run: applied rows are not applied again.
    set_codes(tables, {"fg1-003": ["Devices"]})
    result = study.reduce()
    assert applied_by_last_run(study) == []
    assert result.tables.phase2.set_index(C.SEGMENT_ID).loc["fg1-003", "Code 1"] == "Devices"
    assert result.tables.phase2.set_index(C.SEGMENT_ID).loc["fg1-003", "Code 2"] == ""
