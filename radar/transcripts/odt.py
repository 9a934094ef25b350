"""OpenDocument text transcripts (.odt), as LibreOffice and other OpenDocument writers save them.

Reads ``content.xml`` from the package: every paragraph and heading
(``text:p``, ``text:h``) of the body in document order, inside lists, sections
and tables too, with its spans, links and fields. White space in the XML counts
as ODF says (a run of it is one space); ``text:s`` gives further spaces,
``text:tab`` a tab and ``text:line-break`` a line break (``\\n``). A table row
is one paragraph with its cells separated by tabs (``Facilitator\\tWhat
about...``), a cell's own paragraphs by line breaks. The paragraphs of a text
frame follow the paragraph that holds it; footnotes and endnotes come after the
body's paragraphs.

Left out: text deleted with track changes, comments, the citation marks of
notes, ruby annotations, list bullets and numbers (styles draw them, the text
does not hold them), and headers and footers (they live in ``styles.xml``).

The package is read with care: ``content.xml`` over :data:`MAX_CONTENT_BYTES`
once unpacked is refused, and XML that declares a DTD or entities (the
billion-laughs and external-entity attacks) is refused before it is expanded.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from radar.errors import TranscriptError
from radar.safety import check_zip

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

SUFFIXES = (".odt",)
MAX_CONTENT_BYTES = 200_000_000

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_TEXT_TYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_PARAGRAPHS = frozenset({f"{_TEXT}p", f"{_TEXT}h"})
_ROWS = f"{_TABLE}table-row"
_WHITE_SPACE = re.compile(r"[ \t\r\n]+")
# Elements whose text is not the document's: deletions, comments, note numbers,
# declarations, the templates an index is built from, and a ruby's annotation.
_LEFT_OUT = frozenset(
    {
        f"{_TEXT}tracked-changes",
        f"{_OFFICE}annotation",
        f"{_OFFICE}annotation-end",
        f"{_TEXT}note-citation",
        f"{_TEXT}sequence-decls",
        f"{_TEXT}variable-decls",
        f"{_TEXT}user-field-decls",
        f"{_TEXT}dde-connection-decls",
        f"{_TEXT}ruby-text",
        f"{_OFFICE}forms",
    }
)


@dataclass
class _Found:
    """Paragraphs in reading order, and the notes to put after them."""

    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def paragraphs(data: bytes, name: str) -> list[str]:
    """The OpenDocument text's paragraphs in reading order (see the module docstring).

    Raises:
        TranscriptError: the file is empty, not an OpenDocument text, damaged,
            encrypted, too large, declares XML entities, or holds no text.
    """
    body = _body(_parse(_content(data, name), name), name)
    found = _Found()
    try:
        _blocks(body, found)
    except RecursionError as error:
        raise TranscriptError(
            f"{name}: its content.xml nests elements more deeply than any document does "
            "(a damaged or hostile file?); open it in LibreOffice and save it again"
        ) from error
    result = [text for text in (p.strip(" \t\n\u00a0") for p in found.body + found.notes) if text]
    if not result:
        raise TranscriptError(f"{name}: the document holds no text; check it is the transcript")
    return result


def _content(data: bytes, name: str) -> bytes:
    """The unpacked content.xml, after checking that this is an unencrypted text document."""
    if not data.strip():
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_zip(package, name, TranscriptError)
            _check_package(package, name)
            return _read_member(package, "content.xml", name)
    except TranscriptError:
        raise
    # A damaged package fails in any of these ways while its members are read (RuntimeError:
    # a member encrypted with a zip password; NotImplementedError: an unknown compression).
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise TranscriptError(
            f"{name}: this is not an OpenDocument file, or it is damaged or cut short; "
            "open it in LibreOffice or Word and save it as .odt or .docx again"
        ) from error


def _check_package(package: zipfile.ZipFile, name: str) -> None:
    names = set(package.namelist())
    mimetype = package.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    if "word/document.xml" in names:
        raise TranscriptError(f"{name}: this is a Word file renamed to .odt; rename it to .docx")
    if mimetype.startswith("application/vnd.oasis.opendocument.") and mimetype not in _TEXT_TYPES:
        kind = mimetype.rsplit(".", 1)[-1]
        raise TranscriptError(
            f"{name}: this is an OpenDocument {kind}, not a text document; "
            "copy the transcript into a text document (.odt) or save it as text"
        )
    if "content.xml" not in names or (mimetype and mimetype not in _TEXT_TYPES):
        raise TranscriptError(
            f"{name}: this is not an OpenDocument text (.odt) file; "
            "open it in LibreOffice or Word and save it as .odt or .docx"
        )
    manifest = (
        _read_member(package, "META-INF/manifest.xml", name) if "META-INF/manifest.xml" in names else b""
    )
    if b"encryption-data" in manifest:
        raise TranscriptError(
            f"{name}: the document is protected by a password; open it and save a copy without one"
        )


def _read_member(package: zipfile.ZipFile, member: str, name: str) -> bytes:
    """A member's bytes, refusing one that unpacks to more than MAX_CONTENT_BYTES (whatever its header says)."""
    info = package.getinfo(member)
    too_big = TranscriptError(
        f"{name}: its {member} unpacks to more than {MAX_CONTENT_BYTES / 1_000_000:g} MB, far more than "
        "a transcript (a damaged or hostile file?); save the transcript again as .odt or .docx"
    )
    if info.file_size > MAX_CONTENT_BYTES:
        raise too_big
    with package.open(info) as stream:
        data = stream.read(MAX_CONTENT_BYTES + 1)
    if len(data) > MAX_CONTENT_BYTES:
        raise too_big
    return data


