"""The workbook as Excel users treat it (issue 13 item 2, issue 19 item 2): no edit lost without a word.

Each test reduces the standard two-group study, gives fg1-002 and fg1-003 a memo and reduces again (so
the last run wrote memos), then edits the workbook with openpyxl as an analyst would in Excel: a row
copied, a Segment ID changed, the Memo column deleted or renamed, cells merged, a second ``Memo``
column, notes under no header, formulas pasted in. The next ``radar reduce`` either keeps every edit
(and says what it settled in a ``Warning:`` line) or stops with one ``Error:`` line naming the sheet and
cell, the study folder byte for byte as it was.

The study's sheets, worked out from ``tests/conftest.py``: ``1 All data`` has the 11 turns in rows 2-12
(fg1-001 ... fg1-008, fg2-001 ... fg2-003; Keep in H, Reason in I, Review in J); ``2 Relevant`` has the 7
kept turns in rows 2-8 (fg1-002, fg1-003, fg1-006, fg1-007, fg1-008, fg2-002, fg2-003; Code 1-3 in E-G,
Memo in H). Only fg2-002 has two codes (Devices; Burnout).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run
from openpyxl.worksheet.formula import ArrayFormula

from radar import columns as C

TABLES = "radar-tables.xlsx"
MEMOS = {"fg1-002": "memo on 002", "fg1-003": "memo on 003"}


def tree(root: Path) -> dict[str, str]:
    """Every file of the study by its path, as a hash: a refused run must leave all of them as they were."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def change(path: Path, how: Callable[[Any], None]) -> None:
    """Open the workbook in openpyxl, change it as an analyst would, save it."""
    book = openpyxl.load_workbook(path)
    how(book)
    book.save(path)


def sheet(path: Path, title: str) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
    """A sheet's header and its rows by Segment ID (a list, so copies show)."""
    rows = list(openpyxl.load_workbook(path)[title].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows[1:]:
        if row[0]:
            found.setdefault(str(row[0]), []).append(dict(zip(header, row)))
    return header, found


def one(path: Path, title: str, sid: str) -> dict[str, Any]:
    rows = sheet(path, title)[1][sid]
    assert len(rows) == 1, rows
    return rows[0]


def warnings_of(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]


def copy_row(ws: Any, number: int) -> None:
    """Excel's copy of a row, inserted just below it."""
    values = [c.value for c in ws[number]]
    ws.insert_rows(number + 1)
    for column, value in enumerate(values, start=1):
        ws.cell(number + 1, column, value)


@pytest.fixture
def worked(study_dir: Path) -> Path:
    """The study reduced twice, the second run having written two memos."""
    ok(run("reduce", study_dir, "--quiet"))
    path = study_dir / TABLES

    def memos(book: Any) -> None:
        book[C.SHEET_PHASE2]["H2"] = MEMOS["fg1-002"]
        book[C.SHEET_PHASE2]["H3"] = MEMOS["fg1-003"]

    change(path, memos)
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


def refused(root: Path, *needles: str) -> str:
    """The next reduce is refused with one Error line naming every needle; nothing in the study changed."""
    before = tree(root)
    line = assert_one_error(run("reduce", root), *needles)
    assert tree(root) == before
    return line


# ------------------------------------------------------------------------ rows copied


@pytest.mark.parametrize("edited", ["first", "second"])
def test_a_copied_row_of_sheet_1_keeps_the_edit_made_on_either_copy(worked: Path, edited: str) -> None:
    path = worked / TABLES
    row = 4 if edited == "first" else 5  # fg1-003 is row 4; its copy goes in row 5

    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE1]
        copy_row(ws, 4)
        ws[f"H{row}"], ws[f"I{row}"] = "no", "off topic"

    change(path, edit)
    result = run("reduce", worked)
    ok(result)
    assert (
        f"Warning: {TABLES}, sheet '1 All data': rows 4 and 5 both have Segment ID fg1-003; radar keeps "
        f"the one you edited (row {row}) and writes the segment once"
    ) in warnings_of(result)
    assert (one(path, C.SHEET_PHASE1, "fg1-003")[C.KEEP], one(path, C.SHEET_PHASE1, "fg1-003")[C.REASON]) == (
        "no",
        "off topic",
    )
    assert len(sheet(path, C.SHEET_PHASE1)[1]) == 11
    assert "fg1-003" not in sheet(path, C.SHEET_PHASE2)[1]  # dropped, so off the relevant sheet


