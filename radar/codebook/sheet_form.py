"""The spreadsheet codebook (``.xlsx`` or ``.csv``): one row per code.

The columns are ``Theme, Code, Definition, Include, Exclude, Example, Keywords``;
only Theme and Code are required, and the others may be left out. A code tree
adds ``Parent`` (a sub-code's parent code, of the same theme) and ``Color``
(``#RRGGBB``; on a theme's own row, the theme's colour), written only when the
codebook has sub-codes or colours, so that a tree from NVivo or qc survives a
round trip through a spreadsheet. Keywords are
separated by commas, semicolons or line breaks. A row with a Theme and a
Definition but no Code gives the theme's definition. A code row with an empty
Theme cell belongs to the theme of the row above it (the usual layout, with each
theme written once, or merged cells). The header is the first row naming the
Theme and Code columns; a title above it becomes the codebook's title. Each of
these is read with a note. A workbook is read from its sheet named ``Codebook``
if it has one (as radar's own tables workbook does), otherwise from its first sheet.
"""

from __future__ import annotations

import csv
import io
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.codebook.model import Code, Codebook, Theme, name_key, split_keywords
from radar.codebook.rules import check_unique_codes, read_text
from radar.columns import (
    CODE,
    CODEBOOK_COLUMNS,
    CODEBOOK_REQUIRED,
    CODEBOOK_TREE_COLUMNS,
    COLOR,
    DEFINITION,
    EXAMPLE,
    EXCLUDE,
    INCLUDE,
    KEYWORDS,
    PARENT,
    SHEET_CODEBOOK,
    THEME,
)
from radar.errors import CodebookError
from radar.excel import Sheet, write_workbook
from radar.files import write_bytes_atomic
from radar.safety import check_package, safe_cell, unsafe_cell

if TYPE_CHECKING:
    import pandas as pd

_TEXT_COLUMNS = (DEFINITION, INCLUDE, EXCLUDE, EXAMPLE)


def read_xlsx(file: Path) -> tuple[Codebook, list[str]]:
    """A codebook from a workbook's Codebook sheet (else its first sheet), checked, with notes."""
    rows, sheet = _xlsx_rows(file)
    return _from_rows(_Where(file, sheet), rows)


def read_csv(file: Path) -> tuple[Codebook, list[str]]:
    """A codebook from a CSV file (comma, semicolon or tab separated), checked, with notes."""
    return _from_rows(_Where(file), _csv_rows(file))


def write_xlsx(codebook: Codebook, file: Path) -> list[str]:
    """Write a codebook as a one-sheet workbook; returns what a spreadsheet cannot hold."""
    write_workbook(file, [Sheet(SHEET_CODEBOOK, codebook.to_frame(theme_definitions=True, tree=True), {})])
    return _lost(codebook, file)


def write_csv(codebook: Codebook, file: Path) -> list[str]:
    """Write a codebook as UTF-8 CSV (with the BOM that tells Excel so); returns what it cannot hold."""
    frame = codebook.to_frame(theme_definitions=True, tree=True)
    write_bytes_atomic(file, _csv_text(frame).encode("utf-8-sig"))
    return _lost(codebook, file)


def _lost(codebook: Codebook, file: Path) -> list[str]:
    lost = [label for label, value in (("title", codebook.title), ("source", codebook.source)) if value]
    if any(theme.status for theme in codebook.themes):
        lost.append("theme status")
    if not lost:
        return []
    listed = " and ".join([", ".join(lost[:-1]), lost[-1]] if len(lost) > 1 else lost)
    return [f"{file.name}: a spreadsheet codebook has no place for the {listed}; they are not in it"]


def _csv_text(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows([safe_cell(value) for value in row] for row in frame.itertuples(index=False, name=None))
    return out.getvalue()


# Reading ---------------------------------------------------------------------

_Rows = list[tuple[int, list[str]]]


@dataclass(frozen=True)
class _Where:
    """The file (and sheet) being read: the start of every message."""

    file: Path
    sheet: str = ""

    def __str__(self) -> str:
        return f"{self.file}" + (f", sheet {self.sheet!r}" if self.sheet else "")

    def error(self, message: str, row: int | None = None, rows: str = "") -> CodebookError:
        """The error, its text starting with the file, sheet and ``row`` (or ``rows``, as text)."""
        at = f", {rows}" if rows else "" if row is None else f", row {row}"
        return CodebookError(f"{self}{at}: {message}", path=str(self.file), sheet=self.sheet or None, row=row)


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]


