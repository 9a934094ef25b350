"""The study folder, the unit of work, and ``reduce``: transcripts in, tables out.

::

    my-study/
      transcripts/     one file per focus group or interview (.vtt .srt .txt .md .docx .pdf .rtf .odt)
      speakers.csv     optional: speaker,participant_id,role[,group][,attributes...]
      codebook.yaml    or codebook.yml / codebook.xlsx / codebook.csv: exactly one
      radar.toml       optional: title, research questions, settings
      radar-tables.xlsx   written by radar, edited by the analyst
      .radar/          radar's records (the speaker key); never exported
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.config import CONFIG_NAME, CONFIG_TEMPLATE
from radar.errors import StudyError
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
    input_files,
    read_path,
    read_transcripts,
    study_paths,
    transcript_files,
    unread_files,
)
from radar.speakers import SpeakerKey, SpeakerList, resolve_speaker
from radar.tables import Decision, PreviousWork, Record, segment_number

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from radar.agreement import AgreementResult
    from radar.codebook import Codebook
    from radar.deidentify import CheckResult
    from radar.membercheck import ExportResult
    from radar.membercheck import ImportResult as MemberCheckImport
    from radar.transcripts import Transcript


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
    changes: tuple[Any, ...] = ()  # the analyst's changes since the last run (history.Change)


# Segments -------------------------------------------------------------------


@dataclass(frozen=True)
class Segments:
    """Phase 1 before the analyst's say: turns with IDs, roles and defaults.

    ``changed`` holds the segments whose text changed since the last run
    (matched to their old selves, so they keep their IDs and the analyst's
    work); ``removed`` the IDs of the last run that no turn matches any more.
    """

    frame: pd.DataFrame
    defaults: dict[str, Decision]
    notes: tuple[str, ...]
    changed: frozenset[str] = frozenset()
    removed: tuple[str, ...] = ()


SIMILAR = 0.6  # a changed turn is its old self when this similar (difflib ratio)
EXCEL_CELL_LIMIT = 32_767  # characters an Excel cell can hold


def align_ids(
    group: str, texts: Sequence[str], previous: Sequence[tuple[str, str]]
) -> tuple[list[str], set[str], list[str]]:
    """Segment IDs for a transcript's turns, reusing the last run's where they match.

    Unchanged turns keep their IDs; a changed turn (a typo fixed) keeps its old
    ID and is reported as changed; a new turn gets the next unused number, so
    no other turn is renumbered.

    Args:
        group: the transcript's Group ID.
        texts: the turns' texts, in order.
        previous: the last run's (Segment ID, Text) pairs of this group, in order.

    Returns:
        The IDs, the IDs whose text changed, and the old IDs no turn matches.

    Example:
        >>> align_ids("fg1", ["a", "new", "b"], [("fg1-001", "a"), ("fg1-002", "b")])
        (['fg1-001', 'fg1-003', 'fg1-002'], set(), [])
    """
    from difflib import SequenceMatcher

    if not previous:
        return [f"{group}-{n:03d}" for n in range(1, len(texts) + 1)], set(), []
    old_texts = [text for _, text in previous]
    ids: list[str | None] = [None] * len(texts)
    changed: set[str] = set()
    removed: list[str] = []
    matcher = SequenceMatcher(None, old_texts, list(texts), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                ids[j1 + k] = previous[i1 + k][0]
        elif tag == "delete":
            removed += [sid for sid, _ in previous[i1:i2]]
        elif tag == "replace":
            removed += _pair_changed(previous[i1:i2], texts, range(j1, j2), ids, changed)
    following = max(segment_number(sid) for sid, _ in previous) + 1
    for j, sid in enumerate(ids):
        if sid is None:
            ids[j] = f"{group}-{following:03d}"
            following += 1
    return [sid for sid in ids if sid is not None], changed, removed


def _pair_changed(
    olds: Sequence[tuple[str, str]],
    texts: Sequence[str],
    positions: range,
    ids: list[str | None],
    changed: set[str],
) -> list[str]:
    """Match edited turns to their old selves, in order; return the unmatched old IDs."""
    from difflib import SequenceMatcher

    unmatched: list[str] = []
    start = 0
    matcher = SequenceMatcher(None, autojunk=False)
    for j in positions:
        best, best_ratio = None, SIMILAR
        matcher.set_seq2(texts[j])  # the expensive side, analysed once per new turn
        for k in range(start, len(olds)):
            matcher.set_seq1(olds[k][1])
            # Cheap upper bounds first: most candidates are ruled out without ratio().
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = k, ratio
        if best is not None:
            unmatched += [sid for sid, _ in olds[start:best]]
            ids[j] = olds[best][0]
            changed.add(olds[best][0])
            start = best + 1
    return unmatched + [sid for sid, _ in olds[start:]]


def build_segments(
    transcripts: Sequence[Transcript],
    speakers: SpeakerList | None,
    key: SpeakerKey,
    previous: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> Segments:
    """Number every turn, resolve its speaker, and set the default reductions.

    Segment IDs are ``<group>-<nnn>``: the same inputs give the same IDs,
    editing one transcript never renumbers another's, and within an edited
    transcript unchanged turns keep their IDs (see :func:`align_ids`).
    """
    import pandas as pd

    from radar.transcripts import is_non_speech

    rows: list[tuple[str, ...]] = []
    defaults: dict[str, Decision] = {}
    notes: list[str] = []
    changed: set[str] = set()
    removed: list[str] = []
    seen_groups = set()
    for transcript in transcripts:
        group = transcript.group
        seen_groups.add(group)
        texts = [turn.text for turn in transcript.turns]
        ids, group_changed, group_removed = align_ids(group, texts, (previous or {}).get(group, ()))
        changed |= group_changed
        removed += group_removed
        question = ""
        unlisted: list[str] = []
        for sid, turn in zip(ids, transcript.turns):
            who = resolve_speaker(group, turn.speaker, speakers, key)
            if not who.listed and turn.speaker not in unlisted:
                unlisted.append(turn.speaker)
            asked = "" if who.role == C.FACILITATOR_ROLE else question
            rows.append((sid, group, who.participant_id, who.role, asked, turn.start, turn.text))
            if len(turn.text) > EXCEL_CELL_LIMIT:
                notes.append(
                    f"{transcript.path.name}, line {turn.line} ({sid}): the turn has {len(turn.text):,} characters, "
                    f"more than an Excel cell holds ({EXCEL_CELL_LIMIT:,}); Excel would cut it on saving: "
                    "split the turn in the transcript (give each part its speaker label)"
                )
            defaults[sid] = default_decision(who.role, is_non_speech(turn.text))
            if who.role == C.FACILITATOR_ROLE:
                question = turn.text
        if unlisted and speakers is not None:
            notes.append(_unlisted_note(transcript.path.name, group, unlisted, speakers))
        if transcript.front_matter:
            notes.append(
                f"{transcript.path.name}: {len(transcript.front_matter)} line(s) before the first "
                "speaker were read as front matter, not turns"
            )
    for group, pairs in (previous or {}).items():
        if group not in seen_groups:
            removed += [sid for sid, _ in pairs]
    columns = [C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.ROLE, C.QUESTION, C.START, C.TEXT]
    frame = pd.DataFrame(rows, columns=columns)
    return Segments(frame, defaults, tuple(notes), frozenset(changed), tuple(removed))


def _unlisted_note(name: str, group: str, unlisted: Sequence[str], speakers: SpeakerList) -> str:
    """The note for labels of a transcript that speakers.csv does not hold, with the nearest it does."""
    nearest = []
    for label in unlisted:
        close = speakers.closest(label=label, group=group, n=1)
        if close:
            nearest.append(f"{label!r} -> {close[0]!r}?")
    hint = f"; nearest listed: {', '.join(nearest)}" if nearest else ""
    return (
        f"{name}: {len(unlisted)} speaker label(s) not in {SPEAKERS_NAME} were set Keep = no "
        f"({'; '.join(unlisted)}){hint}; add them to {SPEAKERS_NAME} or correct their spelling there"
    )


def default_decision(role: str, non_speech: bool) -> Decision:
    """radar's default reduction for a turn of this role."""
    if role == C.FACILITATOR_ROLE:
        return Decision(C.NO, C.REASON_FACILITATOR)
    if role == C.OBSERVER_ROLE:
        return Decision(C.NO, C.REASON_OBSERVER)
    if role == C.UNLISTED_ROLE:
        return Decision(C.NO, C.REASON_UNLISTED)
    if non_speech:
        return Decision(C.NO, C.REASON_NON_SPEECH)
    return Decision(C.YES)


