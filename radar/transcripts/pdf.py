"""PDF transcripts (.pdf): the text layer of every page, as paragraphs.

A PDF holds positioned lines, not paragraphs. The lines of one paragraph are
joined back into one when the document shows where its paragraphs end: lines
of one font size a line apart are joined if the document also puts a wider gap
between paragraphs (the space Word leaves after a paragraph, a blank line
between turns), the upper line runs close to the full width of the text, and
the lower line does not open like a new speaker after a finished sentence.
Otherwise lines stay apart, which the transcript reader takes as more of the
same speaker's text: so a line break inside a paragraph (Shift+Enter) that
ends a short line, and a paragraph split by a page break, come back as two.

Page headers and footers that repeat on every page (``Page 3 of 7``, a
repeated title) are left in, where they stand in the text. Table rows come back
as one line, their cells separated by spaces. Bullets from symbol fonts become
``•``.

Reading relies on pypdf's limits against files built to exhaust memory or time
(:class:`pypdf.Configuration`: no stream unpacks to more than 75 MB, a content
stream parses at most 2 million operands, a page invokes at most 5,000 form
XObjects, a page tree holds at most 100,000 entries); on top of them a PDF of
more than :data:`MAX_PAGES` pages or :data:`MAX_CHARACTERS` characters is
refused.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radar.errors import TranscriptError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

SUFFIXES = (".pdf",)
MAX_PAGES = 2_000
MAX_CHARACTERS = 20_000_000

# Lines this close (in line heights of the document's tightest spacing) are one paragraph.
_SAME_PARAGRAPH = 1.1
# A gap this much wider than the tightest shows that the document spaces its paragraphs.
_PARAGRAPH_GAP = 1.25
# A line at least this share of the document's longest line (at its size) runs to the margin.
_FULL_LINE = 0.7
_SENTENCE_END = re.compile(r"[.?!…:\"”’)\]]$")
_SPEAKER_START = re.compile(
    r"^[\[(]?(?:[A-Z][\w'’.-]*|[A-Z]?\d+)(?: [A-Z][\w'’.-]*| \d+){0,3}[\])]?:(?:\s|$)"
)
# Bullets that Word's Symbol and Wingdings fonts map into the private use area.
SYMBOL_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class _Line:
    """One line of a page and where it starts (None where pypdf gave no position)."""

    text: str
    x: float | None
    y: float | None
    size: float | None


def paragraphs(data: bytes, name: str) -> list[str]:
    """The PDF's text as paragraphs in reading order (see the module docstring).

    Raises:
        TranscriptError: the file is empty, damaged, encrypted with a password,
            too large to read safely, or has no text layer (a scanned PDF).
    """
    pages = _pages(_open(data, name), name)
    result = _join(pages)
    if not any(paragraph.strip() for paragraph in result):
        raise TranscriptError(
            f"{name}: the PDF has no text layer (a scanned PDF?); "
            "export the transcript as text or Word, or run OCR first"
        )
    return result


def _open(data: bytes, name: str) -> PdfReader:
    import pypdf

    if not data.strip():
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    if b"%PDF-" not in data[:1024]:
        raise TranscriptError(
            f"{name}: this is not a PDF file (another file renamed?); export the transcript as PDF again"
        )
    _quiet_pypdf()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, name)
        count = len(reader.pages)
    except TranscriptError:
        raise
    # pypdf fails in many ways on damaged files (its own errors, KeyError, ValueError, ...).
    except Exception as error:
        raise _unreadable(name, error, "") from error
    if count > MAX_PAGES:
        raise TranscriptError(
            f"{name}: the PDF has {count:,} pages, more than the {MAX_PAGES:,} radar reads; "
            "split it into one file per transcript"
        )
    return reader


def _quiet_pypdf() -> None:
    """Keep pypdf's notes about repaired files off the user's terminal (logging still sees them)."""
    logger = logging.getLogger("pypdf")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _decrypt(reader: PdfReader, name: str) -> None:
    """Open a PDF that is encrypted without a password to read it (copy or print protection)."""
    from pypdf import PasswordType

    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise TranscriptError(
            f"{name}: the PDF is protected by a password; open it with the password and save "
            "a copy without one, or export the transcript as text or Word"
        )


def _unreadable(name: str, error: Exception, where: str) -> TranscriptError:
    """The TranscriptError for a pypdf failure: a safety limit, missing AES support or damage."""
    from pypdf.errors import DependencyError, LimitReachedError

    if isinstance(error, LimitReachedError):
        return TranscriptError(
            f"{name}: {where or 'the PDF'} holds more data than radar reads safely (a damaged file, "
            "or one built to exhaust memory?); export the transcript again"
        )
    if isinstance(error, DependencyError):
        return TranscriptError(
            f"{name}: the PDF is encrypted with AES, which needs the cryptography package "
            "(pip install cryptography); or save a copy without protection"
        )
    return TranscriptError(
        f"{name}: {where or 'the PDF'} cannot be read, the file is damaged or cut short; "
        "export the transcript as PDF again"
    )


def _pages(reader: PdfReader, name: str) -> list[list[_Line]]:
    """The lines of each page, within the character budget."""
    pages = []
    left = MAX_CHARACTERS
    for number, page in enumerate(reader.pages, start=1):
        try:
            lines = _lines(page)
        except Exception as error:  # as in _open: any failure of pypdf on a damaged page
            raise _unreadable(name, error, f"page {number}") from error
        left -= sum(len(line.text) for line in lines)
        if left < 0:
            raise TranscriptError(
                f"{name}: the PDF holds more than {MAX_CHARACTERS:,} characters of text, far more "
                "than a transcript; split it into one file per transcript"
            )
        pages.append(lines)
    return pages


def _lines(page: PageObject) -> list[_Line]:
    """The page's non-blank lines as pypdf extracts them, each with the position of its first text."""
    lines: list[_Line] = []
    parts: list[str] = []
    start: list[tuple[float, float, float] | None] = []

    def end_line() -> None:
        text = _CONTROL.sub("", "".join(parts)).translate(SYMBOL_BULLETS).strip()
        if text:
            x, y, size = start[0] or (None, None, None)
            lines.append(_Line(text, x, y, size))
        parts.clear()
        start.clear()

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        for index, piece in enumerate(text.split("\n")):
            if index:
                end_line()
            if piece.strip() and not start:
                # Text after a newline inside one piece has no position of its own.
                start.append(_position(cm, tm, size) if index == 0 else None)
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _position(cm: Sequence[float], tm: Sequence[float], size: float) -> tuple[float, float, float]:
    """Where text starts on the page and its height, from the text and transformation matrices."""
    c, d, e, f = (float(value) for value in tm[2:6])
    ca, cb, cc, cd, ce, cf = (float(value) for value in cm[:6])
    x = e * ca + f * cc + ce
    y = e * cb + f * cd + cf
    scale = (c * ca + d * cc) ** 2 + (c * cb + d * cd) ** 2
    return x, y, abs(float(size)) * scale**0.5


