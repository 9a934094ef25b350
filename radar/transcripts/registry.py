"""The transcript readers, one per family of files, registered in one place.

Each :class:`Reader` names the suffixes it takes and reads a file's bytes into a
:class:`~radar.transcripts.model.Reading`. Adding a shape is one module with a
``read`` function and one line here. A ``.txt`` file that holds captions is
read as captions: the text family hands it on. The family modules import only
the standard library at load time (python-docx, pypdf and defusedxml inside
the functions that need them), so listing them here costs start-up nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass

from radar.errors import TranscriptError
from radar.transcripts import captions, odt, pdf, rtf, text, word
from radar.transcripts.decode import decode
from radar.transcripts.model import Reading

ReadFunction = Callable[[bytes, str, str, Collection[str]], Reading]


@dataclass(frozen=True)
class Reader:
    """A family of transcript files.

    Attributes:
        name: The family, as ``radar read`` shows it.
        suffixes: The file suffixes it reads, lower case with the dot.
        read: ``read(data, name, suffix, known)`` -> Reading.
    """

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction


def _read_text(data: bytes, name: str, suffix: str, known: Collection[str]) -> Reading:
    decoded, encoding, notes = decode(data, name)
    if suffix in captions.SUFFIXES or captions.detect(decoded):
        reading = captions.read(decoded, suffix, encoding, known)
    else:
        lines = list(enumerate(decoded.split("\n"), start=1))
        reading = text.read_lines(lines, encoding, known, markdown=suffix in (".md", ".markdown"))
    reading.notes.extend(notes)
    return reading


def _read_docx(data: bytes, name: str, suffix: str, known: Collection[str]) -> Reading:
    return word.read(data, name, known)


def _document(kind: str, paragraphs_of: Callable[[bytes, str], list[str]]) -> ReadFunction:
    """A reader for a document type whose module gives its text as paragraphs.

    The paragraphs' lines are read as a text file's; a turn's line is its line
    in that text, counting from 1.
    """

    def read(data: bytes, name: str, suffix: str, known: Collection[str]) -> Reading:
        paragraphs = paragraphs_of(data, name)
        lines = list(enumerate((line for p in paragraphs for line in p.split("\n")), start=1))
        reading = text.read_lines(lines, kind, known)
        shape = kind if reading.shape == "text" else f"{kind}-{reading.shape}"
        return dataclasses.replace(reading, shape=shape)

    return read


READERS = (
    Reader("captions and text", (".vtt", ".srt", ".txt", ".md", ".markdown"), _read_text),
    Reader("Word", (".docx",), _read_docx),
    Reader("PDF", (".pdf",), _document("pdf", pdf.paragraphs)),
    Reader("RTF", (".rtf",), _document("rtf", rtf.paragraphs)),
    Reader("OpenDocument", (".odt",), _document("odt", odt.paragraphs)),
)
SUFFIXES = tuple(suffix for reader in READERS for suffix in reader.suffixes)
# Files researchers receive that radar cannot read, with what to do about each.
REFUSED = {
    ".doc": "old Word .doc files are not read; open it in Word and save it as .docx",
    ".pages": "Pages files are not read; export it from Pages as Word (.docx)",
    ".wpd": "WordPerfect files are not read; save it as .docx",
    ".mp3": "audio is not transcribed by radar; transcribe it first (Otter, Teams, Whisper...)",
    ".m4a": "audio is not transcribed by radar; transcribe it first (Otter, Teams, Whisper...)",
    ".wav": "audio is not transcribed by radar; transcribe it first (Otter, Teams, Whisper...)",
    ".mp4": "video is not transcribed by radar; download the transcript (.vtt) instead",
}


def reader_for(suffix: str, name: str) -> Reader:
    """The reader for a suffix, or a TranscriptError saying what to do."""
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    if suffix in REFUSED:
        raise TranscriptError(f"{name}: {REFUSED[suffix]}")
    kind = f"'{suffix}'" if suffix else "a file without a suffix"
    raise TranscriptError(
        f"{name}: {kind} is not a transcript type radar reads; save it as one of {', '.join(SUFFIXES)}"
    )
