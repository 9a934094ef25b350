"""The quote book: every coded segment's quote under its theme or code, in Word.

Like a qualitative package's node summary: one heading per theme (or code)
with its definition, then each coded segment's quote (the analyst's ``Quote``
cell, else the turn's Text) cited ``(P07, fg1; fg1-012)``. The segments the
analyst marked as exemplars come first, labelled; the rest follow in the
order of the transcripts. The text is the tables' text, already de-identified.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.codebook import Codebook
from radar.errors import RadarError
from radar.files import check_overwrite
from radar.folder import Folder
from radar.formats import save_docx
from radar.quotes import quote_text, quoted_words
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import segment_number
from radar.themes import theme_label

if TYPE_CHECKING:
    import pandas as pd

BY = ("theme", "code")
EXEMPLAR_LABEL = "Exemplar"


def write_quote_book(
    folder: Folder, out: str | os.PathLike[str], by: str = "theme", *, force: bool = False
) -> Path:
    """Write the study's quote book (Word) from the workbook as it is now; returns its path.

    Args:
        folder: the study.
        out: the .docx to write; an existing file is replaced only with ``force``.
        by: one heading per ``theme`` or per ``code``.
        force: replace an existing ``out``.
    """
    if by not in BY:
        raise RadarError(f"a quote book is arranged by theme or by code, not {by!r}")
    path = check_overwrite(out, force)
    codebook = folder.codebook()
    tables = tables_from_workbook(folder, codebook)
    document = quote_book_document(
        tables.phase3, codebook, by, title=f"Quote book: {folder.root.resolve().name}"
    )
    save_docx(document, path)
    return path


def quote_book_document(
    coded: pd.DataFrame, codebook: Codebook, by: str = "theme", title: str = "Quote book"
) -> Any:
    """The quote book as a python-docx Document (see the module docs)."""
    from docx import Document

    document = Document()
    document.add_heading(title, 0)
    unit = "theme" if by == "theme" else "code"
    document.add_paragraph(
        f"Every coded segment's quote, one heading per {unit}. Exemplars the analyst marked in the "
        f"{C.EXEMPLAR} column come first; a quote is the {C.QUOTE} cell of sheet {C.SHEET_PHASE3!r} "
        f"where the analyst trimmed the turn, else the turn's text. Each is cited (participant, group; "
        f"Segment ID)."
    )
    quoted = quoted_words(coded)
    for heading, definition, rows in _sections(coded, codebook, by):
        document.add_heading(heading, 1)
        if definition:
            document.add_paragraph(definition)
        entries = _entries(rows, quoted)
        if not entries:
            document.add_paragraph("No coded segments.")
            continue
        voices = len({entry[1][C.PARTICIPANT] for entry in entries})
        document.add_paragraph(f"{_count(len(entries), 'segment')} from {_count(voices, 'participant')}.")
        for marked, row, text in entries:
            paragraph = document.add_paragraph(style="Quote")
            if marked:
                paragraph.add_run(f"{EXEMPLAR_LABEL}. ").bold = True
            paragraph.add_run(f"\u201c{text}\u201d ")  # the Quote style sets it in italics
            paragraph.add_run(citation(row)).italic = False  # the ID is not a quote
    return document


def citation(row: Mapping[Any, object]) -> str:
    """A quote book's ID for a segment: ``(P07, fg1; fg1-012)``."""
    return f"({row[C.PARTICIPANT]}, {row[C.GROUP]}; {row[C.SEGMENT_ID]})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _sections(coded: pd.DataFrame, codebook: Codebook, by: str) -> list[tuple[str, str, pd.DataFrame]]:
    """(heading, definition, rows) per theme, or per code with its theme named, in codebook order."""
    sections = []
    for theme in codebook.themes:
        if by == "theme":
            rows = coded[coded[C.THEME] == theme.name]
            sections.append((theme_label(theme.name, codebook), theme.definition.strip(), rows))
            continue
        for code in theme.codes:
            rows = coded[coded[C.CODE] == code.name]
            about = f"Theme: {theme.name}." + (
                f" {code.definition.strip()}" if code.definition.strip() else ""
            )
            sections.append((code.name, about, rows))
    return sections


def _entries(rows: pd.DataFrame, quoted: Mapping[str, str]) -> list[tuple[bool, Mapping[Any, object], str]]:
    """One (marked, row, quote) per segment: marked exemplars first, then by group and turn."""
    by_segment: dict[str, tuple[bool, Mapping[Any, object]]] = {}
    for row in rows.to_dict("records"):
        sid = str(row[C.SEGMENT_ID])
        marked = bool(str(row.get(C.EXEMPLAR) or "").strip())
        if sid not in by_segment or (marked and not by_segment[sid][0]):
            by_segment[sid] = (marked, row)
    ordered: Sequence[tuple[bool, Mapping[Any, object]]] = sorted(
        by_segment.values(),
        key=lambda pair: (not pair[0], str(pair[1][C.GROUP]), segment_number(str(pair[1][C.SEGMENT_ID]))),
    )
    return [(marked, row, quote_text(row, quoted)) for marked, row in ordered]
