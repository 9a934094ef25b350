"""Reading what a user hands radar without being taken over by it, and writing cells that never run.

Every zip a user gives (``.docx``, ``.xlsx``, ``.odt``, ``.qdpx``) is checked
member by member before anything is unpacked: a member that says it unpacks to
more than :data:`MAX_MEMBER_BYTES`, or members that together say more than
:data:`MAX_TOTAL_BYTES`, are refused, and a member is read in chunks that stop
past the limit whatever its header says. XML is parsed with DTDs and entities
refused (the billion-laughs and external-entity attacks) and nesting deeper than
:data:`MAX_XML_DEPTH` refused; XML that a library parses for radar (python-docx,
openpyxl) is first scanned for a DTD in its prolog, the only place entities can
be declared. Each refusal is the caller's :class:`~radar.errors.RadarError`
subclass with one line naming the file.

:func:`safe_cell` is the other half: text radar writes to a CSV never starts
like a spreadsheet formula (OWASP's rule: such a cell gets a leading ``'``).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from typing import Any

from radar.errors import RadarError

MAX_MEMBER_BYTES = 200_000_000
"""The most one zip member may unpack to (a transcript's document.xml is a few MB)."""
MAX_TOTAL_BYTES = 500_000_000
"""The most all members of one zip may unpack to together."""
MAX_XML_DEPTH = 256
"""The deepest XML radar reads (libxml2's own default limit; real files nest a few dozen deep)."""
MAX_PROLOG_BYTES = 1_000_000
"""How far into an XML member radar looks for its root element (the prolog is a line or two)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell that a spreadsheet would run as a formula starts (OWASP's list)."""

_CHUNK = 1 << 20
_XML_MEMBERS = (".xml", ".rels", ".qde", ".vml")
_PROLOG_PIECE = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_REFUSED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, KeyError)


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB"


def too_big(where: str, member: str, limit: int, error: type[RadarError]) -> RadarError:
    """The error for a zip member over the limit."""
    return error(
        f"{where}: its {member} unpacks to more than {_megabytes(limit)}, far more than any real "
        "file of this kind (a damaged or hostile file?); radar does not read it. Save the file again "
        "from the program that made it",
        path=where,
    )


def check_zip(
    archive: zipfile.ZipFile,
    where: str,
    error: type[RadarError],
    *,
    max_member: int = MAX_MEMBER_BYTES,
    max_total: int = MAX_TOTAL_BYTES,
) -> None:
    """Refuse a zip whose members say they unpack to more than the limits, before any is unpacked."""
    total = 0
    for info in archive.infolist():
        if info.file_size > max_member:
            raise too_big(where, info.filename, max_member, error)
        total += info.file_size
    if total > max_total:
        raise error(
            f"{where}: its members unpack to more than {_megabytes(max_total)} together, far more "
            "than any real file of this kind (a damaged or hostile file?); radar does not read it",
            path=where,
        )


