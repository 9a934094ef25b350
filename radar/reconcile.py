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
reduce`` applies each decided row (:mod:`radar.reduction.reconciliation`,
whose :func:`apply_reconciliation` and :func:`reconcile_sheet_after` are
re-exported here), records the decisions in the audit trail, and marks the
rows applied (the ``Applied`` column) so that a later run never applies them
again over newer edits.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar import columns as C
from radar.agreement import (
    check_copies,
    coded_as,
    coder_labels,
    common_segments,
    copy_codebook,
    read_copy,
)
from radar.codebook import Codebook
from radar.errors import WorkbookError
from radar.excel import cell_str, cell_text, open_for_edit, print_setup, set_text, style_header
from radar.files import check_overwrite, file_hash, now_utc, write_atomic
from radar.reduction.reconciliation import (
    AGREED,
    APPLIED,
    DECIDED_BY,
    DECISION,
    DECISION_LIST,
    DROPPED_REASON,
    NOTE,
    RECONCILE_SHEET,
    SIDES,
    WORD_HINT,
    WORDS,
    apply_reconciliation,
    coder_column,
    reconcile_sheet_after,
)
from radar.reduction.records import Decision, join_codes

DECISION_HELP = (
    "A or B: that coder's Keep and codes. both: every code either chose. agreed: only the codes "
    "both chose. keep / drop: where Keep differs. Or the codes, separated by ;"
)  # at most 255 characters: Excel's limit for an input message
RECONCILE_NOTE = (
    f"phase 2 holds the codes both coders chose; decide each row of the {RECONCILE_SHEET} sheet, "
    "then run radar reduce, which applies the decisions and recounts 3 Coded and Themes"
)


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
        OutputExistsError: ``out`` exists (without ``force``).
        WorkbookError: ``out`` is one of the copies, a copy is not a radar workbook or has a bad cell, the copies
            share no segment, or A holds an earlier Reconcile sheet with
            decisions not yet applied.
    """

    target = Path(out)
    copies = check_copies([Path(a), Path(b)])
    for path in copies:
        if target.exists() and os.path.samefile(path, target):
            raise WorkbookError(
                f"{target}: is {path.name}, a coder's copy; write the reconciled tables to a new "
                "file (the copies are the record of independent coding)"
            )
    check_overwrite(target, force)
    names = coder_labels(copies)
    book = codebook if codebook is not None else copy_codebook(copies[0])
    first, second = (read_copy(path, book) for path in copies)
    shared = common_segments([first, second], [p.name for p in copies])
    workbook = open_for_edit(copies[0])
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
            set_text(ws.cell(row=cell.row, column=col), value or None)


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
        ("Reconcile", "segments in both copies", segments),
        ("Reconcile", "Keep differs", on_keep),
        ("Reconcile", "codes differ", len(found) - on_keep),
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
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

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
            set_text(cell, cell_text(cell.value) or None)
            cell.alignment = wrap
    widths = {C.TEXT: 60, AGREED: 24, DECISION: 24, NOTE: 30}
    for index, header in enumerate(headers, start=1):
        style_header(ws.cell(row=1, column=index))
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = widths.get(header, 24 if header.startswith("Codes") else 12)
    ws.freeze_panes = "B2"
    print_setup(ws)
    last = max(len(found) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    letter = get_column_letter(headers.index(DECISION) + 1)
    validation = DataValidation(
        type="list", formula1=DECISION_LIST, allow_blank=True, errorStyle="information",
        showErrorMessage=True, errorTitle=DECISION, error=f"Not in the list: {WORD_HINT}",
        showInputMessage=True, promptTitle=DECISION, prompt=DECISION_HELP,
    )  # fmt: skip
    validation.add(f"{letter}2:{letter}{last}")
    ws.data_validations.append(validation)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    workbook.active = ws


__all__ = [
    "AGREED",
    "APPLIED",
    "DECIDED_BY",
    "DECISION",
    "DECISION_LIST",
    "DROPPED_REASON",
    "NOTE",
    "RECONCILE_SHEET",
    "SIDES",
    "WORDS",
    "Disagreement",
    "ReconcileResult",
    "apply_reconciliation",
    "find_disagreements",
    "reconcile",
    "reconcile_sheet_after",
]