def _xlsx_rows(file: Path) -> tuple[_Rows, str]:
    """The rows of the workbook's Codebook sheet (else its first sheet), and the sheet's name."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_package(file, str(file), CodebookError)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(file, data_only=True)
    except (
        BadZipFile,
        zlib.error,
        EOFError,
        InvalidFileException,
        OSError,
        KeyError,
        ValueError,
        SyntaxError,
    ) as error:
        raise CodebookError(
            f"{file}: cannot be opened as an Excel workbook ({' '.join(str(error).split())}); "
            "save it again from Excel as .xlsx.",
            path=str(file),
        ) from None
    try:
        sheet = codebook_sheet(workbook)
        rows = [
            (cells[0].row, [_cell_text(cell.value) for cell in cells])
            for cells in sheet.iter_rows(min_row=1, min_col=1)
        ]
        return rows, str(sheet.title)
    finally:
        workbook.close()


def codebook_sheet(workbook: Any) -> Any:
    """The workbook's sheet named Codebook (any case), else its first sheet."""
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == SHEET_CODEBOOK.lower():
            return sheet
    return workbook.worksheets[0]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(file: Path) -> _Rows:
    text = read_text(file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        return [(i, [unsafe_cell(cell).strip() for cell in row]) for i, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise CodebookError(f"{file}: is not a readable CSV file ({error}).", path=str(file)) from None


def csv_delimiter(text: str) -> str:
    """The delimiter (``,``, ``;`` or tab) that splits a codebook CSV's header into the most column names."""
    first_lines = text.splitlines()[:20]  # the header may sit below a title

    def named(sep: str) -> int:
        return max((_known_headers(line.split(sep)) for line in first_lines), default=0)

    return max(",;\t", key=named)


def _known_headers(cells: Iterable[str]) -> int:
    expected = {column.lower() for column in CODEBOOK_COLUMNS}
    return sum(cell.strip().strip('"').lower() in expected for cell in cells)


def _from_rows(where: _Where, rows: _Rows) -> tuple[Codebook, list[str]]:
    body = [(number, cells) for number, cells in rows if any(cells)]
    if not body:
        raise where.error(
            f"is empty; write a header row with the columns {', '.join(CODEBOOK_COLUMNS)}, "
            "then one row per code."
        )
    at = header_index(cells for _, cells in body)
    if at is None:
        raise where.error(_no_header(body[0]))
    header_number, header = body[at]
    title, notes = _above_header(where, header_number, body[:at])
    columns, column_notes = _header_columns(where, header_number, header)
    notes += column_notes
    parsed = [_Row(number, _cells(columns, cells)) for number, cells in body[at + 1 :]]
    codebook, filled = _build(where, [row for row in parsed if any(row.cells.values())])
    if filled:
        notes.append(
            f"{where}: Theme filled down from the row above for {_count(len(filled), 'code')} "
            f"whose Theme cell is empty ({_rows_text(filled)})."
        )
    return replace(codebook, title=title), notes


def header_index(rows: Iterable[Sequence[str]]) -> int | None:
    """The position of the header among rows: the first naming the Theme and Code columns (any case)."""
    for index, cells in enumerate(rows):
        names = {cell.strip().lower() for cell in cells}
        if all(column.lower() in names for column in CODEBOOK_REQUIRED):
            return index
    return None


def _no_header(first: tuple[int, list[str]]) -> str:
    number, cells = first
    shown = ", ".join(repr(cell) for cell in [cell for cell in cells if cell][:4])
    optional = [column for column in CODEBOOK_COLUMNS if column not in CODEBOOK_REQUIRED]
    return (
        f"no row names the columns {' and '.join(CODEBOOK_REQUIRED)} (the first row, row {number}, "
        f"holds {shown}); write a header row with at least those two columns (and any of "
        f"{', '.join(optional)}), then one row per code."
    )


def _above_header(where: _Where, header: int, above: _Rows) -> tuple[str, list[str]]:
    """The codebook's title from the rows above the header, and a note naming them."""
    if not above:
        return "", []
    texts = [(number, " ".join(cell for cell in cells if cell)) for number, cells in above]
    (first, title), rest = texts[0], texts[1:]
    note = f"{where}: the header is in row {header}; row {first} above it is read as the codebook's title ({title!r})"
    if rest:
        rows = ", ".join(str(number) for number, _ in rest)
        shown = ", ".join(repr(text) for _, text in rest)
        note += f"; row{'s' if len(rest) > 1 else ''} {rows} ({shown}) {'are' if len(rest) > 1 else 'is'} not read"
    return title, [note + "."]


def _header_columns(where: _Where, number: int, header: list[str]) -> tuple[dict[str, int], list[str]]:
    wanted = {column.lower(): column for column in (*CODEBOOK_COLUMNS, *CODEBOOK_TREE_COLUMNS)}
    wanted["colour"] = COLOR
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        column = wanted.get(cell.strip().lower())
        if column is None:
            if cell:
                unknown.append(cell)
            continue
        if column in columns:
            raise where.error(
                f"the column {column!r} appears twice in the header; delete or rename one of them.", number
            )
        columns[column] = index
    missing = [column for column in CODEBOOK_COLUMNS if column not in columns]
    if not missing:
        return columns, []
    several = len(missing) > 1
    note = (
        f"{where}, row {number}: the header has no {_listed(missing, 'or')} column{'s' if several else ''}, "
        f"so {'those are' if several else 'it is'} left empty for every code"
    )
    if unknown:
        note += f"; radar does not read its column{'s' if len(unknown) > 1 else ''} {_listed(unknown, 'and')}"
    return columns, [note + "."]


def _listed(names: Sequence[str], last: str) -> str:
    """``'A'``, ``'A' or 'B'``, ``'A', 'B' and 'C'``."""
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"


def _cells(columns: Mapping[str, int], cells: Sequence[str]) -> dict[str, str]:
    return {
        name: cells[columns[name]] if name in columns and columns[name] < len(cells) else ""
        for name in (*CODEBOOK_COLUMNS, *CODEBOOK_TREE_COLUMNS)
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _rows_text(numbers: Sequence[int]) -> str:
    """``row 4`` or ``rows 4-6, 9``: row numbers in ascending order, runs shortened."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return f"row{'s' if len(numbers) > 1 else ''} {', '.join(parts)}"


class _ThemeDraft:
    """A theme being assembled from spreadsheet rows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.definition = ""
        self.definition_row = 0
        self.color = ""
        self.codes: list[Code] = []

    def theme(self) -> Theme:
        return Theme(name=self.name, definition=self.definition, codes=tuple(self.codes), color=self.color)


def _build(where: _Where, rows: Sequence[_Row]) -> tuple[Codebook, list[int]]:
    """The codebook, and the rows whose code took the theme of the row above."""
    drafts: dict[str, _ThemeDraft] = {}
    placed: list[tuple[Code, str]] = []
    filled: list[int] = []
    draft: _ThemeDraft | None = None
    for row in rows:
        theme_name, code_name = row.cells[THEME], row.cells[CODE]
        _check_row(where, row)
        if theme_name:
            draft = drafts.setdefault(name_key(theme_name), _ThemeDraft(theme_name))
        elif draft is None:
            raise where.error(
                f"the code {code_name!r} has no theme, and no row above it names one; "
                "fill in its Theme cell.",
                row.number,
            )
        else:
            filled.append(row.number)
        if not code_name:
            _set_theme_definition(where, draft, row)
            draft.color = row.cells[COLOR] or draft.color
            continue
        code = _row_code(draft.name, row.cells)
        draft.codes.append(code)
        placed.append((code, f"row {row.number} ({code_name!r})"))
    if not drafts:
        raise where.error("has no themes; add one row per code below the header.")
    check_unique_codes(str(where), placed)
    _check_parents(where, rows, drafts)
    themes = tuple(draft.theme() for draft in drafts.values())
    return Codebook(themes=themes, path=where.file), filled


def _check_row(where: _Where, row: _Row) -> None:
    cells = row.cells
    details = [column for column in (INCLUDE, EXCLUDE, EXAMPLE, KEYWORDS) if cells[column]]
    if not cells[CODE] and (details or not cells[THEME]):
        filled = ", ".join(details or [column for column in _TEXT_COLUMNS if cells[column]])
        raise where.error(
            f"has {filled} but an empty Code cell; fill in the code's "
            "name (a row with only a Theme and a Definition defines the theme).",
            row.number,
        )


def _check_parents(where: _Where, rows: Sequence[_Row], drafts: Mapping[str, _ThemeDraft]) -> None:
    """Each Parent names another code of the same theme."""
    theme_of = {code.name: draft.name for draft in drafts.values() for code in draft.codes}
    for row in rows:
        code, parent = row.cells[CODE], row.cells[PARENT]
        if code and parent and (parent == code or theme_of.get(parent) != theme_of.get(code)):
            raise where.error(
                f"the code {code!r} has the Parent {parent!r}, which is not another code of its theme "
                f"{theme_of.get(code)!r}; give the name of a code of the same theme, or leave Parent empty.",
                row.number,
            )


def _set_theme_definition(where: _Where, draft: _ThemeDraft, row: _Row) -> None:
    definition = row.cells[DEFINITION]
    if not definition:
        return
    if draft.definition and draft.definition != definition:
        raise where.error(
            f"the theme {draft.name!r} has two different definitions; keep one of them.",
            row.number,
            rows=f"rows {draft.definition_row} and {row.number}",
        )
    draft.definition, draft.definition_row = definition, row.number


def _row_code(theme: str, cells: Mapping[str, str]) -> Code:
    return Code(
        name=cells[CODE],
        theme=theme,
        definition=cells[DEFINITION],
        include=cells[INCLUDE],
        exclude=cells[EXCLUDE],
        example=cells[EXAMPLE],
        keywords=split_keywords(cells[KEYWORDS]),
        parent=cells[PARENT],
        color=cells[COLOR],
    )
