"""Exemplar quotes: the analyst's marks, radar's proposals, and the words quoted.

The analyst marks exemplars in the ``Exemplar`` column of the coded sheet and
may trim a turn to the words that go in the paper in its ``Quote`` column
(empty means the whole Text). Where a theme has no mark, radar proposes up to
two quotes from different participants, preferring about 30 words, and never
proposes:

* a turn that is not a participant's, or whose Reason says it is logistics,
  facilitator talk, crosstalk or the like (a kept row with a Reason);
* a participant's first answer to an introduction prompt (a Question asking
  people to introduce themselves, say their name, or go around);
* a turn of fewer than :data:`MIN_QUOTE_WORDS` words (the turn's Text: a
  Quote the analyst trimmed shorter is the analyst's choice);
* a turn that is mostly logistics ("can you hear me", "you're on mute" ...):
  at least half its sentences hold a :data:`LOGISTICS` phrase;
* a segment already quoted for another theme (marked or proposed): each
  quote stands for one theme. Themes with fewer candidates choose first; a
  theme left with no candidate gets none, and the theme table says so.

The analyst's own marks are always honoured, even a segment marked for two
themes (:func:`exemplar_notes` says so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radar import columns as C

if TYPE_CHECKING:
    import pandas as pd

QUOTES_PER_THEME = 2
IDEAL_QUOTE_WORDS = 30
MIN_QUOTE_WORDS = 8
PROPOSED = "proposed by radar"
NO_QUOTE = "no quote proposed"

INTRODUCTION = ("introduce", "your name", "tell us a bit about yourself", "go around")
LOGISTICS = (
    "can you hear me",
    "you're on mute",
    "you are on mute",
    "my camera",
    "let me share",
    "sorry i'm late",
    "sorry i am late",
    "connection",
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.+|\[\u2026\]|\[\.\.\.\])\s*")


@dataclass(frozen=True)
class Quote:
    """An exemplar quote and where it comes from."""

    segment: str
    participant: str
    group: str
    theme: str
    code: str
    text: str  # the words quoted: the analyst's Quote cell, else the segment's Text
    proposed: bool = False

    def citation(self, group_names: Mapping[str, str] | None = None) -> str:
        """The quote's ID as papers print it: ``(P14, fg2)``, or the group's name from ``group_names``."""
        return f"({self.participant}, {(group_names or {}).get(self.group, self.group)})"

    def cited(self, group_names: Mapping[str, str] | None = None) -> str:
        """The quote in quotation marks with its ID."""
        return f"\u201c{self.text}\u201d {self.citation(group_names)}"


def quoted_words(rows: pd.DataFrame) -> dict[str, str]:
    """Segment ID -> the analyst's Quote, from any of the segment's rows (its first non-empty one)."""
    if C.QUOTE not in rows.columns:
        return {}
    found: dict[str, str] = {}
    for sid, quote in zip(rows[C.SEGMENT_ID], rows[C.QUOTE]):
        text = "" if quote is None else str(quote).strip()
        if text and str(sid) not in found:
            found[str(sid)] = text
    return found


def quote_text(row: Mapping[Any, object], quoted: Mapping[str, str]) -> str:
    """The words a row quotes: its own Quote cell, else its segment's, else its Text."""
    own = row.get(C.QUOTE)
    own_text = "" if own is None else str(own).strip()
    return own_text or quoted.get(str(row[C.SEGMENT_ID]), "") or str(row[C.TEXT])


def exemplars(
    coded: pd.DataFrame, per_theme: int = QUOTES_PER_THEME, *, turns: pd.DataFrame | None = None
) -> dict[str, list[Quote]]:
    """The exemplar quotes of each theme.

    Args:
        coded: the phase-3 table.
        per_theme: how many quotes radar proposes for a theme without marks.
        turns: the phase-1 table; with it, radar also leaves out the turns
            its role, Reason or introduction prompt rules out (module docs).
    """
    quoted = quoted_words(coded)
    ruled_out = ruled_out_turns(turns) if turns is not None else set()
    chosen: dict[str, list[Quote]] = {}
    used: set[str] = set()
    open_themes: list[tuple[str, list[dict[Any, Any]]]] = []
    for theme, rows in coded.groupby(C.THEME, sort=False):
        marked = rows[rows[C.EXEMPLAR].astype(str).str.strip() != ""]
        if len(marked):
            records = marked.drop_duplicates(C.SEGMENT_ID).to_dict("records")
            chosen[str(theme)] = [_quote(r, quoted, False) for r in records]
            used.update(str(r[C.SEGMENT_ID]) for r in records)
        else:
            candidates = [
                r
                for r in rows.drop_duplicates(C.SEGMENT_ID).to_dict("records")
                if str(r[C.SEGMENT_ID]) not in ruled_out and quotable(str(r[C.TEXT]))
            ]
            open_themes.append((str(theme), candidates))
    for theme, candidates in sorted(open_themes, key=lambda pair: len(pair[1])):
        fresh = [r for r in candidates if str(r[C.SEGMENT_ID]) not in used]
        chosen[theme] = _propose(fresh, per_theme, quoted)
        used.update(q.segment for q in chosen[theme])
    return {str(theme): chosen[str(theme)] for theme in coded[C.THEME].drop_duplicates()}


