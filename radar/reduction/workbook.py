"""radar-tables.xlsx as radar writes it: the sheets in the order the analyst meets them.

The workbook is the analyst's: radar writes it atomically (:func:`radar.excel.write_workbook`),
reads the analyst's cells back by Segment ID (:mod:`radar.reduction.readback`),
keeps what it proposed in a hidden sheet so that it can tell a decision from an
untouched proposal, and writes every other sheet back on each run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.codebook import Codebook
from radar.errors import WorkbookError
from radar.excel import (
    CellComment,
    Sheet,
    SheetExtras,
    cell_str,
    open_workbook,
    sheet_extras,
    sheets_with_drawings,
)
from radar.reduction.reconciliation import RECONCILE_SHEET, reconcile_sheet_after
from radar.reduction.records import KEEP_VALUES, Tables
from radar.reduction.sheets import radar_sheets

if TYPE_CHECKING:
    import pandas as pd


KEEP_MESSAGE = "Keep is yes or no: choose one from the list."
REASON_MESSAGE = "Not one of the listed reasons; radar keeps your own as you typed it."
CODES_MESSAGE = (
    "Not a code of the codebook: choose one from the list. Several codes go in one cell, separated by ;"
)
# The spellings of Keep = no (radar.reduction.records.KEEP_VALUES) that grey a row of "1 All data".
DROPPED_SPELLINGS = tuple(spelling for spelling, keep in KEEP_VALUES.items() if keep == C.NO)


# A turn's text is kept whole in radar's segment record (.radar/segments.json), so a cut cell loses nothing.
RECORDED = frozenset({C.TEXT})


def workbook_sheets(
    tables: Tables, codebook: Codebook, log: pd.DataFrame, state: pd.DataFrame
) -> list[Sheet]:
    """The sheets of radar-tables.xlsx in the order the analyst meets them."""
    reasons = list(C.STANDARD_REASONS) + [
        r for r in (C.REASON_OBSERVER, C.REASON_NON_SPEECH, C.REASON_UNLISTED) if r not in C.STANDARD_REASONS
    ]
    codes_source = list_range("A", len(codebook.code_names))
    code_dropdowns = {column: codes_source for column in tables.phase2.columns if C.is_code_column(column)}
    code_messages = {column: CODES_MESSAGE for column in code_dropdowns}
    return [
        Sheet(
            C.SHEET_PHASE1,
            tables.phase1,
            {C.KEEP: list_range("B", 2), C.REASON: list_range("C", len(reasons))},
            messages={C.KEEP: KEEP_MESSAGE, C.REASON: REASON_MESSAGE},
            greyed=(C.KEEP, DROPPED_SPELLINGS),
            recorded=RECORDED,
        ),
        Sheet(C.SHEET_PHASE2, tables.phase2, code_dropdowns, messages=code_messages, recorded=RECORDED),
        Sheet(C.SHEET_PHASE3, tables.phase3, {}, recorded=RECORDED),
        Sheet(C.SHEET_THEMES, themes_sheet(tables), {}, recorded=frozenset({C.COMBINED_COLUMNS[-1]})),
        Sheet(C.SHEET_CODEBOOK, codebook.to_frame(), {}),
        Sheet(C.SHEET_LOG, log, {}, recorded=frozenset({"Value"})),  # whole in .radar/audit.jsonl
        Sheet(C.SHEET_LISTS, lists_frame(codebook, reasons), {}, hidden=True),
        Sheet(C.SHEET_STATE, state, {}, hidden=True),
    ]


def themes_sheet(tables: Tables) -> pd.DataFrame:
    """The Themes sheet: the tally, then the rest of the manuscript's theme table."""
    import pandas as pd

    extra = tables.combined.drop(columns=[C.COMBINED_THEME, C.COMBINED_EXCERPTS])
    return pd.concat([tables.themes.reset_index(drop=True), extra.reset_index(drop=True)], axis=1)


def lists_frame(codebook: Codebook, reasons: Sequence[str]) -> pd.DataFrame:
    """The Lists sheet: the sources of the dropdowns."""
    import pandas as pd

    names = list(codebook.shown_names)  # paths when the tree has sub-codes
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


RADAR_SHEETS = (
    C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3, C.SHEET_THEMES,
    C.SHEET_CODEBOOK, C.SHEET_LOG, C.SHEET_LISTS, C.SHEET_STATE,
)  # fmt: skip


def other_sheets(path: Path) -> list[Sheet]:
    """The sheets radar does not make (the analyst's own, Member check...): values, formulas, comments kept.

    They are written back after radar's sheets on every run, so nothing the
    analyst keeps in the workbook is lost (their cell formatting is not kept).

    Raises:
        WorkbookError: a sheet holds a chart, picture or shape, which radar
            cannot write back (naming the sheet, and what to do).
    """
    import pandas as pd

    refuse_drawings(path)
    workbook = open_workbook(path)
    try:
        radar_titles = {*RADAR_SHEETS, *radar_sheets(path, workbook).values()}  # renamed ones too
        titles = [title for title in workbook.sheetnames if title not in radar_titles]
        extras = sheet_extras(path, titles)
        sheets = []
        for title in titles:
            rows = [list(row) for row in workbook[title].iter_rows(values_only=True)]
            found = extras.get(title, SheetExtras())
            for (row, column), formula in found.formulas.items():
                if row > 0:  # a header is a column's name: its formula stays as its text
                    rows[row][column] = formula
            header = ["" if h is None else str(h) for h in (rows[0] if rows else [])]
            width = max([len(header), *(len(r) for r in rows)]) if rows else 0
            header += [""] * (width - len(header))
            body = [r + [None] * (width - len(r)) for r in rows[1:]]
            hidden = workbook[title].sheet_state != "visible"
            frame = pd.DataFrame(body, columns=header, dtype=object)
            sheets.append(Sheet(title, frame, {}, hidden=hidden, comments=found.comments))
    finally:
        workbook.close()
    return sheets


