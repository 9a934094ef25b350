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
from radar.reduction.reconciliation import RECONCILE_SHEET as RECONCILE_TITLE
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
    refuse_other_formats(path)
    workbook = open_workbook(path)
    problems: list[RadarError] = []
    try:
        titles = radar_sheets(path, workbook)
        rows1, extra1 = _read_phase1(path, workbook, problems, titles)
        rows2, extra2 = _read_phase2(path, workbook, codebook, problems, titles)
        marks, quotes = _read_marks(path, workbook, codebook, titles)
        records = _read_state(workbook, titles)
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
    path: Path, workbook: Any, problems: list[RadarError], titles: Mapping[str, str]
) -> tuple[dict[str, Row1], tuple[str, ...]]:
    title = titles.get(C.SHEET_PHASE1, C.SHEET_PHASE1)
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
    path: Path,
    workbook: Any,
    codebook: Codebook | None,
    problems: list[RadarError],
    titles: Mapping[str, str],
) -> tuple[dict[str, Row2], tuple[str, ...]]:
    title = titles.get(C.SHEET_PHASE2, C.SHEET_PHASE2)
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


def _read_marks(
    path: Path, workbook: Any, codebook: Codebook | None, titles: Mapping[str, str]
) -> tuple[Marks, Marks]:
    """The Exemplar marks and Quote cells of the coded sheet, each Segment ID -> code -> value.

    A segment on the sheet gets an entry (empty when its cells are), so that
    clearing a cell is read as the analyst's decision.
    """
    title = titles.get(C.SHEET_PHASE3, C.SHEET_PHASE3)
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


def _read_state(workbook: Any, titles: Mapping[str, str]) -> dict[str, Record]:
    title = titles.get(C.SHEET_STATE, C.SHEET_STATE)
    if title not in workbook.sheetnames:
        return {}
    header, rows = read_sheet_rows(workbook, title)
    if list(header[: len(STATE_COLUMNS)]) != list(STATE_COLUMNS):
        return {}
    records = {}
    for _, row in rows:
        values = dict(zip(header, row))
        sid = cell_str(values.get(C.SEGMENT_ID))
        if sid:
            records[sid] = record_from_state(values)
    return records


# Finding radar's sheets -----------------------------------------------------

# The sheets radar finds by their columns when the analyst has renamed them, in the order tried.
FOUND_BY_COLUMNS = (C.SHEET_STATE, C.SHEET_PHASE1, C.SHEET_PHASE3, C.SHEET_PHASE2)
# Sheets of radar's that are never one of those, whatever their columns.
NOT_RENAMED = frozenset({C.SHEET_THEMES, C.SHEET_CODEBOOK, C.SHEET_LOG, C.SHEET_LISTS, C.SHEET_MEMBER_CHECK})


def sheet_role(header: Sequence[str]) -> str | None:
    """Which of radar's sheets a header row is the header of, or None.

    Radar's sheets are known by their columns as well as by their titles, so
    that a sheet the analyst renamed in Excel is still found (its work read,
    never carried along as a stale copy).

    Example:
        >>> sheet_role(["Segment ID", "Group", "Participant", "Text", "Code 1", "Memo"])
        '2 Relevant'
    """
    names = set(header)
    if list(header[: len(STATE_COLUMNS)]) == list(STATE_COLUMNS):
        return C.SHEET_STATE
    if {C.SEGMENT_ID, C.TEXT, C.KEEP, C.REASON} <= names:
        return C.SHEET_PHASE1
    if {C.SEGMENT_ID, C.CODE, C.EXEMPLAR} <= names:
        return C.SHEET_PHASE3
    if {C.SEGMENT_ID, C.TEXT} <= names and any(C.is_code_column(name) for name in names):
        return C.SHEET_PHASE2
    return None


