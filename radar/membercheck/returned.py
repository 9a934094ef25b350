"""Returned packets read back: every answer by file and row, or the problem that keeps a packet out."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar.deidentify import Deidentifier, deidentifier_for
from radar.errors import MemberCheckError
from radar.files import now_utc
from radar.folder import Folder
from radar.membercheck.records import (
    BOXES,
    COMMENT,
    COMMENT_JOIN,
    FEEDBACK_HEADER,
    FOOTER_REFERENCE_PATTERN,
    NO_RESPONSE,
    REFERENCE_PATTERN,
    SHEET,
    VERDICTS,
    Answer,
    Export,
    ImportResult,
    Packet,
    current_exports,
    export_of,
    exports_of,
    read_imported,
    read_sent,
    replacing,
    responses,
    row_key,
    theme_order,
)
from radar.membercheck.sheet import answer_row, read_sheet, record_answers, summary_frame
from radar.reduction.history import append_audit, next_run_number
from radar.safety import check_package
from radar.word import docx_read_errors

if TYPE_CHECKING:
    pass


def import_packets(study: Folder, in_dir: str | os.PathLike[str]) -> ImportResult:
    """Read returned packets and record their answers.

    Every answer goes to the workbook's "Member check" sheet (the previous
    workbook is kept in ``.radar/history``) and to the audit trail. A packet
    that cannot be read, holds two marks in one row, comes from another study
    or names a participant no packet was sent to is reported and left out;
    the others are read. A packet already recorded is not counted again, and
    one returned blank is not counted at all (its answers can come later).

    The response rate is returned of sent for the export the packets belong
    to (the number in each packet's reference); a later export of packets to
    the same unit (participants or groups) replaces an earlier one.

    Raises:
        MemberCheckError: when no packets were ever sent or the folder is missing.
        WorkbookError: when the workbook is open in Excel or its sheet is damaged.
    """
    paths = study.paths
    record = read_sent(paths)
    if not record.get("study"):
        raise MemberCheckError(
            f"{study.root}: no member-check packets were sent from this study; "
            f"run `radar member-check export {study.root} --out DIR` first"
        )
    folder = Path(in_dir)
    if not folder.is_dir():
        raise MemberCheckError(f"{folder}: no such folder; give the folder that holds the returned packets")
    workbook = study.require_tables()
    study.refuse_if_open()
    exports = exports_of(record)
    deid = deidentifier_for(study)
    rows = read_sheet(workbook)
    imported = read_imported(paths)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    if not files:
        raise MemberCheckError(f"{folder}: holds no files; put the returned .docx packets there")
    triage = _triage(files, str(record["study"]), exports, deid, rows, imported)
    accepted, problems, skipped, seen = triage
    written: tuple[Path, ...] = ()
    new_rows: list[dict[str, str]] = []

    time = now_utc()
    entry: dict[str, Any] = {
        "action": "member-check import",
        "time": time,
        "radar_version": __version__,
        "folder": str(folder),
        "packets": {p.file: p.digest for p in accepted},
        "exports": {p.file: p.export for p in accepted},
        "skipped": skipped,
        "problems": problems,
    }
    if accepted:
        run = next_run_number(paths)
        new_rows = [answer_row(a, p.file, time) for p in accepted for a in p.answers]
        kept_copy = record_answers(study, run, accepted, new_rows, imported, time)
        written = (workbook,)
        entry["run"] = run
        entry["answers"] = [{k: v for k, v in r.items() if v} for r in new_rows]
        entry["previous_version"] = kept_copy.relative_to(study.root).as_posix() if kept_copy else None
    all_rows = rows + new_rows
    by_number = {e.number: e for e in exports}
    in_force = [replacing(exports, by_number[p.export]) for p in seen]
    if not in_force:
        in_force = current_exports(exports)[-1:]
    counted = responses(exports, in_force, (row_key(r) for r in all_rows))
    notes = _replaced_notes(accepted, exports)
    entry["response"] = {f"export {r.export.number}": [r.returned, r.sent] for r in counted}
    append_audit(paths, entry)
    return ImportResult(
        summary_frame(all_rows, theme_order(exports)),
        sum(r.sent for r in counted),
        sum(r.returned for r in counted),
        tuple(a for p in accepted for a in p.answers),
        tuple(problems),
        tuple(skipped),
        written,
        counted,
        tuple(notes),
    )


def _replaced_notes(accepted: Sequence[Packet], exports: Sequence[Export]) -> list[str]:
    """Packets of an export a later one replaced: recorded, and counted only where the later one sent too."""
    notes = []
    by_number = {e.number: e for e in exports}
    for packet in accepted:
        own = by_number[packet.export]
        later = replacing(exports, own)
        if later.number == own.number:
            continue
        counted = (
            f"counted as {packet.key}'s answer to export {later.number}"
            if packet.key in later.keys
            else f"export {later.number} sent {packet.key} no packet, so its answers are recorded but not counted in the response rate"
        )
        notes.append(
            f"{packet.file}: a packet of {own.described()}, which export {later.number} replaced; {counted}"
        )
    return notes


def _triage(
    files: Sequence[Path],
    token: str,
    exports: Sequence[Export],
    deid: Deidentifier,
    rows: Sequence[Mapping[str, str]],
    imported: Mapping[str, Mapping[str, str]],
) -> tuple[list[Packet], list[str], list[str], list[Packet]]:
    """The packets to record, the problems that keep others out, the ones already recorded or
    returned blank, and every packet read with answers (for the response rate)."""
    recorded = {row_key(r) for r in rows}
    accepted: list[Packet] = []
    problems: list[str] = []
    skipped: list[str] = []
    seen: list[Packet] = []
    this_run: dict[str, Packet] = {}
    for path in files:
        if path.suffix.lower() != ".docx":
            problems.append(
                f"{path.name}: not a Word packet (.docx); open it and save it as .docx, or leave it out"
            )
            continue
        packet, errors = read_packet(path, token, exports, deid)
        if packet is None:
            problems += errors
            continue
        if packet.blank:
            skipped.append(
                f"{path.name}: nothing is filled in (no mark, comment or box); not counted as returned, "
                "import it again once it is filled in"
            )
            continue
        seen.append(packet)
        earlier = this_run.get(packet.key)
        if earlier is not None:
            if earlier.digest == packet.digest:
                skipped.append(f"{path.name}: the same answers as {earlier.file}; counted once")
            else:
                problems.append(
                    f"{path.name}: a second packet from {packet.key} with different answers "
                    f"({earlier.file} was read); keep the right one in the folder and import again"
                )
            continue
        if packet.key in recorded:
            before = imported.get(packet.key, {})
            if before.get("digest") == packet.digest:
                skipped.append(
                    f"{path.name}: already imported ({before.get('file')}, {before.get('time')}); not counted again"
                )
            else:
                problems.append(
                    f"{path.name}: answers from {packet.key} are already in the {SHEET!r} sheet and this packet's "
                    f"answers differ; nothing was changed (delete that {packet.kind}'s rows in the sheet to import this one instead)"
                )
            continue
        this_run[packet.key] = packet
        accepted.append(packet)
    return accepted, problems, skipped, seen


def read_packet(
    path: Path, study_token: str, exports: Sequence[Export], deid: Deidentifier
) -> tuple[Packet | None, list[str]]:
    """One returned packet's answers, or the problems that keep it out (by file and row)."""
    from docx import Document

    name = path.name
    data = path.read_bytes()
    try:
        check_package(data, name, MemberCheckError)
    except MemberCheckError as err:
        return None, [str(err)]
    try:
        document = Document(io.BytesIO(data))
    except docx_read_errors() as err:
        return None, [
            f"{name}: cannot be read as a Word file ({type(err).__name__}); open it in Word or LibreOffice, save it as .docx and import again"
        ]
    reference = packet_reference(document)
    if reference is None:
        return None, [
            f"{name}: not a radar member-check packet (no packet reference in its properties or footer)"
        ]
    token, stem, number = reference
    if token != study_token:
        return None, [
            f"{name}: this packet belongs to another study (reference {stem} / {token}); it was not sent from this one"
        ]
    export = export_of(exports, stem, number)
    info = export.packet(stem) if export is not None else None
    if export is None or info is None:
        which = f" in export {number}" if number is not None else ""
        return None, [
            f"{name}: no packet {stem!r} was sent from this study{which} (unknown participant or group); check the file"
        ]
    kind, identifier = str(info["kind"]), str(info["id"])
    groups = ", ".join(info.get("groups", []))
    participant, group = (identifier, groups) if kind == "participant" else ("", identifier)
    themes = [str(t) for t in info.get("themes", [])]
    answers, problems = _read_feedback(name, document, themes)
    if problems:
        return None, problems
    rows: list[Answer] = []
    for theme in themes:
        verdict, comment = answers.get(theme, (NO_RESPONSE, ""))
        rows.append(Answer(participant, group, theme, verdict, deid.mask(comment), name))
    for text in _free_text(document, answers.get("", (COMMENT, ""))[1]):
        rows.append(Answer(participant, group, "", COMMENT, deid.mask(text), name))
    digest = hashlib.sha256(
        json.dumps(
            [kind, identifier, [(a.theme, a.verdict, a.comment) for a in rows]], ensure_ascii=False
        ).encode()
    ).hexdigest()
    return Packet(name, stem, kind, identifier, tuple(rows), digest, export.number), []


def packet_reference(document: Any) -> tuple[str, str, int | None] | None:
    """(study fingerprint, packet, export number) from a packet's properties, or from its footer.

    The export number is None in a packet written before exports were numbered.
    """
    properties = document.core_properties
    for value in (properties.identifier, properties.keywords, properties.comments):
        match = REFERENCE_PATTERN.search(value or "")
        if match:
            return match.group(1), match.group(2), _number(match.group(3))
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            match = FOOTER_REFERENCE_PATTERN.search(paragraph.text)
            if match:
                return match.group(2), match.group(1), _number(match.group(3))
    return None


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text.split())