def test_a_copied_row_of_sheet_2_keeps_the_memo_edited_on_the_first_copy(worked: Path) -> None:
    path = worked / TABLES

    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE2]
        copy_row(ws, 3)  # fg1-003
        ws["H3"] = "edited on the first copy"

    change(path, edit)
    result = run("reduce", worked)
    ok(result)
    assert any("rows 3 and 4 both have Segment ID fg1-003" in line for line in warnings_of(result))
    assert one(path, C.SHEET_PHASE2, "fg1-003")[C.MEMO] == "edited on the first copy"
    assert one(path, C.SHEET_PHASE2, "fg1-002")[C.MEMO] == MEMOS["fg1-002"]


def test_copies_of_a_row_that_are_alike_are_written_once(worked: Path) -> None:
    path = worked / TABLES
    change(path, lambda book: copy_row(book[C.SHEET_PHASE2], 2))
    result = run("reduce", worked)
    ok(result)
    assert any("rows 2 and 3 are copies of Segment ID fg1-002" in line for line in warnings_of(result))
    assert one(path, C.SHEET_PHASE2, "fg1-002")[C.MEMO] == MEMOS["fg1-002"]
    assert len(sheet(path, C.SHEET_PHASE2)[1]) == 7


@pytest.mark.parametrize("title", [C.SHEET_PHASE1, C.SHEET_PHASE2])
def test_copies_edited_differently_are_refused_naming_both_rows(worked: Path, title: str) -> None:
    def edit(book: Any) -> None:
        ws = book[title]
        number = 4 if title == C.SHEET_PHASE1 else 3  # fg1-003
        copy_row(ws, number)
        column = "I" if title == C.SHEET_PHASE1 else "H"  # Reason, Memo
        ws[f"{column}{number}"], ws[f"{column}{number + 1}"] = "one reading", "another reading"

    change(worked / TABLES, edit)
    rows = "rows 4 and 5" if title == C.SHEET_PHASE1 else "rows 3 and 4"
    refused(worked, f"sheet {title!r}", rows, "Segment ID fg1-003", "edited differently")


def test_copies_on_the_coded_sheet_with_different_exemplar_marks_are_refused(worked: Path) -> None:
    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE3]  # row 2 is fg1-002 / Devices; Exemplar is column G
        copy_row(ws, 2)
        ws["G2"], ws["G3"] = "yes", "maybe"

    change(worked / TABLES, edit)
    refused(worked, "sheet '3 Coded'", "rows 2 and 3", "Segment ID fg1-002")


def test_tally_counts_a_copied_row_once_with_its_edit(worked: Path) -> None:
    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE1]
        copy_row(ws, 4)  # fg1-003, the one Data plans excerpt
        ws["H4"], ws["I4"] = "no", "off topic"

    change(worked / TABLES, edit)
    lines = ok(run("tally", worked, "--format", "csv"))
    # Access had fg1-002, fg1-003 and fg2-002 (3 of 7 excerpts); fg1-003 dropped leaves 2 of 6.
    assert lines[1] == 'Access,2,6,33.3,"2/6, 33%"'


# ------------------------------------------------------------------------ Segment IDs edited


@pytest.mark.parametrize("title", [C.SHEET_PHASE1, C.SHEET_PHASE2])
def test_a_row_whose_segment_id_was_edited_is_known_by_its_text(worked: Path, title: str) -> None:
    path = worked / TABLES

    def edit(book: Any) -> None:
        ws = book[title]
        if title == C.SHEET_PHASE1:
            ws["A4"], ws["H4"], ws["I4"] = "fg1-003x", "no", "off topic"
        else:
            ws["A3"], ws["H3"] = "fg1-003x", "edited with the ID"

    change(path, edit)
    result = run("reduce", worked)
    ok(result)
    cell = "A4" if title == C.SHEET_PHASE1 else "A3"
    assert any(
        f"sheet {title!r}, cell {cell}" in line
        and "'fg1-003x'" in line
        and "radar reads it as fg1-003" in line
        for line in warnings_of(result)
    ), result.stderr
    assert not any("deleted" in line for line in warnings_of(result))  # not taken for a deleted row
    ids = list(sheet(path, C.SHEET_PHASE1)[1])
    assert "fg1-003x" not in ids and len(ids) == 11
    if title == C.SHEET_PHASE1:
        assert one(path, C.SHEET_PHASE1, "fg1-003")[C.KEEP] == "no"
    else:
        assert one(path, C.SHEET_PHASE2, "fg1-003")[C.MEMO] == "edited with the ID"


