"""The records of a transcript reading: turns, the transcript, and the pieces readers make.

A reader turns a file into :class:`Piece` objects (one per cue, line, paragraph
or table row) and a list of what it deliberately left out (cue numbers, timing
lines, NOTE blocks). :mod:`radar.transcripts.assemble` merges the pieces into
:class:`Turn` objects and checks that every word of the file is accounted for.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

WORD = re.compile(r"[^\W_]+")  # a word: a run of letters and digits


def count_words(text: str) -> int:
    """The words of a text: runs of letters and digits.

    Example:
        >>> count_words("P1: I don't know [00:01:23]")
        8
    """
    return len(WORD.findall(text))


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
class WordCount:
    """How the words of a file were accounted for.

    ``source == turns + front_matter + left_out + lost``: words are runs of
    letters and digits, so ``don't`` is two and ``00:01:23`` three.

    Attributes:
        source: Words in the file (caption markup such as ``<v Name>`` aside).
        turns: Words in the turns' text.
        front_matter: Words before the first speaker.
        left_out: Words left out on purpose: labels, times, cue numbers and
            timing lines, NOTE and STYLE blocks, software footers.
        lost: Words the reading could not place; radar warns when it is not 0.
    """

    source: int
    turns: int
    front_matter: int
    left_out: int

    @property
    def lost(self) -> int:
        return self.source - self.turns - self.front_matter - self.left_out


@dataclass(frozen=True)
class Transcript:
    """A transcript read into speaker turns.

    Attributes:
        path: The file as given.
        group: The focus group or interview: the file stem.
        format: The shape detected: "zoom-vtt", "teams-vtt", "vtt", "srt",
            "otter", "zoom-txt", "rev", "diarised", "text", "markdown",
            "docx", "otter-docx", "pdf", "rtf" or "odt".
        encoding: "utf-8", "utf-8-sig", "utf-16", "cp1252" or another detected
            text encoding; "docx", "pdf", "rtf" or "odt" for documents.
        turns: The speaker turns in order.
        front_matter: Lines or paragraphs before the first speaker (title, date...).
        warnings: What a person should check about this reading (words that
            could not be placed, a file read as one speaker, lines decoded
            with a fallback encoding), each naming the file.
        words: How the file's words were accounted for.
        remarks: What radar did that is worth knowing but is no problem (a
            survey's blank answers left out).
    """

    path: Path
    group: str
    format: str
    encoding: str
    turns: tuple[Turn, ...]
    front_matter: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    words: WordCount | None = None
    remarks: tuple[str, ...] = ()

    def speakers(self) -> dict[str, tuple[int, int]]:
        """Each speaker's label with its (turns, words), in order of first turn."""
        counts: dict[str, tuple[int, int]] = {}
        for turn in self.turns:
            turns, words = counts.get(turn.speaker, (0, 0))
            counts[turn.speaker] = (turns + 1, words + count_words(turn.text))
        return counts


class Evidence(enum.IntEnum):
    """How sure a reader is that a piece's label names a speaker."""

    WEAK = 1  # shaped like a label only loosely (lower case, software-like): needs to recur
    SHAPED = 2  # shaped like a name or role (``Maria Lopez:``, ``P1:``)
    CERTAIN = 3  # marked up as a speaker (a Teams voice tag, an Otter header with its time)


@dataclass(frozen=True)
class Piece:
    """One cue, line, paragraph or table row, before pieces merge into turns.

    Attributes:
        raw: The piece as written, for front matter and word accounting.
        line: Where it starts (see :attr:`Turn.line`).
        label: The candidate speaker label, or None.
        text: The spoken text, without label and time.
        start: "HH:MM:SS" or "".
        evidence: How sure the label is.
        omitted: What was taken off ``raw`` besides ``text`` (label, time).
        unlabelled: The text to use if the label is not taken as a speaker: the
            end of ``raw`` from the label on (a time before it stays omitted).
    """

    raw: str
    line: int
    label: str | None = None
    text: str = ""
    start: str = ""
    evidence: Evidence = Evidence.SHAPED
    omitted: str = ""
    unlabelled: str = ""

    def as_text(self) -> Piece:
        """The piece read without a label: its label goes back into the text."""
        text = self.unlabelled or self.raw
        omitted = self.raw[: len(self.raw) - len(text)] if self.raw.endswith(text) else ""
        return Piece(self.raw, self.line, None, text, self.start, omitted=omitted)


@dataclass(frozen=True)
class Reading:
    """What a reader made of a file, before pieces merge into turns.

    Attributes:
        shape: The shape detected (see :attr:`Transcript.format`).
        encoding: The encoding, or the document type.
        pieces: The pieces in document order.
        source: The file's text in units (line, text) in document order, as
            words are counted.
        left_out: Units (line, text) left out on purpose.
        one_speaker: When no piece is labelled, read the file as one speaker
            (captions without names) instead of refusing it.
        notes: What the reader itself noticed (a fallback decoding...).
    """

    shape: str
    encoding: str
    pieces: list[Piece]
    source: list[tuple[int, str]]
    left_out: list[tuple[int, str]] = field(default_factory=list)
    one_speaker: bool = False
    notes: list[str] = field(default_factory=list)
