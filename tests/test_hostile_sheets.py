"""The workbook's sheets as Excel users treat them, Excel's limits, other programs' locks, interrupted writes.

Issue 13 item 2 (an analyst's own sheets, edits saved in another format, a turn over Excel's cell
limit) and issue 19 items 1, 3, 4 and 7. Each case is built on a reduced study with openpyxl (or
by hand on disk) and run through the CLI: either one ``Error:`` line naming the sheet or file, and
the study folder byte for byte as it was, or success with every analyst edit kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.utils
import pandas as pd
import pytest
from cli_helpers import assert_one_error, ok, run
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment

from radar import columns as C
from radar import excel
from radar.errors import WorkbookError
from radar.excel import EXCEL_MAX_ROWS, Sheet, check_limits, write_workbook

TABLES = "radar-tables.xlsx"


# ------------------------------------------------------------------------ helpers


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links as what they point to) by its hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = f"link to {os.readlink(path)}"
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def sheet_rows(path: Path, title: str) -> dict[str, dict[str, object]]:
    """A sheet's rows by Segment ID, each as header -> value."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook[title].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [str(h) for h in rows[0]]
    return {str(row[0]): dict(zip(header, row)) for row in rows[1:] if row and row[0]}


def warnings_of(result: object) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]  # type: ignore[attr-defined]


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


def first_kept(path: Path) -> str:
    """The Segment ID of the first row of sheet 2 (a kept turn)."""
    return next(iter(sheet_rows(path, C.SHEET_PHASE2)))


def header_index(ws: object, name: str) -> int:
    return [cell.value for cell in ws[1]].index(name) + 1  # type: ignore[index]


def row_of(ws: object, sid: str) -> int:
    for row in ws.iter_rows(min_row=2):  # type: ignore[attr-defined]
        if row[0].value == sid:
            return int(row[0].row)
    raise AssertionError(sid)


# ------------------------------------------------------------- renamed sheets (19.1)


def test_a_renamed_relevant_sheet_keeps_its_codes_and_memos_and_is_not_carried_stale(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE2]
    ws.title = "My coding"
    ws.cell(row_of(ws, sid), header_index(ws, "Code 1"), "Passwords")
    ws.cell(row_of(ws, sid), header_index(ws, "Code 2")).value = None
    ws.cell(row_of(ws, sid), header_index(ws, C.MEMO), "trust comes first")
    workbook.save(path)

    result = run("reduce", reduced, "--quiet")
    ok(result)
    assert any("'My coding'" in line and C.SHEET_PHASE2 in line for line in warnings_of(result))
    after = openpyxl.load_workbook(path, read_only=True)
    assert "My coding" not in after.sheetnames  # not carried along as a stale copy
    after.close()
    row = sheet_rows(path, C.SHEET_PHASE2)[sid]
    assert row[C.MEMO] == "trust comes first"
    assert row["Code 1"] == "Passwords" and row["Code 2"] is None
    coded = [r for r in sheet_rows(path, C.SHEET_PHASE3).values() if r[C.SEGMENT_ID] == sid]
    assert coded and coded[0][C.CODE] == "Passwords"


def test_a_renamed_coded_sheet_keeps_its_exemplar_marks(reduced: Path) -> None:
    path = reduced / TABLES
    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE3]
    ws.title = "Coded (mine)"
    sid = ws.cell(2, 1).value
    ws.cell(2, header_index(ws, C.EXEMPLAR), "x")
    workbook.save(path)

    ok(run("reduce", reduced, "--quiet"))
    after = sheet_rows(path, C.SHEET_PHASE3)
    assert after[sid][C.EXEMPLAR] == "x"
    assert "Coded (mine)" not in openpyxl.load_workbook(path, read_only=True).sheetnames


def test_a_renamed_first_sheet_keeps_its_keep_decisions(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE1]
    ws.title = "All turns"
    ws.cell(row_of(ws, sid), header_index(ws, C.KEEP), "no")
    ws.cell(row_of(ws, sid), header_index(ws, C.REASON), "off topic")
    workbook.save(path)

    ok(run("reduce", reduced, "--quiet"))
    row = sheet_rows(path, C.SHEET_PHASE1)[sid]
    assert (row[C.KEEP], row[C.REASON]) == ("no", "off topic")
    assert sid not in sheet_rows(path, C.SHEET_PHASE2)
    ok(run("tally", reduced))  # the other commands find it too


