"""How a transcript was read, in a few lines a researcher can check in seconds."""

from __future__ import annotations

import textwrap

from radar.transcripts.model import Transcript

PREVIEW_CHARS = 100


def describe(transcript: Transcript, turns: int = 5) -> str:
    """A plain-text account of a reading: shape, encoding, speakers, first turns, front matter, warnings.

    Args:
        transcript: The transcript as read.
        turns: How many of the first turns to show.

    Example:
        >>> from radar.transcripts import read_transcript
        >>> print(describe(read_transcript("tests/files/otter.txt"), turns=1))  # doctest: +SKIP
        otter.txt: otter, utf-8, 6 turns, 3 speakers
        ...
    """
    speakers = transcript.speakers()
    lines = [
        f"{transcript.path.name}: {transcript.format}, {transcript.encoding}, "
        f"{_count(len(transcript.turns), 'turn')}, {_count(len(speakers), 'speaker')}"
    ]
    if transcript.words is not None:
        words = transcript.words
        lines.append(
            f"  words: {words.source} in the file = {words.turns} in turns + {words.front_matter} "
            f"front matter + {words.left_out} left out (labels, times, cue numbers)"
            + (f"; {words.lost} not placed" if words.lost else "")
        )
    lines.append("  speakers:")
    width = max(len(label) for label in speakers)
    for label, (count, words_spoken) in speakers.items():
        lines.append(f"    {label:<{width}}  {_count(count, 'turn'):>10}  {_count(words_spoken, 'word'):>12}")
    if transcript.front_matter:
        lines.append("  front matter:")
        lines += [f"    {_preview(text)}" for text in transcript.front_matter]
    shown = min(turns, len(transcript.turns))
    if shown:
        lines.append(f"  first {_count(shown, 'turn')}:" if shown > 1 else "  first turn:")
    for turn in transcript.turns[:turns]:
        where = f"line {turn.line}" + (f", {turn.start}" if turn.start else "")
        lines.append(f"    [{where}] {turn.speaker}: {_preview(turn.text)}")
    lines += [f"  note: {remark}" for remark in transcript.remarks]
    lines += [f"  warning: {warning}" for warning in transcript.warnings]
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _preview(text: str) -> str:
    return textwrap.shorten(text, PREVIEW_CHARS, placeholder=" ...") or text[:PREVIEW_CHARS]
