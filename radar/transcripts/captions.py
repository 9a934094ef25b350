"""Caption files: WebVTT (Zoom, Teams, Stream, YouTube, speech-to-text tools) and SRT.

A file is a series of blocks separated by blank lines. A block with a timing
line (``00:02:24.720 --> 00:02:32.850``, hours optional, fields of one digit
as older Teams writes them) is a cue: what stands before the timing is its
number or ID, what follows is its text. The ``WEBVTT`` header and NOTE, STYLE
and REGION blocks are left out; a block without a timing line after a cue is
more of that cue's text (SRT cues may hold blank lines). Speakers come from
Teams voice tags (``<v Name>text</v>``) or a ``Name: text`` opening; a cue
label that is not a name (``Some phrase:``) counts only when it recurs or most
cues carry one. A file with no speakers at all is read as one speaker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator, Sequence

from radar.errors import TranscriptError
from radar.transcripts.labels import TIME, hms, is_diarised_label, normalise, split_label
from radar.transcripts.model import Evidence, Piece, Reading

SUFFIXES = (".vtt", ".srt")

_CUE_TIMING = re.compile(rf"^\s*(?P<start>{TIME})\s*-->\s*(?P<end>{TIME})(?:\s+.*)?$")
_ARROW = re.compile(r"-->")
# A voice tag's class and name stop at the next ``<``: a cue of unclosed ``<v `` tags is then read in
# linear time, where ``[^>]*`` ran on to the end of the cue from every tag.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?\s+(?P<name>[^<>]*)>(?P<text>.*?)(?:</v>|(?=<v[\s.])|\Z)", re.DOTALL)
_VOICE_OPEN = re.compile(r"<v(?:\.[^\s<>]*)?\s+(?P<name>[^<>]*)>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[^<>]*>")
_SKIPPED_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION", "\ufeffWEBVTT")


def detect(text: str) -> bool:
    """Whether a text file (whatever its suffix) holds captions."""
    lines = text.split("\n", 200)[:200]
    first = next((line.strip() for line in lines if line.strip()), "")
    return first.startswith("WEBVTT") or any(_CUE_TIMING.match(line) for line in lines)


def read(text: str, suffix: str, encoding: str, known: Collection[str]) -> Reading:
    """Pieces of a WebVTT or SRT file, one or more per cue."""
    lines = text.split("\n")
    pieces: list[Piece] = []
    left_out: list[tuple[int, str]] = []
    voiced = False
    for kind, block in _classified_blocks(lines):
        if kind != "cue":
            left_out.extend(block) if kind == "skip" else pieces.extend(_text_pieces(block, known))
            continue
        timing = next(i for i, (_, line) in enumerate(block) if _ARROW.search(line))
        left_out.extend(block[: timing + 1])
        match = _CUE_TIMING.match(block[timing][1])
        assert match is not None  # checked by _classified_blocks
        payload = block[timing + 1 :]
        if any(_VOICE_OPEN.search(line) for _, line in payload):
            voiced = True
            pieces.extend(_voice_pieces(payload, hms(match["start"])))
        else:
            pieces.extend(_text_pieces(payload, known, hms(match["start"])))
    first = next((line.strip() for line in lines if line.strip()), "")
    is_vtt = suffix == ".vtt" or (suffix != ".srt" and first.lstrip("\ufeff").startswith("WEBVTT"))
    labels = [p.label for p in pieces if p.label is not None]
    if labels and sum(map(is_diarised_label, labels)) * 2 > len(labels):
        shape = "diarised"
    else:
        shape = "srt" if not is_vtt else "teams-vtt" if voiced else "zoom-vtt" if labels else "vtt"
    source = [(number, source_text(line)) for number, line in enumerate(lines, start=1) if line.strip()]
    return Reading(shape, encoding, pieces, source, left_out, one_speaker=True)


def source_text(line: str) -> str:
    """A caption line as words are counted: markup gone, a voice tag's name kept."""
    return html.unescape(_TAG.sub("", _VOICE_OPEN.sub(r" \g<name> ", line)))


def _classified_blocks(lines: Sequence[str]) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """Each block as ("cue" | "skip" | "text", its numbered lines).

    A block after a cue that has no timing line continues that cue's text.
    """
    seen_cue = False
    for block in _blocks(lines):
        head = block[0][1].strip()
        arrow = next((line for _, line in block if _ARROW.search(line)), None)
        if arrow is not None:
            if _CUE_TIMING.match(arrow) is None:
                number = next(n for n, line in block if line is arrow)
                raise TranscriptError(
                    f"line {number}: the cue timing {arrow.strip()!r} cannot be read; "
                    "write it as 00:00:01.000 --> 00:00:04.000",
                    row=number,
                )
            seen_cue = True
            yield "cue", block
        elif head.startswith(_SKIPPED_BLOCKS) and (not seen_cue or not head.startswith("WEBVTT")):
            yield "skip", block
        elif seen_cue:
            yield "text", block
        else:
            yield "text", block


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


def _text_pieces(payload: Sequence[tuple[int, str]], known: Collection[str], start: str = "") -> list[Piece]:
    """Pieces of a cue's text: a new piece where a line opens with a speaker's name."""
    groups: list[list[tuple[int, str]]] = []
    for number, line in payload:
        text = normalise(_clean(line))
        if not text:
            continue
        if not groups or _opens_turn(text, known):
            groups.append([])
        groups[-1].append((number, text))
    return [_piece(group, known, start) for group in groups]


def _opens_turn(line: str, known: Collection[str]) -> bool:
    """Whether a line inside a cue opens with a speaker's name (a second speaker in the cue)."""
    split = split_label(line, known, lenient=True)
    return split is not None and split.evidence >= Evidence.SHAPED


def _piece(group: Sequence[tuple[int, str]], known: Collection[str], start: str) -> Piece:
    raw = " ".join(text for _, text in group)
    split = split_label(raw, known, lenient=True)
    if split is None:
        return Piece(raw, group[0][0], text=raw, start=start)
    return Piece(
        raw,
        group[0][0],
        split.label,
        normalise(split.text),
        split.start or start,
        split.evidence,
        split.omitted,
        raw[split.label_at :],
    )


def _voice_pieces(payload: Sequence[tuple[int, str]], start: str) -> list[Piece]:
    """Pieces of a Teams cue: one per ``<v Name>`` span, plus any text before it."""
    number = payload[0][0]
    cue = "\n".join(line for _, line in payload)
    pieces = []
    first = _VOICE.search(cue)
    before = normalise(_clean(cue[: first.start()])) if first else ""
    if before:
        pieces.append(Piece(before, number, text=before, start=start))
    for match in _VOICE.finditer(cue):
        speaker = normalise(html.unescape(match["name"]))
        text = normalise(_clean(match["text"]))
        raw = f"{speaker} {text}" if text else speaker
        pieces.append(
            Piece(raw, number, speaker or None, text, start, Evidence.CERTAIN, speaker, unlabelled=text)
        )
    return pieces


def _clean(text: str) -> str:
    """Cue text without markup tags (``<i>``, ``<c.x>``) or HTML entities."""
    return html.unescape(_TAG.sub("", text))