def test_a_renamed_hidden_state_sheet_keeps_radars_record_of_decisions(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)
    workbook = openpyxl.load_workbook(path)
    workbook[C.SHEET_STATE].title = "hidden stuff"
    ws = workbook[C.SHEET_PHASE2]
    ws.cell(row_of(ws, sid), header_index(ws, "Code 1"), "Passwords")
    for column in ("Code 2", "Code 3"):
        ws.cell(row_of(ws, sid), header_index(ws, column)).value = None
    workbook.save(path)
    result = run("reduce", reduced, "--quiet")
    ok(result)
    assert any("'hidden stuff'" in line for line in warnings_of(result))
    assert "hidden stuff" not in openpyxl.load_workbook(path, read_only=True).sheetnames
    state = sheet_rows(path, C.SHEET_STATE)[sid]
    assert state["Codes changed by analyst"] == "yes"  # read from the renamed record, not taken as new
    assert sheet_rows(path, C.SHEET_PHASE2)[sid]["Code 1"] == "Passwords"


def test_two_sheets_that_could_be_the_renamed_one_are_refused_naming_both(reduced: Path) -> None:
    path = reduced / TABLES
    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE2]
    ws.title = "Coding A"
    workbook.copy_worksheet(ws).title = "Coding B"
    workbook.save(path)
    before = tree(reduced)
    assert_one_error(run("reduce", reduced, "--quiet"), TABLES, "'Coding A'", "'Coding B'", C.SHEET_PHASE2)
    assert tree(reduced) == before


def test_a_copy_of_a_radar_sheet_beside_it_is_kept_with_a_note(reduced: Path) -> None:
    path = reduced / TABLES
    workbook = openpyxl.load_workbook(path)
    workbook.copy_worksheet(workbook[C.SHEET_PHASE2]).title = "Relevant backup"
    workbook.save(path)
    result = run("reduce", reduced, "--quiet")
    ok(result)
    assert any("'Relevant backup'" in line and "not read back" in line for line in warnings_of(result))
    assert "Relevant backup" in openpyxl.load_workbook(path, read_only=True).sheetnames


# ----------------------------------------------------- edits saved in another format (13.2)


