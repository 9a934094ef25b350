"""Excel workbooks, any sheet: write one, read its values back, keep text as text.

Writing goes through XlsxWriter to a temporary file and a rename, with a bold
frozen header, filters, column widths, wrapped text and dropdowns; a string is
always stored as text, so a cell starting with ``=`` is never a formula. Reading
gives openpyxl's read-only interface over python-calamine's values, parsed once
per file version (:func:`open_workbook`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import RadarWarning, WorkbookError
from radar.files import remove_stale_temporaries, write_atomic
from radar.safety import check_package

if TYPE_CHECKING:
    import pandas as pd

HEADER_FILL = "DCE6F1"


WIDTHS = {
    C.SEGMENT_ID: 12, C.GROUP: 12, C.PARTICIPANT: 12, C.ROLE: 12, C.QUESTION: 40,
    C.START: 10, C.TEXT: 80, C.KEEP: 8, C.REASON: 20, C.MEMO: 40, C.CODE: 30,
    C.THEME: 40, C.DEFINITION: 50, C.INCLUDE: 30, C.EXCLUDE: 30, C.EXAMPLE: 40,
    C.KEYWORDS: 40, "label": 18, C.REVIEW: 30, C.EXEMPLAR: 11, C.QUOTE: 60,
    "Comment": 50, "Verdict": 12, "Packet": 16, "Imported": 20,
}  # fmt: skip


WRAPPED = {C.QUESTION, C.TEXT, C.QUOTE, C.MEMO, C.DEFINITION, C.INCLUDE, C.EXCLUDE, C.EXAMPLE, C.THEME}


_BAD_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")


_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its frame and how the analyst may edit it."""

    title: str
    frame: pd.DataFrame
    dropdowns: Mapping[str, str]  # column -> list range on the Lists sheet
    hidden: bool = False


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
    """
    remove_stale_temporaries(path.parent)
    write_atomic(path, lambda temporary: _write_xlsx(temporary, sheets), suffix=".xlsx")


_TEXT_ONLY = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def _write_xlsx(target: str, sheets: Sequence[Sheet]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(target, _TEXT_ONLY)  # shared strings: faster than constant_memory here
    formats = {
        "header": book.add_format({"bold": True, "bg_color": f"#{HEADER_FILL}", "pattern": 1}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    for sheet in sheets:
        _write_sheet(book, sheet, formats)
    book.close()


def _write_sheet(book: Any, sheet: Sheet, formats: Mapping[str, Any]) -> None:
    ws = book.add_worksheet(clean_sheet_title(sheet.title))
    if sheet.hidden:
        ws.hide()
    headers = [str(c) for c in sheet.frame.columns]
    rows = len(sheet.frame) + 1
    for index, header in enumerate(headers):
        ws.set_column(index, index, WIDTHS.get(header, 30 if C.is_code_column(header) else 14))
    ws.freeze_panes(1, 1 if headers and headers[0] == C.SEGMENT_ID else 0)
    ws.autofilter(0, 0, rows - 1, max(len(headers), 1) - 1)
    for header, source in sheet.dropdowns.items():
        if header in headers:
            column = headers.index(header)
            ws.data_validation(1, column, max(rows, 2) - 1, column, {
                "validate": "list", "source": f"={source}", "ignore_blank": True,
                "error_type": "information", "error_title": header[:32],
                "error_message": "Not in the list. Several codes go in one cell separated by ;",
            })  # fmt: skip
    for column, header in enumerate(headers):
        ws.write_string(0, column, header, formats["header"])
    wrapped = [formats["wrap"] if h in WRAPPED else None for h in headers]
    for row, values in enumerate(sheet.frame.itertuples(index=False, name=None), start=1):
        for column, (value, style) in enumerate(zip(values, wrapped)):
            _write_cell(ws, row, column, cell_text(value), style)


def _write_cell(ws: Any, row: int, column: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        if style is not None:
            ws.write_blank(row, column, None, style)
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


def _openpyxl_book(data: bytes) -> Any:
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True, data_only=False)


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of an xlsx package holds a formula cell (``<f>``)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for member in package.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                xml = package.read(member)
                if b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml:
                    return True
    return False


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
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)  # from A1
                state = "visible" if meta.visible == SheetVisibleEnum.Visible else "hidden"
                sheets[meta.name] = ValuesSheet(tuple(tuple(map(_as_openpyxl, row)) for row in rows), state)
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
    "HEADER_FILL",
    "Sheet",
    "ValuesBook",
    "cell_str",
    "cell_text",
    "clean_sheet_title",
    "column_letter",
    "frame_from_sheet",
    "open_workbook",
    "read_sheet_rows",
    "write_workbook",
]
