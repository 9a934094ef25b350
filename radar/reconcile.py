"""Reconciling two coders' copies of the tables for the team meeting.

:func:`reconcile` writes a workbook made from coder A's copy in which phase 2
holds, for every segment, only the codes both coders chose, and a
``Reconcile`` sheet lays out each disagreement: both coders' Keep, reason and
codes side by side, the agreed codes, and an empty Decision column. At the
meeting the team writes, for each row, one of:

=========  ================================================================
``A``      coder A's Keep and codes
``B``      coder B's Keep and codes
``both``   keep the segment with every code either coder chose
``agreed`` keep the segment with only the codes both chose
``keep``   (where Keep differs) keep it, with the codes of whoever kept it
``drop``   set Keep = no (with the dropping coder's reason); codes stay on record
codes      keep it with exactly these codes, separated by ``;``
=========  ================================================================

Once the reconciled workbook is the study's ``radar-tables.xlsx``, ``radar
reduce`` applies each decided row through :func:`apply_reconciliation`, records
the decisions in the audit trail, and marks the rows applied (the
``Applied`` column, see :func:`reconcile_sheet_after`) so that a later run
never applies them again over newer edits.
"""

from __future__ import annotations

import dataclasses
import io
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.agreement import (
    check_copies,
    coded_as,
    coder_labels,
    common_segments,
    copy_codebook,
    read_copy,
)
from radar.errors import WorkbookError
from radar.files import file_hash, now_utc, write_atomic
from radar.tables import (
    Decision,
    PreviousWork,
    Row2,
    join_codes,
    parse_keep,
    resolve_cell_codes,
)
from radar.workbook import cell_str

if TYPE_CHECKING:
    from radar.codebook import Codebook
    from radar.workbook import Sheet

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
DECISION_HELP = (
    "A or B: that coder's Keep and codes. both: every code either chose. agreed: only the codes "
    "both chose. keep / drop: where Keep differs. Or the codes, separated by ;"
)  # at most 255 characters: Excel's limit for an input message
RECONCILE_NOTE = (
    f"phase 2 holds the codes both coders chose; decide each row of the {RECONCILE_SHEET} sheet, "
    "then run radar reduce, which applies the decisions and recounts 3 Coded and Themes"
)
_WORD_HINT = "write A, B, both, agreed, keep, drop, or codes separated by ;"


def coder_column(what: str, side: str, coder: str = "") -> str:
    """The header of one coder's column, such as ``Keep A (alice)``."""
    return f"{what} {side} ({coder})" if coder else f"{what} {side}"


@dataclass(frozen=True)
class Disagreement:
    """One segment the two coders decided differently: Keep, or the codes of a kept segment."""

    segment: str
    group: str
    participant: str
    text: str
    keep: tuple[str, str]
    reason: tuple[str, str]
    codes: tuple[tuple[str, ...], tuple[str, ...]]

    @property
    def agreed(self) -> tuple[str, ...]:
        """The codes both coders chose (none when one of them dropped the segment)."""
        return tuple(code for code in self.codes[0] if code in self.codes[1])

    @property
    def on_keep(self) -> bool:
        """Whether the coders differ on Keep (otherwise both kept it and differ on codes)."""
        return self.keep[0] != self.keep[1]


@dataclass(frozen=True)
class ReconcileResult:
    """What :func:`reconcile` wrote and how much the coders disagreed."""

    path: Path
    coders: tuple[str, str]
    segments: int  # segments in both copies
    disagreements: tuple[Disagreement, ...]
    notes: tuple[str, ...] = ()

    @property
    def keep_differences(self) -> int:
        """Segments one coder kept and the other dropped."""
        return sum(d.on_keep for d in self.disagreements)

    @property
    def code_differences(self) -> int:
        """Segments both kept but coded differently."""
        return len(self.disagreements) - self.keep_differences

    def summary(self) -> str:
        """One line: where the workbook is and what is left to decide."""
        return (
            f"{len(self.disagreements)} of {self.segments} segment(s) to decide in sheet "
            f"{RECONCILE_SHEET!r} of {self.path} ({self.keep_differences} on Keep, "
            f"{self.code_differences} on codes; {self.coders[0]} is A, {self.coders[1]} is B)"
        )


