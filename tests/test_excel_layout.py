"""How radar's workbooks look and print: widths, alignment, fonts, number formats, grey rows, print setup.

Every check reads the written file back with openpyxl (or its XML), as Excel would see it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from radar import columns as C
from radar.cli import main
from radar.excel import Sheet, write_workbook
from radar.membercheck import SHEET as MEMBER_CHECK
from radar.membercheck import export_packets, import_packets
from radar.study import Study

TABLES = "radar-tables.xlsx"
MEMBERCHECK_STUDY = Path(__file__).parent / "files" / "membercheck" / "study"
LONG_TURN = "P1: " + " ".join(["My laptop is ancient and it freezes on every single call we make."] * 3)


@pytest.fixture
def book(tmp_path: Path, make_study: Callable[..., Path]) -> openpyxl.Workbook:
    root = make_study(tmp_path / "study")
    Study(root).reduce()
    return openpyxl.load_workbook(root / TABLES)


def width(ws: openpyxl.worksheet.worksheet.Worksheet, letter: str) -> float:
    """A column's width as typed in Excel (XlsxWriter adds Excel's 0.71 of padding to what it is given)."""
    return round(ws.column_dimensions[letter].width - 0.71, 1)


def test_the_segment_id_column_fits_the_longest_id(tmp_path: Path, make_study: Callable[..., Path]) -> None:
    root = make_study(tmp_path / "study")
    (root / "transcripts" / "fg1.txt").rename(root / "transcripts" / "fg1-northside.txt")
    Study(root).reduce()
    ws = openpyxl.load_workbook(root / TABLES)[C.SHEET_PHASE1]
    assert ws["A9"].value == "fg1-northside-008"
    # the longest ID has 17 characters: 17 and one of room
    assert width(ws, "A") == 18


def test_the_themes_and_log_sheets_are_sized_to_their_content(book: openpyxl.Workbook) -> None:
    themes, log = book[C.SHEET_THEMES], book[C.SHEET_LOG]
    # theme: the longest name, "Self-care", 9 characters, and one of room
    assert themes["A1"].value == C.TALLY_THEME and width(themes, "A") == 10
    # Section: "Analyst changes since the last run", 34 characters, and one of room
    assert log["A1"].value == "Section" and width(log, "A") == 35


def test_every_cell_is_top_aligned_and_prose_wraps(book: openpyxl.Workbook) -> None:
    wrapped = {C.TEXT, C.REASON, C.DEFINITION, "Codes", "Exemplar quote (ID)", "Code 1"}
    seen = set()
    for ws in book:
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for name, cell in zip(header, row):
                if cell.value is None:
                    continue
                assert cell.alignment.vertical == "top", (ws.title, cell.coordinate)
                if name in wrapped:
                    assert cell.alignment.wrap_text, (ws.title, cell.coordinate)
                    seen.add(name)
    assert seen == wrapped
    relevant = book[C.SHEET_PHASE2]
    memo = next(c.column for c in relevant[1] if c.value == C.MEMO)
    (column,) = [d for d in relevant.column_dimensions.values() if d.min <= memo <= d.max]
    assert column.alignment.wrap_text and column.alignment.vertical == "top"  # what the analyst types


def test_headers_are_in_one_named_font_top_aligned(book: openpyxl.Workbook) -> None:
    headers = [c for ws in book for c in ws[1] if c.value is not None]
    assert {(c.font.name, c.font.sz, c.font.b, c.alignment.vertical) for c in headers} == {
        ("Calibri", 11, True, "top")
    }


def test_dropped_rows_turn_grey_by_a_rule_on_keep(book: openpyxl.Workbook) -> None:
    ws = book[C.SHEET_PHASE1]
    assert ws["H1"].value == C.KEEP
    (rules,) = list(ws.conditional_formatting)
    assert str(rules.sqref) == "A2:J12"  # the 11 turns, Segment ID to Review
    (rule,) = rules.rules
    # a formula on the Keep cell of each row, for every spelling of "no" that radar reads
    assert rule.formula == ['OR(TRIM($H2)="no",TRIM($H2)="n",TRIM($H2)="false",TRIM($H2)="0")']
    assert rule.dxf.font.color.rgb == "FF808080" and rule.dxf.fill.bgColor.rgb == "FFF2F2F2"
    assert not any(c.font.color and c.font.color.rgb == "FF808080" for row in ws.iter_rows() for c in row)


def test_the_dropdowns_speak_of_keep_and_reason(book: openpyxl.Workbook) -> None:
    errors = {dv.errorTitle: dv.error for dv in book[C.SHEET_PHASE1].data_validations.dataValidation}
    assert errors == {
        "Keep": "Keep is yes or no: choose one from the list.",
        "Reason": "Not one of the listed reasons; radar keeps your own as you typed it.",
    }
    codes = {dv.error for dv in book[C.SHEET_PHASE2].data_validations.dataValidation}
    assert len(codes) == 1 and "code" in codes.pop()


def test_counts_are_numbers_and_percents_show_the_labels_decimals(
    tmp_path: Path, book: openpyxl.Workbook
) -> None:
    log = {(r[0], r[1]): r[2] for r in book[C.SHEET_LOG].iter_rows(min_row=2, values_only=True)}
    # fg1: 8 turns (the Moderator twice, P1 twice, P2 twice, P3 twice); fg2: 3
    assert log[("Phase 1", "turns")] == 11
    themes = book[C.SHEET_THEMES]
    assert [c.value for c in themes[2]][:5] == ["Access", 3, 7, 42.9, "3/7, 43%"]
    assert themes["D2"].number_format == "0"  # N = 7: no decimal, as the label
    root = tmp_path / "study"
    for style, shown in (("jmir", "0"), ("one-decimal", "0.0")):
        out = tmp_path / f"{style}.xlsx"
        result = CliRunner().invoke(main, ["tally", str(root), "--percent", style, "--out", str(out)])
        assert result.exit_code == 0, result.output
        ws = openpyxl.load_workbook(out).worksheets[0]
        assert [c.value for c in ws[1]] == ["theme", "n", "N", "percent", "label"]
        assert ws["B2"].data_type == "n" and ws["C2"].data_type == "n"
        assert {ws.cell(row=r, column=4).number_format for r in range(2, ws.max_row + 1)} == {shown}


def test_every_sheet_prints_landscape_one_page_wide_with_its_header(book: openpyxl.Workbook) -> None:
    for ws in book:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, ws.title  # 1 wide, as tall as needed
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_margins.left == ws.page_margins.right == 0.4, ws.title


def test_a_wrapped_row_gets_a_height_excel_may_still_refit(
    tmp_path: Path, make_study: Callable[..., Path]
) -> None:
    root = make_study(tmp_path / "study")
    fg2 = root / "transcripts" / "fg2.txt"
    fg2.write_text(fg2.read_text(encoding="utf-8") + LONG_TURN + "\n", encoding="utf-8")
    Study(root).reduce()
    with zipfile.ZipFile(root / TABLES) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    # fg2-004 is row 13; its Text, 197 characters, wraps to 3 lines of about 92 in its 80 of width
    (row,) = re.findall(r'<row r="13"[^>]*>', xml)
    assert 'ht="45"' in row and "customHeight" not in row
    assert re.search(r'<row r="2"[^>]*ht=', xml) is None  # one line: Excel's own height


def test_an_analysts_own_sheet_is_laid_out_and_printed_the_same(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Item": ["a", "b"], "Comment": ["short", "x " * 60], "Count": [1, 2]})
    write_workbook(tmp_path / "own.xlsx", [Sheet("Notes", frame, {})])
    ws = openpyxl.load_workbook(tmp_path / "own.xlsx")["Notes"]
    assert ws["B3"].alignment.wrap_text and ws["C2"].alignment.vertical == "top"
    assert width(ws, "B") == 60  # the Comment limit: 120 characters wrap at 60
    assert ws["C1"].alignment.horizontal == "right"  # over a column of numbers
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def fill_packet(packet: Path, target: Path, comment: str) -> None:
    """Mark "Agree" for every theme of a packet and comment on the first, as a participant would."""
    document = docx.Document(str(packet))
    table = document.tables[0]
    columns = [c.text for c in table.rows[0].cells]
    for number, row in enumerate(table.rows[1:]):
        row.cells[columns.index("Agree")].text = "X"
        if number == 0:
            row.cells[columns.index("Comments")].text = comment
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


def test_the_member_check_sheet_is_sized_to_its_content_and_prints(tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(MEMBERCHECK_STUDY, root)
    Study(root).reduce()
    export_packets(Study(root), tmp_path / "out")
    comment = "It was much harder in winter, when the connection dropped every evening."  # 72 characters
    fill_packet(tmp_path / "out" / "P01.docx", tmp_path / "back" / "P01.docx", comment)
    import_packets(Study(root), tmp_path / "back")
    ws = openpyxl.load_workbook(root / TABLES)[MEMBER_CHECK]
    header = [c.value for c in ws[1]]
    letter = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(header, start=1)}
    assert ws.column_dimensions[letter["Comment"]].width == 60  # 72 characters wrap at the limit of 60
    assert ws.column_dimensions[letter["Participant"]].width == 14  # "Participant" and a filter button
    assert {(c.font.name, c.font.sz, c.font.b) for c in ws[1]} == {("Calibri", 11, True)}
    assert all(c.alignment.vertical == "top" for row in ws.iter_rows(min_row=2) for c in row if c.value)
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
