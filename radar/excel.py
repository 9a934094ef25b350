"""Excel workbooks, any sheet: write one, read its values back, keep text as text.

Writing goes through XlsxWriter to a temporary file and a rename, with a bold
frozen header, filters, dropdowns, columns as wide as their content with prose
wrapped, every cell top-aligned in one font, and a print setup (A4 landscape,
one page wide, the header row on every page); a string is always stored as
text, so a cell starting with ``=`` is never a formula. Reading
gives openpyxl's read-only interface over python-calamine's values, parsed once
per file version (:func:`open_workbook`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import RadarWarning, WorkbookError
from radar.files import remove_stale_temporaries, write_atomic
from radar.safety import check_package, parse_xml

if TYPE_CHECKING:
    import pandas as pd

HEADER_FILL = "DCE6F1"
FONT = "Calibri"  # every sheet's one font, headers in bold
FONT_SIZE = 11
DROPPED_FONT = "808080"  # a dropped row: grey text on a light grey fill
DROPPED_FILL = "F2F2F2"

# The widest a column grows before its text wraps, in characters of the body font.
WIDTHS = {
    C.QUESTION: 40, C.TEXT: 80, C.REASON: 24, C.MEMO: 40, C.THEME: 40, C.DEFINITION: 50,
    C.INCLUDE: 40, C.EXCLUDE: 40, C.EXAMPLE: 50, C.KEYWORDS: 40, C.REVIEW: 30,
    "Codes": 40, "Exemplar quote (ID)": 60, "Comment": 60, "Value": 76, C.QUOTE: 60,
    C.RAPID_SUMMARY: 60, C.RAPID_QUOTES: 40, C.RAPID_NOTES: 40, C.RAPID_SUGGESTED: 30, C.DOMAIN: 30,
}  # fmt: skip
MAX_WIDTH = 40
CODE_WIDTH = 30  # a Code column: room for a code name before anything is chosen

# The narrowest a column the analyst fills is, so that a choice fits before it is typed.
MIN_WIDTHS = {
    C.KEEP: 8, C.REASON: 20, C.MEMO: 30, C.EXEMPLAR: 10, C.REVIEW: 20, "Verdict": 10, "Comment": 40,
    C.RAPID_SUMMARY: 60, C.RAPID_QUOTES: 30, C.RAPID_NOTES: 30, C.DOMAIN: 16,
}  # fmt: skip
MIN_WIDTH = 6
DEFAULT_FORMAT = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top"}  # Excel's Normal style
LINE_HEIGHT = 15  # points: one line of the body font
CHARACTERS_PER_WIDTH = 1.15  # a line of prose holds this many characters per unit of width

# Columns of prose (text, quotes, codes, comments): wrapped within their width.
WRAPPED = {
    C.TEXT, C.REASON, C.MEMO, C.DEFINITION, C.INCLUDE, C.EXCLUDE, C.EXAMPLE, C.THEME,
    C.KEYWORDS, C.REVIEW, "Codes", "Exemplar quote (ID)", "Comment", C.QUOTE,
    C.RAPID_SUMMARY, C.RAPID_QUOTES, C.RAPID_NOTES, C.RAPID_SUGGESTED, C.DOMAIN,
}  # fmt: skip

# Long text repeated down a column (the question of every turn): one line, the rest in the cell.
CLIPPED = {C.QUESTION}

# What a dropdown says of a value not in its list, unless the sheet says otherwise.
DROPDOWN_MESSAGE = "Not in the list; choose a value from it."

# Print setup: A4 landscape, one page wide, the header row on every page.
PAPER_A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}  # inches
FOOTER = "&L&A&RPage &P of &N"  # the sheet's name; page n of N


# Excel's own limits: what a cell holds, and how many rows and columns a sheet has.
EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
CUT_MARK = "… [cut: {n:,} more characters]"
CUT_MARK_RECORDED = "… [cut: {n:,} more characters, full text in radar's record]"
_CUT = re.compile(r"… \[cut: [\d,]+ more characters(?:, full text in radar's record)?\]$")


_BAD_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")


_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its frame and how the analyst may edit it."""

    title: str
    frame: pd.DataFrame
    dropdowns: Mapping[str, str]  # column -> list range on the Lists sheet
    hidden: bool = False
    messages: Mapping[str, str] = field(default_factory=dict)  # column -> a dropdown's error text
    greyed: tuple[str, tuple[str, ...]] | None = None  # a row is grey while this column holds one of these
    recorded: frozenset[str] = frozenset()  # columns whose whole text radar keeps in its own record
    comments: Mapping[tuple[int, int], CellComment] = field(default_factory=dict)  # (row, column) from 0
    wrap: frozenset[str] = frozenset()  # columns wrapped on this sheet though CLIPPED elsewhere


