"""Reading the analyst's workbook: python-calamine for values, openpyxl where a formula must stay text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from workbook_helpers import set_codes, set_keep

from radar import columns as C
from radar.errors import WorkbookError
from radar.excel import ValuesBook, _openpyxl_book, column_letter, open_workbook
from radar.reduction.readback import read_previous_work
from radar.study import Study


def sheet_values(book: object, title: str) -> list[tuple[object, ...]]:
    rows = [tuple(row) for row in book[title].iter_rows(values_only=True)]  # type: ignore[index]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def test_calamine_reads_every_sheet_as_openpyxl_does(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    fast = open_workbook(path)
    assert isinstance(fast, ValuesBook)
    slow = _openpyxl_book(path.read_bytes())
    assert fast.sheetnames == slow.sheetnames
    for title in fast.sheetnames:
        assert sheet_values(fast, title) == sheet_values(slow, title), title
        assert fast[title].sheet_state == slow[title].sheet_state
    slow.close()


def test_a_formula_the_analyst_typed_comes_back_as_its_text(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[C.SHEET_PHASE2]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index(C.MEMO) + 1, value='=HYPERLINK("http://example.org","see")')
    sid = sheet.cell(row=2, column=1).value
    book.save(path)
    assert not isinstance(open_workbook(path), ValuesBook)
    previous = read_previous_work(path, None)
    assert previous.rows2[sid].memo == '=HYPERLINK("http://example.org","see")'


def test_a_changed_workbook_is_read_again(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    first = open_workbook(path)
    assert open_workbook(path) is first  # one parse per version of the file
    book = openpyxl.load_workbook(path)
    book[C.SHEET_PHASE1]["A1"].value = C.SEGMENT_ID  # the same value, a new save
    book[C.SHEET_PHASE2].cell(row=2, column=1).value = "changed"
    book.save(path)
    again = open_workbook(path)
    assert again is not first
    assert again[C.SHEET_PHASE2].rows[1][0] == "changed"


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD",
    ]  # fmt: skip


def test_a_rerun_with_nothing_changed_does_not_run_the_matcher(study_dir: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from radar.study import Study; s = Study(sys.argv[1]); s.reduce(); "
        "print('spacy' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(study_dir)], capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


def test_a_changed_turn_gets_a_fresh_suggestion(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    fg2 = study_dir / "transcripts" / "fg2.txt"
    # "I lost my password twice." suggests Passwords; with "laptop" it suggests Devices too.
    fg2.write_text(
        fg2.read_text(encoding="utf-8").replace("my password", "my laptop password"), encoding="utf-8"
    )
    study.reduce()
    book = openpyxl.load_workbook(study_dir / "radar-tables.xlsx", read_only=True)
    rows = list(book[C.SHEET_PHASE2].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    row = next(
        r for r in rows[1:] if r[header.index(C.TEXT)] and "laptop password" in str(r[header.index(C.TEXT)])
    )
    codes = [row[i] for i, h in enumerate(header) if C.is_code_column(h) and row[i]]
    book.close()
    assert codes == ["Devices", "Passwords"]


def test_a_new_speaker_role_recomputes_suggestions(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    (study_dir / "speakers.csv").write_text(
        "speaker,participant_id,role\nModerator,F01,facilitator\nP1,P01,facilitator\nP2,P02,participant\n"
        "P3,P03,participant\n",
        encoding="utf-8",
    )
    result = study.reduce()
    p1 = result.tables.phase1[result.tables.phase1[C.PARTICIPANT] == "P01"]
    assert set(p1[C.ROLE]) == {"facilitator"}
    assert not (result.tables.phase2[C.PARTICIPANT] == "P01").any()


def locate(path: Path, sheet: str, sid: str, column: str) -> tuple[str, int]:
    """The cell (e.g. "H4") and row number of a segment's column, found with openpyxl."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    number = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == sid)
    return f"{column_letter(header.index(column) + 1)}{number}", number


def test_a_bad_keep_cell_is_an_error_with_its_location_as_fields(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    set_keep(path, "fg1-003", "maybe")
    cell, number = locate(path, C.SHEET_PHASE1, "fg1-003", C.KEEP)
    with pytest.raises(WorkbookError) as refused:
        Study(study_dir).reduce()
    error = refused.value
    assert (error.path, error.sheet, error.cell, error.row, error.segment) == (
        "radar-tables.xlsx", C.SHEET_PHASE1, cell, number, "fg1-003",
    )  # fmt: skip
    assert str(error).startswith(f"radar-tables.xlsx, sheet '1 All data', cell {cell} (Segment ID fg1-003): ")


def test_an_unknown_code_is_an_error_with_its_location_as_fields(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    set_codes(path, {"fg1-002": ["Devices", "Not a code"]})
    cell, number = locate(path, C.SHEET_PHASE2, "fg1-002", C.code_column(2))
    with pytest.raises(WorkbookError) as refused:
        Study(study_dir).tally()
    error = refused.value
    assert (error.sheet, error.cell, error.row, error.segment) == (C.SHEET_PHASE2, cell, number, "fg1-002")


def test_a_missing_column_names_its_sheet_as_a_field(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    book[C.SHEET_PHASE1]["A1"].value = "Segment"
    book.save(path)
    with pytest.raises(WorkbookError, match="the column 'Segment ID' is missing") as refused:
        Study(study_dir).reduce()
    assert (refused.value.sheet, refused.value.cell) == (C.SHEET_PHASE1, None)


def test_every_bad_cell_is_listed_in_one_run(study_dir: Path) -> None:
    from click.testing import CliRunner

    from radar.cli import main

    Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    set_keep(path, "fg1-003", "maybe")
    set_keep(path, "fg2-002", "?")
    set_codes(path, {"fg1-006": ["Pasword"]})
    keep1, _ = locate(path, C.SHEET_PHASE1, "fg1-003", C.KEEP)
    keep2, _ = locate(path, C.SHEET_PHASE1, "fg2-002", C.KEEP)
    code, _ = locate(path, C.SHEET_PHASE2, "fg1-006", C.code_column(1))
    with pytest.raises(WorkbookError) as refused:
        Study(study_dir).reduce()
    assert [(p.sheet, p.cell) for p in refused.value.problems] == [
        (C.SHEET_PHASE1, keep1), (C.SHEET_PHASE1, keep2), (C.SHEET_PHASE2, code),
    ]  # fmt: skip
    result = CliRunner().invoke(main, ["reduce", str(study_dir)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 3
    assert errors[0].startswith(
        f"Error: radar-tables.xlsx, sheet '1 All data', cell {keep1} (Segment ID fg1-003)"
    )
    assert "'Pasword' is not a code in the codebook" in errors[2]
    assert "Traceback" not in result.output