def find_disagreements(
    a: Mapping[str, Decision],
    b: Mapping[str, Decision],
    segments: Iterable[str],
    about: Mapping[str, tuple[str, str, str]] | None = None,
) -> list[Disagreement]:
    """The segments two coders decided differently, in the order given.

    Args:
        a: coder A's decisions by Segment ID.
        b: coder B's decisions.
        segments: the Segment IDs to compare.
        about: each segment's (group, participant, text), for the meeting.
    """
    found = []
    for sid in segments:
        da, db = a[sid], b[sid]
        codes = (coded_as(da), coded_as(db))
        if da.keep == db.keep and set(codes[0]) == set(codes[1]):
            continue
        group, participant, text = (about or {}).get(sid, ("", "", ""))
        reasons = (da.reason if da.keep == C.NO else "", db.reason if db.keep == C.NO else "")
        found.append(Disagreement(sid, group, participant, text, (da.keep, db.keep), reasons, codes))
    return found


def reconcile(
    a: str | os.PathLike[str],
    b: str | os.PathLike[str],
    out: str | os.PathLike[str],
    codebook: Codebook | None = None,
    force: bool = False,
) -> ReconcileResult:
    """Write the reconciled tables: agreed codes in phase 2, disagreements on a Reconcile sheet.

    The workbook is coder A's copy with, for every segment both coders
    decided differently, only the agreed codes in ``2 Relevant`` (and in
    ``3 Coded``), a ``Reconcile`` sheet listing the disagreements, and the
    comparison noted on the Log sheet. Everything else of copy A (Keep and
    Reason, memos, own columns and sheets) is kept. The Themes sheet is
    recounted by the next ``radar reduce``.

    Args:
        a: coder A's copy of ``radar-tables.xlsx``.
        b: coder B's copy.
        out: the workbook to write; neither copy may be overwritten.
        codebook: resolves code names; by default the one on A's Codebook sheet.
        force: replace ``out`` if it exists.

    Raises:
        WorkbookError: ``out`` exists (without ``force``) or is one of the
            copies, a copy is not a radar workbook or has a bad cell, the copies
            share no segment, or A holds an earlier Reconcile sheet with
            decisions not yet applied.
    """
    from openpyxl import load_workbook

    target = Path(out)
    copies = check_copies([Path(a), Path(b)])
    for path in copies:
        if target.exists() and os.path.samefile(path, target):
            raise WorkbookError(
                f"{target}: is {path.name}, a coder's copy; write the reconciled tables to a new "
                "file (the copies are the record of independent coding)"
            )
    if target.exists() and not force:
        raise WorkbookError(f"{target}: already exists; give another -o path, or --force to replace it")
    names = coder_labels(copies)
    book = codebook if codebook is not None else copy_codebook(copies[0])
    first, second = (read_copy(path, book) for path in copies)
    shared = common_segments([first, second], [p.name for p in copies])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on Excel features it does not keep
        workbook = load_workbook(io.BytesIO(copies[0].read_bytes()))
    found = find_disagreements(first, second, shared, _about(workbook))
    _set_aside_earlier_sheet(workbook, copies[0])
    rewritten = {d.segment: d.agreed for d in found if d.keep[0] == C.YES}
    _rewrite_phase2(workbook, rewritten)
    _prune_phase3(workbook, rewritten, book)
    _log(workbook, copies, found, len(shared))
    _add_reconcile_sheet(workbook, found, (names[0], names[1]))
    write_atomic(target, workbook.save, suffix=".xlsx")
    notes = []
    for path, copy in zip(copies, (first, second)):
        alone = len(set(copy) - set(shared))
        if alone:
            notes.append(f"{alone} segment(s) only in {path.name} are not compared")
    return ReconcileResult(target, (names[0], names[1]), len(shared), tuple(found), tuple(notes))


# Building the reconciled workbook ---------------------------------------------


def _header(ws: Any) -> list[str]:
    return [str(cell.value or "").strip() for cell in ws[1]]


def _about(workbook: Any) -> dict[str, tuple[str, str, str]]:
    """Each segment's group, participant and text from the first sheet."""
    ws = workbook[C.SHEET_PHASE1]
    header = _header(ws)
    where = [header.index(h) if h in header else None for h in (C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.TEXT)]
    found = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        cells = [None if i is None or i >= len(row) else row[i] for i in where]
        sid = cell_str(cells[0])
        if sid:
            found[sid] = (
                cell_str(cells[1]),
                cell_str(cells[2]),
                "" if cells[3] is None else str(cells[3]),
            )
    return found