def ods_file(path: Path, rows: list[list[str]]) -> None:
    """A real, minimal OpenDocument spreadsheet (what LibreOffice's "Save As .ods" makes)."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="1 All data">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".xlsm", ".csv"])
def test_edits_saved_in_another_format_beside_the_workbook_are_not_ignored(
    reduced: Path, suffix: str
) -> None:
    path = reduced / TABLES
    rows = [
        [str(v) if v is not None else "" for v in row] for row in sheet_rows(path, C.SHEET_PHASE1).values()
    ]
    saved = reduced / f"radar-tables{suffix}"
    if suffix == ".ods":
        ods_file(saved, rows)
    elif suffix == ".csv":
        saved.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    else:  # the workbook saved under the other name (Excel's "Save As", macros or the old format)
        saved.write_bytes(path.read_bytes())
    stamp = path.stat().st_mtime
    os.utime(saved, (stamp + 60, stamp + 60))  # saved a minute after radar wrote the workbook
    before = tree(reduced)
    assert_one_error(
        run("reduce", reduced, "--quiet"), saved.name, "newer than radar-tables.xlsx", "save it as"
    )
    assert_one_error(run("tally", reduced), saved.name)
    assert tree(reduced) == before


def test_an_older_copy_in_another_format_does_not_stop_the_run(reduced: Path) -> None:
    path = reduced / TABLES
    saved = reduced / "radar-tables.ods"
    ods_file(saved, [["Segment ID"]])
    stamp = path.stat().st_mtime
    os.utime(saved, (stamp - 3600, stamp - 3600))
    ok(run("reduce", reduced, "--quiet"))


# ------------------------------------------------------------- locks and links (19.3)


def test_a_workbook_open_in_libreoffice_is_not_written(reduced: Path) -> None:
    (reduced / ".~lock.radar-tables.xlsx#").write_text(",Analyst,laptop,02.12.2026 09:00,file:///home/a;\n")
    before = tree(reduced)
    assert_one_error(run("reduce", reduced, "--quiet"), "open in LibreOffice", ".~lock.radar-tables.xlsx#")
    assert_one_error(run("codebook", "rename", reduced, "Devices", "Hardware"), "open in LibreOffice")
    assert tree(reduced) == before


def test_a_symlinked_workbook_is_written_through_the_link(reduced: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    target = elsewhere / TABLES
    (reduced / TABLES).rename(target)
    (reduced / TABLES).symlink_to(target)
    sid = first_kept(target)
    workbook = openpyxl.load_workbook(target)
    ws = workbook[C.SHEET_PHASE2]
    ws.cell(row_of(ws, sid), header_index(ws, C.MEMO), "written through the link")
    workbook.save(target)

    ok(run("reduce", reduced, "--quiet"))
    assert (reduced / TABLES).is_symlink()
    assert (reduced / TABLES).resolve() == target.resolve()
    assert sheet_rows(target, C.SHEET_PHASE2)[sid][C.MEMO] == "written through the link"
    assert not [p for p in elsewhere.iterdir() if p.name != TABLES]  # no temporary left beside the target
    ok(run("codebook", "rename", reduced, "Devices", "Hardware"))
    assert (reduced / TABLES).is_symlink()


@pytest.mark.parametrize("points_to", ["nothing", "itself"])
def test_a_symlink_to_nothing_is_refused(reduced: Path, tmp_path: Path, points_to: str) -> None:
    (reduced / TABLES).rename(tmp_path / "moved.xlsx")
    (reduced / TABLES).symlink_to(tmp_path / "gone" / TABLES if points_to == "nothing" else reduced / TABLES)
    before = tree(reduced)
    assert_one_error(run("reduce", reduced, "--quiet"), TABLES, "symbolic link", "does not exist")
    assert tree(reduced) == before


# ---------------------------------------------------------- interrupted writes (19.7)


def test_a_half_written_snapshot_temporary_is_cleaned_up_by_the_next_run(reduced: Path) -> None:
    ok(run("reduce", reduced, "--quiet"))  # run 2 keeps run 1's workbook: .radar/history exists
    history = reduced / ".radar" / "history"
    left = [
        history / ".~radar-k1ll3d.xlsx",  # a snapshot cut short by kill -9
        reduced / ".radar" / ".~radar-segments",  # a segment record never renamed
        reduced / ".~radar-w0rkb00k.xlsx",  # a workbook never renamed
    ]
    for path in left:
        path.write_bytes(b"PK\x03\x04 cut short")
    ok(run("reduce", reduced, "--quiet"))
    assert not [path for path in left if path.exists()]
    assert not list(reduced.rglob(".~radar-*"))


def test_a_run_killed_before_its_audit_line_never_has_its_kept_version_overwritten(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)

    def memo(text: str) -> None:
        workbook = openpyxl.load_workbook(path)
        ws = workbook[C.SHEET_PHASE2]
        ws.cell(row_of(ws, sid), header_index(ws, C.MEMO), text)
        workbook.save(path)

    memo("first thoughts")
    ok(run("reduce", reduced, "--quiet"))  # run 2: keeps before-run-0002 (holding "first thoughts")
    audit = reduced / ".radar" / "audit.jsonl"
    lines = audit.read_text(encoding="utf-8").splitlines(keepends=True)
    assert [json.loads(line)["run"] for line in lines] == [1, 2]
    audit.write_text(lines[0], encoding="utf-8")  # as if run 2 was killed after its rename
    kept = reduce_history(reduced)
    assert [p.name for p in kept] == ["radar-tables.before-run-0002.xlsx"]
    kept_bytes = kept[0].read_bytes()

    memo("second thoughts")
    result = run("reduce", reduced, "--quiet")
    ok(result)
    assert kept[0].read_bytes() == kept_bytes  # never overwritten
    assert [p.name for p in reduce_history(reduced)] == [
        "radar-tables.before-run-0002.xlsx",
        "radar-tables.before-run-0003.xlsx",
    ]
    assert sheet_rows(kept[0], C.SHEET_PHASE2)[sid][C.MEMO] == "first thoughts"
    assert [json.loads(line)["run"] for line in audit.read_text(encoding="utf-8").splitlines()] == [1, 3]
    assert any("run 2 was interrupted" in line for line in warnings_of(result))
    assert sheet_rows(path, C.SHEET_PHASE2)[sid][C.MEMO] == "second thoughts"


def test_an_edit_from_python_is_a_run_of_its_own_not_an_interrupted_one(reduced: Path) -> None:
    """``Study.edit`` keeps a version and records it; the next reduce must not call it a killed run."""
    from radar.study import Study

    study = Study(reduced)
    sid = first_kept(reduced / TABLES)
    assert study.edit(memos={sid: "typed from a notebook"}) == 1
    audit = reduced / ".radar" / "audit.jsonl"
    entry = json.loads(audit.read_text(encoding="utf-8").splitlines()[-1])
    assert (entry["run"], entry["action"], entry["edit"]["segments"]) == (2, "edit from Python", [sid])
    result = run("reduce", reduced, "--quiet")
    ok(result)
    assert not [line for line in warnings_of(result) if "interrupted" in line]
    assert sheet_rows(reduced / TABLES, C.SHEET_PHASE2)[sid][C.MEMO] == "typed from a notebook"


def replace_in_package(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite a workbook with ``old`` replaced by ``new`` in whichever member holds it."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    assert any(old in data for _, data in members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data.replace(old, new))


def reduce_history(study: Path) -> list[Path]:
    return sorted((study / ".radar" / "history").glob("radar-tables.before-run-*.xlsx"))


# ------------------------------------------------------------- Excel's limits (13.2, 19.4)

# 43,989 characters, no keyword of the codebook in them (keyword hits in one long turn are slow: issue 13.3)
LONG_TURN = " ".join(f"Sentence {i} about the weather in the afternoon." for i in range(900))
RECORDED_MARK = re.compile(r"… \[cut: ([\d,]+) more characters, full text in radar's record\]$")


def test_a_turn_over_the_cell_limit_is_cut_visibly_and_keeps_the_analysts_decisions(study_dir: Path) -> None:
    assert len(LONG_TURN) == 43_989
    fg2 = study_dir / "transcripts" / "fg2.txt"
    fg2.write_text(fg2.read_text(encoding="utf-8") + f"P1: {LONG_TURN}\n", encoding="utf-8")
    ok(run("reduce", study_dir, "--quiet"))
    path = study_dir / TABLES
    sid = "fg2-004"  # the fourth turn of fg2
    cell = str(sheet_rows(path, C.SHEET_PHASE1)[sid][C.TEXT])
    found = RECORDED_MARK.search(cell)
    assert len(cell) == 32_767 and found is not None, cell[-80:]
    more = int(found.group(1).replace(",", ""))
    assert cell[: found.start()] == LONG_TURN[: len(LONG_TURN) - more]  # the first part, then the mark

    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE2]
    ws.cell(row_of(ws, sid), header_index(ws, "Code 1"), "Burnout")
    ws.cell(row_of(ws, sid), header_index(ws, "Code 2")).value = None
    ws.cell(row_of(ws, sid), header_index(ws, C.MEMO), "long, but central")
    workbook.save(path)
    ok(run("reduce", study_dir, "--quiet"))
    row = sheet_rows(path, C.SHEET_PHASE2)[sid]
    assert (row["Code 1"], row["Code 2"], row[C.MEMO]) == ("Burnout", None, "long, but central")

    (study_dir / ".radar" / "segments.json").unlink()  # a study reduced before the record: matched on rows
    ok(run("reduce", study_dir, "--quiet"))
    assert sheet_rows(path, C.SHEET_PHASE1)[sid][C.REVIEW] is None  # recognised, not "text changed"
    row = sheet_rows(path, C.SHEET_PHASE2)[sid]
    assert (row["Code 1"], row[C.MEMO]) == ("Burnout", "long, but central")


def test_a_memo_over_the_cell_limit_is_cut_with_a_warning_naming_sheet_and_row(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)
    memo = (
        "a long thought. " * 2_500
    ).rstrip() + "!"  # 40,000 characters: LibreOffice saves a cell that long
    assert len(memo) == 40_000
    workbook = openpyxl.load_workbook(path)
    ws = workbook[C.SHEET_PHASE2]
    number = row_of(ws, sid)
    column = header_index(ws, C.MEMO)
    ws.cell(number, column, "MEMO-PLACEHOLDER")  # openpyxl itself cuts a cell at 32,767 characters
    workbook.save(path)
    replace_in_package(path, b"MEMO-PLACEHOLDER", memo.encode())

    result = run("reduce", reduced, "--quiet")
    ok(result)
    letter = openpyxl.utils.get_column_letter(column)
    said = [line for line in warnings_of(result) if "'2 Relevant'" in line and f"{letter}{number}" in line]
    assert said and sid in said[0] and "has 40,000 characters" in said[0], warnings_of(result)
    cell = str(sheet_rows(path, C.SHEET_PHASE2)[sid][C.MEMO])
    found = re.search(r"… \[cut: ([\d,]+) more characters\]$", cell)
    assert len(cell) == 32_767 and found is not None
    assert cell[: found.start()] == memo[: 40_000 - int(found.group(1).replace(",", ""))]
    kept = reduce_history(reduced)[-1]
    assert sheet_rows(kept, C.SHEET_PHASE2)[sid][C.MEMO] == memo  # the whole memo stays in the history

    again = run("reduce", reduced, "--quiet")  # the cut memo is now the memo: no new warning, no change
    ok(again)
    assert not [line for line in warnings_of(again) if "'2 Relevant'" in line]
    assert sheet_rows(path, C.SHEET_PHASE2)[sid][C.MEMO] == cell


def test_a_sheet_past_excels_rows_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "big.xlsx"
    rows = EXCEL_MAX_ROWS  # and the header makes one more than a sheet has
    sheet = Sheet(C.SHEET_PHASE3, pd.DataFrame({C.SEGMENT_ID: range(rows)}), {})
    with pytest.raises(WorkbookError, match=r"'3 Coded': would have 1,048,577 rows") as caught:
        write_workbook(target, [sheet])
    assert caught.value.sheet == C.SHEET_PHASE3
    assert not list(tmp_path.iterdir())
    check_limits(target, [Sheet("fits", pd.DataFrame({C.SEGMENT_ID: range(rows - 1)}), {})])


def test_a_reduce_that_would_pass_excels_rows_changes_nothing(
    reduced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = reduced / TABLES
    coded = len(sheet_rows(path, C.SHEET_PHASE3))  # 1 All data has more rows than 3 Coded
    monkeypatch.setattr(
        excel, "EXCEL_MAX_ROWS", coded, raising=False
    )  # a sheet as long as 3 Coded + its header is too long
    before = tree(reduced)
    assert_one_error(
        run("reduce", reduced, "--quiet"), TABLES, "more than Excel opens", "radar wrote nothing"
    )
    assert tree(reduced) == before


# --------------------------------------------------------- the analyst's own sheets (13.2)


def add_own_sheet(path: Path) -> None:
    """A sheet of the analyst's: a number, a formula over it, text that only looks like one, a comment."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook.create_sheet("My counts")
    ws.append(["n", "double", "note"])
    ws.append([3, "=A2*2", None])
    ws["C2"].value = "=not a formula, typed as text"
    ws["C2"].data_type = "s"
    ws["A2"].comment = Comment("check this count with the second coder", "Analyst")
    workbook.save(path)


