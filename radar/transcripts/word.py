"""Word transcripts (.docx): labelled paragraphs, bold names, header lines and speaker tables.

A paragraph starts a turn with ``Name: text``, a bold speaker name (with or
without a colon), or a header line with the label and its time and the text in
the next paragraph (Otter's and Word Transcribe's ``Name  00:13``, Rev's
``Name (00:00:00):``). A two-column speaker | text table, or a time | speaker |
text table, gives a turn per row. Headings stay front matter or text; deleted
tracked changes and text boxes are left out, insertions kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, cast

from radar.errors import TranscriptError
from radar.safety import check_package
from radar.transcripts.labels import (
    METADATA_WORDS,
    TIME_ONLY,
    header_line,
    hms,
    key,
    known_key,
    label_evidence,
    normalise,
    split_label,
)
from radar.transcripts.model import Evidence, Piece, Reading
from radar.transcripts.text import FOOTER
from radar.word import docx_read_errors

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.text.run import CT_R
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

SUFFIXES = (".docx",)

_REV_HEADER = re.compile(r"[\[(]\d[\d:.]*[\])]:?$")  # ``Name (00:00:07):``, ``Name [00:00:05]``
_HEADER_SPEAKERS = frozenset({"speaker", "speakers", "speaker name", "name", "who", "person"})
_HEADER_TEXTS = frozenset({"text", "transcript", "speech", "utterance", "content", "dialogue"})
_HEADER_TIMES = frozenset({"time", "timestamp", "start", "start time"})
_HEADING_STYLES = ("Heading", "Title", "Subtitle")
# Word elements whose runs are not the paragraph's live text: deletions, moved-away
# text, the fallback copy of a drawing, and text boxes (paragraphs of their own).
_DEAD_RUN_CONTAINERS = ("}del", "}moveFrom", "}Fallback", "}txbxContent")


def read(data: bytes, name: str, known: Collection[str]) -> Reading:
    """Pieces of a Word file: paragraphs and table rows in document order."""
    from docx.table import Table

    pieces: list[Piece] = []
    source: list[tuple[int, str]] = []
    left_out: list[tuple[int, str]] = []
    number = 0
    for block in _open(data, name).iter_inner_content():
        if isinstance(block, Table):
            rows = [_row_texts(row.cells) for row in block.rows]
            source += [(number + i + 1, " ".join(cells)) for i, cells in enumerate(rows)]
            table_pieces, header = _table_pieces(rows, number, known)
            pieces.extend(table_pieces)
            left_out.extend(header)
            number += len(block.rows)
        else:
            number += 1
            runs = _paragraph_runs(block)
            text = "".join(run.text for run in runs)
            source.append((number, text))
            if FOOTER.match(normalise(text)):
                left_out.append((number, text))
            else:
                pieces.extend(_paragraph_pieces(block, runs, number, known))
    headers = [p.raw for p in pieces if p.omitted == p.raw and p.label is not None]
    shape = "docx"
    if headers and len(headers) * 2 >= sum(p.label is not None for p in pieces):
        rev = sum(bool(_REV_HEADER.search(raw)) for raw in headers)
        shape = "rev" if rev * 2 > len(headers) else "otter-docx"
    return Reading(shape, "docx", pieces, source, left_out)


def _open(data: bytes, name: str) -> Document:
    import docx

    if not data:
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    check_package(data, name, TranscriptError)
    try:
        return docx.Document(io.BytesIO(data))
    except docx_read_errors() as error:
        raise TranscriptError(
            f"{name}: this is not a Word .docx file (an old .doc or another file renamed?); "
            "open it in Word and save it as .docx"
        ) from error


def _paragraph_pieces(
    paragraph: Paragraph, runs: Sequence[Run], number: int, known: Collection[str]
) -> list[Piece]:
    """Pieces of one paragraph: one per line (soft line breaks split lines)."""
    lines = "".join(run.text for run in runs).split("\n")
    style = paragraph.style.name if paragraph.style is not None else None
    if style and style.startswith(_HEADING_STYLES):
        return [Piece(raw, number, text=raw) for raw in map(normalise, lines) if raw]
    pieces = []
    header = header_line(normalise(lines[0]), known) if len(lines) == 1 else None
    bold = _bold_label(runs, known) if header is None else None
    if header is not None:
        raw = normalise(lines[0])
        return [Piece(raw, number, header.label, "", header.start, Evidence.CERTAIN, raw, raw)]
    if bold is not None:
        label, rest = bold
        raw = normalise(lines[0])
        lines = rest.split("\n")
        text = normalise(lines[0])
        omitted = raw[: len(raw) - len(text)] if text and raw.endswith(text) else raw
        pieces.append(Piece(raw, number, label, text, "", Evidence.SHAPED, omitted, raw))
        lines = lines[1:]
    for raw in map(normalise, lines):
        if raw:
            pieces.append(_line_piece(raw, number, known))
    return pieces


def _line_piece(raw: str, number: int, known: Collection[str]) -> Piece:
    split = split_label(raw, known)
    if split is None:
        return Piece(raw, number, text=raw)
    text = normalise(split.text)
    return Piece(
        raw, number, split.label, text, split.start, split.evidence, split.omitted, raw[split.label_at :]
    )


def _paragraph_runs(paragraph: Paragraph) -> list[Run]:
    """The paragraph's runs in order, with hyperlinks and tracked insertions, without deletions.

    ``Paragraph.text`` leaves out text inserted with track changes on, which
    edited transcripts often hold.
    """
    from docx.oxml.ns import qn
    from docx.text.run import Run

    element = paragraph._p
    return [
        Run(cast("CT_R", run), paragraph) for run in element.iter(qn("w:r")) if _is_live_run_of(run, element)
    ]


def _is_live_run_of(run: BaseOxmlElement, paragraph: BaseOxmlElement) -> bool:
    """Whether a run belongs to the paragraph itself and is not deleted text."""
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag.endswith(_DEAD_RUN_CONTAINERS):
            return False
        parent = parent.getparent()
    return parent is paragraph


def _bold_label(runs: Sequence[Run], known: Collection[str]) -> tuple[str, str] | None:
    """``(label, rest of the text)`` when the runs start with a bold speaker name.

    A bold ``Name:`` or a bold ``Name`` followed by ``:`` or by text counts; a
    paragraph that is all bold without a colon counts only for a known speaker,
    so that bold titles stay front matter.
    """
    bold = _bold_prefix(runs).strip()
    full = "".join(run.text for run in runs).lstrip()
    if not bold or not full.startswith(bold):
        return None
    rest = full[len(bold) :]
    if ":" in bold:
        label, after = bold.split(":", 1)
        rest = after + rest
    elif rest.lstrip().startswith(":"):
        label, rest = bold, rest.lstrip()[1:]
    elif rest.strip() or known_key(bold) in known:
        label = bold
    else:
        return None
    evidence = label_evidence(label.strip(), known)
    return (normalise(label), rest) if evidence is not None and evidence >= Evidence.SHAPED else None


def _bold_prefix(runs: Iterable[Run]) -> str:
    """The text of the bold runs that open a paragraph."""
    prefix: list[str] = []
    for run in runs:
        if not prefix and not run.text.strip():
            continue
        if not (run.bold or (run.bold is None and run.style is not None and run.style.font.bold)):
            break
        prefix.append(run.text)
    return "".join(prefix)


def _table_pieces(
    rows: Sequence[Sequence[str]], before: int, known: Collection[str]
) -> tuple[list[Piece], list[tuple[int, str]]]:
    """Pieces of a table (one per row of a speaker | text table, else its cells' lines) and its header row."""
    layout = _table_layout(rows)
    pieces: list[Piece] = []
    header: list[tuple[int, str]] = []
    for index, cells in enumerate(rows):
        number = before + index + 1
        if layout is None or len(cells) != len(layout):
            lines = (normalise(line) for cell in cells for line in cell.split("\n"))
            pieces.extend(_line_piece(raw, number, known) for raw in lines if raw)
        elif index == 0 and _is_header_row(cells, layout):
            header.append((number, " ".join(cells)))
        else:
            piece = _row_piece(cells, layout, number, known)
            if piece is not None:
                pieces.append(piece)
    return pieces, header


def _row_texts(cells: Sequence[_Cell]) -> list[str]:
    """The text of each distinct cell in a row (merged cells count once)."""
    seen: list[object] = []
    texts = []
    for cell in cells:
        if not any(cell._tc is tc for tc in seen):
            seen.append(cell._tc)
            texts.append("\n".join(_paragraph_text(p) for p in cell.paragraphs))
    return texts


def _paragraph_text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in _paragraph_runs(paragraph))


