"""The RADaR reduction tables as pandas DataFrames.

Phase 1 holds every turn with Keep and Reason; phase 2 the kept rows with
their codes and memo; phase 3 one row per (kept segment, code) with the code's
theme. Rows are flagged, never silently deleted: a dropped row stays in phase 1
with its reason, and its codes stay on record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    """The analyst's say on one segment: keep or drop, why, codes, memo, own columns."""

    keep: str
    reason: str = ""
    codes: tuple[str, ...] = ()
    memo: str = ""
    review: str = ""
    extra1: Mapping[str, Any] = field(default_factory=dict)  # analyst's own phase-1 columns
    extra2: Mapping[str, Any] = field(default_factory=dict)  # analyst's own phase-2 columns
    exemplars: Mapping[str, str] = field(default_factory=dict)  # code -> the analyst's mark


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

    def texts_by_group(self) -> dict[str, list[tuple[str, str]]]:
        """The previous run's (Segment ID, Text) pairs of each group, in sheet order."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for sid, row in self.rows1.items():
            groups.setdefault(group_of(sid), []).append((sid, row.text))
        for pairs in groups.values():
            pairs.sort(key=lambda pair: segment_number(pair[0]))
        return groups


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


def merge_decision(
    segment_id: str,
    default: Decision,
    suggested: tuple[str, ...],
    previous: PreviousWork | None,
    review: str = "",
) -> tuple[Decision, Record]:
    """Combine radar's proposal for a segment with what the analyst decided.

    A cell the analyst changed always wins; a cell still holding radar's last
    proposal takes the new one. Nothing the analyst wrote is ever dropped:
    a row set to Keep = no keeps its codes, memo and own columns on record.

    Args:
        segment_id: the segment.
        default: radar's default Keep and Reason for it this run.
        suggested: radar's suggested codes for it this run.
        previous: the analyst's cells from the existing workbook, if any.
        review: a note flagging the segment for review (its text changed).
    """
    record = previous.records.get(segment_id) if previous else None
    row1 = previous.rows1.get(segment_id) if previous else None
    row2 = previous.rows2.get(segment_id) if previous else None
    keep, reason = default.keep, default.reason
    if row1 is not None:
        untouched = record is not None and (row1.keep, row1.reason) == (
            record.default.keep,
            record.default.reason,
        )
        if not untouched:
            keep, reason = row1.keep, row1.reason
    written = record.written if record else None
    codes, touched = _merged_codes(suggested, row2, record)
    memo = row2.memo if row2 is not None else (written.memo if written else "")
    extra2 = dict(row2.extras) if row2 is not None else dict(written.extra2 if written else {})
    extra1 = dict(row1.extras) if row1 is not None else dict(written.extra1 if written else {})
    old_review = row1.review if row1 is not None else (written.review if written else "")
    if previous is not None and segment_id in previous.marks:
        marks = dict(previous.marks[segment_id])
    else:
        marks = dict(written.exemplars) if written else {}
    decision = Decision(keep, reason, codes, memo, review or old_review, extra1, extra2, marks)
    return decision, Record(default, suggested, decision, touched)


def _merged_codes(
    suggested: tuple[str, ...], row2: Row2 | None, record: Record | None
) -> tuple[tuple[str, ...], bool]:
    """The codes to keep and whether the analyst has ever changed them.

    Codes the analyst never changed follow radar's newest suggestion; once
    changed (even if changed back), they are the analyst's for good.
    """
    if row2 is not None:
        current = row2.codes
    elif record is not None:
        current = record.written.codes
    else:
        return suggested, False
    if record is None:
        return current, True
    if not record.touched and set(current) == set(record.suggested):
        return suggested, False
    return current, True


def has_analyst_work(record: Record) -> bool:
    """Whether the analyst decided anything about a segment (beyond radar's proposals)."""
    written, default = record.written, record.default
    return (
        (written.keep, written.reason) != (default.keep, default.reason)
        or set(written.codes) != set(record.suggested)
        or bool(written.memo)
        or bool(written.exemplars)
        or any(v not in (None, "") for v in (*written.extra1.values(), *written.extra2.values()))
    )


def phase1(
    segments: pd.DataFrame, decisions: Mapping[str, Decision], extra_columns: Sequence[str] = ()
) -> pd.DataFrame:
    """Every turn with its Keep, Reason and Review, then the analyst's own columns."""
    frame = segments.copy()
    ids = list(frame[C.SEGMENT_ID])
    frame[C.KEEP] = [decisions[s].keep for s in ids]
    frame[C.REASON] = [decisions[s].reason for s in ids]
    frame[C.REVIEW] = [decisions[s].review for s in ids]
    for column in extra_columns:
        frame[column] = [decisions[s].extra1.get(column) for s in ids]
    return frame[[*C.PHASE1_COLUMNS, C.REVIEW, *extra_columns]].reset_index(drop=True)


def code_column_count(decisions: Iterable[Decision]) -> int:
    """How many Code columns phase 2 needs (at least three)."""
    return max([C.MIN_CODE_COLUMNS, *(len(d.codes) for d in decisions)])


def phase2(
    table1: pd.DataFrame, decisions: Mapping[str, Decision], extra_columns: Sequence[str] = ()
) -> pd.DataFrame:
    """The kept rows, one Code column per code, the memo, then the analyst's own columns."""
    import pandas as pd

    kept = table1[table1[C.KEEP] == C.YES]
    k = code_column_count(decisions[s] for s in kept[C.SEGMENT_ID])
    frame = kept[list(C.PHASE2_FIXED)].reset_index(drop=True)
    ids = list(frame[C.SEGMENT_ID])
    code_cells = [_padded(decisions[s].codes, k) for s in ids]
    codes = pd.DataFrame(code_cells, columns=[C.code_column(i + 1) for i in range(k)])
    frame = pd.concat([frame, codes], axis=1)
    frame[C.MEMO] = [decisions[s].memo for s in ids]
    for column in extra_columns:
        frame[column] = [decisions[s].extra2.get(column) for s in ids]
    return frame


def _padded(codes: Sequence[str], k: int) -> list[str]:
    return list(codes) + [""] * (k - len(codes))


def code_columns(frame: pd.DataFrame) -> list[str]:
    """The Code column headers of a phase-2 frame, in order."""
    return [c for c in frame.columns if C.is_code_column(str(c))]


def phase3(
    table2: pd.DataFrame, codebook: Codebook, decisions: Mapping[str, Decision] | None = None
) -> pd.DataFrame:
    """One row per (kept segment, code), with the code's theme and the exemplar mark."""
    import pandas as pd

    rows = []
    columns = code_columns(table2)
    for record in table2.to_dict("records"):
        seen: set[str] = set()
        sid = record[C.SEGMENT_ID]
        marks = decisions[sid].exemplars if decisions else {}
        for column in columns:
            code = record[column]
            if code and code not in seen:
                seen.add(code)
                rows.append(
                    (
                        sid,
                        record[C.GROUP],
                        record[C.PARTICIPANT],
                        code,
                        codebook.theme_of(code),
                        record[C.TEXT],
                        marks.get(code, ""),
                    )
                )
    return pd.DataFrame(rows, columns=list(C.PHASE3_COLUMNS))


STATE_COLUMNS = (
    C.SEGMENT_ID, "Default keep", "Default reason", "Suggested",
    C.KEEP, C.REASON, "Codes", C.MEMO, C.REVIEW, "Own columns", "Codes changed by analyst",
)  # fmt: skip


def state_frame(records: Mapping[str, Record]) -> pd.DataFrame:
    """The hidden state sheet: what radar proposed and what it wrote."""
    import pandas as pd

    rows = []
    for sid, r in records.items():
        w = r.written
        extras = {
            key: dict(values)
            for key, values in (("1", w.extra1), ("2", w.extra2), ("3", w.exemplars))
            if values
        }
        rows.append(
            (
                sid, r.default.keep, r.default.reason, join_codes(r.suggested),
                w.keep, w.reason, join_codes(w.codes), w.memo, w.review,
                json.dumps(extras, default=str, ensure_ascii=False) if extras else "",
                C.YES if r.touched else "",
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(STATE_COLUMNS))


def record_from_state(row: Mapping[str, object]) -> Record:
    """A :class:`Record` from one row of the state sheet."""

    def text(column: str) -> str:
        value = row.get(column)
        return "" if value is None else str(value)

    try:
        extras = json.loads(text("Own columns") or "{}")
    except json.JSONDecodeError:
        extras = {}
    default = Decision(text("Default keep"), text("Default reason"))
    written = Decision(
        text(C.KEEP),
        text(C.REASON),
        tuple(split_codes(text("Codes"))),
        text(C.MEMO),
        text(C.REVIEW),
        extras.get("1", {}),
        extras.get("2", {}),
        extras.get("3", {}),
    )
    touched = text("Codes changed by analyst") == C.YES
    return Record(default, tuple(split_codes(text("Suggested"))), written, touched)


def resolve_cell_codes(
    cell: str,
    codebook: Codebook,
    where: str,
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
            raise WorkbookError(f"{where}: {name!r} {unknown}{codebook.did_you_mean(name)}; {fix}")
        if canonical not in codes:
            codes.append(canonical)
    return tuple(codes)