@dataclass(frozen=True)
class Formula:
    """A formula an analyst wrote in a sheet of their own, written back as a formula (never as text).

    ``value`` is the result the workbook last held, shown until Excel or
    LibreOffice recalculates it.
    """

    text: str  # "=B2*2"
    value: Any = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CellComment:
    """A cell's comment (Excel's note), written back with its author."""

    text: str
    author: str = ""


@dataclass(frozen=True)
class SheetExtras:
    """What one sheet holds beyond its values, by (row, column) counted from 0 with the header as row 0."""

    formulas: Mapping[tuple[int, int], Formula] = field(default_factory=dict)
    comments: Mapping[tuple[int, int], CellComment] = field(default_factory=dict)


def fit_cell(text: str, recorded: bool = False) -> str:
    """Text as an Excel cell holds it: whole, or cut to :data:`EXCEL_MAX_CHARS` with a visible mark.

    The mark says how many characters were cut (and, for text radar keeps whole
    in its own record, where they are), so a cut is never silent.

    Example:
        >>> cell = fit_cell("x" * 40_000)
        >>> len(cell), cell.endswith("x… [cut: 7,263 more characters]")
        (32767, True)
    """
    if len(text) <= EXCEL_MAX_CHARS:
        return text
    mark = CUT_MARK_RECORDED if recorded else CUT_MARK
    kept = EXCEL_MAX_CHARS - len(mark.format(n=len(text)))
    while len(text[: kept + 1]) + len(mark.format(n=len(text) - kept - 1)) <= EXCEL_MAX_CHARS:
        kept += 1  # the count is shorter than the guess: room for a character more
    return text[:kept] + mark.format(n=len(text) - kept)


def is_cut(text: str) -> bool:
    """Whether a cell's text ends with the mark :func:`fit_cell` leaves where it cut."""
    return len(text) == EXCEL_MAX_CHARS and _CUT.search(text) is not None


def check_limits(path: Path, sheets: Sequence[Sheet]) -> None:
    """Refuse sheets that would pass Excel's rows or columns, before anything is written.

    Raises:
        WorkbookError: naming the file, the sheet and its size.
    """
    for sheet in sheets:
        rows, columns = len(sheet.frame) + 1, len(sheet.frame.columns)  # the header is a row
        if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
            size = f"{rows:,} rows" if rows > EXCEL_MAX_ROWS else f"{columns:,} columns"
            most = f"{EXCEL_MAX_ROWS:,} rows" if rows > EXCEL_MAX_ROWS else f"{EXCEL_MAX_COLUMNS:,} columns"
            raise WorkbookError(
                f"{path.name}, sheet {sheet.title!r}: would have {size}, more than Excel opens "
                f"({most}); radar wrote nothing. Split the study into smaller ones (fewer transcripts "
                "each), or give each turn fewer codes",
                path=path.name,
                sheet=sheet.title,
            )


def clean_sheet_title(title: str) -> str:
    """A title Excel accepts: no ``\\ / * ? : [ ]``, at most 31 characters."""
    cleaned = _BAD_SHEET_CHARS.sub("-", title).strip("'") or "Sheet"
    return cleaned[:31]


