"""The reduce run: read, number, suggest, merge the analyst's work, write.

Every check happens before anything is written, so a refused run changes
nothing; the workbook and the speaker key are written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__, history
from radar import columns as C
from radar.config import load_config
from radar.errors import WorkbookError
from radar.files import file_hash, now_utc, write_bytes_atomic, write_text_atomic
from radar.folder import SPEAKERS_NAME, read_transcripts, transcript_files, unread_files
from radar.speakers import SpeakerKey
from radar.study import (
    Flow,
    ReduceResult,
    Segments,
    Study,
    Tables,
    build_segments,
    dropped_by_reason,
    suggest,
)
from radar.tables import (
    Decision,
    PreviousWork,
    Record,
    has_analyst_work,
    merge_decision,
    phase1,
    phase2,
    phase3,
    state_frame,
)

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook
    from radar.speakers import SpeakerList
    from radar.transcripts import Transcript


StageHook = Callable[[str], AbstractContextManager[None]]


def run_reduce(study: Study, progress: bool = False, stage: StageHook | None = None) -> ReduceResult:
    """Carry a study from its transcripts to the written workbook.

    Args:
        study: the study folder.
        progress: show progress bars on long runs.
        stage: called with each stage's name as a context manager around it
            (the benchmarks time and measure stages with it).
    """
    from radar.codebook import find_codebook, load_codebook

    timed = stage or _no_stage
    paths = study.paths
    with timed("check inputs"):
        files = transcript_files(paths)
        codebook_path = find_codebook(paths.root)
        codebook = load_codebook(codebook_path)
        speakers = study.speakers()
        config, config_notes = load_config(paths.config)
        refuse_if_open(study)
    with timed("read transcripts"):
        transcripts = read_transcripts(files, speakers, progress)
    with timed("read analyst's work"):
        previous = study.previous_work(codebook)
        reconciled: list[dict[str, Any]] = []
        if previous is not None:
            from radar.reconcile import apply_reconciliation

            previous, reconciled = apply_reconciliation(paths.tables, previous, codebook)
    with timed("build segments"):
        from radar.deidentify import mask_transcripts

        key = SpeakerKey.load(paths.key)
        transcripts, deidentifier = mask_transcripts(transcripts, speakers, key, config.deidentify)
        old_texts = previous.texts_by_group() if previous else None
        segments = build_segments(transcripts, speakers, key, old_texts)
    with timed("suggest codes"):
        kept = kept_suggestions(study, previous, codebook_path, segments.frame)
        fresh = segments.frame[~segments.frame[C.SEGMENT_ID].isin(kept)]
        suggested = {**kept, **suggest(fresh, segments.defaults, codebook, progress=progress)}
    with timed("build tables"):
        decisions, records = merge_all(segments, suggested, previous)
        check_codes(decisions, codebook, paths.tables.name)
        extra1 = previous.extra_columns1 if previous else ()
        extra2 = previous.extra_columns2 if previous else ()
        tables = make_tables(segments.frame, decisions, codebook, speakers, extra1, extra2)
        flow = flow_of(tables)
        changes = history.analyst_changes(previous)
        notes = [
            *config_notes,
            *unread_files(paths),
            *(w for t in transcripts for w in t.warnings),
            *segments.notes,
            *_edit_notes(segments, previous),
        ]
        run = history.next_run_number(paths)
        inputs = [codebook_path, *([paths.speakers] if speakers else []), *files]
        log = log_frame(study, run, flow, inputs, transcripts, notes, changes, deidentifier.safeguards)
        sheets = workbook_sheets(tables, codebook, log, state_frame(records))
        if previous is not None:
            sheets += carried_sheets(paths.tables, {r["segment"] for r in reconciled}, run)
    with timed("write workbook"):
        from radar.workbook import write_workbook

        kept_copy = history.snapshot(paths, run, config.history.keep)
        write_workbook(paths.tables, sheets)
        written = [paths.tables]
        if key.changed:
            write_text_atomic(paths.key, key.dumps())
            written.append(paths.key)
        entry = audit_entry(run, study, flow, inputs, changes, segments, notes, kept_copy)
        extra = {"reconciled": reconciled, "safeguards": list(deidentifier.safeguards)}
        history.append_audit(paths, {**entry, **extra})
    return ReduceResult(tables, flow, tuple(written), tuple(notes), tuple(changes))


def carried_sheets(path: Path, applied: set[str], run: int) -> list[Any]:
    """The workbook's other sheets to write again; a Reconcile sheet gets its Applied marks."""
    from radar.reconcile import RECONCILE_SHEET, reconcile_sheet_after
    from radar.workbook import other_sheets

    return [
        reconcile_sheet_after(path, applied, run) if sheet.title == RECONCILE_SHEET else sheet
        for sheet in other_sheets(path)
    ]


