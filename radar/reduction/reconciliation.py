"""The team's reconciliation decisions, applied by ``reduce``.

``radar reconcile`` (:mod:`radar.reconcile`) lays two coders' disagreements out
on a ``Reconcile`` sheet with a Decision column. Once that workbook is the
study's ``radar-tables.xlsx``, each ``reduce`` applies the decided rows
(:func:`apply_reconciliation`), records them in the audit trail, and marks
them applied (:func:`reconcile_sheet_after`) so that a later run never applies
them again over newer edits. What each decision word means is told in
:mod:`radar.reconcile`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar import columns as C
from radar.codebook import Codebook
from radar.errors import Location, WorkbookError
from radar.excel import Sheet, cell_str, column_letter, open_workbook, read_sheet_rows
from radar.reduction.records import PreviousWork, Row2, parse_keep, resolve_cell_codes

RECONCILE_SHEET = "Reconcile"


AGREED = "Agreed codes"


DECISION = "Decision"


DECIDED_BY = "Decided by"


NOTE = "Note"


APPLIED = "Applied"


SIDES = ("A", "B")


WORDS = ("A", "B", "both", "agreed", "keep", "drop")


DECISION_LIST = '"' + ",".join(WORDS) + '"'  # an inline dropdown source


DROPPED_REASON = "dropped at reconciliation"


WORD_HINT = "write A, B, both, agreed, keep, drop, or codes separated by ;"


def coder_column(what: str, side: str, coder: str = "") -> str:
    """The header of one coder's column, such as ``Keep A (alice)``."""
    return f"{what} {side} ({coder})" if coder else f"{what} {side}"


@dataclass(frozen=True)
class _Columns:
    segment: int
    keep: tuple[int, int]
    reason: tuple[int | None, int | None]
    codes: tuple[int, int]
    decision: int
    decided_by: int | None
    note: int | None
    applied: int | None


def _find(header: list[str], what: str, side: str) -> int | None:
    plain = coder_column(what, side)
    for i, name in enumerate(header):
        if name == plain or name.startswith(plain + " ("):
            return i
    return None


def _columns(path: Path, header: list[str]) -> _Columns:
    def need(index: int | None, name: str) -> int:
        if index is None:
            raise WorkbookError(
                f"{path.name}, sheet {RECONCILE_SHEET!r}: the column {name!r} is missing; "
                "restore the header row (radar finds columns by their names)"
            )
        return index

    def named(name: str) -> int | None:
        return header.index(name) if name in header else None

    keep = tuple(need(_find(header, C.KEEP, s), coder_column(C.KEEP, s)) for s in SIDES)
    codes = tuple(need(_find(header, "Codes", s), coder_column("Codes", s)) for s in SIDES)
    return _Columns(
        segment=need(named(C.SEGMENT_ID), C.SEGMENT_ID),
        keep=(keep[0], keep[1]),
        reason=(_find(header, C.REASON, "A"), _find(header, C.REASON, "B")),
        codes=(codes[0], codes[1]),
        decision=need(named(DECISION), DECISION),
        decided_by=named(DECIDED_BY),
        note=named(NOTE),
        applied=named(APPLIED),
    )


def apply_reconciliation(
    path: Path, previous: PreviousWork, codebook: Codebook
) -> tuple[PreviousWork, list[dict[str, Any]]]:
    """The analyst's work with the team's decisions on the Reconcile sheet applied.

    Rows with a Decision and no Applied mark are applied; see the module
    docstring for what each decision means. Nothing is written: the caller
    writes the tables and marks the rows (:func:`reconcile_sheet_after`).

    Args:
        path: the workbook ``previous`` was read from.
        previous: the analyst's cells read back from it.
        codebook: the study's codebook.

    Returns:
        The work with the decisions applied (``previous`` itself when the
        workbook has no Reconcile sheet or nothing to apply), and one audit
        record per applied row: segment, decision, Keep and codes before and
        after, decided by, note, row.

    Raises:
        WorkbookError: naming the sheet, cell and Segment ID of a decision that
            is neither a decision word nor codes of the codebook, a code the
            codebook lacks, a segment decided twice or not in the tables.
    """
    workbook = open_workbook(path)
    try:
        if RECONCILE_SHEET not in workbook.sheetnames:
            return previous, []
        header, numbered = read_sheet_rows(workbook, RECONCILE_SHEET)
        cols = _columns(path, header)
        rows = [_DecisionRow(path, number, row, cols) for number, row in numbered]
    finally:
        workbook.close()
    rows1, rows2 = dict(previous.rows1), dict(previous.rows2)
    records: list[dict[str, Any]] = []
    decided_in: dict[str, int] = {}
    for row in rows:
        sid, decision = row.segment, row.decision
        if not sid or not decision or row.text(row.cols.applied):
            continue
        if sid in decided_in:
            raise row.where(row.cols.decision).error(
                WorkbookError,
                f"the segment is decided twice (rows {decided_in[sid]} and {row.number}); keep one decision",
            )
        decided_in[sid] = row.number
        if sid not in rows1:
            raise row.where(row.cols.segment).error(
                WorkbookError,
                f"no such segment in sheet {C.SHEET_PHASE1!r}; correct the Segment ID or clear the Decision",
            )
        keep, reason, codes = _decide(decision, row.sides(codebook), codebook, row.where(row.cols.decision))
        row1 = rows1[sid]
        current = _current_codes(previous, sid)
        new_codes = current if codes is None else codes
        rows1[sid] = dataclasses.replace(row1, keep=keep, reason=reason)
        old2 = rows2.get(sid)
        if old2 is not None:
            rows2[sid] = dataclasses.replace(old2, codes=new_codes)
        elif codes is not None:
            rows2[sid] = Row2(new_codes, _memo(previous, sid), {})
        records.append(
            {
                "segment": sid,
                "decision": decision,
                "keep_before": row1.keep,
                "keep_after": keep,
                "codes_before": list(current),
                "codes_after": list(new_codes),
                "decided_by": row.text(row.cols.decided_by),
                "note": row.text(row.cols.note),
                "row": row.number,
            }
        )
    if not records:
        return previous, []
    return dataclasses.replace(previous, rows1=rows1, rows2=rows2), records


