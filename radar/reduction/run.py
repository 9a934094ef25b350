"""The reduce run: read, number, suggest, merge the analyst's work, write.

Every check happens before anything is written, so a refused run changes
nothing; the workbook and the speaker key are written atomically.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.codebook import find_codebook, read_codebook_file
from radar.config import load_config
from radar.deidentify import mask_transcripts
from radar.deidentify.file_names import refuse_names_in_file_names
from radar.errors import RadarWarning, StudyError
from radar.excel import EXCEL_MAX_CHARS, check_limits, fit_cell, is_cut, write_workbook
from radar.files import file_hash, now_utc, write_bytes_atomic, write_text_atomic
from radar.folder import (
    RECORDS_DIR,
    TRANSCRIPTS_DIR,
    Folder,
    StudyPaths,
    read_transcripts,
    transcript_files,
    unread_files,
)
from radar.lock import study_lock
from radar.quotes import exemplar_notes, exemplars, quote_notes
from radar.reduction import history
from radar.reduction.identity import SegmentRecord, deleted_row_notes, read_record, record_path, write_record
from radar.reduction.provenance import IMPORTING_NAME, origin_counts, semantic_evidence, with_provenance
from radar.reduction.readback import check_codes, previous_work
from radar.reduction.reconciliation import apply_reconciliation
from radar.reduction.records import Change, Decision, Flow, PreviousWork, Record, ReduceResult
from radar.reduction.segments import Segments, build_segments, suggest_with_evidence
from radar.reduction.sheets import renamed_sheet_notes
from radar.reduction.tables import flow_of, has_analyst_work, make_tables, merge_decision, state_frame
from radar.reduction.workbook import carried_sheets, with_comments, workbook_sheets
from radar.roles import infer_study_roles, with_ids
from radar.semantic import SemanticMatch, semantic_note, semantic_record
from radar.semantic import load_model as load_semantic_model
from radar.speakers import SpeakerKey

if TYPE_CHECKING:
    import pandas as pd

    from radar.transcripts import Transcript


StageHook = Callable[[str], AbstractContextManager[None]]


def run_reduce(
    folder: Folder,
    progress: bool = False,
    stage: StageHook | None = None,
    *,
    semantic: bool | None = None,
    suggest: bool = True,
) -> ReduceResult:
    """Carry a study from its transcripts to the written workbook.

    The study is locked for the run (:func:`radar.lock.study_lock`): a second
    run on it is refused while this one writes.

    Args:
        folder: the study folder.
        progress: show progress bars on long runs.
        stage: called with each stage's name as a context manager around it
            (the benchmarks time and measure stages with it).
        semantic: also suggest codes by meaning (:mod:`radar.semantic`);
            by default as radar.toml's ``[suggest] semantic`` says.
        suggest: ``False`` suggests no code (and records that none was suggested, so
            the next run with the same codebook suggests none either): an imported
            project's codes are another tool's, and the matcher's time is saved.
    """
    with study_lock(folder.paths):
        return _run_reduce(folder, progress, stage, semantic, suggest)


def _run_reduce(
    folder: Folder,
    progress: bool,
    stage: StageHook | None,
    semantic: bool | None = None,
    suggest: bool = True,
) -> ReduceResult:
    timed = stage or _no_stage
    paths = folder.paths
    with timed("check inputs"):
        files = transcript_files(paths)
        codebook_path = find_codebook(paths.root)
        codebook, codebook_notes = read_codebook_file(codebook_path)
        speakers = folder.speakers()
        config, config_notes = load_config(paths.config)
        threshold = (
            config.suggest.threshold if (config.suggest.semantic if semantic is None else semantic) else None
        )
        threshold = threshold if suggest else None
        if threshold is not None:
            load_semantic_model()  # before anything is written: a missing package refuses the run
        folder.refuse_if_open()
        _refuse_broken_link(paths.tables)
        inputs = [codebook_path, *([paths.speakers] if paths.speakers.exists() else []), *files]
        hashes = {path.relative_to(paths.root).as_posix(): file_hash(path) for path in inputs}  # once a run
    with timed("read transcripts"):
        transcripts = read_transcripts(files, speakers, progress, config.transcripts)
    with timed("read analyst's work"):
        previous = previous_work(folder, codebook)
        sheet_notes = renamed_sheet_notes(paths.tables) if previous is not None else []
        reconciled: list[dict[str, Any]] = []
        if previous is not None:
            previous, reconciled = apply_reconciliation(paths.tables, previous, codebook)
    with timed("build segments"):
        key = SpeakerKey.load(paths.key)
        roles = None
        if speakers is None:  # before masking, which resolves every label: the key learns the inferred roles
            roles = with_ids(infer_study_roles(transcripts), None, key)
        own_words = {t.group: [turn.text for turn in t.turns] for t in transcripts}  # before masking
        transcripts, deidentifier = mask_transcripts(transcripts, speakers, key, config.deidentify)
        refuse_names_in_file_names(  # the Group ID is the file stem: no name in it, before anything is written
            {t.group: t.path for t in transcripts},
            deidentifier,
            ((t.group, "", turn.text) for t in transcripts for turn in t.turns),
        )
        on_record = read_record(paths)
        if on_record is not None:  # matched on the transcripts' own words, whatever the rows are
            segments = build_segments(transcripts, speakers, key, on_record.groups, own_words, roles=roles)
        else:  # a study reduced before the record existed: matched on its rows once
            old_texts = _uncut(previous.texts_by_group(), transcripts) if previous else None
            segments = build_segments(transcripts, speakers, key, old_texts, roles=roles)
        identity = SegmentRecord.from_segments(
            list(segments.frame[C.SEGMENT_ID]),
            list(segments.frame[C.GROUP]),
            [text for t in transcripts for text in own_words[t.group]],
        )
    with timed("suggest codes"):
        # Ranking by meaning is fast: with it on, every turn is ranked again and its matches recorded.
        if not suggest:  # every segment's suggestion is "none", recorded as such
            kept: dict[str, tuple[str, ...]] = dict.fromkeys(segments.frame[C.SEGMENT_ID], ())
        else:
            kept = kept_suggestions(folder, previous, hashes, segments.frame) if threshold is None else {}
        fresh = segments.frame[~segments.frame[C.SEGMENT_ID].isin(kept)]
        matches: dict[str, tuple[SemanticMatch, ...]] = {}
        coded = analyst_coded(previous, segments.frame) if threshold is not None else None
        new, evidence = suggest_with_evidence(
            fresh,
            segments.defaults,
            codebook,
            progress=progress,
            semantic=threshold,
            matches=matches,
            coded=coded,
        )
        suggested = {**kept, **new}
        for sid, found in semantic_evidence(matches).items():  # "Suggested by" and the origin say "meaning"
            evidence[sid] = {**evidence.get(sid, {}), **found}
        remarks = (*segments.remarks, *([semantic_note(threshold, matches)] if threshold is not None else []))
    with timed("build tables"):
        decisions, records = merge_all(segments, suggested, previous)
        check_codes(decisions, codebook, paths.tables.name)
        run = history.next_run_number(paths)
        decided = [r["segment"] for r in reconciled if r.get("codes_before") != r.get("codes_after")]
        importing = (paths.records / IMPORTING_NAME).is_file()
        records = with_provenance(
            records, previous.records if previous else {}, evidence, decided, run, importing
        )
        extra1 = previous.extra_columns1 if previous else ()
        extra2 = previous.extra_columns2 if previous else ()
        tables = make_tables(
            segments.frame, decisions, codebook, speakers, extra1, extra2, group_names=config.group_names(),
            min_cell=config.deidentify.min_cell, records=records, audit=history.read_audit(paths),
        )  # fmt: skip
        flow = flow_of(tables)
        changes = history.analyst_changes(previous)
        notes = [
            *config_notes,
            *config.group_notes([t.group for t in transcripts]),
            *codebook_notes,
            *sheet_notes,
            *_interrupted_notes(paths),
            *unread_files(paths),
            *(w for t in transcripts for w in t.warnings),
            *segments.notes,
            *(previous.notes if previous else ()),  # rows and columns the readback settled
            *_edit_notes(segments, previous),
            *deleted_row_notes(list(segments.frame[C.SEGMENT_ID]), previous, on_record),
            *_unexplained_drops(decisions),
            *quote_notes(tables.phase3),
            *exemplar_notes(exemplars(tables.phase3)),
        ]
        shown, logged = notes, notes  # the Log and the audit name speakers by their IDs only
        if roles is not None:
            shown = [*notes, roles.note(folder.root)]
            logged = [*notes, *roles.note_lines(folder.root, pseudonyms=True)]
        log = log_frame(
            folder,
            run,
            flow,
            hashes,
            transcripts,
            [*remarks, *logged],
            changes,
            deidentifier.safeguards,
        )
        sheets = workbook_sheets(tables, codebook, log, state_frame(records))
        if previous is not None:
            sheets, comment_notes = with_comments(paths.tables, sheets)
            sheets += carried_sheets(paths.tables, {r["segment"] for r in reconciled}, run)
            shown = [*shown, *comment_notes]
        check_limits(paths.tables, sheets)  # before the history keeps a version: a refusal changes nothing
    with timed("write workbook"):
        entry = audit_entry(run, folder, flow, hashes, changes, segments, [*remarks, *logged], None)
        extra = {
            "reconciled": reconciled,
            "safeguards": list(deidentifier.safeguards),
            "codes": list(codebook.code_names),  # so the report can tell codes added during the analysis
            "origins": origin_counts(tables.phase3),  # where the coded excerpts' codes came from
            "semantic": semantic_record(threshold, matches),  # which suggestions came from meaning, how close
        }
        written = [paths.tables, *([paths.key] if key.changed else [])]
        with undone_on_failure(paths, [paths.tables, paths.key, record_path(paths)]):
            kept_copy = history.snapshot(paths, run, config.history.keep)
            write_workbook(paths.tables, sheets)
            write_record(paths, identity)
            if key.changed:
                write_text_atomic(paths.key, key.dumps())
            previous_version = kept_copy.relative_to(folder.root).as_posix() if kept_copy else None
            history.append_audit(paths, {**entry, "previous_version": previous_version, **extra})
    return ReduceResult(tables, flow, tuple(written), tuple(shown), tuple(changes), remarks)


def analyst_coded(previous: PreviousWork | None, frame: pd.DataFrame) -> dict[str, list[str]]:
    """The turns whose codes the analyst chose (not radar's suggestion left as it was), by code, in row order.

    Semantic suggestions take them as more examples of their codes ("more like this").
    """
    if previous is None:
        return {}
    coded: dict[str, list[str]] = {}
    for sid, text in zip(frame[C.SEGMENT_ID], frame[C.TEXT]):
        row, record = previous.rows2.get(sid), previous.records.get(sid)
        if row is None or not row.codes:
            continue
        if record is None or record.touched or set(row.codes) != set(record.suggested):
            for code in row.codes:
                coded.setdefault(code, []).append(text)
    return coded


def _refuse_broken_link(path: Path) -> None:
    """Refuse a workbook that is a symbolic link to nothing: radar writes through a link, never over it."""
    if path.is_symlink() and not path.exists():
        raise StudyError(
            f"{path}: is a symbolic link to {os.readlink(path)}, which does not exist; restore the file it "
            "names, or remove the link, then run again",
            path=str(path),
        )


@contextmanager
def undone_on_failure(paths: StudyPaths, files: Sequence[Path]) -> Iterator[None]:
    """Put ``files`` back as they were if writing fails part-way (a full disk, a read-only file ...).

    A run that cannot finish changes nothing: the workbook, the speaker key and
    the segment record are restored (or removed, if the run made them), and the
    failure is one :class:`StudyError` naming the file.
    """
    before = {path: path.read_bytes() if path.is_file() else None for path in files}
    try:
        yield
    except OSError as err:
        for path, data in before.items():
            try:
                if data is None:
                    path.unlink(missing_ok=True)
                elif not path.is_file() or path.read_bytes() != data:
                    write_bytes_atomic(path, data)
            except OSError:
                pass  # the original error says what to fix
        where = err.filename or paths.root
        raise StudyError(
            f"{where}: could not be written ({err.strerror or type(err).__name__}); the run changed nothing: "
            "free some space or fix the folder's permissions, then run again",
            path=str(where),
        ) from err


def reduce_study(
    folder: Folder, progress: bool = False, *, semantic: bool | None = None, suggest: bool = True
) -> ReduceResult:
    """:func:`run_reduce`, with each note on the input also given as a :class:`~radar.errors.RadarWarning`."""
    result = run_reduce(folder, progress=progress, semantic=semantic, suggest=suggest)
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


def _uncut(
    texts: Mapping[str, list[tuple[str, str]]], transcripts: Sequence[Transcript]
) -> dict[str, list[tuple[str, str]]]:
    """The rows' texts with each turn Excel's cell limit cut (:func:`radar.excel.fit_cell`) made whole again.

    A study reduced before the segment record existed is matched on its rows'
    texts; a turn too long for its cell must still match its whole text.
    """
    whole = {
        fit_cell(turn.text, recorded=True): turn.text
        for transcript in transcripts
        for turn in transcript.turns
        if len(turn.text) > EXCEL_MAX_CHARS
    }
    return {
        group: [(sid, whole.get(text, text) if is_cut(text) else text) for sid, text in pairs]
        for group, pairs in texts.items()
    }


def _interrupted_notes(paths: StudyPaths) -> list[str]:
    """A note for each run killed after it kept a version of the workbook but before its audit line."""
    return [
        f"run {run} was interrupted before it wrote its line in .radar/audit.jsonl; the workbook is read "
        f"as it left it, and the version before it stays kept in "
        f"{RECORDS_DIR}/{history.HISTORY_DIR}/radar-tables.before-run-{run:04d}.xlsx"
        for run in history.interrupted_runs(paths)
    ]


def _unexplained_drops(decisions: Mapping[str, Decision], listed: int = 10) -> list[str]:
    """A note for rows set Keep = no without a Reason (the report counts drops by reason)."""
    sids = [
        sid for sid, decision in decisions.items() if decision.keep == C.NO and not decision.reason.strip()
    ]
    if not sids:
        return []
    shown = ", ".join(sids[:listed]) + (f" and {len(sids) - listed} more" if len(sids) > listed else "")
    return [
        f"{len(sids)} row(s) set Keep = no without a Reason ({shown}): give each a reason in "
        f"{C.SHEET_PHASE1!r} (the report and the flow diagram count dropped turns by reason)"
    ]


def kept_suggestions(
    folder: Folder, previous: PreviousWork | None, hashes: Mapping[str, str], frame: pd.DataFrame
) -> dict[str, tuple[str, ...]]:
    """Last run's suggestions for the turns whose text is unchanged, when nothing else that decides them changed.

    Suggestions depend on a turn's text, its speaker's role and the codebook's
    keywords; while radar's version, the codebook and speakers.csv are as the
    last run recorded them, an unchanged turn of a participant (then and now)
    would get the same suggestion, so the keyword matcher runs only on new and
    changed turns and on turns whose speaker changed role.

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
    if not runs or runs[-1].get("radar_version") != __version__ or runs[-1].get("semantic"):
        return {}  # a semantic run's suggestions are not this run's
    recorded: dict[str, str] = runs[-1].get("inputs", {})
    transcripts = f"{TRANSCRIPTS_DIR}/"
    deciding = {name: digest for name, digest in hashes.items() if not name.startswith(transcripts)}
    if deciding != {name: digest for name, digest in recorded.items() if not name.startswith(transcripts)}:
        return {}  # the codebook or speakers.csv changed, came or went
    return {
        sid: previous.records[sid].suggested
        for sid, text, role in zip(frame[C.SEGMENT_ID], frame[C.TEXT], frame[C.ROLE])
        if sid in previous.records
        and sid in previous.rows1
        and previous.rows1[sid].text in (text, fit_cell(text, recorded=True))
        and _same_role(role, previous.records[sid])
    }


_ROLE_REASONS = (C.REASON_FACILITATOR, C.REASON_OBSERVER, C.REASON_UNLISTED)


def _same_role(role: str, record: Record) -> bool:
    """Whether a turn's speaker is a participant now and was last run (its default then says so).

    Without speakers.csv roles are inferred from the whole transcript, so an
    unchanged turn's speaker may change role when other turns change.
    """
    return role == C.PARTICIPANT_ROLE and record.default.reason not in _ROLE_REASONS


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