def suggest(
    frame: pd.DataFrame,
    defaults: Mapping[str, Decision],
    codebook: Codebook,
    progress: bool = False,
) -> dict[str, tuple[str, ...]]:
    """Suggested codes for each participant turn that is speech.

    Facilitator, observer and unlisted speakers' turns are never coded.
    """
    batches: dict[str, list[tuple[str, str]]] = {}
    for sid, group, role, text in zip(frame[C.SEGMENT_ID], frame[C.GROUP], frame[C.ROLE], frame[C.TEXT]):
        if role == C.PARTICIPANT_ROLE and defaults[sid].reason != C.REASON_NON_SPEECH:
            batches.setdefault(group, []).append((sid, text))
    if not batches:
        return {}  # nothing to match: the matcher and its pipeline are not even loaded
    from radar.suggest import suggest_batches

    groups = list(batches.values())
    found = suggest_batches([[text for _, text in g] for g in groups], codebook, progress=progress)
    return {sid: codes for g, codes_list in zip(groups, found) for (sid, _), codes in zip(g, codes_list)}


# The study ------------------------------------------------------------------


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
        from radar.history import read_audit

        if not self.paths.tables.exists():
            return ["no tables yet: run reduce()"]
        runs = [entry for entry in read_audit(self.paths) if entry.get("action", "reduce") == "reduce"]
        if not runs:
            return ["the tables were not made by radar reduce here: run reduce()"]
        recorded: dict[str, str] = runs[-1].get("inputs", {})
        current = {}
        for path in input_files(self.paths):
            current[path.relative_to(self.root).as_posix()] = file_hash(path)
        reasons = [
            f"{name} changed"
            for name in sorted(current)
            if name in recorded and recorded[name] != current[name]
        ]
        reasons += [f"{name} is new" for name in sorted(set(current) - set(recorded))]
        reasons += [f"{name} was removed" for name in sorted(set(recorded) - set(current))]
        return reasons

    def _repr_html_(self) -> str:
        """A summary card for Jupyter: inputs, tables, and what needs ``reduce()``."""
        import html

        from radar.history import read_audit

        rows = [("Folder", html.escape(str(self.root)))]
        try:
            title = html.escape(self.config().display_title(self.root))
        except StudyError as err:  # the card still shows, and says what to correct
            title = html.escape(self.root.resolve().name)
            rows.append((CONFIG_NAME, f"<span style='color:#b35900'>{html.escape(str(err))}</span>"))
        transcripts = [p for p in input_files(self.paths) if p.parent == self.paths.transcripts]
        rows.append(("Transcripts", str(len(transcripts))))
        runs = read_audit(self.paths)
        if runs:
            last = runs[-1]
            counts = last.get("counts", {})
            if counts:
                rows.append(
                    (
                        "Last reduce",
                        f"run {last.get('run')} at {html.escape(str(last.get('time')))}: {counts.get('turns')} turns "
                        f"&rarr; {counts.get('kept')} kept &rarr; {counts.get('coded')} coded &rarr; "
                        f"{counts.get('excerpts')} excerpts in {counts.get('themes')} themes",
                    )
                )
        stale = self.stale()
        status = (
            "<span style='color:#b35900'>needs <code>reduce()</code>: "
            + html.escape("; ".join(stale))
            + "</span>"
            if stale
            else "up to date"
        )
        rows.append(("Tables", status))
        body = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>"
            for k, v in rows
        )
        return f"<div><strong>radar study: {title}</strong><table>{body}</table></div>"

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

    def chart(self, kind: str, *, unit: str = "excerpts", by: str = "code") -> Figure:
        """A chart as a matplotlib Figure: ``themes``, ``heatmap``, ``cooccurrence`` or ``flow``."""
        from radar.charts import chart

        return chart(self, kind, unit=unit, by=by)

    def report(self, out: str | os.PathLike[str] | None = None, fmt: str | None = None) -> Path:
        """Write the methods report (Word by default, or Markdown); returns its path."""
        from radar.report import write_report

        return write_report(self, Path(out) if out is not None else None, fmt)

    def agreement(self, *others: str | os.PathLike[str]) -> AgreementResult:
        """Agreement between this study's tables and other coders' copies."""
        from radar.agreement import agreement

        return agreement([self.require_tables(), *(Path(o) for o in others)], self.codebook())

    def reduce(self, progress: bool = False) -> ReduceResult:
        """Turn the transcripts into the reduction tables and write the workbook.

        The analyst's Keep, Reason, Code and Memo cells in an existing
        workbook are read back by Segment ID and kept. Everything is checked
        before anything is written: a refused run changes nothing.

        Args:
            progress: show a progress bar on long runs.
        """
        import warnings

        from radar.errors import RadarWarning
        from radar.reduce import run_reduce

        result = run_reduce(self, progress=progress)
        for note in result.notes:
            warnings.warn(note, RadarWarning, stacklevel=2)
        return result

    def tables(self) -> Tables:
        """The reduction tables as the workbook holds them now, analyst's edits included."""
        from radar.reduce import tables_from_workbook

        return tables_from_workbook(self)

    def tally(self, unit: str = "excerpts", by: str = "theme", percent_style: str = "jmir") -> pd.DataFrame:
        """Count the coded segments in the workbook into themes or codes.

        Args:
            unit: ``excerpts``, ``participants`` or ``groups``.
            by: ``theme`` or ``code``.
            percent_style: ``jmir``, ``one-decimal`` or ``integer``.
        """
        from radar.reduce import tally_workbook

        return tally_workbook(self, unit=unit, by=by, percent_style=percent_style)

    def theme_table(self, percent_style: str = "jmir") -> pd.DataFrame:
        """The manuscript's theme table: definition, codes, n/N by each unit, quotes."""
        from radar.reduce import combined_from_workbook

        return combined_from_workbook(self, percent_style)

    def breakdown(self, attribute: str, unit: str = "excerpts", percent_style: str = "jmir") -> pd.DataFrame:
        """Each theme counted within each group or participant attribute (state, role...)."""
        from radar.themes import breakdown

        tables = self.tables()
        return breakdown(
            tables.phase3, tables.phase1, self.codebook(), attribute, self.speakers(),
            unit=unit, percent_style=percent_style,
        )  # fmt: skip

    def rename_code(self, old: str, new: str) -> int:
        """Rename a code in the codebook and in every cell of the workbook.

        The previous workbook is kept in the history and the rename is
        written to the audit log. Returns the number of cells changed.
        """
        from radar.reduce import rename_code

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
        from radar.reduce import edit_tables

        return edit_tables(self, codes=codes, keep=keep, memos=memos)

    def member_check_export(
        self, out: str | os.PathLike[str], by: str = "participant", content: str = "both", force: bool = False
    ) -> ExportResult:
        """Write member-checking packets (Word) to a folder; returns what was written."""
        from radar.membercheck import export_packets

        return export_packets(self, Path(out), by=by, content=content, force=force)

    def member_check_import(self, folder: str | os.PathLike[str]) -> MemberCheckImport:
        """Read returned packets into the workbook's Member check sheet; returns the summary."""
        from radar.membercheck import import_packets

        return import_packets(self, Path(folder))

    def safeguards(self) -> tuple[str, ...]:
        """The de-identification safeguards active for this study, in words."""
        from radar.deidentify import deidentifier_for

        return tuple(deidentifier_for(self).safeguards)

    def deidentify_check(self) -> CheckResult:
        """What de-identification masks in the transcripts, and suspected names it leaves."""
        from radar.deidentify import deidentify_check

        return deidentify_check(self)

    def history(self) -> pd.DataFrame:
        """The runs recorded in the audit log, oldest first."""
        import pandas as pd

        from radar.history import RUN_COLUMNS, read_audit, runs_table

        return pd.DataFrame(runs_table(read_audit(self.paths)), columns=list(RUN_COLUMNS))

    def diff(self, run: int | None = None) -> list[str]:
        """What changed, in sentences.

        Args:
            run: compare the tables as they were before this run with the
                workbook now; by default, list the analyst's changes since
                radar last wrote the workbook.
        """
        from radar.reduce import describe_diff

        return describe_diff(self, run)

    def previous_work(self, codebook: Codebook) -> PreviousWork | None:
        """The analyst's cells in the existing workbook, if there is one."""
        from radar.workbook import read_previous_work

        if not self.paths.tables.exists():
            return None
        return read_previous_work(self.paths.tables, codebook)


def open_study(path: str | os.PathLike[str]) -> Study:
    """Open a study folder (the same as ``Study(path)``)."""
    return Study(path)


def dropped_by_reason(table1: pd.DataFrame) -> dict[str, int]:
    """How many phase-1 rows are dropped, per reason."""
    dropped = table1[table1[C.KEEP] == C.NO]
    counts = Counter(reason or "(no reason given)" for reason in dropped[C.REASON])
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


__all__ = [
    "CONFIG_NAME",
    "CONFIG_TEMPLATE",
    "KEY_NAME",
    "PROGRESS_DELAY",
    "RECORDS_DIR",
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