def _table_layout(rows: Sequence[Sequence[str]]) -> tuple[str, ...] | None:
    """The columns of a transcript table, or None for any other table."""
    width = max((len(cells) for cells in rows), default=0)
    if width == 2:
        return ("speaker", "text")
    firsts = [normalise(cells[0]) for cells in rows[1:] if len(cells) == 3]
    if width == 3 and any(firsts) and all(not f or TIME_ONLY.match(f) for f in firsts):
        return ("time", "speaker", "text")
    return None


def _is_header_row(cells: Sequence[str], layout: Sequence[str]) -> bool:
    column = dict(zip(layout, (key(cell).rstrip(":") for cell in cells), strict=True))
    return (
        column["speaker"] in _HEADER_SPEAKERS
        or column["text"] in _HEADER_TEXTS
        or column.get("time") in _HEADER_TIMES
    )


def _row_piece(
    cells: Sequence[str], layout: Sequence[str], number: int, known: Collection[str]
) -> Piece | None:
    """The piece of one speaker | text row; an empty speaker cell continues the turn."""
    column = dict(zip(layout, map(normalise, cells), strict=True))
    speaker = column["speaker"].rstrip(":").rstrip()
    text = column["text"]
    time = TIME_ONLY.match(column.get("time", ""))
    start = hms(time["time"]) if time else ""
    raw = " ".join(cell for cell in column.values() if cell)
    if not raw:
        return None
    omitted = " ".join(filter(None, (column.get("time", ""), column["speaker"])))
    metadata = any(word.casefold() in METADATA_WORDS for word in speaker.split())
    if not speaker or (metadata and known_key(speaker) not in known):
        return Piece(
            raw,
            number,
            text=" ".join(filter(None, (speaker, text))),
            start=start,
            omitted=column.get("time", ""),
        )
    return Piece(raw, number, speaker, text, start, Evidence.CERTAIN, omitted, raw)