def _join(pages: Sequence[Sequence[_Line]]) -> list[str]:
    """Paragraphs: the lines of each page, wrapped lines joined back where that is safe."""
    pitches = _pitches(pages)
    longest: dict[float, int] = defaultdict(int)
    for line in (line for page in pages for line in page):
        if line.size is not None:
            longest[_size_key(line.size)] = max(longest[_size_key(line.size)], len(line.text))
    result: list[str] = []
    for page in pages:
        previous: _Line | None = None
        for line in page:
            if previous is not None and _continues(previous, line, pitches, longest):
                result[-1] = _glue(result[-1], line.text)
            else:
                result.append(line.text)
            previous = line
    return result


def _size_key(size: float) -> float:
    return round(size * 2) / 2


def _gap(upper: _Line, lower: _Line) -> float | None:
    """How far the lower line's baseline is below the upper's, for lines of one size."""
    if upper.y is None or lower.y is None or upper.size is None or lower.size is None:
        return None
    if _size_key(upper.size) != _size_key(lower.size) or upper.size <= 0:
        return None
    gap = upper.y - lower.y
    return gap if 0.8 * upper.size <= gap <= 3 * upper.size else None


def _pitches(pages: Sequence[Sequence[_Line]]) -> dict[float, float]:
    """The line spacing of each font size whose paragraphs the document visibly spaces."""
    gaps: dict[float, list[float]] = defaultdict(list)
    for page in pages:
        for upper, lower in itertools.pairwise(page):
            gap = _gap(upper, lower)
            if gap is not None and upper.size is not None:
                gaps[_size_key(upper.size)].append(round(gap, 1))
    pitches = {}
    for size, found in gaps.items():
        tightest = min(found)
        wide = sum(gap > tightest * _PARAGRAPH_GAP for gap in found)
        # Two or more wide gaps, and not a stray one in pages of tight lines.
        if wide >= 2 and wide * 10 >= len(found) - wide:
            pitches[size] = tightest
    return pitches


def _continues(upper: _Line, lower: _Line, pitches: dict[float, float], longest: dict[float, int]) -> bool:
    """Whether the lower line is the upper line's paragraph wrapped onto the next line."""
    gap = _gap(upper, lower)
    if gap is None or upper.size is None or upper.x is None or lower.x is None:
        return False
    size = _size_key(upper.size)
    if size not in pitches or gap > pitches[size] * _SAME_PARAGRAPH:
        return False
    if len(upper.text) < longest[size] * _FULL_LINE or lower.x > upper.x + 1:
        return False
    return not (_SENTENCE_END.search(upper.text) and _SPEAKER_START.match(lower.text))


def _glue(text: str, more: str) -> str:
    """Two lines of a paragraph as one, undoing a hyphenation at the line end."""
    if text.endswith("\u00ad"):
        return text[:-1] + more
    if len(text) > 1 and text[-1] == "-" and text[-2].isalpha():
        return text + more
    return f"{text} {more}"