def _parse(content: bytes, name: str) -> Element:
    """content.xml parsed with DTDs, entities and external references refused."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: Element = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise TranscriptError(
            f"{name}: its content.xml declares a DTD or XML entities, which documents never need "
            "and attacks use; radar does not read it. Open it in LibreOffice and save it again"
        ) from error
    except (ParseError, ValueError) as error:
        raise TranscriptError(
            f"{name}: its content.xml is not well-formed XML (the file is damaged); "
            "open it in LibreOffice and save it again"
        ) from error
    return root


def _body(root: Element, name: str) -> Element:
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise TranscriptError(
            f"{name}: the document has no text body (not a text document?); "
            "copy the transcript into a text document (.odt) or save it as text"
        )
    return body


def _blocks(element: Element, found: _Found) -> None:
    """Paragraphs of a container (body, list, section, cell, frame) into ``found.body``, in order."""
    for child in element:
        if child.tag in _LEFT_OUT:
            continue
        if child.tag in _PARAGRAPHS:
            _paragraph(child, found)
        elif child.tag == _ROWS:
            found.body.append("\t".join(_cells(child, found)))
        else:
            _blocks(child, found)


def _paragraph(element: Element, found: _Found) -> None:
    """One paragraph, then the paragraphs of frames anchored in it."""
    frames = _Found(notes=found.notes)
    found.body.append(_joined(_inline(element, frames)))
    found.body.extend(frames.body)


def _joined(pieces: Iterable[tuple[str, bool]]) -> str:
    """A paragraph's pieces as one string, the XML's own white space collapsed as ODF says (§6.1.2).

    White space in the XML text counts as one space and none at the paragraph's
    start; ``text:s``, ``text:tab`` and ``text:line-break`` are kept as they are.
    """
    out: list[str] = []
    after_space = True
    for text, collapsible in pieces:
        if collapsible:
            text = _WHITE_SPACE.sub(" ", text)
            if after_space:
                text = text.lstrip(" ")
            if not text:
                continue
        out.append(text)
        after_space = collapsible and text.endswith(" ")
    return "".join(out)


def _cells(row: Element, found: _Found) -> Iterator[str]:
    """The text of each cell of a table row (spanned-over cells hold none and are skipped)."""
    for cell in (child for child in row if child.tag == f"{_TABLE}table-cell"):
        inner = _Found(notes=found.notes)
        _blocks(cell, inner)
        yield "\n".join(text.strip(" \t\n") for text in inner.body)


def _inline(element: Element, found: _Found) -> Iterator[tuple[str, bool]]:
    """The pieces of text inside a paragraph, each with whether its white space collapses.

    Spans, links and fields give their text; the paragraphs of frames and notes go to ``found``.
    """
    if element.text:
        yield element.text, True
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            yield " " * _count(child.get(f"{_TEXT}c")), False
        elif tag == f"{_TEXT}tab":
            yield "\t", False
        elif tag == f"{_TEXT}line-break":
            yield "\n", False
        elif tag == f"{_TEXT}note-body":
            notes = _Found(notes=found.notes)
            _blocks(child, notes)
            found.notes.extend(notes.body)
        elif tag.startswith(_DRAW):
            _blocks(child, found)
        elif tag not in _LEFT_OUT:
            yield from _inline(child, found)
        if child.tail:
            yield child.tail, True


def _count(value: str | None) -> int:
    """The number of spaces a ``text:s`` stands for (1 when absent; bounded for a hostile file)."""
    try:
        return min(max(int(value or 1), 1), 100)
    except ValueError:
        return 1