def refuse_drawings(path: Path) -> None:
    """Refuse a workbook one of whose sheets holds a chart, picture or shape: radar's rewrite would drop it.

    Raises:
        WorkbookError: naming the sheet, and what to do.
    """
    for title in sheets_with_drawings(path):
        raise WorkbookError(
            f"{path.name}, sheet {title!r}: holds a chart, picture or shape, which radar cannot keep when "
            "it writes the workbook again; move it to a workbook of your own (cut it, or move the sheet "
            "with Move or Copy), then run again",
            path=path.name,
            sheet=title,
        )


def carried_sheets(path: Path, applied: set[str], run: int) -> list[Sheet]:
    """The workbook's other sheets to write again; a Reconcile sheet gets its Applied marks."""
    return [
        reconcile_sheet_after(path, applied, run) if sheet.title == RECONCILE_SHEET else sheet
        for sheet in other_sheets(path)
    ]


# A row of one of radar's sheets is known by these columns' values, where the sheet has them.
ROW_KEYS = (C.SEGMENT_ID, C.CODE)

CommentKey = tuple[tuple[str, ...], str]  # the row's key (empty for the header), the column's header


def with_comments(path: Path, sheets: Sequence[Sheet]) -> tuple[list[Sheet], list[str]]:
    """Radar's sheets with the comments the analyst put on their cells, each on its row and column again.

    A comment is found by its row's Segment ID (and Code, in ``3 Coded``; else
    the first column's value) and its column's header, so it follows its
    segment however the rows are sorted or renumbered.

    Returns:
        The sheets, and a note for each comment whose row or column is gone
        (the version before the run, in .radar/history, still has it).
    """
    comments = _radar_comments(path, [sheet.title for sheet in sheets])
    if not comments:
        return list(sheets), []
    placed, lost = [], []
    for sheet in sheets:
        found = comments.pop(sheet.title, {})
        if not found:
            placed.append(sheet)
            continue
        headers = [str(h) for h in sheet.frame.columns]
        keys = _key_columns(headers)
        rows = {_row_key([cell_str(v) for v in row], keys): number for number, row in
                enumerate(sheet.frame.itertuples(index=False, name=None), start=1)}  # fmt: skip
        cells = {}
        for (row_key, header), comment in found.items():
            row = 0 if not row_key else rows.get(row_key)
            if row is None or header not in headers:
                lost.append(f"{sheet.title!r} ({', '.join(row_key) or 'header'}, {header})")
                continue
            cells[(row, headers.index(header))] = comment
        placed.append(replace(sheet, comments={**sheet.comments, **cells}))
    lost += [f"{title!r} ({', '.join(key) or 'header'}, {header})" for title, found in comments.items()
             for key, header in found]  # fmt: skip
    notes = []
    if lost:
        notes.append(
            f"{len(lost)} cell comment(s) could not be put back, their row or column being gone: "
            f"{'; '.join(lost[:10])}{' ...' if len(lost) > 10 else ''}; the version before this run in "
            ".radar/history keeps them"
        )
    return placed, notes


def _radar_comments(path: Path, titles: Sequence[str]) -> dict[str, dict[CommentKey, CellComment]]:
    """The comments on radar's sheets in the workbook now, by radar's title, each by row key and header."""
    workbook = open_workbook(path)
    try:
        now = {title: title for title in titles if title in workbook.sheetnames}
        now.update(radar_sheets(path, workbook))  # renamed ones under radar's title
        extras = sheet_extras(path, list(now.values()), formulas=False)  # radar's cells hold text
        found: dict[str, dict[CommentKey, CellComment]] = {}
        for title, current in now.items():
            comments = extras.get(current, SheetExtras()).comments
            if not comments:
                continue
            rows = [[cell_str(v) for v in row] for row in workbook[current].iter_rows(values_only=True)]
            headers = rows[0] if rows else []
            keys = _key_columns(headers)
            for (row, column), comment in comments.items():
                if column < len(headers) and headers[column]:
                    key = () if row == 0 else _row_key(rows[row], keys)
                    found.setdefault(title, {})[(key, headers[column])] = comment
    finally:
        workbook.close()
    return found


def _key_columns(headers: Sequence[str]) -> list[int]:
    keys = [headers.index(name) for name in ROW_KEYS if name in headers]
    return keys or [0]


def _row_key(row: Sequence[str], keys: Sequence[int]) -> tuple[str, ...]:
    return tuple(row[i] if i < len(row) else "" for i in keys)