def refuse_if_open(study: Study) -> None:
    """Refuse to write a workbook that Excel has open (its ``~$`` lock file is there)."""
    paths = study.paths
    if paths.lock.exists():
        raise WorkbookError(
            f"{paths.tables.name} is open in Excel (lock file {paths.lock.name}); "
            "save and close it, then run again"
        )


REVIEW_CHANGED = "text changed since the last run: check Keep and codes, then clear this cell"


def merge_all(
    segments: Segments, suggested: Mapping[str, tuple[str, ...]], previous: PreviousWork | None
) -> tuple[dict[str, Decision], dict[str, Record]]:
    """Every segment's decision, and the records to keep (orphans included)."""
    decisions: dict[str, Decision] = {}
    records: dict[str, Record] = {}
    for sid in segments.frame[C.SEGMENT_ID]:
        review = REVIEW_CHANGED if sid in segments.changed else ""
        decisions[sid], records[sid] = merge_decision(
            sid, segments.defaults[sid], suggested.get(sid, ()), previous, review
        )
    if previous is not None:
        for sid, record in previous.records.items():
            if sid not in records:  # a removed turn: its work stays on record
                _, records[sid] = merge_decision(sid, record.default, record.suggested, previous)
    return decisions, records


def check_codes(decisions: Mapping[str, Decision], codebook: Codebook, workbook: str) -> None:
    """Refuse codes kept on record (on rows set Keep = no) that the codebook no longer has."""
    for sid, decision in decisions.items():
        for code in decision.codes:
            if codebook.resolve(code) is None:
                did_you_mean = codebook.did_you_mean(code)
                raise WorkbookError(
                    f"{workbook}, sheet {C.SHEET_STATE!r} (Segment ID {sid}, a row set Keep = no): "
                    f"the code {code!r} is not in the codebook{did_you_mean}; "
                    f"use `radar codebook rename` or put the code back in the codebook"
                )


def _edit_notes(segments: Segments, previous: PreviousWork | None) -> list[str]:
    notes = []
    if segments.changed:
        listed = ", ".join(sorted(segments.changed))
        notes.append(
            f"{len(segments.changed)} turn(s) changed since the last run and keep their work, flagged for review: {listed}"
        )
    if previous is not None and segments.removed:
        with_work = [
            sid
            for sid in segments.removed
            if sid in previous.rows1 and sid in previous.records and _worked_on(sid, previous)
        ]
        if with_work:
            notes.append(
                f"{len(with_work)} turn(s) that carried analyst work are no longer in the transcripts: "
                f"{', '.join(with_work)}; their decisions stay in the hidden state sheet and in .radar/history"
            )
    return notes


def kept_suggestions(
    study: Study, previous: PreviousWork | None, codebook_path: Path, frame: pd.DataFrame
) -> dict[str, tuple[str, ...]]:
    """Last run's suggestions for the turns whose text is unchanged, when nothing else that decides them changed.

    Suggestions depend on a turn's text, its speaker's role and the codebook's
    keywords; while radar's version, the codebook and speakers.csv are as the
    last run recorded them, an unchanged turn would get the same suggestion,
    so the keyword matcher runs only on new and changed turns.
    """
    if previous is None:
        return {}
    runs = [entry for entry in history.read_audit(study.paths) if entry.get("action", "reduce") == "reduce"]
    if not runs or runs[-1].get("radar_version") != __version__:
        return {}
    recorded = runs[-1].get("inputs", {})
    deciding = [codebook_path, *([study.paths.speakers] if study.paths.speakers.exists() else [])]
    for path in deciding:
        if recorded.get(path.relative_to(study.root).as_posix()) != file_hash(path):
            return {}
    if study.paths.speakers.exists() != any(name == SPEAKERS_NAME for name in recorded):
        return {}
    return {
        sid: previous.records[sid].suggested
        for sid, text in zip(frame[C.SEGMENT_ID], frame[C.TEXT])
        if sid in previous.records and sid in previous.rows1 and previous.rows1[sid].text == text
    }