def _rewrite_phase2(workbook: Any, codes: Mapping[str, tuple[str, ...]]) -> None:
    """Put only the agreed codes in the Code cells of the given segments."""
    if C.SHEET_PHASE2 not in workbook.sheetnames or not codes:
        return
    ws = workbook[C.SHEET_PHASE2]
    header = _header(ws)
    if C.SEGMENT_ID not in header:
        return
    sid_col = header.index(C.SEGMENT_ID) + 1
    code_cols = [i + 1 for i, h in enumerate(header) if C.is_code_column(h)]
    if not code_cols:
        return
    for (cell,) in ws.iter_rows(min_row=2, min_col=sid_col, max_col=sid_col):
        sid = cell_str(cell.value)
        if sid not in codes:
            continue
        agreed = list(codes[sid])
        values: list[str | None] = [
            *agreed[: len(code_cols) - 1],
            join_codes(agreed[len(code_cols) - 1 :]),
        ]
        values += [None] * (len(code_cols) - len(values))
        for col, value in zip(code_cols, values):
            ws.cell(row=cell.row, column=col).value = value or None


def _prune_phase3(workbook: Any, codes: Mapping[str, tuple[str, ...]], book: Codebook | None) -> None:
    """Delete the coded sheet's rows for codes that are no longer on their segment."""
    if C.SHEET_PHASE3 not in workbook.sheetnames or not codes:
        return
    ws = workbook[C.SHEET_PHASE3]
    header = _header(ws)
    if C.SEGMENT_ID not in header or C.CODE not in header:
        return
    sid_col, code_col = header.index(C.SEGMENT_ID), header.index(C.CODE)
    doomed = []
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        sid = cell_str(row[sid_col]) if sid_col < len(row) else ""
        code = cell_str(row[code_col]) if code_col < len(row) else ""
        if sid in codes and code:
            canonical = (book.resolve(code) if book is not None else None) or code
            if canonical not in codes[sid]:
                doomed.append(number)
    for number in reversed(doomed):
        ws.delete_rows(number)


def _log(workbook: Any, copies: Sequence[Path], found: Sequence[Disagreement], segments: int) -> None:
    """Note the comparison on the Log sheet."""

    if C.SHEET_LOG not in workbook.sheetnames:
        return
    ws = workbook[C.SHEET_LOG]
    on_keep = sum(d.on_keep for d in found)
    rows = [
        ("Reconcile", "time (UTC)", now_utc()),
        *(
            ("Reconcile", f"copy {side}", f"{path.name} sha256 {file_hash(path)}")
            for side, path in zip(SIDES, copies)
        ),
        ("Reconcile", "segments in both copies", str(segments)),
        ("Reconcile", "Keep differs", str(on_keep)),
        ("Reconcile", "codes differ", str(len(found) - on_keep)),
        ("Note", "", RECONCILE_NOTE),
    ]
    for row in rows:
        ws.append(list(row))


def _set_aside_earlier_sheet(workbook: Any, path: Path) -> None:
    """Rename an earlier, fully applied Reconcile sheet; refuse one with pending decisions."""
    if RECONCILE_SHEET not in workbook.sheetnames:
        return
    ws = workbook[RECONCILE_SHEET]
    header = _header(ws)
    if DECISION in header:
        decision, applied = (
            header.index(DECISION),
            header.index(APPLIED) if APPLIED in header else None,
        )
        for row in ws.iter_rows(min_row=2, values_only=True):
            decided = decision < len(row) and cell_str(row[decision])
            done = applied is not None and applied < len(row) and cell_str(row[applied])
            if decided and not done:
                raise WorkbookError(
                    f"{path.name}: its sheet {RECONCILE_SHEET!r} has decisions not applied yet; "
                    "run radar reduce on it first, or clear those Decision cells"
                )
    n = 1
    while f"{RECONCILE_SHEET} {n}" in workbook.sheetnames:
        n += 1
    ws.title = f"{RECONCILE_SHEET} {n}"


def reconcile_columns(coders: tuple[str, str] = ("", "")) -> list[str]:
    """The Reconcile sheet's headers."""
    sides = [
        coder_column(what, side, coder)
        for side, coder in zip(SIDES, coders)
        for what in (C.KEEP, C.REASON, "Codes")
    ]
    return [
        C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.TEXT, *sides, AGREED, DECISION, DECIDED_BY, NOTE, APPLIED,
    ]  # fmt: skip