def test_an_analysts_own_sheet_keeps_its_formulas_and_comments(reduced: Path) -> None:
    path = reduced / TABLES
    add_own_sheet(path)
    for _ in range(2):  # written back, then read and written again
        ok(run("reduce", reduced, "--quiet"))
        workbook = openpyxl.load_workbook(path)
        ws = workbook["My counts"]
        assert (ws["B2"].data_type, ws["B2"].value) == ("f", "=A2*2")
        assert (ws["C2"].data_type, ws["C2"].value) == ("s", "=not a formula, typed as text")
        assert ws["A2"].value == 3
        assert ws["A2"].comment is not None
        assert ws["A2"].comment.text == "check this count with the second coder"
        assert ws["A2"].comment.author == "Analyst"


@pytest.mark.parametrize("title", ["My chart", C.SHEET_THEMES])
def test_a_chart_radar_cannot_carry_is_refused_naming_its_sheet(reduced: Path, title: str) -> None:
    path = reduced / TABLES
    workbook = openpyxl.load_workbook(path)
    if title not in workbook.sheetnames:
        own = workbook.create_sheet(title)
        for row in (["theme", "n"], ["Access", 3], ["Privacy", 2]):
            own.append(row)
    ws = workbook[title]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    ws.add_chart(chart, "E2")
    workbook.save(path)
    before = tree(reduced)
    assert_one_error(run("reduce", reduced, "--quiet"), TABLES, f"sheet {title!r}", "chart", "move it")
    assert tree(reduced) == before


