"""Pieces into turns: which labels are speakers, front matter, merging, and the checks.

A label marked up as a speaker or shaped like a name counts; a weak label
(``interviewer:``) counts when it recurs or the speakers list holds it. In
captions, where software wrote every cue, a label counts only when it recurs,
is known, or most cues carry one, so that a cue reading ``Some phrase: ...`` is
never a speaker. With known speakers, pieces before the first known speaker are
front matter; an unknown label after that still starts a turn, so the caller
can warn.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from radar.errors import TranscriptError
from radar.transcripts.accounting import account
from radar.transcripts.labels import header_names, key, known_key, names_label, starts_with_time
from radar.transcripts.model import Evidence, Piece, Reading, Transcript, Turn

ONE_SPEAKER = "Speaker"


@dataclass
class _Draft:
    """A turn being built."""

    speaker: str
    start: str
    line: int
    texts: list[str] = field(default_factory=list)


def transcript(
    path: Path,
    reading: Reading,
    known: Collection[str],
    known_labels: Sequence[str],
    *,
    document: bool = False,
) -> Transcript:
    """The transcript of a reading, or a TranscriptError when it holds no turns.

    A ``document`` is read one turn per paragraph (piece), each of :data:`DOCUMENT_SPEAKER`.
    """
    name = path.name or str(path)
    if not reading.pieces:
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    if document:
        return _document(path, reading)
    candidates = [p.label for p in reading.pieces if p.label is not None]
    pieces = _resolve(reading, known)
    notes = list(reading.notes)
    shape = reading.shape
    if reading.one_speaker and not any(p.label is not None for p in pieces):
        pieces = _one_speaker(pieces)
        shape = "vtt" if shape == "zoom-vtt" else shape  # its cue labels were phrases, not names
        notes.append(
            f"{name}: the captions name no speakers, so the whole file is read as one speaker "
            f"{ONE_SPEAKER!r}; export them with speaker names, or list {ONE_SPEAKER!r} in speakers.csv"
        )
    turns, front_matter = _assemble(pieces, known)
    if not turns:
        raise TranscriptError(_no_turns_message(name, shape, candidates, known_labels))
    words, lost = account(name, reading, pieces, turns, front_matter)
    notes += lost + _timed_texts(name, turns)
    return Transcript(path, path.stem, shape, reading.encoding, turns, front_matter, tuple(notes), words)


DOCUMENT_SPEAKER = "Document"
"""The speaker of a document's paragraphs (``[transcripts] documents`` in radar.toml)."""


def _document(path: Path, reading: Reading) -> Transcript:
    """A document's reading: each paragraph a turn, no label taken as a speaker."""
    name = path.name or str(path)
    pieces = [piece.as_text() for piece in reading.pieces]
    turns = tuple(
        Turn(DOCUMENT_SPEAKER, " ".join(piece.text.split()), piece.start, piece.line)
        for piece in pieces
        if piece.text.strip()
    )
    if not turns:
        raise TranscriptError(f"{name}: the document holds no text; check it is the file meant")
    words, lost = account(name, reading, pieces, turns, ())
    return Transcript(path, path.stem, reading.shape, reading.encoding, turns, (), tuple(lost), words)


def _resolve(reading: Reading, known: Collection[str]) -> list[Piece]:
    """The pieces with every label that lacks evidence put back into the text."""
    counts = Counter(key(p.label) for p in reading.pieces if p.label is not None)
    labelled_share = sum(counts.values()) / len(reading.pieces)
    captions = reading.one_speaker

    def counts_as_speaker(piece: Piece) -> bool:
        assert piece.label is not None
        if piece.evidence is Evidence.CERTAIN or known_key(piece.label) in known:
            return True
        recurs = counts[key(piece.label)] >= 2
        if captions:  # a name in most cues, or a weak label repeated: a labelled file
            labelled = labelled_share >= 0.5
            if piece.evidence is Evidence.WEAK:
                return recurs or (labelled and max(counts.values()) >= 2)
            return recurs or labelled
        return recurs or piece.evidence is Evidence.SHAPED

    return [p if p.label is None or counts_as_speaker(p) else p.as_text() for p in reading.pieces]


def _one_speaker(pieces: Sequence[Piece]) -> list[Piece]:
    first, *rest = pieces
    return [Piece(first.raw, first.line, ONE_SPEAKER, first.text, first.start, Evidence.CERTAIN), *rest]


