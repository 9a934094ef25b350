"""Plain-text transcripts: typed by hand, or written by Otter, Zoom, Rev, Trint or speech-to-text tools.

The same lines come from ``.txt`` and ``.md`` files and from the paragraphs of
PDF, RTF and ODT documents. Each line is one of

* a header, the label and its time alone (Otter ``Speaker Name  0:42``, Zoom's
  saved transcript ``[Name] 19:00:25``, Rev ``Name (00:00:00):``), the text on
  the lines below;
* a labelled line (``P1: text``, ``[00:01:23] Name: text``, diarised
  ``[00:01.2 - 00:04.9] SPEAKER_00 - text``, QualCoder ``[id1] text``,
  Markdown ``**Emma** [0:00] text``);
* more of the previous speaker's text.

A table row whose cells text separates with a tab (``Facilitator<TAB>Anything
else?``, as PDF, RTF and ODT tables come out) is a labelled line.

A file whose headers are as many as its labelled lines is read in header mode:
lines below a header are text, whatever colons they hold. A file with neither
is tried for names without a colon (``Emma Sure, that works.``), taken only
when two or more names, each at least twice, open 80% of the lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from radar.transcripts.labels import (
    SENTENCE_WORDS,
    Split,
    header_line,
    is_diarised_label,
    label_evidence,
    normalise,
    split_label,
)
from radar.transcripts.model import Evidence, Piece, Reading

SUFFIXES = (".txt", ".md", ".markdown")

FOOTER = re.compile(r"^Transcribed by https?://otter\.ai/?$", re.IGNORECASE)
_MARKDOWN_LABEL = re.compile(r"^(?:#+\s*)?\*\*(?P<label>[^*]{1,60}?)(?P<colon>:?)\*\*(?P<rest>.*)$")
_DIARISED = re.compile(r"^\[[\d:.,]+\s*(?:-->|-|–|—)\s*[\d:.,]+\]")
_FIRST_WORD = re.compile(r"^(?P<label>[A-Z][\w'’.-]*)\s+(?P<text>\S.*)$")
MIN_NAME_LINES = 4  # lines opened by recurring names, and 80% of all lines


def read_lines(
    lines: Sequence[tuple[int, str]], encoding: str, known: Collection[str], *, markdown: bool = False
) -> Reading:
    """Pieces of numbered lines of text (see the module docstring)."""
    numbered = [(number, normalise(_unmark(_untab(line, known)))) for number, line in lines]
    numbered = [(number, line) for number, line in numbered if line]
    source = [(number, line) for number, line in lines if line.strip()]
    left_out = [(n, line) for n, line in numbered if FOOTER.match(line)]
    numbered = [(n, line) for n, line in numbered if not FOOTER.match(line)]
    headers = {n: split for n, line in numbered if (split := header_line(line, known)) is not None}
    labels = {n: split for n, line in numbered if (split := split_label(line, known)) is not None}
    strong = sum(split.evidence >= Evidence.SHAPED for split in labels.values())
    if headers and len(headers) >= strong:
        pieces = [_header_piece(n, line, headers.get(n)) for n, line in numbered]
        shape = _header_shape(numbered, headers)
    elif labels:
        pieces = [_labelled_piece(n, line, labels.get(n)) for n, line in numbered]
        diarised = sum(
            bool(_DIARISED.match(line)) or is_diarised_label(labels[n].label)
            for n, line in numbered
            if n in labels
        )
        shape = "diarised" if diarised * 2 > len(labels) else "markdown" if markdown else "text"
    else:
        pieces = _bare_name_pieces(numbered)
        shape = "markdown" if markdown else "text"
    return Reading(shape, encoding, pieces, source, left_out)


_HEADER_CELLS = frozenset({"speaker", "speakers", "name", "who", "person", "time", "timestamp"})
_TAB_CELLS = re.compile(r"^\s*(?P<label>[^\t:]{1,40}?)\s*\t+\s*(?P<text>\S.*)$")


def _untab(line: str, known: Collection[str]) -> str:
    """A table row as text gives it (``Facilitator<TAB>Anything else?``) as ``Facilitator: Anything else?``."""
    match = _TAB_CELLS.match(line)
    if match is None:
        return line
    label = normalise(match["label"])
    evidence = label_evidence(label, known)
    if evidence is None or evidence < Evidence.SHAPED or label.casefold() in _HEADER_CELLS:
        return line
    return f"{match['label']}: {match['text']}"


def _unmark(line: str) -> str:
    """A line without Markdown bold around its opening label (``**Emma:**`` → ``Emma:``)."""
    match = _MARKDOWN_LABEL.match(line.strip())
    if match is None:
        return line
    return f"{match['label']}{match['colon']}{match['rest']}"


def _header_piece(number: int, line: str, split: Split | None) -> Piece:
    if split is None:
        return Piece(line, number, text=line)
    return Piece(line, number, split.label, "", split.start, split.evidence, line, line)


def _header_shape(numbered: Sequence[tuple[int, str]], headers: dict[int, Split]) -> str:
    """otter, zoom-txt or rev, by how most headers are written (a bracketed or leading time is Rev's)."""
    kinds: Counter[str] = Counter()
    for number, line in numbered:
        if number in headers:
            if line.startswith("[") and line.index("]") < line.find(":"):
                kinds["zoom-txt"] += 1  # [Name] 19:00:25
            elif line[0].isdigit() or re.search(r"[\[(][\d:.,]+[\])]", line):
                kinds["rev"] += 1  # Name (00:00:07):, Name [00:00:07], 00:00:03 Speaker 1
            else:
                kinds["otter"] += 1  # Name  0:42
    return kinds.most_common(1)[0][0]


def _labelled_piece(number: int, line: str, split: Split | None) -> Piece:
    if split is None:
        return Piece(line, number, text=line)
    return Piece(
        line,
        number,
        split.label,
        normalise(split.text),
        split.start,
        split.evidence,
        split.omitted,
        line[split.label_at :],
    )


def _bare_name_pieces(numbered: Sequence[tuple[int, str]]) -> list[Piece]:
    """Lines opened by a name without a colon, when a few names open most lines."""
    firsts = {n: m for n, line in numbered if (m := _FIRST_WORD.match(line))}
    counts = Counter(
        m["label"] for m in firsts.values() if m["label"].casefold().strip(".'’") not in SENTENCE_WORDS
    )
    names = {name for name, count in counts.items() if count >= 2}
    covered = sum(1 for m in firsts.values() if m["label"] in names)
    if len(names) < 2 or covered < MIN_NAME_LINES or covered < 0.8 * len(numbered):
        return [Piece(line, n, text=line) for n, line in numbered]
    pieces = []
    for number, line in numbered:
        match = firsts.get(number)
        if match is not None and match["label"] in names:
            label, text = match["label"], match["text"]
            pieces.append(Piece(line, number, label, text, "", Evidence.SHAPED, label, line))
        else:
            pieces.append(Piece(line, number, text=line))
    return pieces