def _add_reconcile_sheet(workbook: Any, found: Sequence[Disagreement], coders: tuple[str, str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from radar.workbook import HEADER_FILL, cell_text

    ws = workbook.create_sheet(RECONCILE_SHEET)
    headers = reconcile_columns(coders)
    ws.append(headers)
    for d in found:
        ws.append(
            [
                d.segment, d.group, d.participant, d.text,
                d.keep[0], d.reason[0], join_codes(d.codes[0]),
                d.keep[1], d.reason[1], join_codes(d.codes[1]),
                join_codes(d.agreed), None, None, None, None,
            ]
        )  # fmt: skip
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.value = cell_text(cell.value) or None
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = wrap
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    widths = {C.TEXT: 60, AGREED: 24, DECISION: 24, NOTE: 30}
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = widths.get(header, 24 if header.startswith("Codes") else 12)
    ws.freeze_panes = "B2"
    last = max(len(found) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    letter = get_column_letter(headers.index(DECISION) + 1)
    validation = DataValidation(
        type="list", formula1=DECISION_LIST, allow_blank=True, errorStyle="information",
        showErrorMessage=True, errorTitle=DECISION, error=f"Not in the list: {_WORD_HINT}",
        showInputMessage=True, promptTitle=DECISION, prompt=DECISION_HELP,
    )  # fmt: skip
    validation.add(f"{letter}2:{letter}{last}")
    ws.data_validations.append(validation)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    workbook.active = ws


# Applying the decisions (the reduce hook) -------------------------------------


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
    from radar.workbook import open_workbook, read_sheet_rows

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
            raise WorkbookError(
                f"{row.where(row.cols.decision)}: the segment is decided twice (rows "
                f"{decided_in[sid]} and {row.number}); keep one decision"
            )
        decided_in[sid] = row.number
        if sid not in rows1:
            raise WorkbookError(
                f"{row.where(row.cols.segment)}: no such segment in sheet {C.SHEET_PHASE1!r}; "
                "correct the Segment ID or clear the Decision"
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

    def where(self, index: int) -> str:
        """The file, sheet, cell and Segment ID, for an error message."""
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(index + 1)}{self.number}"
        return f"{self.path.name}, sheet {RECONCILE_SHEET!r}, cell {cell} (Segment ID {self.segment})"

    def sides(self, codebook: Codebook) -> list[_Side]:
        """Each coder's Keep, reason and codes as the sheet records them."""
        from radar.tables import resolve_cell_codes

        sides = []
        for keep_col, reason_col, codes_col in zip(self.cols.keep, self.cols.reason, self.cols.codes):
            keep = parse_keep(self.row[keep_col] if keep_col < len(self.row) else None)
            if keep is None:
                raise WorkbookError(
                    f"{self.where(keep_col)}: Keep is {self.text(keep_col)!r}; write yes or no"
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
    decision: str, sides: Sequence[_Side], codebook: Codebook, where: str
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
            raise WorkbookError(
                f"{where}: Keep does not differ on this row, so 'keep' decides nothing; "
                "write A, B, both, agreed, drop or the codes"
            )
        return C.YES, "", _union(*(s.codes for s in sides if s.keep == C.YES))
    if word == "drop":
        dropped = [s.reason for s in sides if s.keep == C.NO and s.reason]
        return C.NO, dropped[0] if dropped else DROPPED_REASON, None
    unknown = "is neither a decision nor a code in the codebook"
    return C.YES, "", resolve_cell_codes(decision, codebook, where, unknown=unknown, fix=_WORD_HINT)


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

    Write it in place of the sheet :func:`radar.workbook.other_sheets` reads,
    on every run (``applied`` may be empty): it keeps the Decision dropdown.

    Args:
        path: the workbook holding the Reconcile sheet.
        applied: the Segment IDs whose decisions this run applied.
        run: the run's number.
    """
    import pandas as pd

    from radar.workbook import Sheet, open_workbook

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
    return Sheet(RECONCILE_SHEET, frame, {DECISION: DECISION_LIST}, hidden=hidden)


__all__ = [
    "Disagreement",
    "ReconcileResult",
    "apply_reconciliation",
    "find_disagreements",
    "reconcile",
    "reconcile_sheet_after",
]
