"""radar's own record of every segment: its ID and its turn's text in the transcript.

Segment identity must not depend on the workbook's rows. The record is kept in
``.radar/segments.json``, rewritten by each ``reduce``; the next run matches
the transcripts' turns against it, not against the rows of ``1 All data``, so

* a row the analyst deletes in Excel is matched to its turn again and comes
  back under its old ID with all its work (and a note says so);
* turns are matched on the transcript's own words, before de-identification,
  so changing ``[deidentify]`` settings or adding a speaker label flags no
  unchanged turn as "text changed".

A study reduced before the record existed is matched against its workbook's
rows (masked text) once; that run writes the record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from radar import columns as C
from radar.files import write_text_atomic
from radar.folder import StudyPaths
from radar.reduction.records import PreviousWork

SEGMENTS_NAME = "segments.json"
FORMAT = 1


def record_path(paths: StudyPaths) -> Path:
    """Where the study keeps its segment record."""
    return paths.records / SEGMENTS_NAME


@dataclass(frozen=True)
class SegmentRecord:
    """Each group's segments in transcript order: (Segment ID, the turn's unmasked text).

    Example:
        >>> record = SegmentRecord({"fg1": (("fg1-001", "Hello."),)})
        >>> SegmentRecord.loads(record.dumps()) == record
        True
    """

    groups: Mapping[str, tuple[tuple[str, str], ...]]

    def ids(self) -> set[str]:
        """Every Segment ID on record."""
        return {sid for pairs in self.groups.values() for sid, _ in pairs}

    def dumps(self) -> str:
        groups = {group: [list(pair) for pair in pairs] for group, pairs in self.groups.items()}
        return json.dumps({"format": FORMAT, "groups": groups}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def loads(cls, text: str) -> SegmentRecord | None:
        """The record in ``text``, or None if it is not one radar wrote."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("groups"), dict)
        ):
            return None
        groups: dict[str, tuple[tuple[str, str], ...]] = {}
        for group, pairs in data["groups"].items():
            if not isinstance(pairs, list) or not all(_is_pair(p) for p in pairs):
                return None
            groups[str(group)] = tuple((p[0], p[1]) for p in pairs)
        return cls(groups)

    @classmethod
    def from_segments(cls, ids: Sequence[str], groups: Sequence[str], texts: Sequence[str]) -> SegmentRecord:
        """The record of a run: its segments' IDs, groups and unmasked texts, in order."""
        found: dict[str, list[tuple[str, str]]] = {}
        for sid, group, text in zip(ids, groups, texts):
            found.setdefault(group, []).append((sid, text))
        return cls({group: tuple(pairs) for group, pairs in found.items()})


def _is_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def read_record(paths: StudyPaths) -> SegmentRecord | None:
    """The study's segment record, or None when there is none (or it is unreadable)."""
    path = record_path(paths)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return SegmentRecord.loads(text)


def write_record(paths: StudyPaths, record: SegmentRecord) -> Path:
    """Write the record atomically; returns its path."""
    return write_text_atomic(record_path(paths), record.dumps())


def deleted_rows(
    ids: Sequence[str], previous: PreviousWork, on_record: SegmentRecord
) -> tuple[list[str], list[str]]:
    """Which of ``ids`` radar last wrote but whose row the analyst deleted: from sheet 1, from sheet 2.

    A row is missing from ``2 Relevant`` only if radar wrote it there (Keep =
    yes) and sheet 1 still keeps it.
    """
    known = on_record.ids() & set(previous.records)
    gone1 = [sid for sid in ids if sid in known and sid not in previous.rows1]
    kept = {sid for sid, row in previous.rows1.items() if row.keep == C.YES}
    gone2 = [
        sid
        for sid in ids
        if sid in known
        and sid in kept
        and previous.records[sid].written.keep == C.YES
        and sid not in previous.rows2
    ]
    return gone1, gone2


def deleted_row_notes(
    ids: Sequence[str], previous: PreviousWork | None, on_record: SegmentRecord | None
) -> list[str]:
    """The notes of a run that restores rows the analyst deleted from sheets 1 and 2."""
    if previous is None or on_record is None:
        return []
    gone1, gone2 = deleted_rows(ids, previous, on_record)
    notes = []
    if gone1:
        notes.append(_restored(gone1, C.SHEET_PHASE1, "set Keep = no to drop a turn"))
    if gone2:
        notes.append(_restored(gone2, C.SHEET_PHASE2, f"set Keep = no in {C.SHEET_PHASE1!r} to drop a turn"))
    return notes


def _restored(sids: Sequence[str], sheet: str, how: str) -> str:
    if len(sids) == 1:
        return f"row {sids[0]} was deleted from {sheet!r} and is restored with its work; {how}"
    return f"{len(sids)} rows were deleted from {sheet!r} and are restored with their work ({', '.join(sids)}); {how}"


def deleted_row_lines(previous: PreviousWork, on_record: SegmentRecord | None) -> list[str]:
    """For ``radar diff``: the rows deleted since radar last wrote the workbook, which the next run restores."""
    if on_record is None:
        return []
    ids = [sid for pairs in on_record.groups.values() for sid, _ in pairs]
    lines = []
    for sids, sheet in zip(deleted_rows(ids, previous, on_record), (C.SHEET_PHASE1, C.SHEET_PHASE2)):
        if sids:
            lines.append(
                f"{len(sids)} row(s) deleted from {sheet!r}: {', '.join(sids)}; the next `radar reduce` "
                "restores them with their work (set Keep = no to drop a turn)"
            )
    return lines


__all__ = [
    "SEGMENTS_NAME",
    "SegmentRecord",
    "deleted_row_lines",
    "deleted_row_notes",
    "deleted_rows",
    "read_record",
    "record_path",
    "write_record",
]
