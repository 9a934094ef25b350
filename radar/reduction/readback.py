"""The workbook read back: the analyst's cells by Segment ID, and the tables as they are now.

radar finds columns by their names and rows by Segment ID, never by position,
so the analyst may sort, filter, hide and add columns; a Keep value that is not
yes or no, or a code the codebook lacks, is an error naming the sheet and cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.characteristics import characteristics, require_attributes
from radar.codebook import Codebook
from radar.errors import Location, RadarError, WorkbookError, raise_all
from radar.excel import cell_str, column_letter, frame_from_sheet, open_workbook, read_sheet_rows
from radar.folder import Folder
from radar.matrix import breakdown
from radar.reduction.records import (
    Decision,
    PreviousWork,
    Record,
    Row1,
    Row2,
    Tables,
    parse_keep,
    resolve_cell_codes,
    split_codes,
)
from radar.reduction.tables import STATE_COLUMNS, decisions_of, make_tables, phases, record_from_state
from radar.tally import tally

if TYPE_CHECKING:
    import pandas as pd


def read_previous_work(path: Path, codebook: Codebook | None) -> PreviousWork:
    """Read the analyst's cells back by Segment ID.

    Args:
        path: the workbook.
        codebook: resolves code names in Code cells; None reads them as written.

    Raises:
        WorkbookError: naming the sheet and cell of every Keep value that is
            not yes/no and every code the codebook does not hold (all of them,
            in ``problems``, so the analyst fixes them in one go).
    """
    workbook = open_workbook(path)
    problems: list[RadarError] = []
    try:
        rows1, extra1 = _read_phase1(path, workbook, problems)
        rows2, extra2 = _read_phase2(path, workbook, codebook, problems)
        marks, quotes = _read_marks(path, workbook, codebook)
        records = _read_state(workbook)
    finally:
        workbook.close()
    raise_all(problems)
    return PreviousWork(rows1, rows2, records, extra1, extra2, marks, quotes)


def _column(path: Path, title: str, header: list[str], name: str) -> int:
    if name not in header:
        raise Location(path.name, title).error(
            WorkbookError,
            f"the column {name!r} is missing; restore the header row (radar finds columns by their names)",
        )
    return header.index(name)


def _value(row: tuple[Any, ...], index: int) -> Any:
    return row[index] if index < len(row) else None


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


def _read_phase1(
    path: Path, workbook: Any, problems: list[RadarError]
) -> tuple[dict[str, Row1], tuple[str, ...]]:
    title = C.SHEET_PHASE1
    if title not in workbook.sheetnames:
        raise WorkbookError(
            f"{path.name}: the sheet {title!r} is missing; restore it from .radar/history",
            path=path.name, sheet=title,
        )  # fmt: skip
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
            where = Location(path.name, title, f"{column_letter(keep_col + 1)}{number}", sid, number)
            problems.append(where.error(WorkbookError, f"Keep is {cell_str(raw)!r}; write yes or no"))
            continue
        review = cell_str(_value(row, review_col)) if review_col is not None else ""
        text = "" if _value(row, text_col) is None else str(_value(row, text_col))
        found[sid] = Row1(keep, cell_str(_value(row, reason_col)), review, text, _extras(header, row, own))
    return found, tuple(header[i] for i in own)


def _read_phase2(
    path: Path, workbook: Any, codebook: Codebook | None, problems: list[RadarError]
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
            names: Sequence[str] = split_codes(cell)
            if codebook and names:
                where = Location(path.name, title, f"{column_letter(col + 1)}{number}", sid, number)
                try:
                    names = resolve_cell_codes(cell, codebook, where)
                except WorkbookError as problem:
                    problems.append(problem)
                    continue
            codes += [code for code in names if code not in codes]
        memo = "" if memo_col is None or _value(row, memo_col) is None else str(_value(row, memo_col))
        found[sid] = Row2(tuple(codes), memo, _extras(header, row, own))
    return found, tuple(header[i] for i in own)


Marks = dict[str, dict[str, str]]


def _read_marks(path: Path, workbook: Any, codebook: Codebook | None) -> tuple[Marks, Marks]:
    """The Exemplar marks and Quote cells of the coded sheet, each Segment ID -> code -> value.

    A segment on the sheet gets an entry (empty when its cells are), so that
    clearing a cell is read as the analyst's decision.
    """
    title = C.SHEET_PHASE3
    if title not in workbook.sheetnames:
        return {}, {}
    header, rows = read_sheet_rows(workbook, title)
    if C.CODE not in header:
        return {}, {}
    sid_col = _column(path, title, header, C.SEGMENT_ID)
    code_col = header.index(C.CODE)
    columns = [header.index(name) if name in header else None for name in (C.EXEMPLAR, C.QUOTE)]
    found: tuple[Marks, Marks] = ({}, {})
    for _, row in rows:
        sid = cell_str(_value(row, sid_col))
        if not sid:
            continue
        code = cell_str(_value(row, code_col))
        for column, values in zip(columns, found):
            if column is None:
                continue
            cells = values.setdefault(sid, {})
            value = cell_str(_value(row, column))
            if value and code:
                cells[(codebook.resolve(code) if codebook else None) or code] = value
    return found


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


def previous_work(folder: Folder, codebook: Codebook) -> PreviousWork | None:
    """The analyst's cells in the study's workbook, or None when there is no workbook yet."""
    if not folder.paths.tables.exists():
        return None
    return read_previous_work(folder.paths.tables, codebook)


def check_codes(decisions: Mapping[str, Decision], codebook: Codebook, workbook: str) -> None:
    """Refuse codes kept on record (on rows set Keep = no) that the codebook no longer has."""
    for sid, decision in decisions.items():
        for code in decision.codes:
            if codebook.resolve(code) is None:
                did_you_mean = codebook.did_you_mean(code)
                raise WorkbookError(
                    f"{workbook}, sheet {C.SHEET_STATE!r} (Segment ID {sid}, a row set Keep = no): "
                    f"the code {code!r} is not in the codebook{did_you_mean}; "
                    f"use `radar codebook rename` or put the code back in the codebook",
                    path=workbook,
                    sheet=C.SHEET_STATE,
                    segment=sid,
                )


# The tables as the analyst left them ----------------------------------------


def tables_from_workbook(
    folder: Folder, codebook: Codebook | None = None, percent_style: str = "jmir"
) -> Tables:
    """The reduction tables as the workbook holds them now.

    Phase 1 comes from the workbook's first sheet; Keep, Reason, codes and
    memos are the analyst's current cells, so the tables reflect edits made
    since the last ``reduce``.
    """
    codebook = codebook or folder.codebook()
    segments, decisions = _workbook_now(folder, codebook)
    config = folder.config()
    return make_tables(
        segments,
        decisions,
        codebook,
        folder.speakers(),
        percent_style=percent_style,
        group_names=config.group_names(),
        min_cell=config.deidentify.min_cell,
    )


def _workbook_now(folder: Folder, codebook: Codebook) -> tuple[pd.DataFrame, dict[str, Decision]]:
    """The workbook's segments and the analyst's current decisions, read once."""
    path = folder.require_tables()
    previous = read_previous_work(path, codebook)
    sheet = frame_from_sheet(path, C.SHEET_PHASE1)
    sheet = sheet[sheet[C.SEGMENT_ID] != ""]
    segments = sheet[[c for c in C.PHASE1_COLUMNS if c not in (C.KEEP, C.REASON)]]
    decisions = decisions_of(previous)
    check_codes(decisions, codebook, path.name)
    return segments, decisions


def combined_from_workbook(folder: Folder, percent_style: str = "jmir") -> pd.DataFrame:
    """The manuscript's theme table from the workbook as it is now."""
    return tables_from_workbook(folder, percent_style=percent_style).combined