def radar_sheets(path: Path, workbook: Any) -> dict[str, str]:
    """Each of radar's sheets found in the workbook: its title as radar writes it -> its title now.

    A sheet keeps its role under its own title; one missing from the workbook
    is the single other sheet with its columns (:func:`sheet_role`), renamed by
    the analyst.

    Raises:
        WorkbookError: a missing sheet's columns are on two or more other
            sheets, so radar cannot tell which one is its own (naming them).
    """
    titles = {title: title for title in FOUND_BY_COLUMNS if title in workbook.sheetnames}
    if len(titles) == len(FOUND_BY_COLUMNS):
        return titles
    candidates: dict[str, list[str]] = {}
    for title in workbook.sheetnames:
        if title in titles or title in NOT_RENAMED or title == RECONCILE_TITLE:
            continue
        header, _ = read_sheet_rows(workbook, title)
        role = sheet_role(header)
        if role is not None and role not in titles:
            candidates.setdefault(role, []).append(title)
    for role, found in candidates.items():
        if len(found) > 1:
            listed = " and ".join(repr(title) for title in found)
            raise WorkbookError(
                f"{path.name}: the sheet {role!r} is missing, and the sheets {listed} both have its "
                f"columns; rename the one radar should read back to {role!r} (and delete or rename the "
                "other's Segment ID column), then run again",
                path=path.name,
                sheet=found[0],
            )
        titles[role] = found[0]
    return titles


def renamed_sheet_notes(path: Path) -> list[str]:
    """A note for each of radar's sheets the analyst renamed (read back, written under radar's title)."""
    workbook = open_workbook(path)
    try:
        titles = radar_sheets(path, workbook)
        copies = [
            (title, role)
            for title in workbook.sheetnames
            if title not in titles.values() and title not in NOT_RENAMED and title != RECONCILE_TITLE
            and (role := sheet_role(read_sheet_rows(workbook, title)[0])) in titles
        ]  # fmt: skip
    finally:
        workbook.close()
    notes = [
        f"the sheet {now!r} is radar's {role!r} renamed: its work is read, and it is written back as "
        f"{role!r} (radar finds its sheets by their titles)"
        for role, now in titles.items()
        if now != role
    ]
    notes += [
        f"the sheet {title!r} has the columns of radar's {role!r}, which radar reads instead; it is "
        f"kept as your own sheet, but what you type in it is not read back (work in {role!r})"
        for title, role in copies
    ]
    return notes


OTHER_FORMATS = (".xls", ".xlsm", ".xlsb", ".ods", ".fods", ".csv")  # what a "Save As" may have made


def refuse_other_formats(path: Path) -> None:
    """Refuse when the analyst's edits may sit in a copy saved in another format beside the workbook.

    A ``radar-tables.ods`` (or ``.xls``, ``.xlsm``, ``.csv`` ...) newer than
    ``radar-tables.xlsx``, or there without it, holds edits radar would never read.

    Raises:
        WorkbookError: naming the copy and what to do.
    """
    try:
        since = path.stat().st_mtime if path.exists() else None
        siblings = sorted(path.parent.iterdir()) if path.parent.is_dir() else []
    except OSError:
        return  # reading the workbook itself says what is wrong
    for sibling in siblings:
        if sibling.stem.casefold() != path.stem.casefold() or sibling.suffix.lower() not in OTHER_FORMATS:
            continue
        try:
            newer = since is None or sibling.stat().st_mtime > since
        except OSError:
            continue
        if newer:
            than = f"newer than {path.name}" if since is not None else f"there without {path.name}"
            raise WorkbookError(
                f"{sibling.name}: is {than}, the workbook radar reads, so edits saved in it would be "
                f"ignored; open it and save it as {path.name} (File > Save As, Excel Workbook .xlsx), "
                "or move it out of the study folder, then run again",
                path=sibling.name,
            )


def previous_work(folder: Folder, codebook: Codebook) -> PreviousWork | None:
    """The analyst's cells in the study's workbook, or None when there is no workbook yet."""
    refuse_other_formats(folder.paths.tables)
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
    sheet = frame_from_sheet(path, _title_of(path, C.SHEET_PHASE1))
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
    path = folder.require_tables()
    table1 = frame_from_sheet(path, _title_of(path, C.SHEET_PHASE1))
    table1 = table1[table1[C.SEGMENT_ID] != ""]
    return characteristics(
        table1,
        speakers,
        percent_style=percent_style,
        where=str(folder.root),
        min_cell=folder.config().deidentify.min_cell,
    )


def _title_of(path: Path, role: str) -> str:
    """The title one of radar's sheets has in the workbook now (renamed or not)."""
    workbook = open_workbook(path)
    try:
        return radar_sheets(path, workbook).get(role, role)
    finally:
        workbook.close()