def test_comments_on_radars_sheets_follow_their_segment(reduced: Path) -> None:
    path = reduced / TABLES
    kept = list(sheet_rows(path, C.SHEET_PHASE2))
    dropped, commented = kept[0], kept[2]
    workbook = openpyxl.load_workbook(path)
    ws1, ws2 = workbook[C.SHEET_PHASE1], workbook[C.SHEET_PHASE2]
    ws1.cell(row_of(ws1, dropped), header_index(ws1, C.KEEP)).value = "no"
    ws1.cell(row_of(ws1, dropped), header_index(ws1, C.REASON)).value = "off topic"
    ws1.cell(row_of(ws1, commented), header_index(ws1, C.TEXT)).comment = Comment(
        "ask P2 about this", "Analyst"
    )
    ws2.cell(row_of(ws2, commented), header_index(ws2, C.MEMO)).comment = Comment("memo to finish", "Analyst")
    ws2.cell(1, header_index(ws2, C.MEMO)).comment = Comment("memos in full sentences", "Lead")
    assert row_of(ws2, commented) == 4
    workbook.save(path)

    ok(run("reduce", reduced, "--quiet"))
    after = openpyxl.load_workbook(path)
    ws1, ws2 = after[C.SHEET_PHASE1], after[C.SHEET_PHASE2]
    assert row_of(ws2, commented) == 3  # one row up: the first kept turn is dropped now
    memo = ws2.cell(3, header_index(ws2, C.MEMO)).comment
    assert memo is not None and (memo.text, memo.author) == ("memo to finish", "Analyst")
    head = ws2.cell(1, header_index(ws2, C.MEMO)).comment
    assert head is not None and head.text == "memos in full sentences"
    text = ws1.cell(row_of(ws1, commented), header_index(ws1, C.TEXT)).comment
    assert text is not None and text.text == "ask P2 about this"
    others = [(c.coordinate, c.comment.text) for row in ws2.iter_rows() for c in row if c.comment]
    assert len(others) == 2, others


