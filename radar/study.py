"""The study: one object for everything radar does to a study folder.

:class:`Study` is the facade a notebook (and the CLI) uses: each method is one
call into the module that does the work, so ``study.reduce()``,
``study.tally()`` or ``study.report()`` are the same operations the
``radar`` command runs. Nothing below this module imports it; the operations
take a :class:`~radar.folder.Folder`, which a Study is.

The names that used to live here (the folder's paths and constants, the
reduction's records and segmentation) are re-exported from their homes, so
``from radar.study import StudyPaths, Flow, build_segments`` keeps working.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.agreement import AgreementResult, agreement_with
from radar.charts import chart
from radar.codebook import Codebook
from radar.config import CONFIG_NAME, CONFIG_TEMPLATE
from radar.deidentify import CheckResult, deidentifier_for, deidentify_check
from radar.errors import StudyError
from radar.evidence import Balance, Explanation, explain, study_balance, study_saturation
from radar.files import file_hash, now_utc
from radar.folder import (
    KEY_NAME,
    PROGRESS_DELAY,
    RECORDS_DIR,
    SPEAKERS_NAME,
    TABLES_NAME,
    TRANSCRIPTS_DIR,
    Folder,
    StudyPaths,
    init_study,
    read_path,
    read_transcripts,
    study_paths,
    transcript_files,
    unread_files,
)
from radar.membercheck import ExportResult, export_packets, import_packets
from radar.membercheck import ImportResult as MemberCheckResult
from radar.quotebook import write_quote_book
from radar.reduction.edits import edit_tables, rename_code
from radar.reduction.history import describe_diff, history_frame
from radar.reduction.readback import (
    breakdown_workbook,
    characteristics_workbook,
    combined_from_workbook,
    previous_work,
    tables_from_workbook,
    tally_workbook,
)
from radar.reduction.records import Flow, PreviousWork, Record, ReduceResult, Tables
from radar.reduction.run import reduce_study
from radar.reduction.segments import (
    EXCEL_CELL_LIMIT,
    SIMILAR,
    Segments,
    align_ids,
    build_segments,
    default_decision,
    suggest,
)
from radar.reduction.status import TableView, stale, study_card
from radar.reduction.tables import dropped_by_reason
from radar.report import write_report
from radar.roles import StudyRoles, study_roles, write_speakers_template
from radar.saturation import SaturationResult
from radar.suggestions_report import study_measures, suggested_by_frame

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


class Study(Folder):
    """A study folder: its transcripts, codebook, speakers and tables.

    Example:
        >>> study = Study("examples/digital-peer-support")  # doctest: +SKIP
        >>> study.reduce().flow.excerpts  # doctest: +SKIP
        197
    """

    def stale(self) -> list[str]:
        """Why the tables are out of date with their inputs (empty when they are not).

        Compares the inputs' hashes with those recorded by the last ``reduce``.
        """
        return stale(self)

    def _repr_html_(self) -> str:
        """A summary card for Jupyter: inputs, tables, and what needs ``reduce()``."""
        return study_card(self)

    @property
    def phase1(self) -> pd.DataFrame:
        """Phase 1 (all data) as the workbook holds it now."""
        return self.tables().phase1

    @property
    def phase2(self) -> pd.DataFrame:
        """Phase 2 (relevant rows with their codes) as the workbook holds it now."""
        return self.tables().phase2

    @property
    def phase3(self) -> pd.DataFrame:
        """Phase 3 (one row per kept segment and code) as the workbook holds it now."""
        return self.tables().phase3

    def view(self, phase: int = 1, rows: int = 50) -> TableView:
        """A phase table to read in Jupyter: every column, the turns wrapped whole (the first ``rows``)."""
        tables = self.tables()
        frames = {1: tables.phase1, 2: tables.phase2, 3: tables.phase3}
        if phase not in frames:
            raise StudyError(f"there is no phase {phase}; give 1, 2 or 3")
        titles = {1: C.SHEET_PHASE1, 2: C.SHEET_PHASE2, 3: C.SHEET_PHASE3}
        return TableView(frames[phase], titles[phase], rows)

    def reduce(self, progress: bool = False, *, semantic: bool | None = None) -> ReduceResult:
        """Turn the transcripts into the reduction tables and write the workbook.

        The analyst's Keep, Reason, Code and Memo cells in an existing
        workbook are read back by Segment ID and kept. Everything is checked
        before anything is written: a refused run changes nothing. Notes on
        the input are given as :class:`~radar.errors.RadarWarning` (and kept
        in the result's ``notes``).

        Args:
            progress: show a progress bar on long runs.
            semantic: also suggest codes by meaning, offline (by default as
                radar.toml's ``[suggest] semantic`` says; see :mod:`radar.semantic`).
        """
        return reduce_study(self, progress, semantic=semantic)

    def roles(self) -> StudyRoles:
        """Who is who in each transcript: every label's ID, role and why.

        The roles speakers.csv gives, or without it the roles ``reduce()``
        infers from the transcripts (see :mod:`radar.roles`). Nothing is written.
        """
        return study_roles(self)

    def write_speakers_template(self, *, force: bool = False) -> tuple[Path, StudyRoles]:
        """Write the inferred roles as the study's speakers.csv, for the analyst to correct.

        An existing speakers.csv is replaced only with ``force``. Returns the
        path and the roles written.
        """
        return write_speakers_template(self, force=force)

    def tables(self) -> Tables:
        """The reduction tables as the workbook holds them now, analyst's edits included."""
        return tables_from_workbook(self)

    def tally(self, unit: str = "excerpts", by: str = "theme", percent_style: str = "jmir") -> pd.DataFrame:
        """Count the coded segments in the workbook into themes or codes.

        Args:
            unit: ``excerpts``, ``participants`` or ``groups``.
            by: ``theme`` or ``code``.
            percent_style: ``jmir``, ``one-decimal`` or ``integer``.
        """
        return tally_workbook(self, unit=unit, by=by, percent_style=percent_style)

    def theme_table(self, percent_style: str = "jmir") -> pd.DataFrame:
        """The manuscript's theme table: definition, codes, n/N by each unit, quotes."""
        return combined_from_workbook(self, percent_style)

    def breakdown(
        self, attribute: str, unit: str = "excerpts", percent_style: str = "jmir", shape: str = "matrix"
    ) -> pd.DataFrame:
        """Themes by a group or participant attribute (state, role...).

        A matrix: a row per theme, a column per value and ``All``, cells
        ``n/N, %`` (N: the value's excerpts, participants or groups); with
        ``shape="long"``, a row per theme and value.
        """
        return breakdown_workbook(self, attribute, unit=unit, percent_style=percent_style, shape=shape)

    def characteristics(self, percent_style: str = "jmir") -> pd.DataFrame:
        """The participant characteristics table from speakers.csv's attribute columns.

        n (%) of each value, or mean (SD) and median (range) for a column of
        numbers (age); N is the participants, those who spoke and those listed.
        """
        return characteristics_workbook(self, percent_style)

    def chart(self, kind: str, *, unit: str = "excerpts", by: str = "code", percent: bool = False) -> Figure:
        """A chart as a matplotlib Figure: ``themes``, ``heatmap``, ``cooccurrence`` or ``flow``.

        ``unit`` is the themes chart's unit, or the heatmap's (``excerpts`` or
        ``participants``); ``percent`` shows the heatmap's excerpts as shares of
        each group's (see :func:`radar.charts.chart`).
        """
        return chart(self, kind, unit=unit, by=by, percent=percent)

    def report(
        self, out: str | os.PathLike[str] | None = None, fmt: str | None = None, *, force: bool = False
    ) -> Path:
        """Write the methods report (Word by default, or Markdown); returns its path.

        A file named as ``out`` that exists is replaced only with ``force``. The
        report is written for its readers; what the analyst may want to do before
        sending it (mark exemplar quotes, list the coders) is
        :func:`radar.report.analyst_notes`.
        """
        return write_report(self, out, fmt, force=force)

    def quote_book(self, out: str | os.PathLike[str], by: str = "theme", *, force: bool = False) -> Path:
        """Write the quote book (Word): every coded segment's quote under its theme or code; returns its path.

        Args:
            out: the .docx to write; an existing file is replaced only with ``force``.
            by: one heading per ``theme`` or per ``code``.
            force: replace an existing ``out``.
        """
        return write_quote_book(self, out, by, force=force)

    def agreement(self, *others: str | os.PathLike[str]) -> AgreementResult:
        """Agreement between this study's tables and other coders' copies."""
        return agreement_with(self, others)

    def saturation(
        self,
        unit: str = "codes",
        *,
        base: int | None = None,
        run: int | None = None,
        threshold: float | None = None,
    ) -> SaturationResult:
        """Saturation (Guest, Namey & Chen 2020): new codes or themes per transcript in the order held.

        The base, run and threshold default to radar.toml's ``[saturation]``
        (4, 2 and 5%); see :mod:`radar.saturation`.
        """
        return study_saturation(self, unit, base=base, run=run, threshold=threshold)

    def balance(self) -> Balance:
        """The balance of voices: turns and words per speaker and group, Gini, and who carries each theme."""
        return study_balance(self)

    def explain(self, theme: str) -> Explanation:
        """The Segment IDs, participants and groups behind a theme's n, and what makes up each N."""
        return explain(self, theme)

    def rename_code(self, old: str, new: str) -> int:
        """Rename a code in the codebook and in every cell of the workbook.

        The previous workbook is kept in the history and the rename is
        written to the audit log. Returns the number of cells changed.
        """
        return rename_code(self, old, new)

    def edit(
        self,
        *,
        codes: Mapping[str, Sequence[str]] | None = None,
        keep: Mapping[str, tuple[str, str]] | None = None,
        memos: Mapping[str, str] | None = None,
    ) -> int:
        """Write edits into the workbook as an analyst would in Excel, by Segment ID.

        The next ``reduce()`` reads them back as the analyst's decisions (and
        lists them in the audit trail). Returns the number of cells written.

        Args:
            codes: Segment ID -> the codes it should carry, e.g. ``{"fg1-004": ["Burnout"]}``.
            keep: Segment ID -> (Keep, Reason), e.g. ``{"fg1-009": ("no", "off topic")}``.
            memos: Segment ID -> memo text.
        """
        return edit_tables(self, codes=codes, keep=keep, memos=memos)

    def member_check_export(
        self, out: str | os.PathLike[str], by: str = "participant", content: str = "both", force: bool = False
    ) -> ExportResult:
        """Write member-checking packets (Word) to a folder; returns what was written."""
        return export_packets(self, out, by=by, content=content, force=force)

    def member_check_import(self, folder: str | os.PathLike[str]) -> MemberCheckResult:
        """Read returned packets into the workbook's Member check sheet; returns the summary."""
        return import_packets(self, folder)

    def safeguards(self) -> tuple[str, ...]:
        """The de-identification safeguards active for this study, in words."""
        return deidentifier_for(self).safeguards

    def deidentify_check(self) -> CheckResult:
        """What de-identification masks in the transcripts, and suspected names it leaves."""
        return deidentify_check(self)

    def history(self) -> pd.DataFrame:
        """The runs recorded in the audit log, oldest first."""
        return history_frame(self)

    def suggested_by(self) -> pd.DataFrame:
        """What suggested each suggested code: Segment ID, Code, Keyword, Matched (the words it matched)."""
        return suggested_by_frame(self)

    def suggestion_measures(self) -> pd.DataFrame:
        """Precision and recall of the code suggestions (keyword, semantic or both) against the final codes, per code and overall."""
        return study_measures(self)

    def diff(self, run: int | None = None) -> list[str]:
        """What changed, in sentences.

        Args:
            run: compare the tables as they were before this run with the
                workbook now; by default, list the analyst's changes since
                radar last wrote the workbook.
        """
        return describe_diff(self, run)

    def previous_work(self, codebook: Codebook) -> PreviousWork | None:
        """The analyst's cells in the existing workbook, if there is one."""
        return previous_work(self, codebook)


def open_study(path: str | os.PathLike[str]) -> Study:
    """Open a study folder (the same as ``Study(path)``)."""
    return Study(path)


__all__ = [
    "CONFIG_NAME",
    "CONFIG_TEMPLATE",
    "EXCEL_CELL_LIMIT",
    "KEY_NAME",
    "PROGRESS_DELAY",
    "RECORDS_DIR",
    "SIMILAR",
    "SPEAKERS_NAME",
    "TABLES_NAME",
    "TRANSCRIPTS_DIR",
    "Flow",
    "Record",
    "ReduceResult",
    "Segments",
    "Study",
    "StudyPaths",
    "Tables",
    "align_ids",
    "build_segments",
    "default_decision",
    "dropped_by_reason",
    "file_hash",
    "init_study",
    "now_utc",
    "open_study",
    "read_path",
    "read_transcripts",
    "study_paths",
    "suggest",
    "transcript_files",
    "unread_files",
]
