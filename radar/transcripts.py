"""Transcripts as they arrive, read into speaker turns.

:func:`read_transcript` takes a transcript in any of the shapes research teams
receive and returns its speaker turns. The shape is detected from the suffix and
the content, never asked for:

* ``.vtt`` from Zoom (``Display Name: text`` cues) or Teams (``<v Name>text</v>``);
* ``.srt`` captions, usually ``Name: text``;
* ``.txt`` from Otter (``Speaker Name  0:42`` alone on a line, the text below) or
  typed by hand (``P1:``, ``Participant 3:``, ``Moderator:``, ``[00:01:23] Name:``);
* ``.docx`` with ``Name: text`` paragraphs, bold speaker names, or a
  speaker | text (or time | speaker | text) table.

A turn is a maximal run of one speaker's text: consecutive cues, lines or
paragraphs of the same speaker merge, and an unlabelled line or paragraph
continues the previous speaker. Text before the first speaker is front matter.
Non-speech markers such as ``[inaudible]`` stay in the text; use
:func:`is_non_speech` to find turns that hold nothing else.

Speaker labels in typed text are found by a heuristic, since a colon also
appears in ordinary sentences. A line starts a turn when it begins, optionally
after a ``[HH:MM:SS]`` time, with a label followed by ``:`` and then text or the
end of the line, where the label

* has at most 4 words and 40 characters;
* starts with a capital, and every word is capitalised (``Maria``, ``Dr.``,
  ``Note-taker``), a number (``Participant 3``), a name particle
  (``Maria de la Cruz``) or in parentheses (``Sam (facilitator)``);
* holds no common sentence word (``So``, ``Yes``, ``The``, ``I think``...) and
  no front-matter word (``Date``, ``Location``, ``Focus Group``, ``Session``...);
* is not followed by a digit or ``//``, so times (``10:30``) and URLs never count.

A single capital letter (``Q:``, ``A:``, ``I:``, ``R:``) is a label too. Caption
files (``.vtt``, ``.srt``) and Otter headers are written by software, so there
the label may also be lowercase or hold other characters (``maria (she/her)``),
up to 6 words, still without sentence words. In a Word table the speaker column
is taken as written, unless it holds a front-matter word.

With ``known_speakers`` (the labels of the study's speakers.csv), a known label
always counts, whatever the heuristic says, and ``Label:`` lines before the
first known speaker are front matter (``Date: 3 May``, ``Observer: J. Novak``).
After that, an unknown label still starts a turn, so the caller can warn.
"""

from __future__ import annotations

import codecs
import html
import io
import os
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from radar.errors import TranscriptError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.text.run import CT_R
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = ["TRANSCRIPT_SUFFIXES", "Transcript", "Turn", "is_non_speech", "read_transcript"]

TRANSCRIPT_SUFFIXES = (".docx", ".txt", ".vtt", ".srt")

MAX_LABEL_WORDS = 4
MAX_CAPTION_LABEL_WORDS = 6
MAX_LABEL_CHARS = 40

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LABEL_LINE = re.compile(
    rf"^(?:(?:\[(?P<t1>{_TIME})\]|\((?P<t2>{_TIME})\)|(?P<t3>{_TIME})(?=\s))\s*)?"
    r"(?P<label>[^:\[\]]{1,60}?)\s*:(?![\d/])\s*(?P<text>.*)$"
)
_TIME_ONLY = re.compile(rf"^\s*[\[(]?(?P<time>{_TIME})[\])]?\s*$")
_CUE_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]*)>(?P<text>.*?)(?:</v>|(?=<v[\s.])|\Z)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[^<>]*>")
_OTTER_HEADER = re.compile(r"^(?P<label>\S(?:.*?\S)?)(?P<gap>\s+)(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})$")
_OTTER_FOOTER = re.compile(r"^Transcribed by https?://otter\.ai/?$", re.IGNORECASE)
_MARKER = re.compile(r"\[[^\[\]]*\]")
_NAME_WORD = re.compile(r"^(?:\d+|[^\W\d_][\w.'\u2019-]*|\([^()]*\))$")
_CAPTION_FORBIDDEN = frozenset(':?!"“”[]')


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