def test_an_output_linked_to_a_study_input_is_refused_even_with_force(reduced: Path, tmp_path: Path) -> None:
    link = tmp_path / "tally.csv"
    link.symlink_to(reduced / "codebook.yaml")  # radar writes through links, so it must look where they lead
    before = tree(reduced)
    result = run("tally", reduced, "--out", link, "--force")
    assert_one_error(result, "tally.csv", "study's input")
    assert tree(reduced) == before and link.is_symlink()


# A reduce killed (SIGKILL, as kill -9) at one point of its writes, in a process of its own.
KILLED_AT = {
    "audit": (
        "import radar.reduction.history as h\n"
        "h.append_audit = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
    ),
    "snapshot": (
        "import radar.reduction.history as h\n"
        "def half(source, target):\n"
        "    Path(target).write_bytes(Path(source).read_bytes()[:100])\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "h.shutil = type('S', (), {'copy2': staticmethod(half)})\n"
    ),
}


def reduce_killed(study: Path, at: str) -> None:
    script = (
        "import os, signal, sys\nfrom pathlib import Path\n"
        + KILLED_AT[at]
        + "from radar.cli import main\nmain(['reduce', sys.argv[1], '--quiet'])\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(study)], env=env, capture_output=True, timeout=300
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is a POSIX signal")
def test_a_real_kill_9_before_the_audit_line_or_inside_the_snapshot_loses_nothing(reduced: Path) -> None:
    path = reduced / TABLES
    sid = first_kept(path)

    def memo(text: str) -> None:
        workbook = openpyxl.load_workbook(path)
        ws = workbook[C.SHEET_PHASE2]
        ws.cell(row_of(ws, sid), header_index(ws, C.MEMO), text)
        workbook.save(path)

    memo("first thoughts")
    reduce_killed(reduced, "audit")  # run 2: kept before-run-0002 and replaced the workbook, no audit line
    kept = reduce_history(reduced)
    assert [p.name for p in kept] == ["radar-tables.before-run-0002.xlsx"]
    kept_bytes = kept[0].read_bytes()
    memo("second thoughts")
    reduce_killed(reduced, "snapshot")  # run 3: killed half-way through keeping the workbook
    assert list((reduced / ".radar" / "history").glob(".~radar-*"))  # the half-written temporary

    ok(run("reduce", reduced, "--quiet"))
    assert kept[0].read_bytes() == kept_bytes
    assert sheet_rows(kept[0], C.SHEET_PHASE2)[sid][C.MEMO] == "first thoughts"
    assert [p.name for p in reduce_history(reduced)] == [
        "radar-tables.before-run-0002.xlsx",
        "radar-tables.before-run-0003.xlsx",
    ]
    assert not list(reduced.rglob(".~radar-*"))
    assert sheet_rows(path, C.SHEET_PHASE2)[sid][C.MEMO] == "second thoughts"
