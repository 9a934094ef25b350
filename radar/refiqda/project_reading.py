"""Reading another tool's REFI-QDA project (``.qdpx``): everything radar carries over, checked first."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
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
from radar.errors import RefiError
from radar.safety import check_zip, read_member

ROLE_VARIABLE = "Role"


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
        """The zip entry an ``internal://`` path names (``sources/`` or ``Sources/``)."""
        wanted = path[len("internal://") :].lstrip("/").lower()
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
    book = build_codebook(codes, sets, where, empty_ok=empty_ok)
    meta = read_meta(book_element) if book_element is not None else {}
    codebook = replace(book.codebook, title=meta.get("title", ""), source=meta.get("source", ""))
    return replace(book, codebook=codebook)


def read_project(file: Path) -> Project:
    """Everything radar carries over from a ``.qdpx``, checked before anything is written."""
    with open_qdpx(file) as package:
        root = package.root
        origin = root.get("origin") or "the program that made it"
        book = project_codebook(root, file.name)
        skipped: list[str] = []
        notes = _read_notes(package, skipped)
        variables = {
            guid_key(element.get("guid")): " ".join((element.get("name") or "").split())
            for group in named_children(root, "Variables")
            for element in named_children(group, "Variable")
        }
        sources = _read_sources(package, notes, variables, origin, skipped)
        cases = tuple(
            Case(" ".join((element.get("name") or "").split()), _variable_values(element, variables))
            for group in named_children(root, "Cases")
            for element in named_children(group, "Case")
        )
        _note_leftovers(root, book, skipped)
        return Project(
            name=" ".join((root.get("name") or "").split()) or file.stem,
            origin=root.get("origin") or "",
            book=book,
            sources=tuple(sources),
            cases=cases,
            skipped=tuple(skipped),
        )


def _read_notes(package: Package, skipped: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in named_children(package.root, "Notes"):
        for element in named_children(group, "Note"):
            text = inner_text(named_child(element, "PlainTextContent"))
            path = element.get("plainTextPath") or ""
            if not text and path.startswith("internal://"):
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


def _read_sources(
    package: Package,
    notes: Mapping[str, str],
    variables: Mapping[str, str],
    origin: str,
    skipped: list[str],
) -> list[Source]:
    sources: list[Source] = []
    used_notes: set[str] = set()
    for group in named_children(package.root, "Sources"):
        for element in group:
            kind = local_name(element.tag)
            name = " ".join((element.get("name") or "").split()) or guid_key(element.get("guid"))
            if kind in _NON_TEXT:
                skipped.append(f"{_NON_TEXT[kind]} source {name!r}: radar imports text sources only")
            elif kind == "TextSource":
                source = _read_text_source(package, element, name, notes, used_notes, origin, skipped)
                if source is not None:
                    sources.append(source)
                _source_leftovers(element, name, skipped)
    unused = [key for key in notes if key not in used_notes]
    if unused:
        skipped.append(
            f"{len(unused)} note(s) not attached to a text selection (journals, memos on codes, "
            "cases or whole sources)"
        )
    return sources


def _read_text_source(
    package: Package,
    element: ET.Element,
    name: str,
    notes: Mapping[str, str],
    used_notes: set[str],
    origin: str,
    skipped: list[str],
) -> Source | None:
    content = named_child(element, "PlainTextContent")
    path = element.get("plainTextPath") or ""
    if content is not None:
        text = inner_text(content)
    elif path.startswith("internal://"):
        entry = package.internal(path)
        if entry is None:
            raise RefiError(
                f"{package.file}: the text of source {name!r} ({path}) is not in the zip; the "
                f"project is incomplete: export it again from {origin}"
            )
        text = _decode_source(package.read(entry), f"{package.file} ({entry})")
    else:
        where = path or element.get("richTextPath") or "no plain text"
        skipped.append(f"text source {name!r}: its plain text is not inside the .qdpx ({where})")
        return None
    selections = []
    for selection in named_children(element, "PlainTextSelection"):
        start, end, codes = _read_selection(package.file, selection, name, len(text), origin)
        memo = _memos(selection, notes, used_notes)
        selections.append(Selection(guid_key(selection.get("guid")), start, end, codes, memo))
    return Source(name, guid_key(element.get("guid")), text, tuple(selections))


def _read_selection(
    file: Path, element: ET.Element, source: str, length: int, origin: str
) -> tuple[int, int, tuple[str, ...]]:
    where = f"{file}: selection {element.get('guid') or '(no guid)'} in source {source!r}"
    try:
        start = int((element.get("startPosition") or "").strip())
        end = int((element.get("endPosition") or "").strip())
    except ValueError:
        raise RefiError(
            f"{where}: startPosition {element.get('startPosition')!r} and endPosition "
            f"{element.get('endPosition')!r} must be whole numbers; export the project again from {origin}"
        ) from None
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
    codes = tuple(
        guid_key(ref.get("targetGUID"))
        for coding in named_children(element, "Coding")
        for ref in named_children(coding, "CodeRef")
    )
    return start, end, codes


def _memos(element: ET.Element, notes: Mapping[str, str], used: set[str]) -> str:
    """A selection's memo: its notes (on it or on its codings), else its description."""
    refs = [guid_key(ref.get("targetGUID")) for ref in named_children(element, "NoteRef")]
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
    if not texts:
        description = inner_text(named_child(element, "Description")).strip()
        texts = [description] if description else []
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
    for group in named_children(root, "Sets"):
        for element in named_children(group, "Set"):
            if named_children(element, "MemberSource") or named_children(element, "MemberNote"):
                skipped.append(f"set {element.get('name')!r} of sources or notes")
