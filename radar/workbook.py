"""radar-tables.xlsx: writing the reduction tables and reading the analyst's work back.

The workbook is the analyst's: radar writes it atomically (a temporary file,
then a rename), reads Keep, Reason, Code and Memo cells back by Segment ID
(never by row position), and stores what it proposed in a hidden sheet so that
it can tell a decision from an untouched proposal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import WorkbookError
from radar.files import remove_stale_temporaries, write_atomic
from radar.tables import (
    STATE_COLUMNS,
    PreviousWork,
    Record,
    Row1,
    Row2,
    code_columns,
    parse_keep,
    record_from_state,
    resolve_cell_codes,
    split_codes,
)

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

HEADER_FILL = "DCE6F1"
WIDTHS = {
    C.SEGMENT_ID: 12, C.GROUP: 12, C.PARTICIPANT: 12, C.ROLE: 12, C.QUESTION: 40,
    C.START: 10, C.TEXT: 80, C.KEEP: 8, C.REASON: 20, C.MEMO: 40, C.CODE: 30,
    C.THEME: 40, C.DEFINITION: 50, C.INCLUDE: 30, C.EXCLUDE: 30, C.EXAMPLE: 40,
    C.KEYWORDS: 40, "label": 18, C.REVIEW: 30, C.EXEMPLAR: 11,
    "Comment": 50, "Verdict": 12, "Packet": 16, "Imported": 20,
}  # fmt: skip
WRAPPED = {C.QUESTION, C.TEXT, C.MEMO, C.DEFINITION, C.INCLUDE, C.EXCLUDE, C.EXAMPLE, C.THEME}
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


def lists_frame(codebook: Codebook, reasons: Sequence[str]) -> pd.DataFrame:
    """The Lists sheet: the sources of the dropdowns."""
    import pandas as pd

    names = list(codebook.code_names)
    length = max(len(names), len(reasons), 2)

    def padded(values: Sequence[str]) -> list[str]:
        return list(values) + [""] * (length - len(values))

    return pd.DataFrame(
        {
            C.CODE: padded(names),
            C.KEEP: padded([C.YES, C.NO]),
            C.REASON: padded(reasons),
        }
    )


def list_range(column_letter: str, count: int) -> str:
    """A dropdown source on the Lists sheet, such as ``'Lists'!$A$2:$A$52``."""
    return f"'{C.SHEET_LISTS}'!${column_letter}$2:${column_letter}${count + 1}"


# Reading back ---------------------------------------------------------------


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


def read_previous_work(path: Path, codebook: Codebook | None) -> PreviousWork:
    """Read the analyst's cells back by Segment ID.

    Args:
        path: the workbook.
        codebook: resolves code names in Code cells; None reads them as written.

    Raises:
        WorkbookError: naming the sheet and cell of a Keep value that is not
            yes/no, or a code the codebook does not hold.
    """
    workbook = open_workbook(path)
    try:
        rows1, extra1 = _read_phase1(path, workbook)
        rows2, extra2 = _read_phase2(path, workbook, codebook)
        marks = _read_marks(path, workbook, codebook)
        records = _read_state(workbook)
    finally:
        workbook.close()
    return PreviousWork(rows1, rows2, records, extra1, extra2, marks)


def _column(path: Path, title: str, header: list[str], name: str) -> int:
    if name not in header:
        raise WorkbookError(
            f"{path.name}, sheet {title!r}: the column {name!r} is missing; "
            "restore the header row (radar finds columns by their names)"
        )
    return header.index(name)


def _value(row: tuple[Any, ...], index: int) -> Any:
    return row[index] if index < len(row) else None


def cell_str(value: Any) -> str:
    """A cell's value as trimmed text: empty for None, ``3`` for 3.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _own_columns(header: list[str], known: set[str]) -> list[int]:
    """Positions of the analyst's own columns: named, and not radar's."""
    return [i for i, h in enumerate(header) if h and h not in known and not C.is_code_column(h)]


def _extras(header: list[str], row: tuple[Any, ...], positions: list[int]) -> dict[str, Any]:
    found = {}
    for i in positions:
        value = _value(row, i)
        if value is not None and value != "":
            found[header[i]] = value
    return found


