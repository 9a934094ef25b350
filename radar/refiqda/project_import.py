"""A study built from another tool's REFI-QDA project (``.qdpx``): codings become Code cells."""

from __future__ import annotations

import bisect
import csv
import io
import os
import re
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.codebook import CODEBOOK_NAMES, Code, Codebook, codebook_yaml, name_key
from radar.codebook.qdc import QdcBook
from radar.codebook.refi import LINE_BREAK, xml_text
from radar.config import CONFIG_NAME, load_config, toml_string
from radar.errors import RadarWarning, RefiError, TranscriptError
from radar.excel import open_for_edit, set_text
from radar.files import file_hash, now_utc, write_atomic, write_text_atomic
from radar.folder import RECORDS_DIR, SPEAKERS_NAME, TABLES_NAME, TRANSCRIPTS_DIR, Folder, init_study
from radar.reduction.history import append_audit
from radar.reduction.provenance import IMPORTING_NAME
from radar.reduction.run import reduce_study
from radar.refiqda.project_reading import (
    DOCUMENT_DESCRIPTION,
    ROLE_VARIABLE,
    Case,
    Project,
    Selection,
    Source,
    read_project,
)
from radar.speakers import default_role, normalise_label, read_speakers
from radar.transcripts import read_transcript
from radar.transcripts.assemble import DOCUMENT_SPEAKER

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN_SPEAKER = "Unknown"
"""Kept for old imports: radar now segments a source without speaker labels by paragraph."""

DOCUMENT_LABEL = DOCUMENT_SPEAKER  # the speaker of a document's paragraphs, as radar reads documents
"""The speaker label of each paragraph of a source without speaker labels (an article, notes)."""

DOCUMENT_PARTICIPANT = "document"
"""The Participant of a document's paragraphs when no case names the source."""

_PSEUDONYM = re.compile(r"[A-Za-z]{1,3}-?\d{1,4}")


_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


_SOURCE_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".html", ".htm", ".md")


_IMPORT_PREFIX = ".radar-import-"


IMPORTED_RECORD = "imported-project.md"
"""The record (in ``.radar/``) of what a project held beyond codings: description, source memos, sets."""


