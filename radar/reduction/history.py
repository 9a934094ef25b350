"""The audit trail: kept versions of the tables, a log of runs, and what changed.

Before each write radar keeps the previous workbook in ``.radar/history/``
(the newest 20 by default; ``[history] keep`` in radar.toml), and every run
appends one JSON line to ``.radar/audit.jsonl``: time, radar version, input
hashes, counts per phase, drops per reason, and every change the analyst made
since the last run (Segment ID, column, old -> new).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import RadarWarning, StudyError, WorkbookError
from radar.files import write_atomic
from radar.folder import Folder, StudyPaths
from radar.reduction.identity import deleted_row_lines, read_record
from radar.reduction.readback import read_previous_work
from radar.reduction.records import Change, Decision, PreviousWork, join_codes
from radar.reduction.tables import decisions_of

if TYPE_CHECKING:
    import pandas as pd

HISTORY_DIR = "history"


AUDIT_NAME = "audit.jsonl"


def history_dir(paths: StudyPaths) -> Path:
    """Where the kept versions of the workbook live."""
    return paths.records / HISTORY_DIR


def audit_path(paths: StudyPaths) -> Path:
    """The audit log of the study."""
    return paths.records / AUDIT_NAME


def snapshot(paths: StudyPaths, run: int, keep: int) -> Path | None:
    """Copy the current workbook into the history before it is replaced.

    Returns:
        The copy's path, or None when there was no workbook yet.
    """
    if not paths.tables.exists():
        return None
    folder = history_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"radar-tables.before-run-{run:04d}.xlsx"
    if target.exists():  # next_run_number counts the kept versions, so only a number given by hand gets here
        raise StudyError(
            f"{target}: a version of the workbook is already kept under this run's number; radar never "
            "writes over a kept version. Run again (radar numbers runs after every kept version)",
            path=str(target),
        )
    write_atomic(target, lambda temporary: shutil.copy2(paths.tables, temporary), suffix=".xlsx")
    for old in snapshots(paths)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def snapshots(paths: StudyPaths) -> list[Path]:
    """The kept versions, oldest first."""
    folder = history_dir(paths)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("radar-tables.before-run-*.xlsx"))


def read_audit(paths: StudyPaths) -> list[dict[str, Any]]:
    """Every run recorded in the audit log.

    A damaged line (cut short by a crash, or not radar's) is left where it is
    and named in a :class:`RadarWarning`; the other lines are read.
    """
    path = audit_path(paths)
    if not path.is_file():
        return []
    entries = []
    damaged = []
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            entry = None
        if isinstance(entry, dict):
            entries.append(entry)
        else:
            damaged.append(number)
    if damaged:
        shown = ", ".join(map(str, damaged[:5])) + (
            f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        )
        warnings.warn(
            RadarWarning(
                f"{path.relative_to(paths.root) if path.is_relative_to(paths.root) else path}: "
                f"line(s) {shown} are damaged and were skipped (kept in the file as they are); "
                "the other runs are read"
            ),
            stacklevel=2,
        )
    return entries


def next_run_number(paths: StudyPaths) -> int:
    """The number the coming run will have: after every run in the audit log and every version kept.

    A run killed after it replaced the workbook but before it wrote its audit
    line has no entry, but its kept version (``before-run-N``) holds its number,
    so the coming run never writes over that version.
    """
    return max([*_audit_runs(paths), *kept_runs(paths)], default=0) + 1


def kept_runs(paths: StudyPaths) -> list[int]:
    """The numbers of the runs whose previous workbook is kept in ``.radar/history``, oldest first."""
    found = (_KEPT.fullmatch(path.name) for path in snapshots(paths))
    return [int(match.group(1)) for match in found if match]


def interrupted_runs(paths: StudyPaths) -> list[int]:
    """Runs that kept a version but never wrote their audit line (killed between the two)."""
    with warnings.catch_warnings():  # a damaged line is named once, by the run's own read
        warnings.simplefilter("ignore", RadarWarning)
        last = max(_audit_runs(paths), default=0)
    return [run for run in kept_runs(paths) if run > last]


def _audit_runs(paths: StudyPaths) -> list[int]:
    return [run for entry in read_audit(paths) if isinstance(run := entry.get("run"), int)]


_KEPT = re.compile(r"radar-tables\.before-run-(\d+)\.xlsx")


def append_audit(paths: StudyPaths, entry: Mapping[str, Any]) -> None:
    """Add one entry to the audit log, as one line written at once."""
    path = audit_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    if path.exists() and path.stat().st_size and not _ends_with_newline(path):
        line = "\n" + line  # a line cut short stays a line of its own: never glued to the new entry
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def analyst_changes(previous: PreviousWork | None) -> list[Change]:
    """What the analyst changed in the workbook since radar last wrote it."""
    if previous is None:
        return []
    changes: list[Change] = []
    for sid, row in previous.rows1.items():
        record = previous.records.get(sid)
        if record is None:
            continue
        written = record.written
        changes += _diff(sid, C.KEEP, written.keep, row.keep)
        changes += _diff(sid, C.REASON, written.reason, row.reason)
        changes += _diff(sid, C.REVIEW, written.review, row.review)
        changes += _diff_extras(sid, written.extra1, row.extras)
    for sid, row2 in previous.rows2.items():
        record = previous.records.get(sid)
        if record is None:
            continue
        written = record.written
        changes += _diff(sid, "Codes", join_codes(written.codes), join_codes(row2.codes))
        changes += _diff(sid, C.MEMO, written.memo, row2.memo)
        changes += _diff_extras(sid, written.extra2, row2.extras)
    for sid, marks in previous.marks.items():
        record = previous.records.get(sid)
        if record is not None:
            old = {f"{C.EXEMPLAR} ({code})": mark for code, mark in record.written.exemplars.items()}
            new = {f"{C.EXEMPLAR} ({code})": mark for code, mark in marks.items()}
            changes += _diff_extras(sid, old, new)
    for sid, quotes in previous.quotes.items():
        record = previous.records.get(sid)
        if record is not None:
            old = {f"{C.QUOTE} ({code})": quote for code, quote in record.written.quotes.items()}
            new = {f"{C.QUOTE} ({code})": quote for code, quote in quotes.items()}
            changes += _diff_extras(sid, old, new)
    return changes


def _diff(sid: str, column: str, old: str, new: str) -> list[Change]:
    return [] if old == new else [Change(sid, column, old, new)]


def _diff_extras(sid: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    for column in sorted(set(old) | set(new)):
        before, after = _plain(old.get(column)), _plain(new.get(column))
        if before != after:
            changes.append(Change(sid, column, before, after))
    return changes


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


# Comparing two versions ------------------------------------------------------


def describe_differences(before: Mapping[str, Decision], after: Mapping[str, Decision]) -> list[str]:
    """The differences between two versions of the tables, in sentences."""
    lines = []
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    if added:
        lines.append(f"{len(added)} segment(s) added: {', '.join(added)}")
    if removed:
        lines.append(f"{len(removed)} segment(s) removed: {', '.join(removed)}")
    for sid in sorted(set(before) & set(after)):
        lines += _segment_sentences(sid, before[sid], after[sid])
    return lines


def _segment_sentences(sid: str, old: Decision, new: Decision) -> list[str]:
    said = []
    if old.keep != new.keep:
        why = f" (reason: {new.reason})" if new.keep == C.NO and new.reason else ""
        verb = "dropped" if new.keep == C.NO else "kept again"
        said.append(f"{sid} {verb}{why}")
    elif old.reason != new.reason:
        said.append(f"{sid}: reason {old.reason or 'empty'!r} -> {new.reason or 'empty'!r}")
    gained = [c for c in new.codes if c not in old.codes]
    lost = [c for c in old.codes if c not in new.codes]
    if gained:
        said.append(f"{sid}: code(s) added: {', '.join(gained)}")
    if lost:
        said.append(f"{sid}: code(s) removed: {', '.join(lost)}")
    if old.memo != new.memo:
        said.append(f"{sid}: memo {_quote(old.memo)} -> {_quote(new.memo)}")
    return said


def _quote(text: str, width: int = 60) -> str:
    if not text:
        return "empty"
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def describe_diff(folder: Folder, run: int | None) -> list[str]:
    """Sentences for ``radar diff``.

    Without a run: the analyst's changes since radar last wrote the workbook.
    With a run: every difference between the tables as that run wrote them and
    the workbook now (the run's tables are read from the version kept before
    the next run, or from the workbook itself for the latest run).
    """
    path = folder.require_tables()
    now = read_previous_work(path, None)
    if run is None:
        changes = analyst_changes(now)
        deleted = deleted_row_lines(now, read_record(folder.paths))
        if not changes and not deleted:
            return ["No changes since radar last wrote the tables."]
        head = f"{len(changes)} change(s) by the analyst since radar last wrote the tables:"
        return [head, *(change.sentence() for change in changes), *deleted]
    runs = [entry.get("run") for entry in read_audit(folder.paths)]
    if run not in runs:
        raise WorkbookError(f"there is no run {run} in .radar/audit.jsonl; `radar history` lists the runs")
    later = history_dir(folder.paths) / f"radar-tables.before-run-{run + 1:04d}.xlsx"
    if run == max(r for r in runs if isinstance(r, int)):
        written = now
    elif later.exists():
        written = read_previous_work(later, None)
    else:
        raise WorkbookError(
            f"the tables of run {run} are no longer kept in .radar/history "
            "(raise [history] keep in radar.toml to keep more versions)"
        )
    before = {sid: record.written for sid, record in written.records.items() if sid in written.rows1}
    lines = describe_differences(before, decisions_of(now))
    head = f"Changes from the tables written by run {run} to {path.name} now:"
    return [head, *lines] if lines else [f"No differences between the tables written by run {run} and now."]


# The runs --------------------------------------------------------------------


def runs_table(entries: Iterable[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Rows for ``radar history``: run, time, version, counts and changes."""
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        counts = entry.get("counts", {})
        rows.append(
            (
                str(entry.get("run", "")),
                str(entry.get("time", "")),
                str(entry.get("action", "reduce")),
                str(entry.get("radar_version", "")),
                str(counts.get("turns", "")),
                str(counts.get("kept", "")),
                str(counts.get("coded", "")),
                str(counts.get("excerpts", "")),
                str(len(entry.get("changes", []))),
            )
        )
    return rows


RUN_COLUMNS = C.RUN_COLUMNS


def history_frame(folder: Folder) -> pd.DataFrame:
    """The runs recorded in the audit log, oldest first, as ``radar history`` lists them."""
    import pandas as pd

    return pd.DataFrame(runs_table(read_audit(folder.paths)), columns=list(RUN_COLUMNS))