def cell_text(value: Any) -> Any:
    """A value as it is safe to store: no control characters, NaN as empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def cell_str(value: Any) -> str:
    """A cell's value as trimmed text: empty for None, ``3`` for 3.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write the sheets to ``path`` atomically, with XlsxWriter.

    The file is written beside ``path`` under a temporary name and renamed over
    it only when complete, so an interrupted run leaves the old workbook whole.
    Text is always stored as text: a cell starting with ``=`` is never a formula.
    Text longer than a cell holds is cut with a visible mark (:func:`fit_cell`),
    with a :class:`RadarWarning` naming the sheet and cell unless radar keeps the
    whole text in its own record (:attr:`Sheet.recorded`).

    Raises:
        WorkbookError: a sheet would pass Excel's rows or columns (nothing is written).
    """
    check_limits(path, sheets)
    remove_stale_temporaries(path.parent)
    write_atomic(path, lambda temporary: _write_xlsx(temporary, sheets), suffix=".xlsx")
    _warn_cut(path, sheets)


def _warn_cut(path: Path, sheets: Sequence[Sheet], listed: int = 5) -> None:
    """One warning per visible sheet naming the cells cut to Excel's limit (a hidden sheet's copy is radar's)."""
    import warnings

    for sheet in sheets:
        if sheet.hidden:
            continue
        headers = [str(c) for c in sheet.frame.columns]
        cut = []
        for index, header in enumerate(headers):
            if header in sheet.recorded or sheet.frame.dtypes.iloc[index].kind in "iufbmM":
                continue  # numbers and dates are never too long
            firsts = list(sheet.frame.iloc[:, 0]) if headers[0] == C.SEGMENT_ID else None
            for position, value in enumerate(sheet.frame.iloc[:, index]):
                if not isinstance(value, str) or len(value) <= EXCEL_MAX_CHARS:
                    continue
                number = position + 2  # Excel's row: after the header
                which = f"{header}, row {number}" + (f", Segment ID {firsts[position]}" if firsts else "")
                cut.append(f"{column_letter(index + 1)}{number} ({which}) has {len(value):,} characters")
        if cut:
            shown = "; ".join(cut[:listed]) + (f"; and {len(cut) - listed} more" if len(cut) > listed else "")
            warnings.warn(
                RadarWarning(
                    f"{path.name}, sheet {sheet.title!r}, cell {shown}: more than an Excel cell holds "
                    f"({EXCEL_MAX_CHARS:,}), so the cell keeps the first part and says how much was cut; "
                    "shorten the text (the version before this run, if any, is in .radar/history)"
                ),
                stacklevel=3,
            )


_TEXT_ONLY = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def _write_xlsx(target: str, sheets: Sequence[Sheet]) -> None:
    import xlsxwriter

    options = {**_TEXT_ONLY, "default_format_properties": DEFAULT_FORMAT}  # every cell, typed ones too
    book = xlsxwriter.Workbook(target, options)  # shared strings: faster than constant_memory here
    formats = _formats(book)
    for sheet in sheets:
        _write_sheet(book, sheet, formats)
    book.close()


@functools.cache
def _refittable_worksheet() -> type:
    """XlsxWriter's worksheet, writing each row's height as an estimate Excel may refit.

    XlsxWriter marks every height it writes as set by hand (``customHeight``),
    and Excel then never refits the row when its text is edited; without a
    height, LibreOffice shows one line of a wrapped cell. Left unmarked, the
    height is used as written and refitted as the text changes.
    """
    from xlsxwriter.worksheet import Worksheet

    class RefittableWorksheet(Worksheet):  # type: ignore[misc]
        def _xml_start_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
            if tag == "row":
                attributes = [(k, v) for k, v in attributes if k != "customHeight"]
            super()._xml_start_tag_unencoded(tag, attributes)

        def _xml_empty_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
            if tag == "row":
                attributes = [(k, v) for k, v in attributes if k != "customHeight"]
            super()._xml_empty_tag_unencoded(tag, attributes)

    return RefittableWorksheet


def _formats(book: Any) -> dict[str, Any]:
    """The workbook's cell formats, made once; a plain cell has the default, :data:`DEFAULT_FORMAT`."""
    base = DEFAULT_FORMAT
    formats = {
        "header": book.add_format({**base, "bold": True, "bg_color": f"#{HEADER_FILL}", "pattern": 1}),
        "header right": book.add_format(
            {**base, "bold": True, "bg_color": f"#{HEADER_FILL}", "pattern": 1, "align": "right"}
        ),  # over a column of numbers
        "top": None,
        "wrap": book.add_format({**base, "text_wrap": True}),
        "top left": book.add_format({**base, "align": "left"}),
        "wrap left": book.add_format({**base, "text_wrap": True, "align": "left"}),
        "dropped": book.add_format({"font_color": f"#{DROPPED_FONT}", "bg_color": f"#{DROPPED_FILL}"}),
    }
    for places in range(2):
        number = "0." + "0" * places if places else "0"
        formats[f"percent{places}"] = book.add_format({**base, "num_format": number})
    return formats