def _theme_key(text: str) -> str:
    return re.sub(r"\s*\(emerging\)$", "", " ".join(text.split()).casefold())


def _read_feedback(
    name: str, document: Any, themes: Sequence[str]
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Verdict and comment per theme from the feedback table ("" holds comments in rows without a theme)."""
    wanted = [h.casefold() for h in FEEDBACK_HEADER]
    table = None
    columns: list[int] = []
    for candidate in document.tables:
        if not candidate.rows:
            continue
        header = [_cell_text(c).casefold() for c in candidate.rows[0].cells]
        if all(h in header for h in wanted):
            table, columns = candidate, [header.index(h) for h in wanted]
            break
    if table is None:
        return {}, [
            (
                f"{name}: the feedback table ({' | '.join(FEEDBACK_HEADER)}) is missing; "
                "ask for the packet again, or copy the answers into a fresh packet"
            )
        ]
    by_key = {_theme_key(t): t for t in themes}
    answers: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    loose: list[str] = []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = row.cells
        if len(cells) <= max(columns):
            problems.append(
                f"{name}, feedback table row {number}: the row has lost cells; restore its five columns"
            )
            continue
        theme_text, *marks, comment = (_cell_text(cells[i]) for i in columns)
        where = f"{name}, feedback table row {number}"
        marked = [verdict for verdict, value in zip(VERDICTS, marks) if value]
        if not theme_text:
            if marked:
                problems.append(
                    f"{where}: a mark in a row without a theme; write the theme in the first cell"
                )
            elif comment:
                loose.append(comment)
            continue
        theme = by_key.get(_theme_key(theme_text))
        if theme is None:
            problems.append(
                f"{where}: {theme_text!r} is not one of the themes sent in this packet; restore the theme's name"
            )
            continue
        if theme in answers:
            problems.append(f"{where} ({theme}): the theme has two rows; keep one")
            continue
        if len(marked) > 1:
            problems.append(
                f"{where} ({theme}): marks in {' and '.join(m.capitalize() for m in marked)}; "
                "keep one mark per row (ask the participant if unsure) and import again"
            )
            continue
        answers[theme] = (marked[0] if marked else NO_RESPONSE, comment)
    if loose:
        answers[""] = (COMMENT, COMMENT_JOIN.join(loose))
    return answers, problems


def _free_text(document: Any, loose: str) -> list[str]:
    """The answers in the boxes below the table, each prefixed by its question."""
    texts = [f"Comments: {loose}"] if loose else []
    for table in document.tables:
        if not table.rows or not table.rows[0].cells:
            continue
        head = _cell_text(table.rows[0].cells[0])
        title = next((b for b in BOXES if head.casefold().startswith(b.casefold())), None)
        if title is None:
            continue
        written = " ".join(_cell_text(c) for row in table.rows[1:] for c in row.cells if _cell_text(c))
        if written:
            texts.append(f"{title} {written}")
    return texts
