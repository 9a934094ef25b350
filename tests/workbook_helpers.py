"""Editing and reading the analyst's workbook in tests, as a person would in Excel (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from radar import columns as C


def set_codes(path: Path, codes: dict[str, list[str]]) -> None:
    """Type a coder's codes into the Code cells of sheet 2, by Segment ID; unnamed cells are cleared."""
    workbook = load_workbook(path)
    ws = workbook[C.SHEET_PHASE2]
    header = [cell.value for cell in ws[1]]
    columns = [i for i, h in enumerate(header) if C.is_code_column(str(h))]
    for row in ws.iter_rows(min_row=2):
        sid = str(row[0].value)
        if sid in codes:
            values = [*codes[sid], *[None] * len(columns)]
            for i, value in zip(columns, values):
                row[i].value = value
    workbook.save(path)


def set_keep(path: Path, sid: str, keep: str, reason: str = "") -> None:
    """Set Keep (and its Reason) for one segment of sheet 1."""
    workbook = load_workbook(path)
    ws = workbook[C.SHEET_PHASE1]
    header = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == sid:
            row[header.index(C.KEEP)].value = keep
            row[header.index(C.REASON)].value = reason
    workbook.save(path)


def rows_of(path: Path, sheet: str) -> list[tuple[object, ...]]:
    """Every row of a sheet as values, the header first."""
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