def _write_sheet(book: Any, sheet: Sheet, formats: Mapping[str, Any]) -> None:
    ws = book.add_worksheet(clean_sheet_title(sheet.title), worksheet_class=_refittable_worksheet())
    if sheet.hidden:
        ws.hide()
    headers = [str(c) for c in sheet.frame.columns]
    rows = len(sheet.frame) + 1
    styles, wrapped = [], {}
    for index, header in enumerate(headers):
        texts = _texts(sheet.frame.iloc[:, index])
        width, wrap = _column_layout(header, texts)
        wrap = wrap or header in sheet.wrap
        left = " left" if _mixed(sheet.frame.iloc[:, index]) else ""  # a count among text reads as text
        styles.append(formats[("wrap" if wrap else "top") + left])
        ws.set_column(index, index, width, styles[-1])  # the look of cells typed later, too
        if wrap:
            wrapped[index] = (width, texts)
    for row, lines in enumerate(_row_lines(len(sheet.frame), wrapped.values()), start=1):
        if lines > 1:
            ws.set_row(row, LINE_HEIGHT * lines)
    ws.freeze_panes(1, 1 if headers and headers[0] == C.SEGMENT_ID else 0)
    ws.autofilter(0, 0, rows - 1, max(len(headers), 1) - 1)
    _print_setup(ws)
    for header, source in sheet.dropdowns.items():
        if header in headers:
            column = headers.index(header)
            ws.data_validation(1, column, max(rows, 2) - 1, column, {
                "validate": "list", "source": f"={source}", "ignore_blank": True,
                "error_type": "information", "error_title": header[:32],
                "error_message": sheet.messages.get(header, DROPDOWN_MESSAGE)[:255],
            })  # fmt: skip
    if sheet.greyed and sheet.greyed[0] in headers and rows > 1:
        letter = column_letter(headers.index(sheet.greyed[0]) + 1)
        tests = ",".join(f'TRIM(${letter}2)="{value}"' for value in sheet.greyed[1])
        rule = {"type": "formula", "criteria": f"=OR({tests})", "format": formats["dropped"]}
        ws.conditional_format(1, 0, rows - 1, len(headers) - 1, rule)  # follows the analyst's edits
    for column, header in enumerate(headers):
        numbers = sheet.frame.dtypes.iloc[column].kind in "iuf"
        ws.write_string(0, column, header, formats["header right" if numbers else "header"])
    percents = _percent_formats(sheet.frame, formats)
    for row, values in enumerate(sheet.frame.itertuples(index=False, name=None), start=1):
        if percents is not None:
            styles[percents[0]] = percents[1][row - 1]
        for column, (value, style) in enumerate(zip(values, styles)):
            value = cell_text(value)
            if isinstance(value, str) and len(value) > EXCEL_MAX_CHARS:
                value = fit_cell(value, headers[column] in sheet.recorded)
            _write_cell(ws, row, column, value, style)
    for (row, column), comment in sheet.comments.items():
        ws.write_comment(row, column, fit_cell(comment.text), {"author": comment.author or None})


def column_width(header: str, values: Iterable[Any]) -> tuple[float, bool]:
    """A column's width in characters, from its header and longest value, and whether it wraps.

    Prose columns (:data:`WRAPPED`) and any column whose longest value is wider
    than its limit (:data:`WIDTHS`) wrap at that limit, except the ones shown
    on one line (:data:`CLIPPED`); a column the analyst fills is never
    narrower than :data:`MIN_WIDTHS` says.

    Example:
        >>> column_width("Segment ID", ["fg1-northside-001", "fg1-northside-002"])
        (18, False)
    """
    return _column_layout(header, _texts(values))


def _column_layout(header: str, texts: pd.Series[str]) -> tuple[float, bool]:
    code = C.is_code_column(header)
    if texts.str.contains("\n", regex=False).any():
        longest = int(texts.str.split("\n").map(lambda lines: max(map(len, lines))).max())
    else:
        longest = int(texts.str.len().max()) if len(texts) else 0
    heading = len(header) + 3  # bold, and the filter button beside it
    limit = max(WIDTHS.get(header, CODE_WIDTH if code else MAX_WIDTH), heading)
    width = max(MIN_WIDTHS.get(header, CODE_WIDTH if code else MIN_WIDTH), heading, longest + 1)
    wrap = code or header in WRAPPED or (width > limit and header not in CLIPPED)
    return min(width, limit), wrap


