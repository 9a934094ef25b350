"""Word documents as a careful person makes them: the document's own styles, tables sized to content.

Every document radar writes starts from :func:`new_document`: A4 pages, Calibri
in the Normal style (python-docx's template would give Cambria), and a "Table
Text" style for table cells. :func:`add_docx_table` makes a real table whose
columns are as wide as their text asks and never narrower than their longest
word, so that no word is split; a table with many columns, or too wide for a
portrait page, goes on landscape pages of its own; the header row, in Title
Case, repeats on every page; a column empty in every row is left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.files import write_atomic

if TYPE_CHECKING:
    import pandas as pd

FONT = "Calibri"
BODY_SIZE = 11  # points
TABLE_SIZE = 9
LINE_SPACING = 1.22  # a line of Calibri is this many times its size
TABLE_STYLE = "Table Grid"
TABLE_TEXT = "Table Text"  # the paragraph style of table cells
HEADER_FILL = "DCE6F1"  # the header row's shade, as in the workbook
PAGE_CM = (21.0, 29.7)  # A4, portrait
MARGIN_CM = 2.0
LANDSCAPE_COLUMNS = 5  # a table with more columns than this goes on landscape pages
CELL_PADDING_PT = 2 * 5.4 + 1.5  # Table Grid's cell margins (0.075 in each side), and a border
SHORT_COLUMN_PT = 90.0  # a column this wide on one line is never wrapped to make room for others
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "per", "the", "to", "vs"}

# Advance widths of Calibri (Carlito has the same metrics), in ems, by groups of characters.
_EM_GROUPS = (
    (0.25, "ijlI.,'|!:;`"),
    (0.33, "frtJ()[]{}-/"),
    (0.45, 'cksvxyzEFLSTYZ?"\u201c\u201d\u2018\u2019'),
    (0.64, "ACDGHNOQUV"),
    (0.85, "mwMW%&@\u2014"),
    (0.23, " "),
)
_EM = {ch: width for width, chars in _EM_GROUPS for ch in chars}
_EM_DEFAULT = 0.53  # a b d e g h n o p q u, digits, B K P R X and most others


def text_points(text: str, size: float = TABLE_SIZE, *, bold: bool = False) -> float:
    """About how wide a line of text is in Calibri at ``size`` points.

    Example:
        >>> round(text_points("Participants", 9), 1)
        45.4
    """
    ems = sum(_EM.get(ch, 1.0 if ord(ch) >= 0x2E80 else _EM_DEFAULT) for ch in text)
    return ems * size * (1.04 if bold else 1.0)


def display_header(name: str) -> str:
    """A column's name as a Word table shows it, in Title Case.

    radar's tally names (``theme``, ``label``...) have their printed forms in
    :data:`radar.columns.DISPLAY_HEADERS`; other names get a capital on each
    word but small ones, and symbols (``n``, ``n/N``) stay as they are.

    Example:
        >>> display_header("label"), display_header("Exemplar quote (ID)"), display_header("no_response")
        ('n/N (%)', 'Exemplar Quote (ID)', 'No Response')
    """
    if name in C.DISPLAY_HEADERS:
        return C.DISPLAY_HEADERS[name]
    words = name.replace("_", " ").split(" ")
    shown = []
    for index, word in enumerate(words):
        if len(word) > 1 and word.isalpha() and word.islower() and (index == 0 or word not in SMALL_WORDS):
            word = word[0].upper() + word[1:]
        shown.append(word)
    return " ".join(shown)


@dataclass(frozen=True)
class TableLayout:
    """How a table sits on the page: its columns' widths in points, and the page's orientation."""

    widths: tuple[float, ...]
    landscape: bool


def text_width(landscape: bool) -> float:
    """The width between the margins of an A4 page, in points."""
    side = PAGE_CM[1] if landscape else PAGE_CM[0]
    return (side - 2 * MARGIN_CM) / 2.54 * 72


def text_height(landscape: bool) -> float:
    """The height between the margins of an A4 page, in points."""
    side = PAGE_CM[0] if landscape else PAGE_CM[1]
    return (side - 2 * MARGIN_CM) / 2.54 * 72


def table_layout(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, landscape: bool | None = None
) -> TableLayout:
    """Column widths from the content: no column narrower than its longest word.

    A table that fits keeps every line whole. Otherwise headers wrap at their
    words, and a column's share of the width follows the length of its
    typical cell, so that the columns wrap to about the same number of lines;
    no column is wider than its longest line. A table with more
    than :data:`LANDSCAPE_COLUMNS` columns, or whose longest words do not fit
    across a portrait page, is laid out landscape (unless ``landscape`` says
    which page it is on).
    """
    narrow, wide, whole, typical = [], [], [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows]
        heading = max((text_points(w, bold=True) for w in header.split()), default=0.0)
        words = [text_points(w) for cell in cells for w in cell.split()]
        lines = [text_points(line) for cell in cells for line in cell.split("\n")]
        filled = [text_points(cell) for cell in cells if cell.strip()]
        narrow.append(max([heading, *words]) + CELL_PADDING_PT)
        wide.append(max([heading, *lines]) + CELL_PADDING_PT)
        whole.append(max([text_points(header, bold=True), *lines]) + CELL_PADDING_PT)
        typical.append(sum(filled) / len(filled) + CELL_PADDING_PT if filled else narrow[-1])
    if landscape is None:
        landscape = len(headers) > LANDSCAPE_COLUMNS or sum(narrow) > text_width(False)
    room = text_width(landscape)
    if sum(whole) <= room:
        return TableLayout(tuple(whole), landscape)
    return TableLayout(tuple(_share(narrow, wide, typical, room)), landscape)


def _share(
    narrow: Sequence[float], wide: Sequence[float], typical: Sequence[float], room: float
) -> list[float]:
    """Widths that fill ``room`` in proportion to ``typical``, each between ``narrow`` and ``wide``.

    A short column (a count, a label) keeps its whole line where the longest
    words of the others still fit beside it.
    """
    if sum(narrow) >= room:  # even the longest words do not fit: shrink them alike
        return [w * room / sum(narrow) for w in narrow]
    columns = range(len(wide))
    fixed = {i: wide[i] for i in columns if wide[i] <= SHORT_COLUMN_PT}
    if sum(fixed.values()) + sum(narrow[i] for i in columns if i not in fixed) > room:
        fixed = {}
    while True:
        free = [i for i in columns if i not in fixed]
        if not free:
            return [fixed[i] for i in columns]
        scale = (room - sum(fixed.values())) / sum(typical[i] for i in free)
        low = {i: narrow[i] for i in free if typical[i] * scale < narrow[i]}
        high = {i: wide[i] for i in free if typical[i] * scale > wide[i]}
        if not low and not high:
            return [fixed.get(i, typical[i] * scale) for i in columns]
        fixed |= low or high


def docx_read_errors() -> tuple[type[BaseException], ...]:
    """What python-docx raises while it parses a damaged or renamed package (catch these, name the file)."""
    import zipfile
    import zlib

    from docx.opc.exceptions import PackageNotFoundError

    return (zipfile.BadZipFile, zlib.error, EOFError, PackageNotFoundError, KeyError, ValueError, SyntaxError)


def new_document() -> Any:
    """An empty python-docx Document in radar's styles: A4, Calibri, a "Table Text" style."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    _orient(section, landscape=False)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs"):  # every script in the one font, not the theme's Cambria
        fonts.set(qn(script), FONT)
    cells = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = normal
    cells.font.size = Pt(TABLE_SIZE)
    cells.paragraph_format.space_before = cells.paragraph_format.space_after = Pt(0)
    cells.paragraph_format.line_spacing = 1.0
    return document