def test_a_cleared_segment_id_and_one_edited_on_the_coded_sheet_are_known_by_their_text(worked: Path) -> None:
    path = worked / TABLES

    def edit(book: Any) -> None:
        ws1 = book[C.SHEET_PHASE1]
        ws1["A4"], ws1["H4"], ws1["I4"] = None, "no", "logistics"  # fg1-003's ID cleared, then dropped
        ws3 = book[C.SHEET_PHASE3]
        ws3["A2"], ws3["G2"] = "fg1-02", "yes"  # fg1-002 / Devices, marked as an exemplar

    change(path, edit)
    result = run("reduce", worked)
    ok(result)
    said = warnings_of(result)
    assert any("sheet '1 All data', cell A4: row 4 has no Segment ID" in line for line in said), said
    assert any("sheet '3 Coded', cell A2" in line and "radar reads it as fg1-002" in line for line in said)
    row = one(path, C.SHEET_PHASE1, "fg1-003")
    assert (row[C.KEEP], row[C.REASON]) == ("no", "logistics")
    coded = sheet(path, C.SHEET_PHASE3)[1]["fg1-002"]
    assert [(r[C.CODE], r[C.EXEMPLAR]) for r in coded] == [("Devices", "yes")]


def test_an_edited_segment_id_radar_cannot_place_is_refused_naming_the_cell(worked: Path) -> None:
    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE1]
        ws["A4"], ws["G4"], ws["H4"] = "fg1-003x", "A text of my own", "no"

    change(worked / TABLES, edit)
    refused(worked, "sheet '1 All data', cell A4", "'fg1-003x'", "put back the ID")


def test_values_typed_in_a_row_without_a_segment_id_are_refused(worked: Path) -> None:
    change(worked / TABLES, lambda book: book[C.SHEET_PHASE2].cell(9, 8, "a memo under the table"))
    refused(worked, "sheet '2 Relevant', cell A9", "no Segment ID")


# ------------------------------------------------------------------------ columns


def test_the_memo_column_deleted_is_refused_while_it_held_memos(worked: Path) -> None:
    change(worked / TABLES, lambda book: book[C.SHEET_PHASE2].delete_cols(8))
    refused(worked, "sheet '2 Relevant'", "the column 'Memo' is missing", "fg1-002, fg1-003")


def test_the_memo_column_deleted_while_empty_is_written_again_with_a_note(study_dir: Path) -> None:
    ok(run("reduce", study_dir, "--quiet"))
    path = study_dir / TABLES
    change(path, lambda book: book[C.SHEET_PHASE2].delete_cols(8))
    result = run("reduce", study_dir)
    ok(result)
    assert (
        f"Warning: {TABLES}, sheet '2 Relevant': the column 'Memo' was missing; it held nothing and radar "
        "writes it again"
    ) in warnings_of(result)
    assert C.MEMO in sheet(path, C.SHEET_PHASE2)[0]


def test_the_memo_header_renamed_is_refused_naming_where_the_memos_went(worked: Path) -> None:
    change(worked / TABLES, lambda book: book[C.SHEET_PHASE2].cell(1, 8, "Notes"))
    refused(
        worked, "the column 'Memo' is missing", "the column 'Notes' (H1) holds them", "name it 'Memo' again"
    )


def test_a_code_column_deleted_is_refused_while_it_held_codes(worked: Path) -> None:
    change(worked / TABLES, lambda book: book[C.SHEET_PHASE2].delete_cols(6))  # Code 2: fg2-002's Burnout
    refused(worked, "sheet '2 Relevant'", "the column 'Code 2' is missing", "fg2-002")


def test_the_review_column_deleted_is_refused_while_it_held_flags(worked: Path) -> None:
    fg1 = worked / "transcripts" / "fg1.txt"
    fg1.write_text(fg1.read_text(encoding="utf-8").replace("ancient", "very old"), encoding="utf-8")
    ok(run("reduce", worked, "--quiet"))  # fg1-002's text changed: flagged for review
    change(worked / TABLES, lambda book: book[C.SHEET_PHASE1].delete_cols(10))
    refused(worked, "sheet '1 All data'", "the column 'Review' is missing", "fg1-002")


def test_a_second_memo_column_with_values_is_refused_naming_both(worked: Path) -> None:
    def edit(book: Any) -> None:
        ws = book[C.SHEET_PHASE2]
        ws["I1"], ws["I5"] = C.MEMO, "typed in the second Memo column"

    change(worked / TABLES, edit)
    refused(worked, "sheet '2 Relevant'", "H1 and I1", "headed 'Memo'")