@dataclass(frozen=True)
class _DecisionRow:
    """One row of the Reconcile sheet as read back."""

    path: Path
    number: int
    row: tuple[Any, ...]
    cols: _Columns

    def text(self, index: int | None) -> str:
        return "" if index is None or index >= len(self.row) else cell_str(self.row[index])

    @property
    def segment(self) -> str:
        return self.text(self.cols.segment)

    @property
    def decision(self) -> str:
        return self.text(self.cols.decision)

    def where(self, index: int) -> Location:
        """The file, sheet, cell and Segment ID, for an error."""
        cell = f"{column_letter(index + 1)}{self.number}"
        return Location(self.path.name, RECONCILE_SHEET, cell, self.segment, self.number)

    def sides(self, codebook: Codebook) -> list[_Side]:
        """Each coder's Keep, reason and codes as the sheet records them."""
        sides = []
        for keep_col, reason_col, codes_col in zip(self.cols.keep, self.cols.reason, self.cols.codes):
            keep = parse_keep(self.row[keep_col] if keep_col < len(self.row) else None)
            if keep is None:
                raise self.where(keep_col).error(
                    WorkbookError, f"Keep is {self.text(keep_col)!r}; write yes or no"
                )
            codes = resolve_cell_codes(self.text(codes_col), codebook, self.where(codes_col))
            sides.append(_Side(keep, self.text(reason_col), codes))
        return sides


@dataclass(frozen=True)
class _Side:
    keep: str
    reason: str
    codes: tuple[str, ...]


def _decide(
    decision: str, sides: Sequence[_Side], codebook: Codebook, where: Location
) -> tuple[str, str, tuple[str, ...] | None]:
    """Keep, reason and codes (None: leave the codes as they are) for one decision."""
    a, b = sides
    word = decision.strip().casefold()
    on_keep = a.keep != b.keep
    if word in ("a", "b"):
        side = a if word == "a" else b
        if side.keep == C.NO:
            return C.NO, side.reason or DROPPED_REASON, None
        return C.YES, "", side.codes
    if word == "both":
        return C.YES, "", _union(a.codes, b.codes)
    if word == "agreed":
        return C.YES, "", tuple(code for code in a.codes if code in b.codes)
    if word == "keep":
        if not on_keep:
            raise where.error(
                WorkbookError,
                "Keep does not differ on this row, so 'keep' decides nothing; write A, B, both, agreed, drop or the codes",
            )
        return C.YES, "", _union(*(s.codes for s in sides if s.keep == C.YES))
    if word == "drop":
        dropped = [s.reason for s in sides if s.keep == C.NO and s.reason]
        return C.NO, dropped[0] if dropped else DROPPED_REASON, None
    unknown = "is neither a decision nor a code in the codebook"
    return C.YES, "", resolve_cell_codes(decision, codebook, where, unknown=unknown, fix=WORD_HINT)


def _union(*groups: Sequence[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for group in groups:
        codes += [code for code in group if code not in codes]
    return tuple(codes)


def _current_codes(previous: PreviousWork, sid: str) -> tuple[str, ...]:
    if sid in previous.rows2:
        return previous.rows2[sid].codes
    record = previous.records.get(sid)
    return record.written.codes if record is not None else ()


def _memo(previous: PreviousWork, sid: str) -> str:
    record = previous.records.get(sid)
    return record.written.memo if record is not None else ""


def reconcile_sheet_after(path: Path, applied: Iterable[str], run: int) -> Sheet:
    """The workbook's Reconcile sheet to write back, with applied rows marked ``run N``.

    Write it in place of the sheet :func:`radar.reduction.workbook.other_sheets` reads,
    on every run (``applied`` may be empty): it keeps the Decision dropdown.

    Args:
        path: the workbook holding the Reconcile sheet.
        applied: the Segment IDs whose decisions this run applied.
        run: the run's number.
    """
    import pandas as pd

    done = set(applied)
    workbook = open_workbook(path)
    try:
        ws = workbook[RECONCILE_SHEET]
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        hidden = ws.sheet_state != "visible"
    finally:
        workbook.close()
    header = ["" if h is None else str(h).strip() for h in (rows[0] if rows else [])]
    width = max([len(header), *(len(r) for r in rows)]) if rows else 0
    header += [""] * (width - len(header))
    if APPLIED not in header:
        header.append(APPLIED)
    for name in (C.SEGMENT_ID, DECISION):
        if name not in header:
            raise WorkbookError(
                f"{path.name}, sheet {RECONCILE_SHEET!r}: the column {name!r} is missing; "
                "restore the header row (radar finds columns by their names)"
            )
    body = [r + [None] * (len(header) - len(r)) for r in rows[1:]]
    sid_col, decision_col, applied_col = (header.index(h) for h in (C.SEGMENT_ID, DECISION, APPLIED))
    for row in body:
        marked = cell_str(row[applied_col])
        if cell_str(row[sid_col]) in done and cell_str(row[decision_col]) and not marked:
            row[applied_col] = f"run {run}"
    frame = pd.DataFrame(body, columns=header)
    messages = {DECISION: f"Not in the list: {WORD_HINT}"}
    return Sheet(RECONCILE_SHEET, frame, {DECISION: DECISION_LIST}, hidden=hidden, messages=messages)
