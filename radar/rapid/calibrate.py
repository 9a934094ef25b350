"""Calibration: two analysts summarise the same transcripts, and compare domain by domain (PARRQA 2024).

``radar rapid calibrate A.xlsx B.xlsx`` reads two filled templates and says,
for each transcript both summarised and each domain: whether both filled
it, only one, or neither; which Segment IDs each cited and how far their
citations overlap (shared IDs over all IDs either cited, the Jaccard index);
and puts the two summaries side by side for the team meeting. Run inside a
study (``--study``), it records the calibration in the audit trail, which
the methods report reads (who summarised which transcripts, and when).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.errors import WorkbookError
from radar.excel import Sheet, write_workbook
from radar.files import check_overwrite, file_hash, now_utc
from radar.lock import study_lock
from radar.rapid.template import Template, cited_ids, read_template
from radar.reduction.history import append_audit

if TYPE_CHECKING:
    import pandas as pd

STATUS_BOTH = "both filled"
STATUS_ONLY_A = "only A"
STATUS_ONLY_B = "only B"
STATUS_NEITHER = "neither"
CALIBRATION_ACTION = "rapid calibrate"


@dataclass(frozen=True)
class Calibration:
    """Two analysts' templates compared: side by side, and per transcript."""

    side_by_side: pd.DataFrame  # C.RAPID_CALIBRATION_COLUMNS
    summary: pd.DataFrame  # C.RAPID_CALIBRATION_SUMMARY_COLUMNS
    analysts: tuple[str, str]
    files: tuple[Path, Path]
    groups: tuple[str, ...]  # the transcripts both summarised


def overlap(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Shared Segment IDs over all IDs either analyst cited (None when neither cited any).

    Example:
        >>> overlap(["fg1-002", "fg1-005"], ["fg1-005", "fg1-009", "fg1-011"])
        0.25
    """
    either = set(a) | set(b)
    return len(set(a) & set(b)) / len(either) if either else None


def calibrate(
    a: str | Path, b: str | Path, analysts: Sequence[str] = (), domains: Sequence[str] = ()
) -> Calibration:
    """Compare two analysts' filled templates of the same transcripts.

    Args:
        a, b: the two templates (``radar-rapid.xlsx`` as each analyst filled it).
        analysts: their names (default: the files' names).
        domains: the domains in order (default: those of A, then B's others).

    Raises:
        WorkbookError: the two templates share no transcript.
    """
    import pandas as pd

    first, second = read_template(a), read_template(b)
    names = (analysts[0], analysts[1]) if len(analysts) == 2 else (first.path.stem, second.path.stem)
    groups = [g for g in first.groups() if g in second.sheets]
    if not groups:
        raise WorkbookError(
            f"{first.path.name} and {second.path.name} share no transcript sheet; calibrate templates of "
            "the same transcripts",
            path=str(first.path),
        )
    order = list(domains) or _domain_order(first, second)
    rows: list[list[Any]] = []
    summary: list[list[Any]] = []
    known = set(first.sheets) | set(second.sheets)
    for group in groups:
        statuses, overlaps = [], []
        for domain in order:
            ra, rb = first.row(group, domain), second.row(group, domain)
            ids_a, ids_b = cited_ids(ra.quotes, known), cited_ids(rb.quotes, known)
            status = _status(ra.filled(), rb.filled())
            share = overlap(ids_a, ids_b)
            statuses.append(status)
            if share is not None:
                overlaps.append(share)
            shared = [sid for sid in ids_a if sid in set(ids_b)]
            rows.append([
                group, domain, status, ra.summary, rb.summary, ", ".join(ids_a), ", ".join(ids_b),
                ", ".join(shared), "" if share is None else round(share, 2),
            ])  # fmt: skip
        mean = round(sum(overlaps) / len(overlaps), 2) if overlaps else ""
        summary.append([
            group, len(order), statuses.count(STATUS_BOTH), statuses.count(STATUS_ONLY_A),
            statuses.count(STATUS_ONLY_B), statuses.count(STATUS_NEITHER), mean,
        ])  # fmt: skip
    side = pd.DataFrame(rows, columns=list(C.RAPID_CALIBRATION_COLUMNS))
    side = side.rename(columns=_analyst_headers(names))
    return Calibration(
        side, pd.DataFrame(summary, columns=list(C.RAPID_CALIBRATION_SUMMARY_COLUMNS)), names,
        (first.path, second.path), tuple(groups),
    )  # fmt: skip


def _domain_order(first: Template, second: Template) -> list[str]:
    order: list[str] = []
    for template in (first, second):
        for _, domain in template.rows:
            if domain not in order:
                order.append(domain)
    return order


def _status(a: bool, b: bool) -> str:
    return STATUS_BOTH if a and b else STATUS_ONLY_A if a else STATUS_ONLY_B if b else STATUS_NEITHER


def _analyst_headers(names: tuple[str, str]) -> dict[str, str]:
    """``Summary A`` -> ``Summary (A. Rivera)``: the side-by-side sheet names the analysts."""
    a, b = names
    return {
        "Summary A": f"Summary ({a})", "Summary B": f"Summary ({b})",
        "Quotes A": f"Quotes ({a})", "Quotes B": f"Quotes ({b})",
    }  # fmt: skip


def write_calibration(result: Calibration, out: str | Path, *, force: bool = False) -> Path:
    """The calibration as a workbook: a summary per transcript, then the side-by-side sheet."""

    path = check_overwrite(out, force)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{path}: write the calibration as .xlsx", path=str(path))
    write_workbook(
        path, [Sheet("Summary", result.summary, {}), Sheet("Side by side", result.side_by_side, {})]
    )
    return path


def record_calibration(study: Any, result: Calibration) -> None:
    """Add the calibration to the study's audit trail (the methods report reads it)."""

    with study_lock(study.paths):
        append_audit(
            study.paths,
            {
                "action": CALIBRATION_ACTION,
                "time": now_utc(),
                "radar_version": __version__,
                "analysts": list(result.analysts),
                "files": [p.name for p in result.files],
                "hashes": [file_hash(p) for p in result.files],
                "transcripts": list(result.groups),
                "both_filled": int((result.side_by_side["Status"] == STATUS_BOTH).sum()),
                "cells": len(result.side_by_side),
            },
        )


__all__ = [
    "CALIBRATION_ACTION",
    "Calibration",
    "calibrate",
    "overlap",
    "record_calibration",
    "write_calibration",
]