def add_docx_table(document: Any, frame: pd.DataFrame, caption: str = "", *, keep_empty: bool = False) -> Any:
    """Append a frame as a real table, with its caption above it; returns the table.

    Columns empty in every row are left out (kept with ``keep_empty``: a form to fill in); headers are shown in Title Case
    (:func:`display_header`); numbers are right-aligned. A table that is laid
    out landscape (:func:`table_layout`) in a portrait section gets a landscape
    section of its own, which takes the heading and text just before it along.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    frame = frame if keep_empty else _shown(frame)
    headers = [display_header(str(c)) for c in frame.columns]
    rows = _texts(frame)
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    on_landscape = _is_landscape(document.sections[-1])
    layout = table_layout(headers, rows, landscape=True if on_landscape else None)
    own_section = layout.landscape and not on_landscape
    if own_section:
        _break_section(document, landscape=True)
    if caption:
        document.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headers))
    table.style = TABLE_STYLE
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # the widths below, in Word and LibreOffice alike
    for cell, header, is_number in zip(table.rows[0].cells, headers, numeric):
        _fill(cell, header, is_number, bold=True)
        shade(cell)
    _repeat_header(table.rows[0])
    for row in rows:
        for cell, value, is_number in zip(table.add_row().cells, row, numeric):
            _fill(cell, value, is_number)
    for column, width in zip(table.columns, layout.widths):
        column.width = Pt(width)
        for cell in column.cells:
            cell.width = Pt(width)
    for row, values in zip(table.rows, [headers, *rows]):
        if _row_points(values, layout.widths) < text_height(layout.landscape) / 2:
            _keep_whole(row)  # a row of ordinary height never breaks across pages
    if own_section:
        end = _break_section(document, landscape=False)
        if end is not None and not end.text:
            end.paragraph_format.space_before = end.paragraph_format.space_after = Pt(0)
            end.paragraph_format.line_spacing = Pt(1)  # only the break: no blank page after the table
    return table


def at_page_start(document: Any) -> bool:
    """Whether what comes next starts a page anyway (a section break just before it)."""
    from docx.oxml.ns import qn

    content = [e for e in document.element.body if e.tag != qn("w:sectPr")]
    return bool(content) and _ends_section(content[-1])


def write_docx_table(frame: pd.DataFrame, path: Path, title: str = "") -> None:
    """A Word document holding one titled table, landscape when the table is wide, written atomically."""
    document = new_document()
    shown = _shown(frame)
    headers = [display_header(str(c)) for c in shown.columns]
    rows = _texts(shown)
    if table_layout(headers, rows).landscape:
        _orient(document.sections[0], landscape=True)
    if title:
        document.add_heading(title, level=1)
    add_docx_table(document, frame)
    save_docx(document, path)


def save_docx(document: Any, path: Path) -> None:
    """Save a Word document through a temporary file and a rename."""
    _drop_empty_last_section(document)
    write_atomic(path, document.save, suffix=".docx")


def _drop_empty_last_section(document: Any) -> None:
    """A document ending on a section break ends with that section instead of an empty page."""
    from docx.oxml.ns import qn

    body = document.element.body
    content = [e for e in body if e.tag != qn("w:sectPr")]
    if not content or not _ends_section(content[-1]):
        return
    ended = content[-1].pPr.sectPr
    content[-1].pPr.remove(ended)
    body.remove(body.sectPr)
    body.append(ended)


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without the columns empty in every row (all of them when it has no rows)."""
    if frame.empty:
        return frame
    filled = [c for c in frame.columns if any(v is not None and v == v and str(v).strip() for v in frame[c])]
    return frame[filled]