def _texts(values: Iterable[Any]) -> pd.Series[str]:
    """Values as the text a cell shows: empty for None and NaN."""
    import pandas as pd

    column = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return column.where(column.notna(), "").astype(str)


def _mixed(column: pd.Series[Any]) -> bool:
    """Whether a column holds both text and numbers (a Log's values)."""
    from pandas.api.types import infer_dtype

    return column.dtype == object and infer_dtype(column, skipna=True) in MIXED


def _row_lines(rows: int, wrapped: Iterable[tuple[float, pd.Series[str]]]) -> list[int]:
    """About how many lines each row's wrapped cells take at their columns' widths."""
    import numpy as np

    lines = np.ones(rows, dtype=int)
    for width, text in wrapped:
        per_line = max(int(width * CHARACTERS_PER_WIDTH), 1)
        counts = (text.str.len() + per_line - 1) // per_line + text.str.count("\n")
        lines = np.maximum(lines, counts.to_numpy(dtype=int))
    return [int(n) for n in lines]


MIXED = ("mixed", "mixed-integer", "mixed-integer-float")  # pandas' names for text among numbers


_PERCENT_PLACES = re.compile(r"(?:\.(\d+))?%$")


def _percent_formats(frame: pd.DataFrame, formats: Mapping[str, Any]) -> tuple[int, list[Any]] | None:
    """The percent column of a tally, each cell with the decimals of its row's label."""
    headers = [str(c) for c in frame.columns]
    if C.TALLY_PERCENT not in headers or C.TALLY_LABEL not in headers:
        return None
    styles = []
    for label in frame.iloc[:, headers.index(C.TALLY_LABEL)]:
        found = _PERCENT_PLACES.search(str(label).strip())
        places = len(found.group(1) or "") if found else 1
        styles.append(formats[f"percent{min(places, 1)}"])  # the column itself carries one decimal
    return headers.index(C.TALLY_PERCENT), styles


def _print_setup(ws: Any) -> None:
    """A4 landscape, one page wide, the header row and gridlines on every page."""
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(**MARGINS)
    ws.set_footer(FOOTER)
    ws.hide_gridlines(0)  # printed as well as shown


def print_setup(ws: Any) -> None:
    """The same print setup on a sheet openpyxl writes (one radar appends to a workbook)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.left.text, ws.oddFooter.right.text = "&A", "Page &P of &N"
    ws.print_options.gridLines = True


def style_header(cell: Any) -> None:
    """An openpyxl header cell as radar's sheets have it: the one font in bold, filled, top-aligned."""
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(vertical="top")


def _write_cell(ws: Any, row: int, column: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        return  # the column's format covers an empty cell
    if isinstance(value, Formula):  # one the analyst wrote in a sheet of their own
        result = value.value if isinstance(value.value, int | float | str) else 0
        ws.write_formula(row, column, value.text, style, result)
    elif isinstance(value, str):
        ws.write_string(row, column, value, style)  # text, never a formula
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, style)
    elif isinstance(value, int | float):
        ws.write_number(row, column, value, style)
    else:
        ws.write(row, column, value, style)


def read_sheet_rows(workbook: Any, title: str) -> tuple[list[str], Iterator[tuple[int, tuple[Any, ...]]]]:
    """The header and the numbered data rows of a sheet (Excel row numbers)."""
    ws = workbook[title]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    names = ["" if h is None else str(h).strip() for h in header]
    return names, ((number, row) for number, row in enumerate(rows, start=2))