def test_notes_under_no_header_are_kept_as_the_analysts_own_column(worked: Path) -> None:
    path = worked / TABLES

    def edit(book: Any) -> None:
        book[C.SHEET_PHASE1]["L6"] = "a note on fg1-005"  # K is free too: L is the first filled
        book[C.SHEET_PHASE2]["J4"] = "a note on fg1-006"

    change(path, edit)
    result = run("reduce", worked)
    ok(result)
    said = warnings_of(result)
    assert (
        f"Warning: {TABLES}, sheet '1 All data': column L holds notes but has no header; radar keeps them "
        "as your own column 'Column L' (give it a header of your own)"
    ) in said
    assert any("sheet '2 Relevant': column J holds notes" in line for line in said)
    for _ in range(2):  # and on the run after, under the header radar gave it
        assert one(path, C.SHEET_PHASE1, "fg1-005")["Column L"] == "a note on fg1-005"
        assert one(path, C.SHEET_PHASE2, "fg1-006")["Column J"] == "a note on fg1-006"
        assert one(path, C.SHEET_PHASE2, "fg1-002")[C.MEMO] == MEMOS["fg1-002"]
        ok(run("reduce", worked, "--quiet"))


# ------------------------------------------------------------------------ merged cells


@pytest.mark.parametrize(
    ("title", "cells", "formula"),
    [
        (C.SHEET_PHASE2, "H2:H4", False),  # memos merged across rows
        (C.SHEET_PHASE1, "I3:I4", False),  # reasons merged
        (C.SHEET_PHASE2, "H2:H4", True),  # a formula elsewhere: the workbook is read another way
        (C.SHEET_PHASE2, "G1:H1", False),  # headers merged: the Memo header is gone
    ],
)
def test_merged_cells_are_refused_naming_the_range(
    worked: Path, title: str, cells: str, formula: bool
) -> None:
    def edit(book: Any) -> None:
        book[title].merge_cells(cells)
        if formula:
            book[C.SHEET_PHASE1]["I6"] = "=1+1"

    change(worked / TABLES, edit)
    refused(worked, f"sheet {title!r}, cell {cells}", "merged")


# ------------------------------------------------------------------------ formulas pasted in


PASTED = {
    "fg1-002": '=HYPERLINK("http://example.org","see")',
    "fg1-003": "+1 more thought",
    "fg1-006": "-a dash first",
    "fg1-007": "@someone said",
}


def test_formulas_pasted_into_memo_and_reason_stay_text(worked: Path) -> None:
    path = worked / TABLES

    def edit(book: Any) -> None:
        ws2 = book[C.SHEET_PHASE2]
        for number, sid in ((2, "fg1-002"), (3, "fg1-003"), (4, "fg1-006"), (5, "fg1-007")):
            ws2[f"H{number}"] = PASTED[sid]
        ws2["H6"] = ArrayFormula(
            "H6", "=SUM(1,2)"
        )  # fg1-008: a formula entered as an array (Ctrl+Shift+Enter)
        book[C.SHEET_PHASE1]["I5"] = "=CONCAT(1,2)"  # fg1-004's Reason

    change(path, edit)
    ok(run("reduce", worked, "--quiet"))
    ok(run("reduce", worked, "--quiet"))  # and once more: what radar wrote reads back the same
    book = openpyxl.load_workbook(path)
    memos = {row[0].value: row[7] for row in book[C.SHEET_PHASE2].iter_rows(min_row=2)}
    for sid, text in [*PASTED.items(), ("fg1-008", "=SUM(1,2)")]:
        assert (memos[sid].value, memos[sid].data_type) == (text, "s")
    reason = next(row[8] for row in book[C.SHEET_PHASE1].iter_rows(min_row=2) if row[0].value == "fg1-004")
    assert (reason.value, reason.data_type) == ("=CONCAT(1,2)", "s")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:  # no formula anywhere radar wrote
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name), name


# ------------------------------------------------------------------------ edits from Python


def test_edit_tables_writes_every_copy_of_a_copied_row(worked: Path) -> None:
    from radar.study import Study

    path = worked / TABLES
    change(path, lambda book: copy_row(book[C.SHEET_PHASE2], 3))
    Study(worked).edit(memos={"fg1-003": "from a notebook"})
    assert [r[C.MEMO] for r in sheet(path, C.SHEET_PHASE2)[1]["fg1-003"]] == ["from a notebook"] * 2
    ok(run("reduce", worked, "--quiet"))
    assert one(path, C.SHEET_PHASE2, "fg1-003")[C.MEMO] == "from a notebook"


@pytest.mark.parametrize("damage", ["no memo column", "merged"])
def test_edit_tables_refuses_a_missing_column_or_a_merged_cell(worked: Path, damage: str) -> None:
    from radar.errors import WorkbookError
    from radar.study import Study

    path = worked / TABLES
    if damage == "merged":
        change(path, lambda book: book[C.SHEET_PHASE2].merge_cells("H2:H3"))
    else:
        change(path, lambda book: book[C.SHEET_PHASE2].delete_cols(8))
    before = tree(worked)
    with pytest.raises(
        WorkbookError, match="merged" if damage == "merged" else "the column 'Memo' is missing"
    ):
        Study(worked).edit(memos={"fg1-003": "from a notebook"})
    assert tree(worked) == before