_QUESTIONS_HEAD = "Research questions:"


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_qdpx` made, and what it could not carry over."""

    study: Path
    origin: str
    transcripts: tuple[Path, ...]
    codebook: Path
    speakers: Path | None
    codings: int  # (selection, code) pairs that reached a Code cell
    segments: int  # segments that received codes
    memos: int  # segments that received a memo
    skipped: tuple[str, ...]
    notes: tuple[str, ...]

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        origin = f" (from {self.origin})" if self.origin else ""
        out = [f"Imported {len(self.transcripts)} source(s) into {self.study}{origin}"]
        out += [f"wrote {path}" for path in (*self.transcripts, self.codebook) if path]
        if self.speakers is not None:
            out.append(f"wrote {self.speakers}")
        out.append(
            f"{self.codings} coding(s) carried over onto {self.segments} segment(s); {self.memos} memo(s)"
        )
        return out

    def summary(self) -> str:
        """What was not carried over, as one note ("" when everything was)."""
        if not self.skipped:
            return ""
        listed = "".join(f"\n  - {item}" for item in self.skipped)
        return f"{len(self.skipped)} thing(s) not carried over (also in .radar/audit.jsonl):{listed}"


def import_qdpx(path: str | os.PathLike[str], study_dir: str | os.PathLike[str]) -> ImportReport:
    """Build a study from another tool's REFI-QDA project (``.qdpx``).

    * Each text source becomes ``transcripts/<name>.txt``: its text as it is when it has
      speaker labels (``Name: text`` lines), else each paragraph labelled
      ``Unknown:``, so that the source's positions map onto the turns radar reads.
    * The project's codebook becomes ``codebook.yaml`` (see :func:`read_qdc` for how
      hierarchies are fitted); a parent code that was itself applied gains a code of
      the same name under its theme.
    * When the project's cases are named like the speakers, ``speakers.csv`` is written
      from them: role from a ``Role`` variable (else from the label), the label kept as
      the ID when it is already a pseudonym (``P07``), else a new one; the other case
      variables become attributes.
    * ``radar reduce`` is run, then each coding becomes a Code cell of every turn its
      selection overlaps, and each memo a Memo cell; turns that were coded but dropped
      by default (a facilitator's) are kept. Turns the other tool did not code get no
      codes (radar's keyword suggestions are cleared), so the tables hold exactly the
      other tool's coding. ``reduce`` is run again so the cells are read as the analyst's.

    The study is built in a temporary folder beside ``study_dir`` and moved into place
    at the end: a refused or failed import writes nothing.

    Raises:
        RefiError: the folder already holds a study, or the file is not a readable
            ``.qdpx`` (not a zip, no ``.qde``, not XML, a selection past the end of its source).
    """
    file, target = Path(path), Path(study_dir)
    _refuse_target(target)
    project = read_project(file)
    if not project.sources:
        raise RefiError(_no_sources(file, project))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=_IMPORT_PREFIX, dir=target.parent) as folder:
        build = Path(folder) / target.name
        build.mkdir()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RadarWarning)
            report = _build_study(project, file, build, target)
        _move_into_place(build, target)
    # The reduction's warnings become notes, once each, naming the study's folder, not the build's.
    heard = [
        str(w.message).replace(str(build), str(target))
        for w in caught
        if issubclass(w.category, RadarWarning)
    ]
    for other in (w for w in caught if not issubclass(w.category, RadarWarning)):
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    notes = list(dict.fromkeys([*(n.replace(str(build), str(target)) for n in report.notes), *heard]))
    if report.summary():
        notes.append(report.summary())
    return replace(report, notes=tuple(notes))


def _no_sources(file: Path, project: Project) -> str:
    """One line for a project with no text source radar can import."""
    about = [item for item in project.skipped if "source" in item and "note(s)" not in item]
    if about:
        return f"{file}: holds no text source radar can import ({'; '.join(about)})"
    return (
        f"{file}: holds no sources, so there is nothing to import; export the project again from "
        f"{project.origin or 'the program that made it'} with its documents"
    )


def _refuse_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise RefiError(f"{target}: is a file; give a new folder for the imported study")
    if not target.is_dir():
        return
    transcripts = target / TRANSCRIPTS_DIR
    if transcripts.is_dir() and any(transcripts.iterdir()):
        raise RefiError(
            f"{target}: already has transcripts; import into a new folder (radar never mixes "
            "an imported project into a study)"
        )
    for name in (*CODEBOOK_NAMES, TABLES_NAME, RECORDS_DIR):
        if (target / name).exists():
            raise RefiError(f"{target}: already has {name}; import into a new folder")


@dataclass
class _Placed:
    """An imported source written as a transcript, and the raw span of each of its turns."""

    source: Source
    path: Path
    structured: bool
    label: str = ""  # a document's paragraph label
    spans: list[tuple[int, int]] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # a transcript's speaker labels, turn by turn


def _build_study(project: Project, file: Path, build: Path, target: Path) -> ImportReport:

    for name in (CONFIG_NAME, SPEAKERS_NAME):
        if (target / name).is_file():
            (build / name).write_bytes((target / name).read_bytes())
    init_study(build, title=xml_text(project.name).replace("\\", "/"))
    questions, description = _research_questions(project.description)
    if questions:
        _write_questions(build / CONFIG_NAME, questions)
    folder = build / TRANSCRIPTS_DIR
    settings = load_config(build / CONFIG_NAME)[0].transcripts
    placed = [
        _place(source, folder / f"{stem}.txt", settings.is_document(stem) or _marked_document(source))
        for source, stem in _stems(project.sources)
    ]
    notes = [*project.notes, *project.book.notes]
    documents = [item for item in placed if not item.structured]
    unlisted = [item.path.stem for item in documents if not settings.is_document(item.path.stem)]
    if unlisted:
        _write_documents(build / CONFIG_NAME, [*settings.documents, *unlisted])
    found = [item for item in documents if item.path.stem in unlisted and not _marked_document(item.source)]
    if found:
        notes.append(
            f"{len(found)} source(s) have no speaker labels, so each paragraph became a segment "
            f"of the participant {DOCUMENT_PARTICIPANT!r} (or of the source's case), and radar.toml "
            f"lists them under [transcripts] documents: {', '.join(item.path.name for item in found)}"
        )
    speakers_path = build / SPEAKERS_NAME
    written_speakers = None
    if not speakers_path.exists():
        labels = [label for item in placed for label in item.labels]
        rows = _speaker_rows(labels, project.cases, documents)
        if rows is not None:
            write_text_atomic(speakers_path, rows)
            written_speakers = target / SPEAKERS_NAME
        elif project.cases:
            names = sorted({name for case in project.cases for name in case.values})
            listed = f" and their variables ({', '.join(names)})" if names else ""
            notes.append(f"{len(project.cases)} case(s){listed}: no case is named like a speaker label")
    speakers = read_speakers(speakers_path) if speakers_path.exists() else None
    record = _project_record(project, description, placed)
    if record:
        (build / RECORDS_DIR).mkdir(exist_ok=True)
        write_text_atomic(build / RECORDS_DIR / IMPORTED_RECORD, record)
        notes.append(
            f"the project's description, source memos and sets are kept in {RECORDS_DIR}/{IMPORTED_RECORD}"
        )

    codings = _codings(project, placed)
    codebook = _with_theme_codes(project.book, codings, notes)
    write_text_atomic(build / "codebook.yaml", codebook_yaml(codebook))
    for item in placed:
        known = speakers.labels_for(item.path.stem) if speakers else None
        item.spans = _turn_spans(item, known)
        item.ends = [end for _, end in item.spans]

    study = Folder(build)
    importing = build / RECORDS_DIR / IMPORTING_NAME  # the runs below mark every code as imported
    importing.parent.mkdir(exist_ok=True)
    importing.write_text(f"{file.name}\n", encoding="utf-8")
    result = reduce_study(study, suggest=False)  # the codes are the other tool's
    notes += result.notes
    groups: dict[str, list[str]] = {}
    for sid, group in zip(result.tables.phase1[C.SEGMENT_ID], result.tables.phase1[C.GROUP]):
        groups.setdefault(str(group), []).append(str(sid))
    for item in placed:
        item.ids = groups.get(item.path.stem, [])
        if len(item.ids) != len(item.spans):
            raise RefiError(
                f"{item.path.name}: radar read {len(item.ids)} turns where the import found "
                f"{len(item.spans)}; please report this with the .qdpx file"
            )
    skipped = list(project.skipped)
    codes, memos, carried = _segment_work(placed, codings, codebook, skipped, notes)

    kept = dict(zip(result.tables.phase1[C.SEGMENT_ID], result.tables.phase1[C.KEEP]))
    revive = {sid for sid in (*codes, *memos) if kept.get(sid) == C.NO}
    _edit_tables(study.paths.tables, revive, codes, memos)  # one edit, one more run: the import's time
    final = reduce_study(study)
    importing.unlink()
    notes += [note for note in final.notes if note not in notes]
    _check_carried(final.tables.phase3, codes, skipped)

    append_audit(
        study.paths,
        {
            "action": "import qdpx",
            "time": now_utc(),
            "radar_version": __version__,
            "inputs": {file.name: file_hash(file)},
            "origin": project.origin,
            "counts": {
                "sources": len(placed),
                "codings": carried,
                "segments": len(codes),
                "memos": len(memos),
            },
            "skipped": skipped,
            "notes": notes,
        },
    )
    return ImportReport(
        study=target,
        origin=project.origin,
        transcripts=tuple(target / TRANSCRIPTS_DIR / item.path.name for item in placed),
        codebook=target / "codebook.yaml",
        speakers=written_speakers,
        codings=carried,
        segments=len(codes),
        memos=len(memos),
        skipped=tuple(skipped),
        notes=tuple(notes),
    )


def _stems(sources: Sequence[Source]) -> list[tuple[Source, str]]:
    """A file stem (the Group ID) for each source: its name made safe, unique."""
    used: set[str] = set()
    out = []
    for source in sources:
        name = source.name
        if name.lower().endswith(_SOURCE_SUFFIXES):
            name = name.rsplit(".", 1)[0]
        stem = " ".join(_FILE_UNSAFE.sub("-", name).split()).strip(". ").lstrip("~$") or "source"
        stem = stem[:100]
        candidate, number = stem, 2
        while candidate.casefold() in used:
            candidate, number = f"{stem}-{number}", number + 1
        used.add(candidate.casefold())
        out.append((source, candidate))
    return out


def _raw_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) positions of each line's content in the source text."""
    spans, position = [], 0
    for match in LINE_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _place(source: Source, path: Path, listed: bool) -> _Placed:
    """Write a source as a transcript: as it is if it has speaker labels, else as a document.

    A document (a source without speaker labels, or one radar.toml's ``[transcripts]
    documents`` lists) is written one paragraph a line, with a blank line between, and
    read by radar's document reader: one segment per paragraph, no line taken for a
    speaker's label. Its text is never prefixed with a label.
    """
    raw = _raw_lines(source.text)
    lines = [source.text[start:end].replace("\x00", " ") for start, end in raw]
    if not listed:
        write_text_atomic(path, "\n".join(lines) + "\n")
        try:
            transcript = read_transcript(path)
        except TranscriptError:
            transcript = None
        filled = sum(1 for line in lines if line.strip())
        if transcript is not None and _has_speakers(transcript.turns, transcript.front_matter, filled):
            return _Placed(source, path, True, labels=[turn.speaker for turn in transcript.turns])
    blocks = _paragraphs(lines)
    paragraphs = [" ".join(" ".join(lines[first : last + 1]).split()) for first, last in blocks]
    write_text_atomic(path, "\n\n".join(paragraphs) + "\n")
    spans = [(raw[first][0], raw[last][1]) for first, last in blocks]
    return _Placed(source, path, False, label=_case_label(source), spans=spans)


def _marked_document(source: Source) -> bool:
    """Whether radar's export marked the source as a document (its description says so)."""
    return DOCUMENT_DESCRIPTION in source.memo


def _has_speakers(turns: Sequence[Any], front_matter: Sequence[str], filled: int) -> bool:
    """Whether a source reads as a speaker transcript rather than a document.

    A document may hold a stray ``Word:`` line (``Note: ...``): it is a transcript when
    the labels are spread through it, not when one label swallows the rest.
    """
    if not turns or len([line for line in front_matter if line.strip()]) * 2 > filled:
        return False
    speakers = {turn.speaker for turn in turns}
    return (len(turns) >= 3 and len(speakers) >= 2) or len(turns) * 5 >= filled


def _paragraphs(lines: Sequence[str]) -> list[tuple[int, int]]:
    """The paragraphs of a document as (first, last) line indices.

    A paragraph is a line (as NVivo and Word write plain text), or, in text wrapped by hand
    with blank lines between paragraphs, a run of lines.
    """
    runs: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    wrapped = len(runs) > 1 and sum(last - first + 1 for first, last in runs) >= 1.5 * len(runs)
    return runs if wrapped else [(n, n) for n, line in enumerate(lines) if line.strip()]


def _case_label(source: Source) -> str:
    """The label of a document's paragraphs: the one case that refers to it, else ``Document``."""
    if len(source.cases) == 1 and source.cases[0]:
        return " ".join(source.cases[0].split())[:40]
    return DOCUMENT_LABEL


def _research_questions(description: str) -> tuple[list[str], str]:
    """radar's research questions in a project description (as radar exports them), and the rest."""
    lines = LINE_BREAK.split(description.strip())
    if _QUESTIONS_HEAD not in [line.strip() for line in lines]:
        return [], description.strip()
    start = [line.strip() for line in lines].index(_QUESTIONS_HEAD)
    questions, end = [], start + 1
    while end < len(lines) and lines[end].strip().startswith("- "):
        questions.append(lines[end].strip()[2:].strip())
        end += 1
    rest = "\n".join([*lines[:start], *lines[end:]]).strip()
    return [q for q in questions if q], rest


def _write_questions(config: Path, questions: Sequence[str]) -> None:
    """Put the research questions into the new study's radar.toml (written by init just before)."""
    text = config.read_text(encoding="utf-8")
    listed = "".join(f"  {toml_string(question)},\n" for question in questions)
    block = re.compile(r"^research_questions = \[\n(?:[ \t]*#.*\n)*\]", re.MULTILINE)
    if block.search(text):
        text = block.sub(lambda _: f"research_questions = [\n{listed}]", text, count=1)
    else:
        text += f"\nresearch_questions = [\n{listed}]\n"
    write_text_atomic(config, text)


def _write_documents(config: Path, stems: Sequence[str]) -> None:
    """List the document sources in radar.toml's ``[transcripts] documents``, so that reduce reads them as documents."""
    text = config.read_text(encoding="utf-8")
    listed = "documents = [" + ", ".join(toml_string(stem) for stem in stems) + "]"
    table = re.compile(r"^\[transcripts\][ \t]*(?:#.*)?$", re.MULTILINE)
    found = table.search(text)
    if found is None:
        text = text.rstrip("\n") + f"\n\n[transcripts]\n{listed}\n"
    else:
        end = re.compile(r"^\[", re.MULTILINE).search(text, found.end())
        body = text[found.end() : end.start() if end else len(text)]
        # the list, or the one stem as a string (which radar.toml also takes)
        key = re.compile(r"""^documents[ \t]*=[ \t]*(?:\[[^\]]*\]|"[^"\n]*"|'[^'\n]*')""", re.MULTILINE)
        body = key.sub(lambda _: listed, body, count=1) if key.search(body) else f"\n{listed}{body}"
        text = text[: found.end()] + body + (text[end.start() :] if end else "")
    write_text_atomic(config, text)
    load_config(config)  # the edit reads back as a list of stems


def _project_record(project: Project, description: str, placed: Sequence[_Placed]) -> str:
    """The project's description, its sources' memos and its sets, as Markdown ("" when none)."""
    parts = []
    if description:
        parts.append(f"## Project description\n\n{description}\n")
    memos = [
        (item.path.stem, memo)
        for item in placed
        if (memo := item.source.memo.replace(DOCUMENT_DESCRIPTION, "").strip())
    ]
    if memos:
        parts.append("## Source memos\n\n" + "\n".join(f"### {name}\n\n{memo}\n" for name, memo in memos))
    if project.sets:
        lines = []
        for found in project.sets:
            members = ", ".join(found.members) if found.members else "(empty)"
            about = f" — {found.description}" if found.description else ""
            lines.append(f"- **{found.name or '(unnamed set)'}**{about}: {members}")
        parts.append("## Sets\n\n" + "\n".join(lines) + "\n")
    if not parts:
        return ""
    origin = f" (from {project.origin})" if project.origin else ""
    return f"# Imported project {project.name}{origin}\n\n" + "\n".join(parts)


def _turn_spans(item: _Placed, known: Sequence[str] | None) -> list[tuple[int, int]]:
    """Where each turn radar reads from the written file lies in the source text.

    A turn runs from the start of its first line to the end of the last line with
    text before the next turn (the written file has the source's lines, one for one).
    A document's spans are its paragraphs', known since it was written.
    """
    if not item.structured:
        return item.spans
    text = item.source.text
    raw = _raw_lines(text)
    turns = read_transcript(item.path, known).turns
    spans = []
    for index, turn in enumerate(turns):
        following = turns[index + 1].line if index + 1 < len(turns) else len(raw) + 1
        lines = [raw[n - 1] for n in range(turn.line, min(following, len(raw) + 1))]
        filled = [span for span in lines if text[span[0] : span[1]].strip()] or lines[:1]
        spans.append((filled[0][0], filled[-1][1]))
    return spans


def _speaker_rows(
    labels: Sequence[str], cases: Sequence[Case], documents: Sequence[_Placed] = ()
) -> str | None:
    """speakers.csv from the cases named like speaker labels, or None when none is and no source is a document.

    A document's paragraphs are all of the speaker ``Document``: the participant
    ``document``, or, where one case refers to the source, that case's (a row for the
    source's group).
    """
    by_name = {normalise_label(case.name): case for case in cases if case.name}
    unique: dict[str, str] = {}
    for label in labels:
        unique.setdefault(normalise_label(label), label)
    cased = [item for item in documents if item.label != DOCUMENT_LABEL]
    people = dict(unique)
    for item in cased:
        people.setdefault(normalise_label(item.label), item.label)
    if not any(key in by_name for key in people) and not documents:
        return None
    attributes = list(
        dict.fromkeys(
            name
            for key in people
            if key in by_name
            for name in by_name[key].values
            if name.casefold() != ROLE_VARIABLE.casefold()
        )
    )
    used = {label.casefold() for label in people.values() if _PSEUDONYM.fullmatch(label)}
    used.add(DOCUMENT_PARTICIPANT)
    counters: dict[str, int] = {}
    ids: dict[str, list[str]] = {}
    for key, label in people.items():
        case = by_name.get(key)
        values = {name.casefold(): value for name, value in (case.values if case else {}).items()}
        role = values.get(ROLE_VARIABLE.casefold(), "").strip().lower()
        role = role if role in C.ROLES else default_role(label)
        participant = label
        if not _PSEUDONYM.fullmatch(label):
            prefix = role[0].upper()
            while participant == label or participant.casefold() in used:
                counters[prefix] = counters.get(prefix, 0) + 1
                participant = f"{prefix}{counters[prefix]:02d}"
            used.add(participant.casefold())
        ids[key] = [participant, role, *(values.get(name.casefold(), "") for name in attributes)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    grouped = ["group"] if cased else []
    writer.writerow(["speaker", "participant_id", "role", *attributes, *grouped])
    blank = [""] * len(grouped)
    for key, label in unique.items():
        writer.writerow([label, *ids[key], *blank])
    if len(cased) < len(documents):
        empty = [""] * len(attributes)
        writer.writerow([DOCUMENT_LABEL, DOCUMENT_PARTICIPANT, C.PARTICIPANT_ROLE, *empty, *blank])
    for item in cased:
        writer.writerow([DOCUMENT_LABEL, *ids[normalise_label(item.label)], item.path.stem])
    return out.getvalue()


@dataclass(frozen=True)
class _Coding:
    source: int  # index into project.sources
    selection: Selection
    targets: tuple[tuple[str, str], ...]  # ("theme" | "code", name)


def _codings(project: Project, placed: Sequence[_Placed]) -> list[_Coding]:
    found = []
    for index, item in enumerate(placed):
        for selection in item.source.selections:
            targets = tuple(project.book.targets[g] for g in selection.codes if g in project.book.targets)
            found.append(_Coding(index, selection, targets))
    return found


def _with_theme_codes(book: QdcBook, codings: Sequence[_Coding], notes: list[str]) -> Codebook:
    """The codebook, plus a code named like each theme that was itself applied."""
    applied = {name for coding in codings for kind, name in coding.targets if kind == "theme"}
    if not applied:
        return book.codebook
    taken = {name_key(code.name) for code in book.codebook.codes}
    themes = []
    for theme in book.codebook.themes:
        if theme.name in applied:
            name = theme.name if name_key(theme.name) not in taken else f"{theme.name} (general)"
            taken.add(name_key(name))
            code = Code(
                name,
                theme.name,
                definition=f"Coded at the parent code {theme.name!r} in the imported project.",
            )
            theme = replace(theme, codes=(code, *theme.codes))
            notes.append(
                f"the parent code {theme.name!r} was applied itself: its codings went to a new code {name!r} under it"
            )
        themes.append(theme)
    return replace(book.codebook, themes=tuple(themes))


def _segment_work(
    placed: Sequence[_Placed],
    codings: Sequence[_Coding],
    codebook: Codebook,
    skipped: list[str],
    notes: list[str],
) -> tuple[dict[str, list[str]], dict[str, str], int]:
    """Codes and memos per Segment ID, from the selections each turn overlaps."""
    codes: dict[str, list[str]] = {}
    memos: dict[str, list[str]] = {}
    carried = 0
    theme_codes = {theme.name: theme.codes[0].name for theme in codebook.themes if theme.codes}
    unknown = empty = spanning = 0
    for coding in codings:
        item = placed[coding.source]
        selection = coding.selection
        known = len(coding.targets)
        unknown += len(selection.codes) - known
        names = [theme_codes.get(name, name) if kind == "theme" else name for kind, name in coding.targets]
        if selection.start == selection.end:
            empty += 1
            continue
        hits = _overlapping(item.spans, item.ends, selection.start, selection.end)
        if not hits:
            if names or selection.memo:
                excerpt = " ".join(item.source.text[selection.start : selection.end].split())
                short = excerpt if len(excerpt) <= 50 else excerpt[:49] + "…"
                what = ", ".join(names) if names else "a memo"
                skipped.append(
                    f"source {item.source.name!r}, positions {selection.start}-{selection.end} "
                    f"({what}): outside every speaker turn ({short!r})"
                )
            continue
        carried += len(names)
        if len(hits) > 1 and not item.structured and names:
            spanning += 1
        for hit in hits:
            sid = item.ids[hit]
            if names:
                cell = codes.setdefault(sid, [])
                cell += [name for name in names if name not in cell]
            if selection.memo:
                memo = memos.setdefault(sid, [])
                if selection.memo not in memo:
                    memo.append(selection.memo)
    if unknown:
        skipped.append(f"{unknown} coding(s) that refer to no code of the codebook (cases or deleted codes)")
    if empty:
        skipped.append(f"{empty} empty selection(s) (start = end)")
    if spanning:
        notes.append(
            f"{spanning} coding(s) in documents span several paragraphs: each paragraph they cover "
            "carries the code"
        )
    return codes, {sid: "\n\n".join(texts) for sid, texts in memos.items()}, carried


def _overlapping(spans: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> list[int]:
    """The turns whose span shares at least one position with [start, end) (spans in order)."""
    first = bisect.bisect_right(ends, start)
    hits = []
    for index in range(first, len(spans)):
        span_start, span_end = spans[index]
        if span_start >= end:
            break
        if span_start < end and start < span_end:
            hits.append(index)
    return hits


def _edit_tables(
    path: Path, revive: set[str], codes: Mapping[str, Sequence[str]], memos: Mapping[str, str]
) -> None:
    """Keep the coded rows dropped by default, and write every Code and Memo cell, in one save.

    A revived row is not yet on the relevant sheet: it is added there from its phase 1 row,
    and the next run reads it as the analyst's (the sheet is read by Segment ID).
    """
    workbook = open_for_edit(path)
    phase1, phase2 = workbook[C.SHEET_PHASE1], workbook[C.SHEET_PHASE2]
    header1 = _header(phase1)
    rows1 = _keep_rows(phase1, header1, revive)
    header2 = _header(phase2)
    present = {str(phase2.cell(row, header2[C.SEGMENT_ID]).value) for row in range(2, phase2.max_row + 1)}
    for sid in sorted(revive - present, key=lambda sid: rows1.get(sid, 0)):
        row = phase2.max_row + 1
        for name, column in header2.items():
            if name in header1 and not C.is_code_column(name) and name != C.MEMO:
                set_text(phase2.cell(row, column), phase1.cell(rows1[sid], header1[name]).value)
    _code_rows(phase2, header2, codes, memos)
    write_atomic(path, workbook.save, suffix=".xlsx")


def _header(sheet: Any) -> dict[str, int]:
    return {str(cell.value).strip(): cell.column for cell in sheet[1] if cell.value is not None}


def _keep_rows(sheet: Any, header: Mapping[str, int], keep: set[str]) -> dict[str, int]:
    """Set Keep = yes on the rows of ``keep``; returns the row of each of them."""
    sid_col, keep_col, reason_col = header[C.SEGMENT_ID], header[C.KEEP], header[C.REASON]
    rows = {}
    for row in range(2, sheet.max_row + 1):
        sid = sheet.cell(row, sid_col).value
        if sid in keep:
            sheet.cell(row, keep_col).value = C.YES
            sheet.cell(row, reason_col).value = None
            rows[str(sid)] = row
    return rows


def _code_rows(
    sheet: Any, header: dict[str, int], codes: Mapping[str, Sequence[str]], memos: Mapping[str, str]
) -> None:
    code_cols = [
        column for name, column in sorted(header.items(), key=lambda item: item[1]) if C.is_code_column(name)
    ]
    needed = max([len(cell) for cell in codes.values()] + [0])
    while len(code_cols) < needed:
        column = sheet.max_column + 1
        sheet.cell(1, column).value = C.code_column(len(code_cols) + 1)
        code_cols.append(column)
    sid_col, memo_col = header[C.SEGMENT_ID], header.get(C.MEMO)
    for row in range(2, sheet.max_row + 1):
        sid = sheet.cell(row, sid_col).value
        if sid is None:
            continue
        cell = list(codes.get(str(sid), []))
        for index, column in enumerate(code_cols):
            set_text(sheet.cell(row, column), cell[index] if index < len(cell) else None)
        if memo_col is not None and str(sid) in memos:
            set_text(sheet.cell(row, memo_col), memos[str(sid)])


def _check_carried(phase3: pd.DataFrame, codes: Mapping[str, Sequence[str]], skipped: list[str]) -> None:
    present = set(zip(phase3[C.SEGMENT_ID].astype(str), phase3[C.CODE].astype(str)))
    for sid, names in codes.items():
        missing = [name for name in names if (sid, name) not in present]
        if missing:
            skipped.append(f"segment {sid}: the code(s) {', '.join(missing)} could not be set")


def _move_into_place(build: Path, target: Path) -> None:
    """Move the built study to its folder: one rename, or entry by entry into an existing folder."""
    if not target.exists():
        os.replace(build, target)
        return
    for item in sorted(build.iterdir()):
        destination = target / item.name
        if destination.is_dir() and not any(destination.iterdir()):
            destination.rmdir()
        elif destination.exists() and item.name != CONFIG_NAME:
            continue  # speakers.csv the folder already had (copied into the build, unchanged)
        # radar.toml: the folder's own, copied into the build, with what the import added
        # (its documents, research questions) that the study's next run needs.
        os.replace(item, destination)