def open_workbook(path: Path) -> Any:
    """Open a workbook for reading its values, or say why it cannot be opened.

    The values come from python-calamine, parsed once per file version and
    shared by every reader of one command; a workbook any of whose sheets
    holds a formula is read with openpyxl instead, so that a formula the
    analyst typed comes back as its text, never as a computed value.
    The result has openpyxl's read-only interface: ``sheetnames``,
    ``book[title].iter_rows(values_only=True)``, ``sheet_state``, ``close()``.
    """
    try:
        stat = path.stat()
        version = (str(path.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
        if version in _VALUES_CACHE:
            return _VALUES_CACHE[version]
        data = path.read_bytes()  # read once: no file handle outlives an error
    except OSError as err:
        raise WorkbookError(f"{path.name}: cannot be read ({err.strerror}); check the file") from err
    check_package(data, path.name, WorkbookError)
    try:
        if _has_formulas(data):
            return _openpyxl_book(data)
        _VALUES_CACHE.clear()  # one workbook at a time: the one this command reads
        _VALUES_CACHE[version] = ValuesBook.parse(data)
        return _VALUES_CACHE[version]
    except Exception as err:  # either reader raises many types for a damaged file
        raise WorkbookError(
            f"{path.name}: cannot be read as an Excel workbook ({type(err).__name__}); "
            "restore it from .radar/history or move it away to start the tables afresh"
        ) from err


def open_for_edit(path: Path, data: bytes | None = None) -> Any:
    """A whole workbook, to change some cells and save it again (openpyxl), or say why not.

    The one way radar opens a workbook for editing. What openpyxl says it
    cannot keep (a slicer, a data-validation extension ...) is passed on as a
    :class:`RadarWarning` naming the file, so nothing goes without a word.

    Args:
        path: the workbook (named in errors and warnings).
        data: its bytes, if already read.
    """
    import io
    import warnings

    from openpyxl import load_workbook

    try:
        data = path.read_bytes() if data is None else data
    except OSError as err:
        raise WorkbookError(
            f"{path.name}: cannot be read ({err.strerror}); check the file", path=path.name
        ) from err
    check_package(data, path.name, WorkbookError)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = load_workbook(io.BytesIO(data))
        except Exception as err:  # openpyxl and zipfile raise many types for a damaged file
            raise WorkbookError(
                f"{path.name}: cannot be read as an Excel workbook ({type(err).__name__}); "
                "restore it from .radar/history or give the file Excel saved",
                path=path.name,
            ) from err
    for note in dict.fromkeys(str(w.message) for w in caught if "will be removed" in str(w.message)):
        warnings.warn(
            RadarWarning(f"{path.name}: {note.rstrip('.')} by openpyxl when radar saves the workbook"),
            stacklevel=2,
        )
    return workbook


def set_text(cell: Any, value: Any) -> None:
    """Set an openpyxl cell; text stays text (a cell starting with ``=`` is never a formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


_DRAWING = re.compile(
    rb"<(?:\w+:)?drawing[\s/>]"
)  # a chart, picture or shape (not a comment's legacyDrawing)
# Excel's xl/comments1.xml, openpyxl's xl/comments/comment1.xml, Excel's xl/threadedComments/...
_COMMENTS = re.compile(r"xl/(?:[^/]+/)?(?:comment|threadedcomment)[^/]*\.xml$", re.IGNORECASE)


def sheets_with_drawings(path: Path) -> list[str]:
    """The titles of the sheets that hold a chart, a picture or a shape (a drawing).

    Read from the package itself (``xl/workbook.xml``, its relationships, each
    sheet's ``<drawing>``), so that nothing openpyxl would drop unread goes unnamed.
    """
    import io
    import zipfile

    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if not any(name.startswith(("xl/drawings/drawing", "xl/charts/")) for name in names):
                return []
            sheets = _sheet_parts(package, path.name)
            return [title for title, part in sheets if part in names and _DRAWING.search(package.read(part))]
    except (zipfile.BadZipFile, KeyError, OSError):
        return []  # reading the workbook says what is wrong with it


def _sheet_parts(package: Any, where: str) -> list[tuple[str, str]]:
    """Each sheet's title and the package part that holds it, in the workbook's order."""

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = parse_xml(package.read("xl/workbook.xml"), where, WorkbookError, what="workbook")
    links = parse_xml(package.read("xl/_rels/workbook.xml.rels"), where, WorkbookError, what="workbook")
    targets = {link.get("Id"): str(link.get("Target", "")) for link in links}
    parts = []
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((str(sheet.get("name", "")), part))
    return parts


def sheet_extras(path: Path, titles: Iterable[str], formulas: bool = True) -> dict[str, SheetExtras]:
    """The formulas and cell comments of the sheets ``titles``, for writing those sheets back whole.

    Read with openpyxl only when the package holds a comment, or one of these
    sheets a formula (and ``formulas`` asks for them).
    """
    import io
    import zipfile

    from openpyxl import load_workbook

    data = path.read_bytes()
    wanted = list(titles)
    if not wanted:
        return {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        needed = any(_COMMENTS.match(name) for name in names)
        if formulas and not needed:
            parts = [part for title, part in _sheet_parts(package, path.name) if title in wanted]
            needed = any(_holds_formula(package.read(part)) for part in parts if part in names)
    if not needed:
        return {}
    book = load_workbook(io.BytesIO(data), data_only=False)
    values = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        found = {}
        for title in wanted:
            if title not in book.sheetnames:
                continue
            found_formulas, comments = {}, {}
            cached = [list(row) for row in values[title].iter_rows(values_only=True)]
            for number, row in enumerate(book[title].iter_rows()):  # from A1
                for column, cell in enumerate(row):
                    where = (number, column)
                    if cell.comment is not None:
                        comments[where] = CellComment(str(cell.comment.text), str(cell.comment.author or ""))
                    if formulas and cell.data_type == "f":
                        text = getattr(cell.value, "text", cell.value)  # an array formula keeps its text
                        result = _at(cached, *where)
                        found_formulas[where] = Formula(str(text), None if result == text else result)
            if found_formulas or comments:
                found[title] = SheetExtras(found_formulas, comments)
    finally:
        values.close()
        book.close()
    return found


def _at(rows: Sequence[Sequence[Any]], row: int, column: int) -> Any:
    return rows[row][column] if row < len(rows) and column < len(rows[row]) else None


def _openpyxl_book(data: bytes) -> Any:
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True, data_only=False)


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of an xlsx package holds a formula cell (``<f>``)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(
            _holds_formula(package.read(member))
            for member in package.namelist()
            if member.startswith("xl/worksheets/") and member.endswith(".xml")
        )


def _holds_formula(xml: bytes) -> bool:
    return b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml


# The values of the workbook last read, by its path and version (inode, times, size).
_VALUES_CACHE: dict[tuple[str, int, int, int, int], ValuesBook] = {}


def column_letter(number: int) -> str:
    """Excel's letters for a column number counting from 1 (1 -> A, 28 -> AB).

    Example:
        >>> column_letter(1), column_letter(28), column_letter(703)
        ('A', 'AB', 'AAA')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _as_openpyxl(value: Any) -> Any:
    """A calamine value as openpyxl gives it: None for an empty cell, 3 for a whole 3.0."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@dataclass(frozen=True)
class ValuesSheet:
    """One sheet's cell values from A1, empty cells as None."""

    rows: tuple[tuple[Any, ...], ...]
    sheet_state: str
    merged: tuple[Any, ...] = ()  # merged ranges, ((top, left), (bottom, right)) counting from 0

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


@dataclass(frozen=True)
class ValuesBook:
    """A workbook's values, read with python-calamine, in openpyxl's read-only shape."""

    sheets: Mapping[str, ValuesSheet]

    @classmethod
    def parse(cls, data: bytes) -> ValuesBook:
        import io

        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            sheets = {}
            for meta in book.sheets_metadata:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)  # from A1
                state = "visible" if meta.visible == SheetVisibleEnum.Visible else "hidden"
                merged = tuple(sheet.merged_cell_ranges or ())
                sheets[meta.name] = ValuesSheet(
                    tuple(tuple(map(_as_openpyxl, row)) for row in rows), state, merged
                )
        finally:
            book.close()
        return cls(sheets)

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def __getitem__(self, title: str) -> ValuesSheet:
        return self.sheets[title]

    def close(self) -> None:
        """Nothing to close: the values are in memory (openpyxl's interface)."""


def frame_from_sheet(path: Path, title: str) -> pd.DataFrame:
    """A sheet of a workbook as a DataFrame of text (empty cells as "")."""
    import pandas as pd

    workbook = open_workbook(path)
    try:
        if title not in workbook.sheetnames:
            raise WorkbookError(f"{path.name}: the sheet {title!r} is missing; run radar reduce")
        header, rows = read_sheet_rows(workbook, title)
        data = [[cell_str(v) for v in row] + [""] * (len(header) - len(row)) for _, row in rows]
    finally:
        workbook.close()
    return pd.DataFrame([r[: len(header)] for r in data], columns=header)


__all__ = [
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "HEADER_FILL",
    "CellComment",
    "Formula",
    "Sheet",
    "SheetExtras",
    "ValuesBook",
    "cell_str",
    "cell_text",
    "check_limits",
    "clean_sheet_title",
    "column_letter",
    "column_width",
    "fit_cell",
    "frame_from_sheet",
    "is_cut",
    "open_workbook",
    "print_setup",
    "read_sheet_rows",
    "sheet_extras",
    "sheets_with_drawings",
    "style_header",
    "write_workbook",
]