def read_member(
    archive: zipfile.ZipFile,
    member: str | zipfile.ZipInfo,
    where: str,
    error: type[RadarError],
    *,
    max_bytes: int = MAX_MEMBER_BYTES,
) -> bytes:
    """A member's bytes, read in chunks that stop past ``max_bytes`` whatever its header says."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    if info.file_size > max_bytes:
        raise too_big(where, info.filename, max_bytes, error)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise too_big(where, info.filename, max_bytes, error)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:  # data that does not unpack, or fails its CRC
        raise error(
            f"{where}: its {info.filename} is damaged and cannot be unpacked ({err}); "
            "export or copy the file again",
            path=where,
        ) from None
    return b"".join(chunks)


def declares_dtd(stream: Any, limit: int = MAX_PROLOG_BYTES) -> bool:
    """Whether an XML stream's prolog declares a DTD (where every entity is declared).

    Reads only the prolog (declaration, comments, processing instructions, white
    space) up to the root element; a prolog longer than ``limit`` counts as a DTD.
    UTF-16 documents are decoded first.
    """
    data = b""
    while len(data) <= limit:
        chunk = stream.read(64 * 1024)
        data += chunk
        text = _utf8(data)
        at = 0
        while match := _PROLOG_PIECE.match(text, at):
            at = match.end()
        rest = text[at:]
        if rest.startswith(b"<!DOCTYPE") or rest.startswith(b"<!ENTITY"):
            return True
        if rest.startswith(b"<") and len(rest) > 1 and rest[1:2] not in (b"?", b"!"):
            return False  # the root element: no DTD
        if not chunk:
            return False  # the whole member is prolog (or empty): nothing to expand
    return True


def _utf8(data: bytes) -> bytes:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") or data[:2] == b"<\x00" else "utf-16-be"
        return data[: len(data) // 2 * 2].decode(encoding, "replace").lstrip("\ufeff").encode("utf-8")
    return data.removeprefix(b"\xef\xbb\xbf")


def check_package(
    source: bytes | Path,
    where: str,
    error: type[RadarError],
    *,
    max_member: int = MAX_MEMBER_BYTES,
    max_total: int = MAX_TOTAL_BYTES,
) -> None:
    """Refuse an Office zip (docx, xlsx) with an oversized member or XML that declares a DTD.

    A file that is not a zip at all passes: the reader that follows says so in its own words.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except _REFUSED:
        return
    with archive:
        check_zip(archive, where, error, max_member=max_member, max_total=max_total)
        for info in archive.infolist():
            if not info.filename.lower().endswith(_XML_MEMBERS):
                continue
            try:
                with archive.open(info) as stream:
                    hostile = declares_dtd(stream)
            except (*_REFUSED, RuntimeError, NotImplementedError):
                continue  # a damaged member: the reader that follows says so
            if hostile:
                raise entity_error(where, info.filename, error)


def entity_error(where: str, member: str, error: type[RadarError]) -> RadarError:
    """The error for XML that declares a DTD or entities."""
    return error(
        f"{where}: its {member} declares a DTD or XML entities, which real files never need and "
        "attacks use; radar does not read it. Save the file again from the program that made it",
        path=where,
    )


class _TooDeep(Exception):
    pass


class _Bounded(ET.TreeBuilder):
    """A tree builder that keeps comments and stops past a depth."""

    def __init__(self, limit: int) -> None:
        super().__init__(insert_comments=True)
        self.depth = 0
        self.limit = limit

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        self.depth += 1
        if self.depth > self.limit:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        self.depth -= 1
        return super().end(tag)


def parse_xml(
    data: bytes, where: str, error: type[RadarError], *, what: str = "file", max_depth: int = MAX_XML_DEPTH
) -> ET.Element:
    """XML parsed with DTDs, entities and external references refused and nesting bounded.

    Comments are kept. A document that is not well-formed XML raises
    :class:`xml.etree.ElementTree.ParseError` for the caller to word.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(
        target=_Bounded(max_depth), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException:
        raise error(
            f"{where}: the {what} declares a DTD or XML entities, which real files never need and "
            "attacks use; radar does not read it. Export it again from the program that made it",
            path=where,
        ) from None
    except _TooDeep:
        raise error(
            f"{where}: the {what} nests elements more than {max_depth} deep, far deeper than any real "
            "file (a damaged or hostile file?); radar does not read it",
            path=where,
        ) from None
    return root


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, with a ``'`` in front (other values as they are).

    Example:
        >>> safe_cell("=SUM(A1)"), safe_cell("-3 points"), safe_cell("43/197, 21.8%"), safe_cell(-3)
        ("'=SUM(A1)", "'-3 points", '43/197, 21.8%', -3)
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def _needs_quote(text: str) -> bool:
    # Text that already opens like a quoted formula (``'=x``) is quoted too, so that reading back
    # with unsafe_cell gives every text exactly as it was.
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _needs_quote(text[1:]))


def unsafe_cell(text: str) -> str:
    """A CSV cell radar wrote with :func:`safe_cell`, as it was (``'=x`` -> ``=x``, ``''=x`` -> ``'=x``).

    Example:
        >>> all(unsafe_cell(safe_cell(t)) == t for t in ["=x", "'=x", "''=x", "'plain", "plain"])
        True
    """
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text