def tally_workbook(
    folder: Folder, unit: str = "excerpts", by: str = "theme", percent_style: str = "jmir"
) -> pd.DataFrame:
    """Tally the workbook's current codes (only the tally asked for is computed)."""
    codebook = folder.codebook()
    segments, decisions = _workbook_now(folder, codebook)
    _, _, table3, people, groups = phases(segments, decisions, codebook, folder.speakers())
    return tally(
        table3,
        codebook,
        unit=unit,
        by=by,
        participants_total=people,
        groups_total=groups,
        percent_style=percent_style,
    )


def breakdown_workbook(
    folder: Folder,
    attribute: str,
    unit: str = "excerpts",
    percent_style: str = "jmir",
    shape: str = "matrix",
) -> pd.DataFrame:
    """Themes by a group or participant attribute (:func:`radar.matrix.breakdown`), from the workbook now."""
    codebook = folder.codebook()
    speakers = folder.speakers()
    segments, decisions = _workbook_now(folder, codebook)
    table1, _, table3, _, _ = phases(segments, decisions, codebook, speakers)
    return breakdown(
        table3, table1, codebook, attribute, speakers, unit=unit, percent_style=percent_style, shape=shape,
        min_cell=folder.config().deidentify.min_cell,
    )  # fmt: skip


def characteristics_workbook(folder: Folder, percent_style: str = "jmir") -> pd.DataFrame:
    """The participant characteristics table (:func:`radar.characteristics.characteristics`).

    The participants are those who spoke (the workbook's first sheet) and those listed in speakers.csv.
    """
    speakers = require_attributes(folder.speakers(), str(folder.root))
    table1 = frame_from_sheet(folder.require_tables(), C.SHEET_PHASE1)
    table1 = table1[table1[C.SEGMENT_ID] != ""]
    return characteristics(
        table1,
        speakers,
        percent_style=percent_style,
        where=str(folder.root),
        min_cell=folder.config().deidentify.min_cell,
    )