def _read_phase1(path: Path, workbook: Any) -> tuple[dict[str, Row1], tuple[str, ...]]:
    title = C.SHEET_PHASE1
    if title not in workbook.sheetnames:
        raise WorkbookError(f"{path.name}: the sheet {title!r} is missing; restore it from .radar/history")
    header, rows = read_sheet_rows(workbook, title)
    sid_col = _column(path, title, header, C.SEGMENT_ID)
    keep_col = _column(path, title, header, C.KEEP)
    reason_col = _column(path, title, header, C.REASON)
    text_col = _column(path, title, header, C.TEXT)
    review_col = header.index(C.REVIEW) if C.REVIEW in header else None
    own = _own_columns(header, {*C.PHASE1_COLUMNS, C.REVIEW})
    found: dict[str, Row1] = {}
    for number, row in rows:
        sid = cell_str(_value(row, sid_col))
        if not sid:
            continue
        raw = _value(row, keep_col)
        keep = parse_keep(raw)
        if keep is None:
            cell = f"{column_letter(keep_col + 1)}{number}"
            raise WorkbookError(
                f"{path.name}, sheet {title!r}, cell {cell} (Segment ID {sid}): "
                f"Keep is {cell_str(raw)!r}; write yes or no"
            )
        review = cell_str(_value(row, review_col)) if review_col is not None else ""
        text = "" if _value(row, text_col) is None else str(_value(row, text_col))
        found[sid] = Row1(keep, cell_str(_value(row, reason_col)), review, text, _extras(header, row, own))
    return found, tuple(header[i] for i in own)


def _read_phase2(
    path: Path, workbook: Any, codebook: Codebook | None
) -> tuple[dict[str, Row2], tuple[str, ...]]:
    title = C.SHEET_PHASE2
    if title not in workbook.sheetnames:
        return {}, ()
    header, rows = read_sheet_rows(workbook, title)
    sid_col = _column(path, title, header, C.SEGMENT_ID)
    memo_col = header.index(C.MEMO) if C.MEMO in header else None
    code_cols = [i for i, h in enumerate(header) if C.is_code_column(h)]
    own = _own_columns(header, {*C.PHASE2_FIXED, C.MEMO})
    found: dict[str, Row2] = {}
    for number, row in rows:
        sid = cell_str(_value(row, sid_col))
        if not sid:
            continue
        codes: list[str] = []
        for col in code_cols:
            cell = cell_str(_value(row, col))
            where = f"{path.name}, sheet {title!r}, cell {column_letter(col + 1)}{number} (Segment ID {sid})"
            names = resolve_cell_codes(cell, codebook, where) if codebook else split_codes(cell)
            codes += [code for code in names if code not in codes]
        memo = "" if memo_col is None or _value(row, memo_col) is None else str(_value(row, memo_col))
        found[sid] = Row2(tuple(codes), memo, _extras(header, row, own))
    return found, tuple(header[i] for i in own)


def _read_marks(path: Path, workbook: Any, codebook: Codebook | None) -> dict[str, dict[str, str]]:
    """The Exemplar marks of the coded sheet: Segment ID -> code -> mark."""
    title = C.SHEET_PHASE3
    if title not in workbook.sheetnames:
        return {}
    header, rows = read_sheet_rows(workbook, title)
    if C.EXEMPLAR not in header or C.CODE not in header:
        return {}
    sid_col = _column(path, title, header, C.SEGMENT_ID)
    code_col, mark_col = header.index(C.CODE), header.index(C.EXEMPLAR)
    marks: dict[str, dict[str, str]] = {}
    for _, row in rows:
        sid = cell_str(_value(row, sid_col))
        if not sid:
            continue
        found = marks.setdefault(sid, {})
        mark = cell_str(_value(row, mark_col))
        code = cell_str(_value(row, code_col))
        if mark and code:
            found[(codebook.resolve(code) if codebook else None) or code] = mark
    return marks


def _read_state(workbook: Any) -> dict[str, Record]:
    if C.SHEET_STATE not in workbook.sheetnames:
        return {}
    header, rows = read_sheet_rows(workbook, C.SHEET_STATE)
    if list(header[: len(STATE_COLUMNS)]) != list(STATE_COLUMNS):
        return {}
    records = {}
    for _, row in rows:
        values = dict(zip(header, row))
        sid = cell_str(values.get(C.SEGMENT_ID))
        if sid:
            records[sid] = record_from_state(values)
    return records


RADAR_SHEETS = (
    C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3, C.SHEET_THEMES,
    C.SHEET_CODEBOOK, C.SHEET_LOG, C.SHEET_LISTS, C.SHEET_STATE,
)  # fmt: skip


def other_sheets(path: Path) -> list[Sheet]:
    """The sheets radar does not make (the analyst's own, Member check...), values kept.

    They are written back after radar's sheets on every run, so nothing the
    analyst keeps in the workbook is lost (their cell formatting is not kept).
    """
    import pandas as pd

    workbook = open_workbook(path)
    try:
        sheets = []
        for title in workbook.sheetnames:
            if title in RADAR_SHEETS:
                continue
            rows = [list(row) for row in workbook[title].iter_rows(values_only=True)]
            header = ["" if h is None else str(h) for h in (rows[0] if rows else [])]
            width = max([len(header), *(len(r) for r in rows)]) if rows else 0
            header += [""] * (width - len(header))
            body = [r + [None] * (width - len(r)) for r in rows[1:]]
            hidden = workbook[title].sheet_state != "visible"
            sheets.append(Sheet(title, pd.DataFrame(body, columns=header), {}, hidden=hidden))
    finally:
        workbook.close()
    return sheets


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
    "Sheet",
    "clean_sheet_title",
    "code_columns",
    "frame_from_sheet",
    "list_range",
    "lists_frame",
    "read_previous_work",
    "write_workbook",
]


