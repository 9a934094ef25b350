"""The spreadsheet codebook (``.xlsx`` or ``.csv``): one row per code.

The columns are ``Theme, Code, Definition, Include, Exclude, Example, Keywords``
(keywords separated by ``;``). A row with a Theme and no Code may carry the
theme's definition. A workbook is read from its sheet named ``Codebook`` if it
has one (as radar's own tables workbook does), otherwise from its first sheet.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.codebook.model import Code, Codebook, Theme, name_key, split_keywords
from radar.codebook.rules import check_unique_codes, read_text
from radar.columns import (
    CODE,
    CODEBOOK_COLUMNS,
    DEFINITION,
    EXAMPLE,
    EXCLUDE,
    INCLUDE,
    KEYWORDS,
    SHEET_CODEBOOK,
    THEME,
)
from radar.errors import CodebookError
from radar.excel import Sheet, write_workbook
from radar.files import write_bytes_atomic

if TYPE_CHECKING:
    import pandas as pd

_TEXT_COLUMNS = (DEFINITION, INCLUDE, EXCLUDE, EXAMPLE)


def read_xlsx(file: Path) -> tuple[Codebook, list[str]]:
    """A codebook from a workbook's Codebook sheet (else its first sheet), checked."""
    return _from_rows(file, *_xlsx_rows(file)), []


def read_csv(file: Path) -> tuple[Codebook, list[str]]:
    """A codebook from a CSV file (comma, semicolon or tab separated), checked."""
    return _from_rows(file, _csv_rows(file), ""), []


def write_xlsx(codebook: Codebook, file: Path) -> list[str]:
    """Write a codebook as a one-sheet workbook; returns what a spreadsheet cannot hold."""
    write_workbook(file, [Sheet(SHEET_CODEBOOK, codebook.to_frame(theme_definitions=True), {})])
    return _lost(codebook, file)


def write_csv(codebook: Codebook, file: Path) -> list[str]:
    """Write a codebook as UTF-8 CSV (with the BOM that tells Excel so); returns what it cannot hold."""
    frame = codebook.to_frame(theme_definitions=True)
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
    writer.writerows(frame.itertuples(index=False, name=None))
    return out.getvalue()


# Reading ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]


def _xlsx_rows(file: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """The rows of the workbook's Codebook sheet (else its first sheet), and where."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(file, data_only=True)
    except (BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as error:
        raise CodebookError(
            f"{file}: cannot be opened as an Excel workbook ({error}); save it again from Excel as .xlsx."
        ) from None
    try:
        sheet = _codebook_sheet(workbook)
        rows = [
            (cells[0].row, [_cell_text(cell.value) for cell in cells])
            for cells in sheet.iter_rows(min_row=1, min_col=1)
        ]
        return rows, f"sheet {sheet.title!r}"
    finally:
        workbook.close()


def _codebook_sheet(workbook: Any) -> Any:
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


def _csv_rows(file: Path) -> list[tuple[int, list[str]]]:
    text = read_text(file)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda sep: _known_headers(first_line.split(sep)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(i, [cell.strip() for cell in row]) for i, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise CodebookError(f"{file}: is not a readable CSV file ({error}).") from None


def _known_headers(cells: Iterable[str]) -> int:
    expected = {column.lower() for column in CODEBOOK_COLUMNS}
    return sum(cell.strip().strip('"').lower() in expected for cell in cells)


def _from_rows(file: Path, rows: list[tuple[int, list[str]]], sheet: str) -> Codebook:
    where = f"{file}" + (f", {sheet}" if sheet else "")
    body = [(number, cells) for number, cells in rows if any(cells)]
    if not body:
        raise CodebookError(
            f"{where}: is empty; the first row must hold the columns {', '.join(CODEBOOK_COLUMNS)}."
        )
    (header_number, header), *records = body
    columns = _header_columns(where, header_number, header)
    parsed = [_Row(number, _cells(columns, cells)) for number, cells in records]
    return _build(file, where, [row for row in parsed if any(row.cells.values())])


def _header_columns(where: str, number: int, header: list[str]) -> dict[str, int]:
    wanted = {column.lower(): column for column in CODEBOOK_COLUMNS}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = wanted.get(cell.strip().lower())
        if column is None:
            continue
        if column in columns:
            raise CodebookError(
                f"{where}, row {number}: the column {column!r} appears twice in the header; "
                "delete or rename one of them."
            )
        columns[column] = index
    for column in CODEBOOK_COLUMNS:
        if column not in columns:
            raise CodebookError(
                f"{where}, row {number}: the header has no {column!r} column; a codebook sheet "
                f"needs the columns {', '.join(CODEBOOK_COLUMNS)} (cells may be empty), "
                "with the header in its first row."
            )
    return columns


def _cells(columns: Mapping[str, int], cells: Sequence[str]) -> dict[str, str]:
    return {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}


class _ThemeDraft:
    """A theme being assembled from spreadsheet rows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.definition = ""
        self.definition_row = 0
        self.codes: list[Code] = []

    def theme(self) -> Theme:
        return Theme(name=self.name, definition=self.definition, codes=tuple(self.codes))


def _build(file: Path, where: str, rows: Sequence[_Row]) -> Codebook:
    drafts: dict[str, _ThemeDraft] = {}
    placed: list[tuple[Code, str]] = []
    for row in rows:
        theme_name, code_name = row.cells[THEME], row.cells[CODE]
        _check_row(where, row)
        draft = drafts.setdefault(name_key(theme_name), _ThemeDraft(theme_name))
        if not code_name:
            _set_theme_definition(where, draft, row)
            continue
        code = _row_code(draft.name, row.cells)
        draft.codes.append(code)
        placed.append((code, f"row {row.number} ({code_name!r})"))
    if not drafts:
        raise CodebookError(f"{where}: has no themes; add one row per code below the header.")
    check_unique_codes(where, placed)
    themes = tuple(draft.theme() for draft in drafts.values())
    return Codebook(themes=themes, path=file)


def _check_row(where: str, row: _Row) -> None:
    cells = row.cells
    if cells[CODE] and not cells[THEME]:
        raise CodebookError(
            f"{where}, row {row.number}: the code {cells[CODE]!r} has no theme; fill in its Theme "
            "cell (radar does not carry a theme down from the rows above, so unmerge merged "
            "cells and fill in every row)."
        )
    details = [column for column in (INCLUDE, EXCLUDE, EXAMPLE, KEYWORDS) if cells[column]]
    if not cells[CODE] and (details or not cells[THEME]):
        filled = ", ".join(details or [column for column in _TEXT_COLUMNS if cells[column]])
        raise CodebookError(
            f"{where}, row {row.number}: has {filled} but an empty Code cell; fill in the code's "
            "name (a row with only a Theme and a Definition defines the theme)."
        )


def _set_theme_definition(where: str, draft: _ThemeDraft, row: _Row) -> None:
    definition = row.cells[DEFINITION]
    if not definition:
        return
    if draft.definition and draft.definition != definition:
        raise CodebookError(
            f"{where}, rows {draft.definition_row} and {row.number}: the theme {draft.name!r} "
            "has two different definitions; keep one of them."
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
    )
