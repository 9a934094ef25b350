"""The RADaR reduction tables as pandas DataFrames.

Phase 1 holds every turn with Keep and Reason; phase 2 the kept rows with
their codes and memo; phase 3 one row per (kept segment, code) with the code's
theme. Rows are flagged, never silently deleted: a dropped row stays in phase 1
with its reason, and its codes stay on record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from radar import columns as C
from radar.errors import WorkbookError

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

KEEP_VALUES = {
    "yes": C.YES, "y": C.YES, "true": C.YES, "1": C.YES,
    "no": C.NO, "n": C.NO, "false": C.NO, "0": C.NO,
}  # fmt: skip
CODE_SEPARATOR = ";"


@dataclass(frozen=True)
class Decision:
    """The analyst's say on one segment: keep or drop, why, codes and memo."""

    keep: str
    reason: str = ""
    codes: tuple[str, ...] = ()
    memo: str = ""


@dataclass(frozen=True)
class Record:
    """What radar remembers of a segment between runs (the hidden state sheet).

    ``default_keep``/``default_reason`` and ``suggested`` are what radar itself
    proposed last time: a cell that still holds them was not touched by the
    analyst and may take radar's new proposal; any other value is a decision.
    """

    default_keep: str
    default_reason: str
    suggested: tuple[str, ...]
    codes: tuple[str, ...]
    memo: str


@dataclass(frozen=True)
class PreviousWork:
    """The analyst's cells read back from an existing workbook, by Segment ID."""

    keep: Mapping[str, tuple[str, str]]  # Segment ID -> (Keep, Reason)
    codes: Mapping[str, tuple[str, ...]]  # Segment ID -> codes in the phase-2 row
    memos: Mapping[str, str]
    records: Mapping[str, Record]


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
    return [part.strip() for part in re.split(CODE_SEPARATOR, cell) if part.strip()]


def join_codes(codes: Iterable[str]) -> str:
    """Codes as one cell value (the form of the state sheet)."""
    return f"{CODE_SEPARATOR} ".join(codes)


def merge_decision(
    segment_id: str,
    default: Decision,
    suggested: tuple[str, ...],
    previous: PreviousWork | None,
) -> tuple[Decision, Record]:
    """Combine radar's proposal for a segment with what the analyst decided.

    A cell the analyst changed always wins; a cell still holding radar's last
    proposal takes the new one. Nothing the analyst wrote is ever dropped.
    """
    record = previous.records.get(segment_id) if previous else None
    keep, reason = default.keep, default.reason
    if previous and segment_id in previous.keep:
        cell_keep, cell_reason = previous.keep[segment_id]
        untouched = record is not None and (cell_keep, cell_reason) == (
            record.default_keep,
            record.default_reason,
        )
        if not untouched:
            keep, reason = cell_keep, cell_reason
    codes = _merged_codes(segment_id, suggested, previous, record)
    memo = (previous.memos.get(segment_id) if previous else None) or (record.memo if record else "")
    decision = Decision(keep, reason, codes, memo)
    return decision, Record(default.keep, default.reason, suggested, codes, memo)


def _merged_codes(
    segment_id: str,
    suggested: tuple[str, ...],
    previous: PreviousWork | None,
    record: Record | None,
) -> tuple[str, ...]:
    if previous is None:
        return suggested
    if segment_id in previous.codes:
        current = previous.codes[segment_id]
    elif record is not None:
        current = record.codes
    else:
        return suggested
    if record is not None and set(current) == set(record.suggested):
        return suggested
    return current


def phase1(segments: pd.DataFrame, decisions: Mapping[str, Decision]) -> pd.DataFrame:
    """Every turn with the Keep and Reason decided for it."""
    frame = segments.copy()
    frame[C.KEEP] = [decisions[s].keep for s in frame[C.SEGMENT_ID]]
    frame[C.REASON] = [decisions[s].reason for s in frame[C.SEGMENT_ID]]
    return frame[list(C.PHASE1_COLUMNS)]