def _texts(frame: pd.DataFrame) -> list[list[str]]:
    """The frame's cells as text: empty for None and NaN."""
    return [["" if v is None or v != v else str(v) for v in row] for row in frame.itertuples(index=False)]


def _fill(cell: Any, text: str, is_number: bool, *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    paragraph.style = TABLE_TEXT
    run = paragraph.add_run(text)
    run.bold = bold or None
    if is_number:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _row_points(values: Sequence[str], widths: Sequence[float]) -> float:
    """About how tall a row is once its cells wrap at their widths."""
    lines = 1
    for value, width in zip(values, widths):
        room = max(width - CELL_PADDING_PT, 1.0)
        lines = max(lines, sum(max(1, math.ceil(text_points(p) / room)) for p in value.split("\n")))
    return lines * TABLE_SIZE * LINE_SPACING


def _keep_whole(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def shade(cell: Any, fill: str = HEADER_FILL) -> None:
    """Fill a Word table cell with a colour (hex, e.g. ``"DCE6F1"``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    """Mark a table row as a header that repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _orient(section: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    short, long = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _is_landscape(section: Any) -> bool:
    from docx.enum.section import WD_ORIENT

    return bool(section.orientation == WD_ORIENT.LANDSCAPE)


def _break_section(document: Any, *, landscape: bool) -> Any:
    """Start a new page in the other orientation; returns the paragraph that ends the section before.

    Going landscape, the heading just before (and the text between it and the
    table) moves along, so that a heading never stands alone on the page before.
    A section with nothing in it yet is turned instead (returns None).
    """
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    content = [e for e in body if e.tag != qn("w:sectPr")]
    holder = _before_heading(content, len(content) - 1) if landscape else len(content) - 1
    target = content[holder] if holder >= 0 else None
    if target is None or _ends_section(target):  # nothing in this section to leave behind
        _orient(document.sections[-1], landscape=landscape)
        return None
    if target.tag == qn("w:p"):
        _drop_page_break(target)  # the section break starts the page
        paragraph = Paragraph(target, document._body)
    else:  # a table: the break needs a paragraph of its own after it
        paragraph = document.add_paragraph()
        target.addnext(paragraph._p)
    paragraph._p.set_sectPr(body.sectPr.clone())
    section = document.sections[-1]
    section.start_type = WD_SECTION.NEW_PAGE
    _orient(section, landscape=landscape)
    return paragraph


def _ends_section(element: Any) -> bool:
    from docx.oxml.ns import qn

    return element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def _before_heading(content: Sequence[Any], last: int) -> int:
    """The element before the last heading, when only paragraphs follow that heading."""
    from docx.oxml.ns import qn

    index = last
    while index >= 0 and content[index].tag == qn("w:p") and last - index < 4:
        style = content[index].style or ""
        if style.startswith("Heading") or style == "Title":
            return index - 1
        index -= 1
    return last


def _drop_page_break(paragraph: Any) -> None:
    """Remove a paragraph's page breaks when it holds nothing else: the section break starts the page."""
    from docx.oxml.ns import qn

    if "".join(paragraph.itertext()).strip():
        return
    for br in paragraph.iter(qn("w:br")):
        if br.get(qn("w:type")) == "page":
            br.getparent().remove(br)


__all__ = [
    "TableLayout",
    "add_docx_table",
    "at_page_start",
    "display_header",
    "new_document",
    "save_docx",
    "shade",
    "table_layout",
    "text_points",
    "write_docx_table",
]