def renamed_workbook_bytes(path: Path, old: str, new: str) -> tuple[bytes, int]:
    """The workbook with one code renamed in every cell that holds it.

    Code cells of the relevant sheet, the coded sheet, the dropdown list and
    the state radar keeps are all rewritten; nothing else changes.

    Returns:
        The new workbook's bytes and the number of cells changed.
    """
    import io

    from openpyxl import load_workbook

    from radar.codebook import name_key

    workbook = load_workbook(path)
    key = name_key(old)

    def rename(cell: Any) -> int:
        if not isinstance(cell.value, str) or not cell.value.strip():
            return 0
        names = split_codes(cell.value)
        if not any(name_key(n) == key for n in names):
            return 0
        renamed = [new if name_key(n) == key else n for n in names]
        cell.value = "; ".join(renamed)
        return 1

    targets: dict[str, Callable[[str], bool]] = {
        C.SHEET_PHASE2: lambda h: C.is_code_column(h),
        C.SHEET_PHASE3: lambda h: h == C.CODE,
        C.SHEET_LISTS: lambda h: h == C.CODE,
        C.SHEET_STATE: lambda h: h in ("Suggested", "Codes"),
    }
    changed = 0
    for title, wanted in targets.items():
        if title not in workbook.sheetnames:
            continue
        ws = workbook[title]
        header = [str(c.value or "").strip() for c in ws[1]]
        for index, name in enumerate(header, start=1):
            if wanted(name):
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    changed += rename(cell)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), changed


def edited_workbook_bytes(
    path: Path,
    codebook: Codebook,
    *,
    codes: Mapping[str, Sequence[str]] | None = None,
    keep: Mapping[str, tuple[str, str]] | None = None,
    memos: Mapping[str, str] | None = None,
) -> tuple[bytes, int]:
    """The workbook with the analyst's edits written into its cells, by Segment ID.

    Args:
        path: the workbook.
        codebook: checks the code names.
        codes: Segment ID -> the codes the segment should carry (replacing its Code cells).
        keep: Segment ID -> (Keep, Reason).
        memos: Segment ID -> memo.

    Returns:
        The new workbook's bytes and the number of cells changed.

    Raises:
        WorkbookError: for an unknown Segment ID, code or Keep value, or codes
            for a segment that is not kept (it has no Code cells).
    """
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(path)
    changed = 0
    if keep:
        changed += _edit_rows(path, workbook[C.SHEET_PHASE1], keep, _keep_cells)
    if codes:
        resolved = {sid: _resolved(path, codebook, sid, names) for sid, names in codes.items()}
        changed += _edit_rows(path, workbook[C.SHEET_PHASE2], resolved, _code_cells)
    if memos:
        changed += _edit_rows(path, workbook[C.SHEET_PHASE2], memos, _memo_cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), changed


def _resolved(path: Path, codebook: Codebook, sid: str, names: Sequence[str]) -> list[str]:
    where = f"{path.name}, edit of Segment ID {sid}"
    return list(resolve_cell_codes("; ".join(names), codebook, where))


def _edit_rows(
    path: Path, ws: Any, edits: Mapping[str, Any], apply: Callable[[Path, Any, list[str], Any, Any], int]
) -> int:
    header = [str(c.value or "").strip() for c in ws[1]]
    rows = {str(row[0].value): row for row in ws.iter_rows(min_row=2) if row[0].value}
    changed = 0
    for sid, value in edits.items():
        if sid not in rows:
            raise WorkbookError(
                f"{path.name}, sheet {ws.title!r}: no row has Segment ID {sid!r}"
                + (
                    "; only kept segments have Code cells (set Keep = yes first)"
                    if ws.title == C.SHEET_PHASE2
                    else ""
                )
            )
        changed += apply(path, ws, header, rows[sid], value)
    return changed


def _keep_cells(path: Path, ws: Any, header: list[str], row: Any, value: tuple[str, str]) -> int:
    keep = parse_keep(value[0])
    if keep is None:
        raise WorkbookError(f"{path.name}: Keep {value[0]!r} for Segment ID {row[0].value}; write yes or no")
    row[header.index(C.KEEP)].value = keep
    row[header.index(C.REASON)].value = value[1] or None
    return 2


def _code_cells(path: Path, ws: Any, header: list[str], row: Any, names: list[str]) -> int:
    columns = [i for i, h in enumerate(header) if C.is_code_column(h)]
    cells = (
        [*names[: len(columns) - 1], "; ".join(names[len(columns) - 1 :])]
        if len(names) > len(columns)
        else names
    )
    for position, index in enumerate(columns):
        row[index].value = cells[position] if position < len(cells) and cells[position] else None
    return len(columns)


def _memo_cells(path: Path, ws: Any, header: list[str], row: Any, memo: str) -> int:
    row[header.index(C.MEMO)].value = memo or None
    return 1