def code_column_count(decisions: Iterable[Decision]) -> int:
    """How many Code columns phase 2 needs (at least three)."""
    return max([C.MIN_CODE_COLUMNS, *(len(d.codes) for d in decisions)])


def phase2(table1: pd.DataFrame, decisions: Mapping[str, Decision]) -> pd.DataFrame:
    """The kept rows, one Code column per code, and the memo."""
    import pandas as pd

    kept = table1[table1[C.KEEP] == C.YES]
    k = code_column_count(decisions[s] for s in kept[C.SEGMENT_ID])
    frame = kept[list(C.PHASE2_FIXED)].reset_index(drop=True)
    code_cells = [_padded(decisions[s].codes, k) for s in frame[C.SEGMENT_ID]]
    codes = pd.DataFrame(code_cells, columns=[C.code_column(i + 1) for i in range(k)])
    frame = pd.concat([frame, codes], axis=1)
    frame[C.MEMO] = [decisions[s].memo for s in frame[C.SEGMENT_ID]]
    return frame


def _padded(codes: Sequence[str], k: int) -> list[str]:
    return list(codes) + [""] * (k - len(codes))


def code_columns(frame: pd.DataFrame) -> list[str]:
    """The Code column headers of a phase-2 frame, in order."""
    return [c for c in frame.columns if C.is_code_column(str(c))]


def phase3(table2: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per (kept segment, code), with the code's theme."""
    import pandas as pd

    rows = []
    for record in table2.to_dict("records"):
        seen: set[str] = set()
        for column in code_columns(table2):
            code = record[column]
            if code and code not in seen:
                seen.add(code)
                rows.append(
                    (
                        record[C.SEGMENT_ID],
                        record[C.GROUP],
                        record[C.PARTICIPANT],
                        code,
                        codebook.theme_of(code),
                        record[C.TEXT],
                    )
                )
    return pd.DataFrame(rows, columns=list(C.PHASE3_COLUMNS))


def state_frame(records: Mapping[str, Record]) -> pd.DataFrame:
    """The hidden state sheet: what radar proposed and what was decided."""
    import pandas as pd

    rows = [
        (sid, r.default_keep, r.default_reason, join_codes(r.suggested), join_codes(r.codes), r.memo)
        for sid, r in records.items()
    ]
    return pd.DataFrame(rows, columns=list(STATE_COLUMNS))


STATE_COLUMNS = (C.SEGMENT_ID, "Default keep", "Default reason", "Suggested", "Codes", C.MEMO)


def record_from_state(row: Mapping[str, object]) -> Record:
    """A :class:`Record` from one row of the state sheet."""

    def text(column: str) -> str:
        value = row.get(column)
        return "" if value is None else str(value)

    return Record(
        text("Default keep"),
        text("Default reason"),
        tuple(split_codes(text("Suggested"))),
        tuple(split_codes(text("Codes"))),
        text(C.MEMO),
    )


def resolve_cell_codes(
    cell: str, codebook: Codebook, where: str
) -> tuple[str, ...]:
    """Canonical code names in a cell, refusing names the codebook lacks.

    Args:
        cell: the cell's text, codes separated by ``;``.
        codebook: the study's codebook.
        where: the sheet, cell and Segment ID, for the error message.
    """
    codes: list[str] = []
    for name in split_codes(cell):
        canonical = codebook.resolve(name)
        if canonical is None:
            hint = codebook.closest(name)
            did_you_mean = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
            raise WorkbookError(
                f"{where}: {name!r} is not a code in the codebook{did_you_mean}; "
                "correct the cell, or add the code to the codebook"
            )
        if canonical not in codes:
            codes.append(canonical)
    return tuple(codes)


def with_codes(decision: Decision, codes: tuple[str, ...]) -> Decision:
    """A copy of a decision with other codes."""
    return replace(decision, codes=codes)
