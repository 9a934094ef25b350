"""The reduce run: read, number, suggest, merge the analyst's work, write.

Every check happens before anything is written, so a refused run changes
nothing; the workbook and the speaker key are written atomically.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.codebook import find_codebook, load_codebook
from radar.config import load_config
from radar.deidentify import mask_transcripts
from radar.errors import RadarWarning
from radar.excel import write_workbook
from radar.files import file_hash, now_utc, write_text_atomic
from radar.folder import TRANSCRIPTS_DIR, Folder, read_transcripts, transcript_files, unread_files
from radar.reduction import history
from radar.reduction.readback import check_codes, previous_work
from radar.reduction.reconciliation import apply_reconciliation
from radar.reduction.records import Change, Decision, Flow, PreviousWork, Record, ReduceResult
from radar.reduction.segments import Segments, build_segments, suggest
from radar.reduction.tables import flow_of, has_analyst_work, make_tables, merge_decision, state_frame
from radar.reduction.workbook import carried_sheets, workbook_sheets
from radar.speakers import SpeakerKey

if TYPE_CHECKING:
    import pandas as pd

    from radar.transcripts import Transcript


StageHook = Callable[[str], AbstractContextManager[None]]


def run_reduce(folder: Folder, progress: bool = False, stage: StageHook | None = None) -> ReduceResult:
    """Carry a study from its transcripts to the written workbook.

    Args:
        folder: the study folder.
        progress: show progress bars on long runs.
        stage: called with each stage's name as a context manager around it
            (the benchmarks time and measure stages with it).
    """
    timed = stage or _no_stage
    paths = folder.paths
    with timed("check inputs"):
        files = transcript_files(paths)
        codebook_path = find_codebook(paths.root)
        codebook = load_codebook(codebook_path)
        speakers = folder.speakers()
        config, config_notes = load_config(paths.config)
        folder.refuse_if_open()
        inputs = [codebook_path, *([paths.speakers] if speakers else []), *files]
        hashes = {path.relative_to(paths.root).as_posix(): file_hash(path) for path in inputs}  # once a run
    with timed("read transcripts"):
        transcripts = read_transcripts(files, speakers, progress)
    with timed("read analyst's work"):
        previous = previous_work(folder, codebook)
        reconciled: list[dict[str, Any]] = []
        if previous is not None:
            previous, reconciled = apply_reconciliation(paths.tables, previous, codebook)
    with timed("build segments"):
        key = SpeakerKey.load(paths.key)
        transcripts, deidentifier = mask_transcripts(transcripts, speakers, key, config.deidentify)
        old_texts = previous.texts_by_group() if previous else None
        segments = build_segments(transcripts, speakers, key, old_texts)
    with timed("suggest codes"):
        kept = kept_suggestions(folder, previous, hashes, segments.frame)
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
        log = log_frame(folder, run, flow, hashes, transcripts, notes, changes, deidentifier.safeguards)
        sheets = workbook_sheets(tables, codebook, log, state_frame(records))
        if previous is not None:
            sheets += carried_sheets(paths.tables, {r["segment"] for r in reconciled}, run)
    with timed("write workbook"):
        kept_copy = history.snapshot(paths, run, config.history.keep)
        write_workbook(paths.tables, sheets)
        written = [paths.tables]
        if key.changed:
            write_text_atomic(paths.key, key.dumps())
            written.append(paths.key)
        entry = audit_entry(run, folder, flow, hashes, changes, segments, notes, kept_copy)
        extra = {"reconciled": reconciled, "safeguards": list(deidentifier.safeguards)}
        history.append_audit(paths, {**entry, **extra})
    return ReduceResult(tables, flow, tuple(written), tuple(notes), tuple(changes))


def reduce_study(folder: Folder, progress: bool = False) -> ReduceResult:
    """:func:`run_reduce`, with each note on the input also given as a :class:`~radar.errors.RadarWarning`."""
    result = run_reduce(folder, progress=progress)
    for note in result.notes:
        warnings.warn(note, RadarWarning, stacklevel=3)
    return result


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
    folder: Folder, previous: PreviousWork | None, hashes: Mapping[str, str], frame: pd.DataFrame
) -> dict[str, tuple[str, ...]]:
    """Last run's suggestions for the turns whose text is unchanged, when nothing else that decides them changed.

    Suggestions depend on a turn's text, its speaker's role and the codebook's
    keywords; while radar's version, the codebook and speakers.csv are as the
    last run recorded them, an unchanged turn would get the same suggestion,
    so the keyword matcher runs only on new and changed turns.

    Args:
        folder: the study folder.
        previous: the analyst's work as last written, or None.
        hashes: this run's inputs (codebook, speakers.csv, transcripts) by
            path in the study, with their hashes.
        frame: this run's segments.
    """
    if previous is None:
        return {}
    runs = [entry for entry in history.read_audit(folder.paths) if entry.get("action", "reduce") == "reduce"]
    if not runs or runs[-1].get("radar_version") != __version__:
        return {}
    recorded: dict[str, str] = runs[-1].get("inputs", {})
    transcripts = f"{TRANSCRIPTS_DIR}/"
    deciding = {name: digest for name, digest in hashes.items() if not name.startswith(transcripts)}
    if deciding != {name: digest for name, digest in recorded.items() if not name.startswith(transcripts)}:
        return {}  # the codebook or speakers.csv changed, came or went
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


def log_frame(
    folder: Folder,
    run: int,
    flow: Flow,
    hashes: Mapping[str, str],
    transcripts: Sequence[Transcript],
    notes: Sequence[str],
    changes: Sequence[Change],
    safeguards: Sequence[str] = (),
) -> pd.DataFrame:
    """The Log sheet: the run, its inputs with hashes, the flow, changes, safeguards and notes."""
    import pandas as pd

    rows: list[tuple[str, str, str | int]] = [  # counts as numbers, so Excel sums and sorts them
        ("Run", "run", run),
        ("Run", "radar version", __version__),
        ("Run", "time (UTC)", now_utc()),
        ("Run", "study", folder.root.resolve().name),
    ]
    rows += [("Input", name, f"sha256 {digest}") for name, digest in hashes.items()]
    for transcript in transcripts:
        rows.append(
            (
                "Transcript",
                transcript.path.name,
                f"{transcript.format}, {transcript.encoding}, {len(transcript.turns)} turns",
            )
        )
    rows += [
        ("Phase 1", "turns", flow.turns),
        ("Phase 2", "kept", flow.kept),
        ("Phase 3", "coded segments", flow.coded),
        ("Phase 3", "excerpts (segment-theme pairs)", flow.excerpts),
        ("Themes", "themes with excerpts", flow.themes),
    ]
    rows += [("Dropped in phase 1", reason, n) for reason, n in flow.dropped.items()]
    rows.append(("Dropped in phase 2", "no code", flow.kept - flow.coded))
    rows += [("De-identification", "safeguard", safeguard) for safeguard in safeguards]
    rows.append(("Analyst changes since the last run", "count", len(changes)))
    rows += [("Analyst change", change.segment, change.sentence()) for change in changes]
    rows += [("Note", "", note) for note in notes]
    return pd.DataFrame(rows, columns=["Section", "Item", "Value"])


def audit_entry(
    run: int,
    folder: Folder,
    flow: Flow,
    hashes: Mapping[str, str],
    changes: Sequence[Change],
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
        "inputs": dict(hashes),
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
        "previous_version": kept_copy.relative_to(folder.root).as_posix() if kept_copy else None,
    }
