"""Word accounting: every word of a file is in a turn, in front matter or left out on purpose.

A word is a run of letters and digits, so splitting a line between a label and
its text never changes the count. :func:`account` checks two things: each
piece's raw text holds exactly the words of its text and of what was taken off
it (label, time), and the pieces with what was left out hold every word of the
file, in order. Where either fails it names the first place words went missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from radar.transcripts.model import WORD, Piece, Reading, Turn, WordCount, count_words


def _tokens(units: Iterable[tuple[int, str]]) -> list[tuple[str, int]]:
    return [(match.group(), line) for line, text in units for match in WORD.finditer(text)]


def account(
    name: str, reading: Reading, pieces: Sequence[Piece], turns: Sequence[Turn], front_matter: Sequence[str]
) -> tuple[WordCount, list[str]]:
    """The word count of a reading and a warning for the first place words were lost.

    Args:
        name: The file's name, for the warning.
        reading: What the reader made of the file.
        pieces: The pieces as assembled (labels without evidence put back into
            the text); the first ``len(front_matter)`` are the front matter.
        turns: The turns.
        front_matter: The front matter.
    """
    source = _words_of(text for _, text in reading.source)
    body = pieces[len(front_matter) :]
    counted = WordCount(
        source=len(source),
        turns=len(_words_of(turn.text for turn in turns)),
        front_matter=len(_words_of(front_matter)),
        left_out=len(_words_of(text for _, text in reading.left_out))
        + len(_words_of(p.omitted for p in body)),
    )
    placed = sorted([(piece.line, piece.raw) for piece in reading.pieces] + reading.left_out, key=_line)
    if counted.lost == 0 and _words_of(text for _, text in placed) == source:
        return counted, []
    problem = _first_piece_loss(body) or _first_source_loss(reading.source, placed)
    where = f" (first at line {problem})" if problem is not None else ""
    amount = f"{counted.lost} word(s)" if counted.lost > 0 else "some words"
    return counted, [
        f"{name}: {amount} of the file did not reach a turn, the front matter or a label{where}; "
        "check the reading with `radar read`, and report the file's shape if it looks right"
    ]


def _words_of(texts: Iterable[str]) -> list[str]:
    return WORD.findall("\n".join(texts))


def _line(unit: tuple[int, str]) -> int:
    return unit[0]


def _first_piece_loss(pieces: Iterable[Piece]) -> int | None:
    """The line of the first piece whose text and label do not add up to what was written."""
    for piece in pieces:
        if piece.label is None and not piece.omitted:
            kept = piece.text or piece.raw
        else:
            kept = f"{piece.omitted} {piece.text}"
        if count_words(piece.raw) != count_words(kept):
            return piece.line
    return None


def _first_source_loss(source: Sequence[tuple[int, str]], placed: Sequence[tuple[int, str]]) -> int | None:
    """The line of the first word of the file that no piece or left-out unit holds."""
    words, wanted = _tokens(placed), _tokens(source)
    for index, (word, line) in enumerate(wanted):
        if index >= len(words) or words[index][0] != word:
            return line
    return words[len(wanted)][1] if len(words) > len(wanted) else None
