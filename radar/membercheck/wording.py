"""The words a packet shows: the cover letter's fields in a sentence, speakers as a participant reads them.

Example:
    >>> deadline_parts("30 June 2026"), deadline_parts("within three weeks")
    (('by ', '30 June 2026'), ('', 'within three weeks'))
    >>> in_sentence("The study team, study@example.org")
    'the study team, study@example.org'
    >>> voices = Voices({"F1": "the facilitator", "O1": "the observer"})
    >>> voices.turn("P07. I look after my dad. Thanks, O1.", "P07")
    'I look after my dad. Thanks.'
    >>> voices.turn("P05, from the [place] area.", "P05")
    'From the [place] area.'
    >>> voices.turn("I'm F1, and O1 from the research team is here.", "F1")
    "I'm the facilitator, and the observer from the research team is here."
    >>> voices.quote("Hi, I'm P01, from [place].", "P01")
    "Hi, I'm [name], from [place]."
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from radar import columns as C
from radar.deidentify import MASK_NAME, Deidentifier

STAFF_WORDS = {C.FACILITATOR_ROLE: "the facilitator", C.OBSERVER_ROLE: "the observer"}


# a deadline that already says how it relates to the date ("within three weeks") takes no "by"
_RELATION = re.compile(
    r"^(by|within|before|until|till|on|in|no later than|not later than|as soon as|at|after|"
    r"inside|when|whenever|any ?time|the sooner)\b",
    re.IGNORECASE,
)


_DETERMINER = re.compile(r"^(The|A|An|Our|Your|This|That)(?= [a-z])")


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|^[\"\u201c\u2018'(]|[.!?]\s+[\"\u201c\u2018'(])$")


_MARKER_IN_ID = re.compile(r"[-_. ]*\[[^\[\]]*\][-_. ]*")


def deadline_parts(deadline: str) -> tuple[str, str]:
    """What follows "return the form": "by " and a date, or a deadline that says it itself ("within ...")."""
    deadline = " ".join(deadline.split())
    return ("", deadline) if _RELATION.match(deadline) else ("by ", deadline)


def in_sentence(text: str) -> str:
    """A field that opens with "The", "Our" ... as it reads inside a sentence: ``the study team``."""
    return _DETERMINER.sub(lambda m: m.group(1).lower(), text, count=1)


def support_words(support: str) -> str:
    """The sentence that gives the support line, whether the field is a line or a whole sentence."""
    support = " ".join(support.split())
    if support[:1].isupper() and support.endswith((".", "!", "?")) and not _DETERMINER.match(support):
        return f"If anything in this packet is upsetting, support is available. {support}"
    return (
        f"If anything in this packet is upsetting, support is available: {in_sentence(support).rstrip('.')}."
    )


def group_label(group: str, deid: Deidentifier) -> str:
    """A group's ID as packets show it: itself, or, where it holds a masked term, the rest of it.

    Example:
        >>> from radar.deidentify import Term
        >>> deid = Deidentifier([Term("Northside", "[place]", "radar.toml places")])
        >>> group_label("fg1-northside", deid), group_label("fg2", deid), group_label("northside", deid)
        ('fg1', 'fg2', 'group')
    """
    masked = deid.mask(group)
    if masked == group:
        return group
    return _MARKER_IN_ID.sub("-", masked).strip("-_. ") or "group"


class Voices:
    """Speakers as a packet shows them: staff by their role, a speaker's own code not repeated.

    Args:
        staff: the research team's pseudonyms and the words that replace them
            (``{"F1": "the facilitator"}``).
    """

    def __init__(self, staff: Mapping[str, str]) -> None:
        self.staff = {pid: words for pid, words in staff.items() if pid}
        names = "|".join(re.escape(p) for p in sorted(self.staff, key=len, reverse=True))
        self._vocative = re.compile(rf",\s*(?:\[(?:{names})\]|(?:{names}))(?=[.!?])") if names else None
        # a pseudonym as masking writes it, [F1], or plain, F1 (pseudonym_style = "{id}")
        self._staff = re.compile(rf"\[(?:{names})\]|(?<![\w\[])(?:{names})(?![\w\]])") if names else None

    def turn(self, text: str, speaker: str) -> str:
        """A turn's text: no leading code of its own speaker ("P07. I look after..."), staff by role."""
        if speaker:
            rest = re.sub(rf"^\s*(?:\[{re.escape(speaker)}\]|{re.escape(speaker)})\s*[.,:;!]+\s*", "", text)
            if rest.strip() and rest != text:
                text = rest[:1].upper() + rest[1:]
        return self.staff_words(text)

    def quote(self, text: str, speaker: str) -> str:
        """A quote cited as "(a participant)": also no code of its speaker anywhere in it."""
        text = self.turn(text, speaker)
        if speaker and speaker not in self.staff:
            own = re.escape(speaker)
            text = re.sub(rf"\[{own}\]|(?<![\w\[]){own}(?![\w\]])", MASK_NAME, text)
        return text

    def staff_words(self, text: str) -> str:
        """Staff pseudonyms as "the facilitator" and "the observer"; "Thanks, O1." as "Thanks."."""
        if self._staff is None or self._vocative is None:
            return text
        text = self._vocative.sub("", text)

        def replace(match: re.Match[str]) -> str:
            words = self.staff[match.group(0).strip("[]")]
            if _SENTENCE_START.search(text[: match.start()]):
                return words[:1].upper() + words[1:]
            return words

        return self._staff.sub(replace, text)


def staff_of(rows: Iterable[Mapping[Any, Any]], listed: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The research team's pseudonyms from the table's roles and the speakers list: ``{"F1": "the facilitator"}``."""
    staff: dict[str, str] = {}
    for pid, role in [*((str(r[C.PARTICIPANT]), str(r[C.ROLE])) for r in rows), *listed]:
        if role in STAFF_WORDS and pid and pid not in staff:
            staff[pid] = STAFF_WORDS[role]
    return staff
