"""The records of a reduction: the analyst's decisions, what radar remembers, what a run made.

All frozen: a stage returns new records and never changes the ones it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.codebook.model import CODE_SEPARATOR as CODE_SEPARATOR
from radar.errors import Location, WorkbookError

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

KEEP_VALUES = {
    "yes": C.YES, "y": C.YES, "true": C.YES, "1": C.YES,
    "no": C.NO, "n": C.NO, "false": C.NO, "0": C.NO,
}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """The analyst's say on one segment: keep or drop, why, codes, memo, own columns."""

    keep: str
    reason: str = ""
    codes: tuple[str, ...] = ()
    memo: str = ""
    review: str = ""
    extra1: Mapping[str, Any] = field(default_factory=dict)  # analyst's own phase-1 columns
    extra2: Mapping[str, Any] = field(default_factory=dict)  # analyst's own phase-2 columns
    exemplars: Mapping[str, str] = field(default_factory=dict)  # code -> the analyst's mark
    quotes: Mapping[str, str] = field(default_factory=dict)  # code -> the analyst's Quote cell


@dataclass(frozen=True)
class Record:
    """What radar remembers of a segment between runs (the hidden state sheet).

    ``default`` and ``suggested`` are what radar itself proposed last time; a
    cell that still holds them was not touched by the analyst and may take
    radar's new proposal, any other value is a decision. ``written`` is what
    radar wrote, so that the next run can list what the analyst changed.
    """

    default: Decision
    suggested: tuple[str, ...]
    written: Decision
    touched: bool = False  # the analyst has changed the codes at some time
    # What suggested each suggested code: code -> ((keyword, (matched words ...)), ...).
    suggested_by: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    origins: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # code -> (origin, run decided in)


@dataclass(frozen=True)
class Row1:
    """A phase-1 row as the analyst left it."""

    keep: str
    reason: str
    review: str
    text: str
    extras: Mapping[str, Any]


@dataclass(frozen=True)
class Row2:
    """A phase-2 row as the analyst left it."""

    codes: tuple[str, ...]
    memo: str
    extras: Mapping[str, Any]


@dataclass(frozen=True)
class PreviousWork:
    """The analyst's cells read back from an existing workbook, by Segment ID."""

    rows1: Mapping[str, Row1]
    rows2: Mapping[str, Row2]
    records: Mapping[str, Record]
    extra_columns1: tuple[str, ...] = ()
    extra_columns2: tuple[str, ...] = ()
    marks: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # phase 3: sid -> code -> mark
    quotes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # phase 3: sid -> code -> Quote
    notes: tuple[
        str, ...
    ] = ()  # what reading the sheets settled for the analyst (a copied row, an edited ID ...)

    def texts_by_group(self) -> dict[str, list[tuple[str, str]]]:
        """The previous run's (Segment ID, Text) pairs of each group, in sheet order."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for sid, row in self.rows1.items():
            groups.setdefault(group_of(sid), []).append((sid, row.text))
        for pairs in groups.values():
            pairs.sort(key=lambda pair: segment_number(pair[0]))
        return groups


@dataclass(frozen=True)
class Change:
    """One cell the analyst changed: which segment, which column, old and new."""

    segment: str
    column: str
    old: str
    new: str

    def sentence(self) -> str:
        """The change in words a reviewer can read."""
        old = repr(self.old) if self.old else "empty"
        new = repr(self.new) if self.new else "empty"
        return f"{self.segment}: {self.column} {old} -> {new}"


@dataclass(frozen=True)
class Flow:
    """The reduction flow: how many rows each phase holds."""

    turns: int
    kept: int
    coded: int
    themes: int
    excerpts: int
    dropped: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tables:
    """The reduction tables of one run, as DataFrames."""

    phase1: pd.DataFrame
    phase2: pd.DataFrame
    phase3: pd.DataFrame
    themes: pd.DataFrame  # the tally: theme, n, N, percent, label
    combined: pd.DataFrame  # the manuscript's theme table (radar.themes.COMBINED_COLUMNS)
    participants: int  # N for the participants unit: who spoke and who is in speakers.csv
    groups: int  # N for the groups unit


@dataclass(frozen=True)
class ReduceResult:
    """What ``reduce`` made and where it wrote it."""

    tables: Tables
    flow: Flow
    written: tuple[Path, ...]
    notes: tuple[str, ...]
    changes: tuple[Change, ...] = ()  # the analyst's changes since the last run
    remarks: tuple[str, ...] = ()  # what radar did that is worth knowing but is no problem (front matter)


# Segment IDs and cells ------------------------------------------------------


def group_of(segment_id: str) -> str:
    """The group part of a Segment ID (``fg1-003`` -> ``fg1``)."""
    return segment_id.rsplit("-", 1)[0]


def segment_number(segment_id: str) -> int:
    """The number part of a Segment ID (``fg1-003`` -> 3; 0 if there is none)."""
    tail = segment_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def parse_keep(value: object) -> str | None:
    """``yes`` or ``no`` for the spellings Keep accepts, None otherwise.

    Example:
        >>> parse_keep("Y"), parse_keep(True), parse_keep(0), parse_keep("maybe")
        ('yes', 'yes', 'no', None)
    """
    if isinstance(value, bool):
        return C.YES if value else C.NO
    if isinstance(value, int | float) and value in (0, 1):
        return C.YES if value == 1 else C.NO
    if isinstance(value, str):
        return KEEP_VALUES.get(value.strip().lower())
    return None


def split_codes(cell: str) -> list[str]:
    """The code names in one cell; several are separated by ``;``."""
    return [part.strip() for part in cell.split(CODE_SEPARATOR) if part.strip()]


def join_codes(codes: Iterable[str]) -> str:
    """Codes as one cell value (the form of the state sheet)."""
    return f"{CODE_SEPARATOR} ".join(codes)


def resolve_cell_codes(
    cell: str,
    codebook: Codebook,
    where: Location,
    *,
    unknown: str = "is not a code in the codebook",
    fix: str = "correct the cell, or add the code to the codebook",
) -> tuple[str, ...]:
    """Canonical code names in a cell, refusing names the codebook lacks.

    Args:
        cell: the cell's text, codes separated by ``;``.
        codebook: the study's codebook.
        where: the sheet, cell and Segment ID, for the error message.
        unknown: what the message says of a name the codebook lacks.
        fix: what the message tells the analyst to do.
    """
    codes: list[str] = []
    for name in split_codes(cell):
        canonical = codebook.resolve(name)
        if canonical is None:
            raise where.error(WorkbookError, f"{name!r} {unknown}{codebook.did_you_mean(name)}; {fix}")
        if canonical not in codes:
            codes.append(canonical)
    return tuple(codes)