def _assemble(pieces: Sequence[Piece], known: Collection[str]) -> tuple[tuple[Turn, ...], tuple[str, ...]]:
    """Merge pieces into turns; pieces before the first speaker are front matter.

    So are the header lines before it that say who is who (see :func:`_header_pieces`).
    """
    front_matter: list[str] = []
    drafts: list[_Draft] = []
    headers = _header_pieces(pieces)
    for index, piece in enumerate(pieces):
        if not drafts and (index in headers or not _opens_transcript(piece, known)):
            front_matter.append(piece.raw)
            continue
        if piece.label is not None and (not drafts or key(piece.label) != key(drafts[-1].speaker)):
            drafts.append(_Draft(piece.label, piece.start, piece.line))
        if piece.text:
            drafts[-1].texts.append(piece.text)
    return _merge(drafts), tuple(front_matter)


# Initials or a capitalised name of two to four words: what a header line gives a role (``SK``, ``Jana Novak``).
_HEADER_VALUE = re.compile(r"(?:[A-Z]\.?){1,4}|[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}")


def _header_pieces(pieces: Sequence[Piece]) -> set[int]:
    """The positions of the leading pieces that are header lines naming who has a role.

    A header line's label is a role (``Interviewer``, ``Note-takers``,
    ``Participant``: :func:`~radar.transcripts.labels.header_role`), and its
    text is initials or a name (``Interviewer: SK``, ``Observer: Jana
    Novak``), or names speakers of the transcript while the role's label
    speaks nowhere else (``Facilitators: Dana, Lee``).

    Example:
        >>> pieces = [Piece("Interviewer: SK", 1, "Interviewer", "SK"), Piece("SK: Hello?", 2, "SK", "Hello?")]
        >>> _header_pieces(pieces), _header_pieces([Piece("Interviewer: Okay", 1, "Interviewer", "Okay")])
        ({0}, set())
    """
    counts = Counter(key(p.label) for p in pieces if p.label is not None)
    found: set[int] = set()
    for index, piece in enumerate(pieces):
        if piece.label is None:
            continue
        header = header_names(f"{piece.label}: {piece.text}")
        if header is None:
            return found  # the first turn: header lines stand before it
        shaped = _HEADER_VALUE.fullmatch(piece.text.strip()) is not None
        later = (
            {p.label for p in pieces[index + 1 :] if p.label is not None}
            if counts[key(piece.label)] == 1
            else set()
        )
        if not shaped and not any(names_label(name, label) for name in header.names for label in later):
            return found
        found.add(index)
    return found


def _opens_transcript(piece: Piece, known: Collection[str]) -> bool:
    """Whether a piece is the first speaker's: with known speakers, a known one."""
    if piece.label is None:
        return False
    return not known or piece.evidence is Evidence.CERTAIN or known_key(piece.label) in known


def _merge(drafts: Iterable[_Draft]) -> tuple[Turn, ...]:
    """Turns from drafts: empty drafts dropped, then same-speaker neighbours merged."""
    merged: list[_Draft] = []
    for draft in drafts:
        if not draft.texts:
            continue
        if merged and key(merged[-1].speaker) == key(draft.speaker):
            merged[-1].texts.extend(draft.texts)
        else:
            merged.append(draft)
    return tuple(Turn(d.speaker, " ".join(d.texts), d.start, d.line) for d in merged)


def _timed_texts(name: str, turns: Iterable[Turn]) -> list[str]:
    """A warning for the first turn whose text opens with a time stamp."""
    for turn in turns:
        if starts_with_time(turn.text):
            return [
                f"{name}, line {turn.line}: the turn of {turn.speaker!r} opens with a time "
                f"stamp ({turn.text[:20]!r}); check the reading with `radar read`"
            ]
    return []


def _no_turns_message(name: str, shape: str, candidates: Sequence[str], known_labels: Sequence[str]) -> str:
    if known_labels:
        found = list(dict.fromkeys(candidates))
        if not found:
            how = "no line or cue starts with a speaker's label; start each turn with `Name: text`"
        else:
            shown = ", ".join(repr(label) for label in found[:6])
            closest = _closest(found, known_labels)
            near = f"; closest in the speakers list: {closest}" if closest else ""
            how = (
                f"none of the speakers listed for it speaks; labels found in the file: {shown}{near}; "
                "correct the speaker column of speakers.csv (or its group column)"
            )
    elif shape in ("zoom-vtt", "teams-vtt", "vtt", "srt"):
        how = "export the captions with speaker names, so each cue starts with `Name: text`"
    else:
        how = (
            "start each turn with the speaker's label, as `Name: text` lines or paragraphs "
            "(`P1: ...`, `Moderator: ...`), or use a two-column speaker | text table in Word"
        )
    return f"{name}: no speaker turns found; {how}"


def _closest(found: Sequence[str], known_labels: Sequence[str]) -> str:
    by_key = {known_key(label): label for label in known_labels}
    near: list[str] = []
    for label in found[:6]:
        for match in difflib.get_close_matches(known_key(label), list(by_key), n=1, cutoff=0.5):
            if by_key[match] not in near:
                near.append(by_key[match])
    return ", ".join(repr(label) for label in near)