def _quote(row: Mapping[Any, object], quoted: Mapping[str, str], proposed: bool) -> Quote:
    return Quote(
        str(row[C.SEGMENT_ID]),
        str(row[C.PARTICIPANT]),
        str(row[C.GROUP]),
        str(row[C.THEME]),
        str(row[C.CODE]),
        quote_text(row, quoted),
        proposed,
    )


def _propose(candidates: list[dict[Any, Any]], per_theme: int, quoted: Mapping[str, str]) -> list[Quote]:
    def words(row: Mapping[Any, object]) -> int:
        return len(quote_text(row, quoted).split())

    ranked = sorted(candidates, key=lambda r: (abs(words(r) - IDEAL_QUOTE_WORDS), str(r[C.SEGMENT_ID])))
    picked: list[Quote] = []
    voices: set[str] = set()
    for row in ranked:
        if row[C.PARTICIPANT] in voices:
            continue
        picked.append(_quote(row, quoted, True))
        voices.add(str(row[C.PARTICIPANT]))
        if len(picked) == per_theme:
            break
    return picked


def quotable(text: str) -> bool:
    """Whether radar may propose a text as a quote: long enough, and not mostly logistics.

    Example:
        >>> quotable("Can you hear me? My camera is off, sorry, the connection is bad today.")
        False
        >>> quotable("The group kept me going through the worst winter I can remember.")
        True
    """
    if len(text.split()) < MIN_QUOTE_WORDS:
        return False
    sentences = [s for s in _SENTENCE.split(_plain(text)) if s.strip()]
    logistic = sum(any(phrase in s for phrase in LOGISTICS) for s in sentences)
    return logistic * 2 < len(sentences)


def is_introduction(question: str) -> bool:
    """Whether a facilitator's question asks people to introduce themselves.

    Example:
        >>> is_introduction("Could we go around and say your name?"), is_introduction("What helps?")
        (True, False)
    """
    asked = _plain(question)
    return any(phrase in asked for phrase in INTRODUCTION)


def ruled_out_turns(turns: pd.DataFrame) -> set[str]:
    """Segment IDs radar never proposes as quotes, whatever their codes (module docs)."""
    out: set[str] = set()
    answered: set[tuple[str, str, str]] = set()
    for row in turns.to_dict("records"):
        sid = str(row[C.SEGMENT_ID])
        reason = str(row.get(C.REASON) or "").strip()
        if str(row.get(C.ROLE) or C.PARTICIPANT_ROLE) != C.PARTICIPANT_ROLE or reason:
            out.add(sid)
            continue
        question = str(row.get(C.QUESTION) or "")
        if question and is_introduction(question):
            key = (str(row[C.GROUP]), question, str(row[C.PARTICIPANT]))
            if key not in answered:
                answered.add(key)
                out.add(sid)
    return out


def _plain(text: str) -> str:
    """Lower case, straight apostrophes, one space between words."""
    return " ".join(text.replace("\u2019", "'").lower().split())


# The analyst's Quote cells ---------------------------------------------------


def is_part_of(quote: str, text: str) -> bool:
    """Whether a trimmed quote is the turn's own words: its pieces between ellipses, in order.

    Spaces are normalised and ``…``, ``...``, ``[…]`` mark words left out.

    Example:
        >>> is_part_of("the data plan runs out \u2026 in a week", "and the data plan runs out. It runs out in a week.")
        True
        >>> is_part_of("the plan is cheap", "and the data plan runs out.")
        False
    """
    plain = " ".join(text.split())
    at = 0
    for piece in (p.strip() for p in _ELLIPSIS.split(" ".join(quote.split()))):
        if not piece:
            continue
        found = plain.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def quote_notes(coded: pd.DataFrame) -> list[str]:
    """A note for each Quote cell that is not a part of its segment's Text."""
    if C.QUOTE not in coded.columns:
        return []
    notes = []
    seen: set[tuple[str, str]] = set()
    for sid, text, quote in zip(coded[C.SEGMENT_ID], coded[C.TEXT], coded[C.QUOTE]):
        words = "" if quote is None else str(quote).strip()
        if not words or (str(sid), words) in seen:
            continue
        seen.add((str(sid), words))
        if not is_part_of(words, str(text)):
            notes.append(
                f"{C.SHEET_PHASE3!r}, Segment ID {sid}: the Quote is not a part of the Text; a trimmed "
                "quote must be the participant's own words (mark words left out with \u2026)"
            )
    return notes


def exemplar_notes(quotes: Mapping[str, Iterable[Quote]]) -> list[str]:
    """A note for each segment the analyst marked as an exemplar of more than one theme."""
    themes_of: dict[str, list[str]] = {}
    for theme, chosen in quotes.items():
        for quote in chosen:
            if not quote.proposed and theme not in themes_of.setdefault(quote.segment, []):
                themes_of[quote.segment].append(theme)
    return [
        f"{C.SHEET_PHASE3!r}, Segment ID {sid}: marked as the exemplar of {len(themes)} themes "
        f"({', '.join(themes)}); a quote usually stands for one theme"
        for sid, themes in themes_of.items()
        if len(themes) > 1
    ]
