"""Word tables as a manuscript needs them: the document's styles, widths from content, landscape when wide.

Every check reads the written .docx back with python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pandas as pd
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from radar.cli import main
from radar.formats import write_table
from radar.study import Study

TWIPS_PER_POINT = 20


@pytest.fixture
def reduced(tmp_path: Path, make_study: Callable[..., Path]) -> Path:
    root = make_study(tmp_path / "study")
    Study(root).reduce()
    return root


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def grid_points(table: docx.table.Table) -> list[float]:
    """The table's column widths as Word and LibreOffice read them (w:gridCol), in points."""
    grid = table._tbl.tblGrid
    return [int(col.get(qn("w:w"))) / TWIPS_PER_POINT for col in grid.findall(qn("w:gridCol"))]


def test_the_table_is_in_the_documents_own_styles(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "themes.docx"
    run("tally", str(reduced), "--combined", "--out", str(out))
    document = docx.Document(str(out))
    normal = document.styles["Normal"]
    assert normal.font.name == "Calibri" and normal.font.size == Pt(11)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Calibri"  # not the theme's Cambria
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    paragraphs = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert {p.style.name for p in paragraphs} == {"Table Text"}
    assert document.styles["Table Text"].font.size == Pt(9)
    assert not [r for p in paragraphs for r in p.runs if r.font.name]  # the style's font, not a run's
    header = table.rows[0]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)  # A4


def test_a_wide_table_is_landscape_and_a_narrow_one_portrait(reduced: Path, tmp_path: Path) -> None:
    run("tally", str(reduced), "--combined", "--out", str(tmp_path / "themes.docx"))
    run("tally", str(reduced), "--out", str(tmp_path / "tally.docx"))
    wide = docx.Document(str(tmp_path / "themes.docx")).sections
    narrow = docx.Document(str(tmp_path / "tally.docx")).sections
    assert [s.orientation for s in wide] == [WD_ORIENT.LANDSCAPE]  # 7 columns
    assert wide[0].page_width > wide[0].page_height
    assert [s.orientation for s in narrow] == [WD_ORIENT.PORTRAIT]  # 5 short columns
    assert narrow[0].page_width < narrow[0].page_height


def test_headers_are_title_case_and_tally_names_print_as_papers_do(reduced: Path, tmp_path: Path) -> None:
    run("tally", str(reduced), "--by", "code", "--out", str(tmp_path / "codes.docx"))
    (table,) = docx.Document(str(tmp_path / "codes.docx")).tables
    assert [c.text for c in table.rows[0].cells] == ["Code", "Theme", "n", "N", "%", "n/N (%)"]
    from radar.word import display_header

    assert display_header("Exemplar quote (ID)") == "Exemplar Quote (ID)"
    assert display_header("Excerpts n/N (%)") == "Excerpts n/N (%)"
    assert display_header("time (UTC)") == "Time (UTC)"
    assert display_header("percent_agreement") == "Percent Agreement"
    assert display_header("share of the groups") == "Share of the Groups"


def test_a_column_empty_in_every_row_is_left_out(tmp_path: Path) -> None:
    frame = pd.DataFrame({"theme": ["Access", "Privacy"], "Memo": ["", None], "n": [3, 2]})
    write_table(frame, tmp_path / "t.docx")
    (table,) = docx.Document(str(tmp_path / "t.docx")).tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Theme", "n"],
        ["Access", "3"],
        ["Privacy", "2"],
    ]


def test_widths_follow_the_content_and_no_word_is_split(tmp_path: Path) -> None:
    # Seven columns, as the manuscript's theme table: a long quote beside a column of long words.
    frame = pd.DataFrame(
        {
            "Theme": ["Education on privacy, security, and confidentiality", "Access"],
            "Definition": ["How supporters keep the people they serve safe online. " * 3, "Getting online."],
            "Codes": ["Passwords (3); Private space for calls (2)", "Devices (2)"],
            "Excerpts n/N (%)": ["33/197, 16.8%", "3/197, 1.5%"],
            "Participants n/N": ["33/59", "3/59"],
            "Groups n/N": ["4/4", "1/4"],
            "Exemplar quote (ID)": [
                "\u201cI started out giving my personal number.\u201d (P13, fg1) " * 8,
                "",
            ],
        }
    )
    write_table(frame, tmp_path / "t.docx")
    (table,) = docx.Document(str(tmp_path / "t.docx")).tables
    widths = grid_points(table)
    assert len(widths) == 7
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [round(c.width.pt) for c in table.rows[1].cells] == [round(w) for w in widths]
    # landscape A4 between 2 cm margins: 25.7 cm
    assert sum(widths) == pytest.approx(Cm(25.7).pt, abs=1)
    # "confidentiality" in 9 pt Calibri: its 15 letters are 5.86 em (the font's advance widths),
    # 52.7 pt, and the cell's margins 10.8 pt: the Theme column is at least 63.5 pt wide
    assert widths[0] >= 63.5
    # "Participants" in bold: 5.22 em, 47 pt, with the margins 57.8 pt
    assert widths[4] >= 57.8
    assert widths[6] == max(widths) and widths[5] < widths[6] / 4  # the quotes get the room, not 4/4


def test_the_report_puts_wide_tables_on_landscape_pages_of_their_own(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    run("report", str(reduced), "--out", str(out))
    document = docx.Document(str(out))
    sections = list(document.sections)
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,  # summary, flow figure
        WD_ORIENT.LANDSCAPE,  # Themes: the 6-column theme table
        WD_ORIENT.PORTRAIT,  # a page per theme, COREQ, the codebook
    ]
    themes = list(sections[1].iter_inner_content())
    assert themes[0].text == "Themes" and themes[0].style.name == "Heading 1"  # the heading goes along
    assert isinstance(themes[-2], docx.table.Table)
    # the theme pages start on the new page without a page break of their own (no blank page)
    first = next(iter(sections[2].iter_inner_content()))
    assert first.text == "Access" and first.style.name == "Heading 2"
    # the codebook has no Include, Exclude or Example: 3 columns, on a portrait page
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["Theme", "Code", "Definition"]


def test_a_document_ending_on_a_wide_table_ends_on_its_landscape_page(tmp_path: Path) -> None:
    from radar.formats import add_docx_table, save_docx
    from radar.word import new_document

    document = new_document()
    document.add_paragraph("Before the table.")
    add_docx_table(document, pd.DataFrame({f"Column {i}": [f"value {i}"] for i in range(1, 8)}))
    save_docx(document, tmp_path / "t.docx")
    sections = docx.Document(str(tmp_path / "t.docx")).sections
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
    ]  # no empty page after
