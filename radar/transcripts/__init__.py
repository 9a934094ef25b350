"""Transcripts as they arrive, read into speaker turns.

:func:`read_transcript` takes a transcript in any of the shapes research teams
receive and returns its speaker turns. The shape is detected from the suffix and
the content, never asked for:

* captions (:mod:`~radar.transcripts.captions`): ``.vtt`` from Zoom (``Name:
  text`` cues), Teams and Stream (``<v Name>text</v>``), YouTube and
  speech-to-text tools, and ``.srt``;
* plain text (:mod:`~radar.transcripts.text`): ``.txt`` and ``.md`` typed by
  hand (``P1:``, ``Moderator:``, ``[00:01:23] Name:``) or written by Otter,
  Zoom, Rev, Trint and diarising speech-to-text tools;
* Word (:mod:`~radar.transcripts.word`): ``.docx`` with ``Name: text``
  paragraphs, bold speaker names, header lines or speaker | text tables;
* documents: text-based ``.pdf``, ``.rtf`` and ``.odt``, read as plain text.

A turn is a maximal run of one speaker's text: consecutive cues, lines or
paragraphs of the same speaker merge, and an unlabelled line or paragraph
continues the previous speaker. Text before the first speaker is front matter.
Non-speech markers such as ``[inaudible]`` stay in the text; use
:func:`is_non_speech` to find turns that hold nothing else. What counts as a
speaker label is set out in :mod:`~radar.transcripts.labels`.

With ``known_speakers`` (the labels of the study's speakers.csv), a known label
always counts, whatever the heuristic says, and ``Label:`` lines before the
first known speaker are front matter (``Date: 3 May``, ``Observer: J. Novak``).
After that, an unknown label still starts a turn, so the caller can warn.

Every reading accounts for the file's words (:class:`WordCount`); a reading
that lost words, read captions without names as one speaker, or decoded lines
with a fallback carries a warning in :attr:`Transcript.warnings`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path

from radar.errors import TranscriptError
from radar.transcripts.assemble import transcript
from radar.transcripts.labels import known_key
from radar.transcripts.model import Transcript, Turn, WordCount
from radar.transcripts.registry import READERS, REFUSED, SUFFIXES, Reader, reader_for

__all__ = [
    "READERS",
    "REFUSED",
    "TRANSCRIPT_SUFFIXES",
    "Reader",
    "Transcript",
    "Turn",
    "WordCount",
    "is_non_speech",
    "printable_name",
    "read_transcript",
]

TRANSCRIPT_SUFFIXES = SUFFIXES

_MARKER = re.compile(r"\[[^\[\]]*\]")


def read_transcript(
    path: str | os.PathLike[str], known_speakers: Collection[str] | None = None, *, document: bool = False
) -> Transcript:
    """Read a transcript file into speaker turns.

    Args:
        path: A ``.vtt``, ``.srt``, ``.txt``, ``.md``, ``.docx``, ``.pdf``,
            ``.rtf`` or ``.odt`` file.
        known_speakers: The study's speaker labels (matched case-insensitively).
            When given, label-shaped lines before the first known speaker are
            front matter, and known labels always count as labels.
        document: Read the file as a document (an article, notes): each
            paragraph is a turn of the speaker ``Document``, a ``Note:`` line
            included (``[transcripts] documents`` in radar.toml).

    Returns:
        The transcript with its turns, front matter, word count and warnings.

    Raises:
        TranscriptError: The file has an unsupported suffix, cannot be read or
            decoded, is damaged, is empty, or holds no speaker turns.

    Example:
        >>> transcript = read_transcript("fg1.vtt")  # doctest: +SKIP
        >>> transcript.turns[0].speaker  # doctest: +SKIP
        'Dana Whitfield'
    """
    source = Path(path)
    name = source.name or str(path)
    if not _is_text(name):
        shown = printable_name(name)
        raise TranscriptError(
            f"{shown}: the file name holds bytes that are not UTF-8 text, so it cannot be a Group ID; "
            "rename the file (letters, digits, - and _) and run again",
            path=printable_name(str(source)),
        )
    labels = [label for label in known_speakers or () if label.strip()]
    known = frozenset(known_key(label) for label in labels)
    try:
        reader = reader_for(source.suffix.lower(), name)
        reading = reader.read(_read_bytes(source, name), name, source.suffix.lower(), known)
        return transcript(source, reading, known, labels, document=document)
    except TranscriptError as error:
        message = str(error)
        raise TranscriptError(
            message if message.startswith(name) else f"{name}, {message}", path=str(source), row=error.row
        ) from error


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


def printable_name(name: str) -> str:
    """A file name as it can be shown and written: bytes that are not UTF-8 as ``\\xff``.

    Example:
        >>> printable_name(os.fsdecode(b"fg\\xff1.txt"))
        'fg\\\\xff1.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_text(name: str) -> bool:
    """Whether a name decoded from the file system is text (Linux hands undecodable bytes on as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
