"""Edits to the tables from Python: a code renamed everywhere, cells written as an analyst would.

Each edit is checked before anything is written, keeps the previous workbook
in ``.radar/history``, and writes the new one atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from radar import __version__
from radar import columns as C
from radar.codebook import Codebook, find_codebook, load_codebook, name_key, renamed_codebook_bytes
from radar.errors import Location, WorkbookError
from radar.excel import open_for_edit, set_text
from radar.files import file_hash, now_utc, write_bytes_atomic
from radar.folder import Folder
from radar.lock import study_lock
from radar.reduction import history
from radar.reduction.records import parse_keep, resolve_cell_codes, split_codes


def rename_code(folder: Folder, old: str, new: str) -> int:
    """Rename a code in the codebook file and the workbook, both or neither."""
    with study_lock(folder.paths):
        paths = folder.paths
        codebook_path = find_codebook(paths.root)
        canonical = load_codebook(codebook_path).resolve(old) or old
        codebook_data = renamed_codebook_bytes(codebook_path, old, new)
        cells = 0
        if paths.tables.exists():
            folder.refuse_if_open()
            workbook_data, cells = renamed_workbook_bytes(paths.tables, canonical, new)
            run = history.next_run_number(paths)
            kept_copy = history.snapshot(paths, run, folder.config().history.keep)
            write_bytes_atomic(paths.tables, workbook_data)
        else:
            run, kept_copy = history.next_run_number(paths), None
        write_bytes_atomic(codebook_path, codebook_data)
        history.append_audit(
            paths,
            {
                "run": run,
                "action": "rename code",
                "time": now_utc(),
                "radar_version": __version__,
                "rename": {"old": canonical, "new": new, "cells": cells},
                "inputs": {codebook_path.name: file_hash(codebook_path)},
                "previous_version": kept_copy.relative_to(folder.root).as_posix() if kept_copy else None,
            },
        )
        return cells


def edit_tables(
    folder: Folder,
    *,
    codes: Mapping[str, Sequence[str]] | None = None,
    keep: Mapping[str, tuple[str, str]] | None = None,
    memos: Mapping[str, str] | None = None,
) -> int:
    """Write an analyst's edits into the workbook's cells, as if typed in Excel."""
    with study_lock(folder.paths):
        paths = folder.paths
        path = folder.require_tables()
        folder.refuse_if_open()
        data, cells = edited_workbook_bytes(path, folder.codebook(), codes=codes, keep=keep, memos=memos)
        run = history.next_run_number(paths)
        kept_copy = history.snapshot(paths, run, folder.config().history.keep)
        write_bytes_atomic(path, data)
        # Recorded like every change to the workbook: the kept version is then this run's, not one a
        # killed run left behind (reduce names those), and the audit trail says what Python wrote.
        history.append_audit(
            paths,
            {
                "run": run,
                "action": "edit from Python",
                "time": now_utc(),
                "radar_version": __version__,
                "edit": {"cells": cells, "segments": sorted({*(codes or {}), *(keep or {}), *(memos or {})})},
                "previous_version": kept_copy.relative_to(folder.root).as_posix() if kept_copy else None,
            },
        )
        return cells


# The workbook's cells ---------------------------------------------------------


def renamed_workbook_bytes(path: Path, old: str, new: str) -> tuple[bytes, int]:
    """The workbook with one code renamed in every cell that holds it.

    Code cells of the relevant sheet, the coded sheet, the dropdown list and
    the state radar keeps are all rewritten; nothing else changes.

    Returns:
        The new workbook's bytes and the number of cells changed.
    """
    import io

    workbook = open_for_edit(path)
    key = name_key(old)

    def rename(cell: Any) -> int:
        if not isinstance(cell.value, str) or not cell.value.strip():
            return 0
        names = split_codes(cell.value)
        if not any(name_key(n) == key for n in names):
            return 0
        renamed = [new if name_key(n) == key else n for n in names]
        set_text(cell, "; ".join(renamed))  # a code named =X() stays text
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

    workbook = open_for_edit(path)
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
    return list(resolve_cell_codes("; ".join(names), codebook, Location(path.name, segment=sid)))


def _edit_rows(
    path: Path, ws: Any, edits: Mapping[str, Any], apply: Callable[[Path, Any, list[str], Any, Any], int]
) -> int:
    """Apply each edit to the rows of its Segment ID (every copy of a copied row, so they agree)."""
    header = [str(c.value or "").strip() for c in ws[1]]
    sid_col = _header_index(path, ws, header, C.SEGMENT_ID)
    rows: dict[str, list[Any]] = {}
    for row in ws.iter_rows(min_row=2):
        if sid_col < len(row) and row[sid_col].value is not None and str(row[sid_col].value).strip():
            rows.setdefault(str(row[sid_col].value).strip(), []).append(row)
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
        for row in rows[sid]:
            changed += apply(path, ws, header, row, value)
    return changed


def _header_index(path: Path, ws: Any, header: list[str], name: str) -> int:
    """A column's position by its header, or one error naming the sheet."""
    if name not in header:
        raise Location(path.name, ws.title).error(
            WorkbookError,
            f"the column {name!r} is missing; restore the header row (radar finds columns by their names)",
        )
    return header.index(name)


def _set(path: Path, ws: Any, cell: Any, value: Any) -> None:
    """Write a cell as text, refusing a merged one (openpyxl cannot write into it)."""
    if type(cell).__name__ == "MergedCell":
        raise Location(path.name, ws.title, cell.coordinate).error(
            WorkbookError, "the cell is merged with others; unmerge it in Excel, then run again"
        )
    set_text(cell, value)


def _keep_cells(path: Path, ws: Any, header: list[str], row: Any, value: tuple[str, str]) -> int:
    keep = parse_keep(value[0])
    if keep is None:
        raise WorkbookError(f"{path.name}: Keep {value[0]!r} for Segment ID {row[0].value}; write yes or no")
    _set(path, ws, row[_header_index(path, ws, header, C.KEEP)], keep)
    _set(path, ws, row[_header_index(path, ws, header, C.REASON)], value[1] or None)
    return 2


def _code_cells(path: Path, ws: Any, header: list[str], row: Any, names: list[str]) -> int:
    columns = [i for i, h in enumerate(header) if C.is_code_column(h)]
    cells = (
        [*names[: len(columns) - 1], "; ".join(names[len(columns) - 1 :])]
        if len(names) > len(columns)
        else names
    )
    for position, index in enumerate(columns):
        _set(path, ws, row[index], cells[position] if position < len(cells) and cells[position] else None)
    return len(columns)


def _memo_cells(path: Path, ws: Any, header: list[str], row: Any, memo: str) -> int:
    _set(path, ws, row[_header_index(path, ws, header, C.MEMO)], memo or None)
    return 1
