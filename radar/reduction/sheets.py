"""radar's sheets in the analyst's workbook: found by title, or by their columns when renamed.

An analyst may rename ``2 Relevant`` in Excel and go on working there; radar
knows its sheets by their columns as well as by their titles, so that the work
in a renamed sheet is read back (and the sheet written again under radar's
title), never carried along as a stale copy. A copy of the workbook saved in
another format beside it (``radar-tables.ods``...) is named too, so edits made
there are never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar import columns as C
from radar.errors import WorkbookError
from radar.excel import open_workbook, read_sheet_rows
from radar.reduction.reconciliation import RECONCILE_SHEET as RECONCILE_TITLE

STATE_COLUMNS = C.STATE_COLUMNS

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


@dataclass(frozen=True)
class TitledBook:
    """A workbook read under radar's titles: a renamed sheet answers to the title radar gave it."""

    book: Any
    titles: Mapping[str, str]  # radar's title -> the sheet's title now

    @property
    def sheetnames(self) -> list[str]:
        radar_title = {now: title for title, now in self.titles.items()}
        return [radar_title.get(title, title) for title in self.book.sheetnames]

    def __getitem__(self, title: str) -> Any:
        return self.book[self.titles.get(title, title)]

    def close(self) -> None:
        self.book.close()


def under_radar_titles(path: Path, workbook: Any) -> TitledBook:
    """The workbook with each of radar's sheets under radar's title (:func:`radar_sheets`)."""
    return TitledBook(workbook, radar_sheets(path, workbook))


def title_of(path: Path, role: str) -> str:
    """The title one of radar's sheets has in the workbook now (renamed or not)."""
    workbook = open_workbook(path)
    try:
        return radar_sheets(path, workbook).get(role, role)
    finally:
        workbook.close()


__all__ = [
    "OTHER_FORMATS",
    "TitledBook",
    "radar_sheets",
    "refuse_other_formats",
    "renamed_sheet_notes",
    "sheet_role",
    "title_of",
    "under_radar_titles",
]