# Words that start or fill sentences, never speaker labels ("Yes: absolutely").
# Short words that are also given names (An, Do, May, Will) are left out.
_SENTENCE_WORDS = _words(
    """
    a the and or but so because if then than when while where what which whom whose why how
    that this these those there here it its it's i'm i've i'd me my mine we we're us our you
    you're your he she his her him they they're them their is are was were be been being am
    does did done have has had would can could should shall might must not no yes yeah yep nope
    ok okay well oh um uh hmm like just really actually basically honestly absolutely
    definitely exactly sure right maybe also too very some any every each of to in on at by for
    with from about as into over after before again still only even now first second finally
    thing things think thought mean meant know say said says see look example e.g i.e ps
    p.s fyi re reminder update important warning tip step result results goal plan rule rules
    point problem reason summary conclusion please thanks thank hello hi dear
    """
)
# Words of a transcript's front matter, never speaker labels ("Date: 3 May").
_METADATA_WORDS = _words(
    """
    date dates time times location venue place site setting title duration length transcript
    transcription transcriber transcribed recording recorded audio video file filename project
    study session focus interview meeting topic subject attendees attendance participants
    present absent apologies language notes note consent agenda
    """
)
_PARTICLES = _words("de la le du des del della di da dos das do van von der den ter ten bin ibn al el y st.")
_HEADER_SPEAKERS = frozenset({"speaker", "speakers", "speaker name", "name", "who", "person"})
_HEADER_TEXTS = frozenset({"text", "transcript", "speech", "utterance", "content", "dialogue"})
_HEADER_TIMES = frozenset({"time", "timestamp", "start", "start time"})
_HEADING_STYLES = ("Heading", "Title", "Subtitle")
# Word elements whose runs are not the paragraph's live text: deletions, moved-away
# text, the fallback copy of a drawing, and text boxes (paragraphs of their own).
_DEAD_RUN_CONTAINERS = ("}del", "}moveFrom", "}Fallback", "}txbxContent")


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted contribution.

    Attributes:
        speaker: The label as written, whitespace-normalised ("Maria Lopez", "P1").
        text: The merged text; cues, lines and paragraphs joined with one space.
        start: "HH:MM:SS" of the turn's first cue or label where the format has
            times, else "".
        line: Where the turn begins, counting from 1: the line number in a text
            file (the cue's first text line in captions); in a Word file, the
            position among the document's paragraphs and table rows.
    """

    speaker: str
    text: str
    start: str
    line: int


@dataclass(frozen=True)
class Transcript:
    """A transcript read into speaker turns.

    Attributes:
        path: The file as given.
        group: The focus group or interview: the file stem.
        format: "zoom-vtt", "teams-vtt", "srt", "otter", "text" or "docx".
        encoding: "utf-8", "utf-8-sig", "cp1252" or "docx".
        turns: The speaker turns in order.
        front_matter: Lines or paragraphs before the first speaker (title, date...).
    """

    path: Path
    group: str
    format: str
    encoding: str
    turns: tuple[Turn, ...]
    front_matter: tuple[str, ...]


@dataclass(frozen=True)
class _Piece:
    """One cue, line, paragraph or table row, before pieces merge into turns."""

    raw: str
    line: int
    label: str | None = None
    text: str = ""
    start: str = ""
    certain: bool = False  # labelled by markup (Teams voice tag, Otter header), not by a colon


@dataclass
class _Draft:
    """A turn being built."""

    speaker: str
    start: str
    line: int
    texts: list[str] = field(default_factory=list)


def read_transcript(
    path: str | os.PathLike[str], known_speakers: Collection[str] | None = None
) -> Transcript:
    """Read a transcript file into speaker turns.

    Args:
        path: A ``.docx``, ``.txt``, ``.vtt`` or ``.srt`` file.
        known_speakers: The study's speaker labels (matched case-insensitively).
            When given, label-shaped lines before the first known speaker are
            front matter, and known labels always count as labels.

    Returns:
        The transcript with its turns and front matter.

    Raises:
        TranscriptError: The file has an unsupported suffix, cannot be read or
            decoded, is not a Word file, is empty, or holds no speaker turns.

    Example:
        >>> transcript = read_transcript("fg1.vtt")  # doctest: +SKIP
        >>> transcript.turns[0].speaker  # doctest: +SKIP
        'Dana Whitfield'
    """
    source = Path(path)
    name = source.name or str(path)
    suffix = source.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise TranscriptError(_unsupported_message(name, suffix))
    known = _known_keys(known_speakers)
    data = _read_bytes(source, name)
    if suffix == ".docx":
        shape, encoding, pieces = "docx", "docx", _docx_pieces(data, name, known)
    else:
        text, encoding = _decode(data, name)
        shape, pieces = _text_pieces(text, suffix, known)
    if not pieces:
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    turns, front_matter = _assemble(pieces, known)
    if not turns:
        raise TranscriptError(_no_turns_message(name, shape, bool(known)))
    return Transcript(source, source.stem, shape, encoding, turns, front_matter)


def is_non_speech(text: str) -> bool:
    """Whether a text holds only non-speech markers, punctuation and space.

    A marker is anything in square brackets: ``[inaudible]``,
    ``[inaudible 00:12:03]``, ``[crosstalk]``, ``[laughter]``, ``[pause]``.

    Example:
        >>> is_non_speech("[inaudible 00:12:03] ... [crosstalk]")
        True
        >>> is_non_speech("[laughter] Yes!")
        False
    """
    return not any(char.isalnum() for char in _MARKER.sub(" ", text))


# Messages ------------------------------------------------------------------


def _unsupported_message(name: str, suffix: str) -> str:
    supported = ", ".join(TRANSCRIPT_SUFFIXES)
    if suffix == ".doc":
        return f"{name}: old Word .doc files are not read; open it in Word and save it as .docx"
    kind = f"'{suffix}'" if suffix else "a file without a suffix"
    return f"{name}: {kind} is not a transcript type radar reads; save it as one of {supported}"


def _no_turns_message(name: str, shape: str, with_known: bool) -> str:
    if with_known:
        how = (
            "none of the known speakers starts a line or cue; check that the labels in the "
            "speakers list match the ones in the transcript (`P1: ...`)"
        )
    elif shape in ("zoom-vtt", "teams-vtt", "srt"):
        how = "export the captions with speaker names, so each cue starts with `Name: text`"
    else:
        how = (
            "start each turn with the speaker's label, as `Name: text` lines or paragraphs "
            "(`P1: ...`, `Moderator: ...`), or use a two-column speaker | text table in Word"
        )
    return f"{name}: no speaker turns found; {how}"


# Reading and decoding ------------------------------------------------------


def _read_bytes(source: Path, name: str) -> bytes:
    """The file's bytes, or a TranscriptError saying why they cannot be read."""
    try:
        return source.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise TranscriptError(
            f"{name}: cannot be read ({reason}); check the path and that the file is not "
            "open in another program"
        ) from error


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file: UTF-8 with or without BOM, else Windows-1252.

    Returns:
        The text with every line ending made a newline, and the encoding used.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TranscriptError(f"{name}: the file is UTF-16 text; save it as UTF-8 and try again")
    if data.startswith(b"PK\x03\x04"):
        raise TranscriptError(
            f"{name}: this is a Word or zip file, not plain text; "
            "if it is a Word document, rename it to .docx"
        )
    if b"\x00" in data:
        raise TranscriptError(f"{name}: this is not a text file; export the transcript as text")
    text, encoding = _decode_text(data, name)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    codecs_to_try = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp1252")
    for codec in codecs_to_try:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise TranscriptError(
        f"{name}: cannot be decoded as UTF-8 or Windows-1252 text; save it as UTF-8 and try again"
    )


def _known_keys(known_speakers: Collection[str] | None) -> frozenset[str]:
    return frozenset(_key(label) for label in known_speakers or () if label.strip())


def _key(label: str) -> str:
    """How labels compare: whitespace-normalised and case-folded."""
    return _normalise(label).casefold()


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _hms(stamp: str) -> str:
    """A time such as ``0:42``, ``1:02:03`` or ``00:02:24.720`` as ``HH:MM:SS``."""
    seconds = 0
    for part in re.split(r"[.,]", stamp)[0].split(":"):
        seconds = seconds * 60 + int(part)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


# Labels --------------------------------------------------------------------


def _is_label(label: str, known: frozenset[str], *, lenient: bool = False, metadata: bool = True) -> bool:
    """Whether a candidate label names a speaker (see the module docstring).

    Args:
        label: The candidate, without its colon.
        known: Known speaker keys; a known label always counts.
        lenient: Accept any characters and lowercase words, as software writes
            them in captions and Otter headers.
        metadata: Reject labels holding a front-matter word.
    """
    if _key(label) in known:
        return True
    words = label.split()
    if not words or len(label) > MAX_LABEL_CHARS:
        return False
    if len(label) == 1:
        return label.isupper()
    bare = [word.casefold().strip(".,'\u2019-()") for word in words]
    if not any(char.isalpha() for char in label) or _SENTENCE_WORDS.intersection(bare):
        return False
    if metadata and _METADATA_WORDS.intersection(bare):
        return False
    if lenient:
        return len(words) <= MAX_CAPTION_LABEL_WORDS and not _CAPTION_FORBIDDEN.intersection(label)
    return (
        len(words) <= MAX_LABEL_WORDS and words[0][0].isupper() and all(_is_name_word(word) for word in words)
    )


def _is_name_word(word: str) -> bool:
    if not _NAME_WORD.match(word):
        return False
    return word[0].isupper() or word[0] in "(0123456789" or word in _PARTICLES


def _split_label(line: str, known: frozenset[str], *, lenient: bool = False) -> tuple[str | None, str, str]:
    """Split ``[time] Label: text`` into label, text and start.

    Returns:
        ``(label, text, start)``; ``(None, line, "")`` when the line has no label.
    """
    match = _LABEL_LINE.match(line)
    if match is None:
        return None, line, ""
    label = _normalise(match["label"])
    if not _is_label(label, known, lenient=lenient, metadata=not lenient):
        return None, line, ""
    stamp = match["t1"] or match["t2"] or match["t3"]
    return label, match["text"], _hms(stamp) if stamp else ""


def _labelled_piece(
    raw: str, number: int, known: frozenset[str], *, lenient: bool = False, start: str = ""
) -> _Piece:
    """A piece from one line of text that may start with a label."""
    label, text, stamp = _split_label(raw, known, lenient=lenient)
    return _Piece(raw, number, label, _normalise(text), stamp or start)


# Text files ----------------------------------------------------------------


def _text_pieces(text: str, suffix: str, known: frozenset[str]) -> tuple[str, list[_Piece]]:
    """Detect the shape of a decoded text file and split it into pieces."""
    lines = text.split("\n")
    if suffix in (".vtt", ".srt") or _looks_like_captions(lines):
        return _caption_pieces(lines, suffix, known)
    otter_headers = sum(_otter_header(line.strip(), known) is not None for line in lines)
    labels = sum(_split_label(line.strip(), known)[0] is not None for line in lines)
    if otter_headers > labels:
        return "otter", _otter_pieces(lines, known)
    return "text", _typed_pieces(lines, known)


def _looks_like_captions(lines: Sequence[str]) -> bool:
    """Whether a .txt file holds WebVTT or SRT captions."""
    first = next((line.strip() for line in lines if line.strip()), "")
    return first.startswith("WEBVTT") or any(_CUE_TIMING.match(line) for line in lines)


def _typed_pieces(lines: Sequence[str], known: frozenset[str]) -> list[_Piece]:
    pieces = []
    for number, line in enumerate(lines, start=1):
        raw = _normalise(line)
        if raw:
            pieces.append(_labelled_piece(raw, number, known))
    return pieces


def _otter_header(line: str, known: frozenset[str]) -> tuple[str, str] | None:
    """``(label, start)`` when a line is an Otter header like ``Speaker 1  1:02:03``."""
    match = _OTTER_HEADER.match(line)
    if match is None:
        return None
    label = match["label"]
    wide_gap = len(match["gap"]) > 1 or "\t" in match["gap"]
    if not (_is_label(label, known) or (wide_gap and _is_label(label, known, lenient=True))):
        return None
    return _normalise(label), _hms(match["time"])


def _otter_pieces(lines: Sequence[str], known: frozenset[str]) -> list[_Piece]:
    pieces = []
    for number, line in enumerate(lines, start=1):
        raw = _normalise(line)
        if not raw or _OTTER_FOOTER.match(raw):
            continue
        header = _otter_header(line.strip(), known)
        if header is None:
            pieces.append(_Piece(raw, number, text=raw))
        else:
            pieces.append(_Piece(raw, number, header[0], start=header[1], certain=True))
    return pieces


# Captions (WebVTT, SRT) ----------------------------------------------------


def _caption_pieces(lines: Sequence[str], suffix: str, known: frozenset[str]) -> tuple[str, list[_Piece]]:
    """Pieces of a WebVTT or SRT file, one or more per cue, and its format."""
    pieces: list[_Piece] = []
    voiced = False
    for number, start, payload in _cues(lines):
        cue = "\n".join(payload)
        if _VOICE.search(cue):
            voiced = True
            pieces.extend(_voice_pieces(cue, number, start))
        else:
            raw = _normalise(_clean_cue(cue))
            if raw:
                pieces.append(_labelled_piece(raw, number, known, lenient=True, start=start))
    first = next((line.strip() for line in lines if line.strip()), "")
    is_vtt = suffix == ".vtt" or (suffix != ".srt" and first.startswith("WEBVTT"))
    shape = ("teams-vtt" if voiced else "zoom-vtt") if is_vtt else "srt"
    return shape, pieces


def _cues(lines: Sequence[str]) -> Iterator[tuple[int, str, list[str]]]:
    """``(line number of the first text line, start, text lines)`` for each cue.

    Blocks without a timing line (the WEBVTT header, NOTE and STYLE blocks) are skipped.
    """
    for block in _blocks(lines):
        timing = next((i for i, (_, line) in enumerate(block) if _CUE_TIMING.match(line)), None)
        if timing is None or timing + 1 >= len(block):
            continue
        match = _CUE_TIMING.match(block[timing][1])
        assert match is not None  # found by the search above
        payload = block[timing + 1 :]
        yield payload[0][0], _hms(match["start"]), [line for _, line in payload]


def _blocks(lines: Sequence[str]) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines with their 1-based line numbers."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _voice_pieces(cue: str, number: int, start: str) -> list[_Piece]:
    """Pieces of a Teams cue: one per ``<v Name>`` span, plus any text before it."""
    pieces = []
    first = _VOICE.search(cue)
    before = _normalise(_clean_cue(cue[: first.start()])) if first else ""
    if before:
        pieces.append(_Piece(before, number, text=before, start=start))
    for match in _VOICE.finditer(cue):
        speaker = _normalise(html.unescape(match["name"]))
        text = _normalise(_clean_cue(match["text"]))
        raw = f"{speaker}: {text}" if text else speaker
        pieces.append(_Piece(raw, number, speaker or None, text, start, certain=bool(speaker)))
    return pieces


def _clean_cue(text: str) -> str:
    """Cue text without markup tags (``<i>``, ``<c.x>``) or HTML entities."""
    return html.unescape(_TAG.sub("", text))


# Word files ----------------------------------------------------------------


def _docx_pieces(data: bytes, name: str, known: frozenset[str]) -> list[_Piece]:
    """Pieces of a Word file: paragraphs and table rows in document order."""
    from docx.table import Table

    pieces: list[_Piece] = []
    number = 0
    for block in _open_docx(data, name).iter_inner_content():
        if isinstance(block, Table):
            pieces.extend(_table_pieces(block, number, known))
            number += len(block.rows)
        else:
            number += 1
            pieces.extend(_paragraph_pieces(block, number, known))
    return pieces


def _open_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data:
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    try:
        return docx.Document(io.BytesIO(data))
    # A damaged or renamed package fails in any of these ways while it is parsed.
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as error:
        raise TranscriptError(
            f"{name}: this is not a Word .docx file (an old .doc or another file renamed?); "
            "open it in Word and save it as .docx"
        ) from error


def _paragraph_pieces(paragraph: Paragraph, number: int, known: frozenset[str]) -> list[_Piece]:
    """Pieces of one paragraph: one per line (soft line breaks split lines)."""
    runs = _paragraph_runs(paragraph)
    lines = "".join(run.text for run in runs).split("\n")
    style = paragraph.style.name if paragraph.style is not None else None
    if style and style.startswith(_HEADING_STYLES):
        return [_Piece(raw, number, text=raw) for raw in map(_normalise, lines) if raw]
    pieces = []
    bold = _bold_label(runs, known)
    if bold is not None:
        label, rest = bold
        raw = _normalise(lines[0])
        lines = rest.split("\n")
        pieces.append(_Piece(raw, number, label, _normalise(lines[0])))
        lines = lines[1:]
    for raw in map(_normalise, lines):
        if raw:
            pieces.append(_labelled_piece(raw, number, known))
    return pieces


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


def _bold_label(runs: Sequence[Run], known: frozenset[str]) -> tuple[str, str] | None:
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
    elif rest.strip() or _key(bold) in known:
        label = bold
    else:
        return None
    return (_normalise(label), rest) if _is_label(label.strip(), known) else None


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


def _table_pieces(table: Table, before: int, known: frozenset[str]) -> list[_Piece]:
    """Pieces of a table: one per row of a speaker | text table, else its cells' lines."""
    rows = [_row_texts(row.cells) for row in table.rows]
    layout = _table_layout(rows)
    pieces: list[_Piece] = []
    for index, cells in enumerate(rows):
        number = before + index + 1
        if layout is None or len(cells) != len(layout):
            pieces.extend(_loose_pieces(cells, number, known))
        elif not (index == 0 and _is_header_row(cells, layout)):
            piece = _row_piece(cells, layout, number, known)
            if piece is not None:
                pieces.append(piece)
    return pieces


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
    firsts = [_normalise(cells[0]) for cells in rows[1:] if len(cells) == 3]
    if width == 3 and any(firsts) and all(not f or _TIME_ONLY.match(f) for f in firsts):
        return ("time", "speaker", "text")
    return None


def _is_header_row(cells: Sequence[str], layout: Sequence[str]) -> bool:
    column = dict(zip(layout, (_key(cell).rstrip(":") for cell in cells), strict=True))
    return (
        column["speaker"] in _HEADER_SPEAKERS
        or column["text"] in _HEADER_TEXTS
        or column.get("time") in _HEADER_TIMES
    )


def _row_piece(
    cells: Sequence[str], layout: Sequence[str], number: int, known: frozenset[str]
) -> _Piece | None:
    """The piece of one speaker | text row; an empty speaker cell continues the turn."""
    column = dict(zip(layout, map(_normalise, cells), strict=True))
    speaker = column["speaker"].rstrip(":").rstrip()
    text = column["text"]
    time = _TIME_ONLY.match(column.get("time", ""))
    start = _hms(time["time"]) if time else ""
    raw = " | ".join(cell for cell in column.values() if cell)
    if not raw:
        return None
    metadata = any(word.casefold() in _METADATA_WORDS for word in speaker.split())
    if not speaker or (metadata and _key(speaker) not in known):
        return _Piece(raw, number, text=" ".join(filter(None, (speaker, text))), start=start)
    return _Piece(raw, number, speaker, text, start)


def _loose_pieces(cells: Iterable[str], number: int, known: frozenset[str]) -> list[_Piece]:
    """The lines of a table that is not a speaker | text table, read as paragraphs."""
    lines = (_normalise(line) for cell in cells for line in cell.split("\n"))
    return [_labelled_piece(raw, number, known) for raw in lines if raw]


# Turns ---------------------------------------------------------------------


def _assemble(pieces: Iterable[_Piece], known: frozenset[str]) -> tuple[tuple[Turn, ...], tuple[str, ...]]:
    """Merge pieces into turns; pieces before the first speaker are front matter."""
    front_matter: list[str] = []
    drafts: list[_Draft] = []
    for piece in pieces:
        if not drafts and not _opens_transcript(piece, known):
            front_matter.append(piece.raw)
            continue
        if piece.label is not None and (not drafts or _key(piece.label) != _key(drafts[-1].speaker)):
            drafts.append(_Draft(piece.label, piece.start, piece.line))
        if piece.text:
            drafts[-1].texts.append(piece.text)
    return _merge(drafts), tuple(front_matter)


def _opens_transcript(piece: _Piece, known: frozenset[str]) -> bool:
    """Whether a piece is the first speaker's: with known speakers, a known one."""
    if piece.label is None:
        return False
    return not known or piece.certain or _key(piece.label) in known


def _merge(drafts: Iterable[_Draft]) -> tuple[Turn, ...]:
    """Turns from drafts: empty drafts dropped, then same-speaker neighbours merged."""
    merged: list[_Draft] = []
    for draft in drafts:
        if not draft.texts:
            continue
        if merged and _key(merged[-1].speaker) == _key(draft.speaker):
            merged[-1].texts.extend(draft.texts)
        else:
            merged.append(draft)
    return tuple(Turn(d.speaker, " ".join(d.texts), d.start, d.line) for d in merged)