def _worked_on(sid: str, previous: PreviousWork) -> bool:
    record = previous.records[sid]
    _, current = merge_decision(sid, record.default, record.suggested, previous)
    return has_analyst_work(current)


def _no_stage(name: str) -> AbstractContextManager[None]:
    return nullcontext()


def make_tables(
    segments: pd.DataFrame,
    decisions: Mapping[str, Decision],
    codebook: Codebook,
    speakers: SpeakerList | None,
    extra1: Sequence[str] = (),
    extra2: Sequence[str] = (),
    percent_style: str = "jmir",
) -> Tables:
    """Phases 1 to 3, the theme tally and the manuscript's theme table."""
    from radar.tally import tally
    from radar.themes import combined_table

    table1, table2, table3, people, groups = phases(segments, decisions, codebook, speakers, extra1, extra2)
    themes = tally(table3, codebook, participants_total=people, groups_total=groups)
    combined = combined_table(
        table3, codebook, participants_total=people, groups_total=groups, percent_style=percent_style
    )
    return Tables(table1, table2, table3, themes, combined, people, groups)


def phases(
    segments: pd.DataFrame,
    decisions: Mapping[str, Decision],
    codebook: Codebook,
    speakers: SpeakerList | None,
    extra1: Sequence[str] = (),
    extra2: Sequence[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int, int]:
    """Phases 1, 2 and 3 with the participants' and groups' denominators."""
    table1 = phase1(segments, decisions, extra1)
    table2 = phase2(table1, decisions, extra2)
    table3 = phase3(table2, codebook, decisions)
    return table1, table2, table3, participants_total(table1, speakers), int(table1[C.GROUP].nunique())


def participants_total(table1: pd.DataFrame, speakers: SpeakerList | None) -> int:
    """Participants in the study: those who spoke and those listed in speakers.csv."""
    spoke = set(table1.loc[table1[C.ROLE] == C.PARTICIPANT_ROLE, C.PARTICIPANT])
    listed = {s.participant_id for s in speakers.participants()} if speakers else set()
    return len(spoke | listed)


def flow_of(tables: Tables) -> Flow:
    """Counts per phase and drops per reason."""
    coded = tables.phase3[C.SEGMENT_ID].nunique()
    excerpts = len(tables.phase3[[C.SEGMENT_ID, C.THEME]].drop_duplicates())
    themes = int((tables.themes[C.TALLY_N] > 0).sum())
    return Flow(
        turns=len(tables.phase1),
        kept=len(tables.phase2),
        coded=int(coded),
        themes=themes,
        excerpts=excerpts,
        dropped=dropped_by_reason(tables.phase1),
    )


def log_frame(
    study: Study,
    run: int,
    flow: Flow,
    inputs: Sequence[Path],
    transcripts: Sequence[Transcript],
    notes: Sequence[str],
    changes: Sequence[history.Change],
    safeguards: Sequence[str] = (),
) -> pd.DataFrame:
    """The Log sheet: the run, its inputs with hashes, the flow, changes, safeguards and notes."""
    import pandas as pd

    rows: list[tuple[str, str, str]] = [
        ("Run", "run", str(run)),
        ("Run", "radar version", __version__),
        ("Run", "time (UTC)", now_utc()),
        ("Run", "study", study.root.resolve().name),
    ]
    for path in inputs:
        rows.append(("Input", path.relative_to(study.root).as_posix(), f"sha256 {file_hash(path)}"))
    for transcript in transcripts:
        rows.append(
            (
                "Transcript",
                transcript.path.name,
                f"{transcript.format}, {transcript.encoding}, {len(transcript.turns)} turns",
            )
        )
    rows += [
        ("Phase 1", "turns", str(flow.turns)),
        ("Phase 2", "kept", str(flow.kept)),
        ("Phase 3", "coded segments", str(flow.coded)),
        ("Phase 3", "excerpts (segment-theme pairs)", str(flow.excerpts)),
        ("Themes", "themes with excerpts", str(flow.themes)),
    ]
    rows += [("Dropped in phase 1", reason, str(n)) for reason, n in flow.dropped.items()]
    rows.append(("Dropped in phase 2", "no code", str(flow.kept - flow.coded)))
    rows += [("De-identification", "safeguard", safeguard) for safeguard in safeguards]
    rows.append(("Analyst changes since the last run", "count", str(len(changes))))
    rows += [("Analyst change", change.segment, change.sentence()) for change in changes]
    rows += [("Note", "", note) for note in notes]
    return pd.DataFrame(rows, columns=["Section", "Item", "Value"])


def audit_entry(
    run: int,
    study: Study,
    flow: Flow,
    inputs: Sequence[Path],
    changes: Sequence[history.Change],
    segments: Segments,
    notes: Sequence[str],
    kept_copy: Path | None,
) -> dict[str, object]:
    """One line of the audit log for a reduce run."""
    return {
        "run": run,
        "action": "reduce",
        "time": now_utc(),
        "radar_version": __version__,
        "inputs": {p.relative_to(study.root).as_posix(): file_hash(p) for p in inputs},
        "counts": {
            "turns": flow.turns,
            "kept": flow.kept,
            "coded": flow.coded,
            "excerpts": flow.excerpts,
            "themes": flow.themes,
        },
        "dropped": {"phase 1": dict(flow.dropped), "phase 2": {"no code": flow.kept - flow.coded}},
        "changes": [vars(change) for change in changes],
        "changed_turns": sorted(segments.changed),
        "removed_turns": list(segments.removed),
        "notes": list(notes),
        "previous_version": kept_copy.relative_to(study.root).as_posix() if kept_copy else None,
    }


def workbook_sheets(tables: Tables, codebook: Codebook, log: pd.DataFrame, state: pd.DataFrame) -> list[Any]:
    """The sheets of radar-tables.xlsx in the order the analyst meets them."""
    from radar.workbook import Sheet, list_range, lists_frame

    reasons = list(C.STANDARD_REASONS) + [
        r for r in (C.REASON_OBSERVER, C.REASON_NON_SPEECH, C.REASON_UNLISTED) if r not in C.STANDARD_REASONS
    ]
    codes_source = list_range("A", len(codebook.code_names))
    code_dropdowns = {column: codes_source for column in tables.phase2.columns if C.is_code_column(column)}
    return [
        Sheet(
            C.SHEET_PHASE1,
            tables.phase1,
            {C.KEEP: list_range("B", 2), C.REASON: list_range("C", len(reasons))},
        ),
        Sheet(C.SHEET_PHASE2, tables.phase2, code_dropdowns),
        Sheet(C.SHEET_PHASE3, tables.phase3, {}),
        Sheet(C.SHEET_THEMES, themes_sheet(tables), {}),
        Sheet(C.SHEET_CODEBOOK, codebook.to_frame(), {}),
        Sheet(C.SHEET_LOG, log, {}),
        Sheet(C.SHEET_LISTS, lists_frame(codebook, reasons), {}, hidden=True),
        Sheet(C.SHEET_STATE, state, {}, hidden=True),
    ]


def themes_sheet(tables: Tables) -> pd.DataFrame:
    """The Themes sheet: the tally, then the rest of the manuscript's theme table."""
    import pandas as pd

    extra = tables.combined.drop(columns=["Theme", "Excerpts n/N (%)"])
    return pd.concat([tables.themes.reset_index(drop=True), extra.reset_index(drop=True)], axis=1)


# Reading the tables as the analyst left them ---------------------------------


def tables_from_workbook(
    study: Study, codebook: Codebook | None = None, percent_style: str = "jmir"
) -> Tables:
    """The reduction tables as the workbook holds them now.

    Phase 1 comes from the workbook's first sheet; Keep, Reason, codes and
    memos are the analyst's current cells, so the tables reflect edits made
    since the last ``reduce``.
    """
    codebook = codebook or study.codebook()
    segments, decisions = _workbook_now(study, codebook)
    return make_tables(segments, decisions, codebook, study.speakers(), percent_style=percent_style)


def _workbook_now(study: Study, codebook: Codebook) -> tuple[pd.DataFrame, dict[str, Decision]]:
    """The workbook's segments and the analyst's current decisions, read once."""
    from radar.workbook import frame_from_sheet, read_previous_work

    path = study.require_tables()
    previous = read_previous_work(path, codebook)
    sheet = frame_from_sheet(path, C.SHEET_PHASE1)
    sheet = sheet[sheet[C.SEGMENT_ID] != ""]
    segments = sheet[[c for c in C.PHASE1_COLUMNS if c not in (C.KEEP, C.REASON)]]
    decisions = history.decisions_of(previous)
    check_codes(decisions, codebook, path.name)
    return segments, decisions


def combined_from_workbook(study: Study, percent_style: str = "jmir") -> pd.DataFrame:
    """The manuscript's theme table from the workbook as it is now."""
    return tables_from_workbook(study, percent_style=percent_style).combined


def tally_workbook(
    study: Study, unit: str = "excerpts", by: str = "theme", percent_style: str = "jmir"
) -> pd.DataFrame:
    """Tally the workbook's current codes (only the tally asked for is computed)."""
    from radar.tally import tally

    codebook = study.codebook()
    segments, decisions = _workbook_now(study, codebook)
    _, _, table3, people, groups = phases(segments, decisions, codebook, study.speakers())
    return tally(
        table3,
        codebook,
        unit=unit,
        by=by,
        participants_total=people,
        groups_total=groups,
        percent_style=percent_style,
    )


# Renaming a code and comparing versions ---------------------------------------


def rename_code(study: Study, old: str, new: str) -> int:
    """Rename a code in the codebook file and the workbook, both or neither."""
    from radar.codebook import find_codebook, load_codebook, renamed_codebook_bytes
    from radar.workbook import renamed_workbook_bytes

    paths = study.paths
    codebook_path = find_codebook(paths.root)
    canonical = load_codebook(codebook_path).resolve(old) or old
    codebook_data = renamed_codebook_bytes(codebook_path, old, new)
    cells = 0
    if paths.tables.exists():
        refuse_if_open(study)
        workbook_data, cells = renamed_workbook_bytes(paths.tables, canonical, new)
        run = history.next_run_number(paths)
        kept_copy = history.snapshot(paths, run, study.config().history.keep)
        write_bytes_atomic(paths.tables, workbook_data)
    else:
        run, kept_copy = history.next_run_number(paths), None
    write_bytes_atomic(codebook_path, codebook_data)
    history.append_audit(
        paths,
        {
            "run": run,
            "action": "rename code",
            "time": now_utc(),
            "radar_version": __version__,
            "rename": {"old": canonical, "new": new, "cells": cells},
            "inputs": {codebook_path.name: file_hash(codebook_path)},
            "previous_version": kept_copy.relative_to(study.root).as_posix() if kept_copy else None,
        },
    )
    return cells


def edit_tables(
    study: Study,
    *,
    codes: Mapping[str, Sequence[str]] | None = None,
    keep: Mapping[str, tuple[str, str]] | None = None,
    memos: Mapping[str, str] | None = None,
) -> int:
    """Write an analyst's edits into the workbook's cells, as if typed in Excel."""
    from radar.workbook import edited_workbook_bytes

    paths = study.paths
    path = study.require_tables()
    refuse_if_open(study)
    data, cells = edited_workbook_bytes(path, study.codebook(), codes=codes, keep=keep, memos=memos)
    history.snapshot(paths, history.next_run_number(paths), study.config().history.keep)
    write_bytes_atomic(path, data)
    return cells


def describe_diff(study: Study, run: int | None) -> list[str]:
    """Sentences for ``radar diff``.

    Without a run: the analyst's changes since radar last wrote the workbook.
    With a run: every difference between the tables as that run wrote them and
    the workbook now (the run's tables are read from the version kept before
    the next run, or from the workbook itself for the latest run).
    """
    from radar.workbook import read_previous_work

    path = study.require_tables()
    now = read_previous_work(path, None)
    if run is None:
        changes = history.analyst_changes(now)
        if not changes:
            return ["No changes since radar last wrote the tables."]
        head = f"{len(changes)} change(s) by the analyst since radar last wrote the tables:"
        return [head, *(change.sentence() for change in changes)]
    runs = [entry.get("run") for entry in history.read_audit(study.paths)]
    if run not in runs:
        raise WorkbookError(f"there is no run {run} in .radar/audit.jsonl; `radar history` lists the runs")
    later = history.history_dir(study.paths) / f"radar-tables.before-run-{run + 1:04d}.xlsx"
    if run == max(r for r in runs if isinstance(r, int)):
        written = now
    elif later.exists():
        written = read_previous_work(later, None)
    else:
        raise WorkbookError(
            f"the tables of run {run} are no longer kept in .radar/history "
            "(raise [history] keep in radar.toml to keep more versions)"
        )
    before = {sid: record.written for sid, record in written.records.items() if sid in written.rows1}
    lines = history.describe_differences(before, history.decisions_of(now))
    head = f"Changes from the tables written by run {run} to {path.name} now:"
    return [head, *lines] if lines else [f"No differences between the tables written by run {run} and now."]
