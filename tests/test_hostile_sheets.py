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
import zipfile
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run

from radar import columns as C

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
    ws.cell(row_of(ws, sid), header_index(ws, "Code 2"), None)
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


def test_a_symlink_to_nothing_is_refused(reduced: Path, tmp_path: Path) -> None:
    (reduced / TABLES).rename(tmp_path / "moved.xlsx")
    (reduced / TABLES).symlink_to(tmp_path / "gone" / TABLES)
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


def reduce_history(study: Path) -> list[Path]:
    return sorted((study / ".radar" / "history").glob("radar-tables.before-run-*.xlsx"))
