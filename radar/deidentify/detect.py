"""Names nobody listed, found by rules without a trained model.

The rules, from the most certain:

* **after a title** (``Dr Lopez``, ``Nurse Kelly``, ``Aunt Rosa``) or **a kinship
  or role word** (``my husband Frank``, ``her daughter June``, ``my
  neighbour Rosa Delgado``, ``nurse Kelly``): a name, even one that is also a
  word or a month;
* **before said, told, asked** (``Frank said``, ``Will told me``): a name when it
  is a first name; another rare capitalised word there is only suspected;
* **after told, asked, called, texted** (``I told Margaret``): a name when it is
  a first name;
* **a first name** from the shipped list (the 1990 US Census first names,
  ``radar/data/first_names.txt``), anywhere, sentence starts included
  (``Margaret came by``), with the capitalised word after it as the surname;
  a first name that is also a common word, month or day (Frank, June, Will,
  Hope) needs one of the contexts above, and is only suspected inside a
  sentence without one.

Capitalised word sequences inside a sentence (``Google Voice``) and rare
capitalised words (``Tucson``) are left to the check's review list
(:meth:`Deidentifier.check`), not masked. Words the analyst reviewed
(``[deidentify] not_names``), the keep list, pseudonyms and markers are never
found.

Example:
    >>> [(d.name, d.rule) for d in NameRules().find("My husband Frank said so, and Margaret agreed.")]
    [('Frank', 'after a kinship or role word'), ('Margaret', 'first name')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from radar.deidentify.terms import _stop_words, common_english, fold

_U = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_L = "a-z\u00df-\u00f6\u00f8-\u00ff"
_PART = rf"[{_U}][{_L}]+(?:[{_U}][{_L}]+)?"  # Maria, DeLuca, McKay
WORD = rf"(?:[{_U}]['\u2019])?{_PART}(?:-{_PART})?"  # O'Brien, Anne-Marie
_BEFORE = r"(?<![\w\[\]'\u2019-])"
_AFTER = r"(?![\w\]]|-\w)"
_NAME = rf"{_BEFORE}({WORD}(?:[ \t]+{WORD})?){_AFTER}"

RULE_TITLE = "after a title"
RULE_ROLE = "after a kinship or role word"
RULE_SAID = "before said, told, asked"
RULE_TOLD = "after told, asked, called"
RULE_FIRST = "first name"

TITLE_WORDS = (
    "Dr", "Doctor", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof", "Professor", "Nurse", "Pastor", "Father",
    "Sister", "Brother", "Aunt", "Auntie", "Uncle", "Grandma", "Grandpa", "Granny", "Nana", "Coach",
    "Officer", "Judge", "Rev", "Reverend", "Deacon", "Rabbi", "Imam", "Sheriff", "Detective",
)  # fmt: skip
ROLE_WORDS = (
    "husband", "wife", "son", "daughter", "mother", "mom", "mum", "mama", "father", "dad", "papa",
    "brother", "sister", "aunt", "auntie", "uncle", "cousin", "niece", "nephew", "grandma", "grandmother",
    "grandpa", "grandfather", "granddaughter", "grandson", "stepson", "stepdaughter", "stepmom", "stepdad",
    "neighbour", "neighbor", "friend", "boyfriend", "girlfriend", "partner", "fiance", "fiancee", "spouse",
    "roommate", "flatmate", "boss", "supervisor", "manager", "coworker", "co-worker", "colleague",
    "client", "peer", "caseworker", "counselor", "counsellor", "therapist", "psychiatrist", "doctor",
    "nurse", "pastor", "priest", "rabbi", "imam", "coach", "teacher", "sponsor", "mentor", "landlord",
    "landlady", "caregiver", "carer", "aide", "kid", "child", "baby", "ex",
)  # fmt: skip
SAID_VERBS = ("said", "says", "told", "tells", "asked", "asks", "texted", "replied", "mentioned", "yelled")
TOLD_VERBS = ("told", "asked", "called", "texted", "emailed", "messaged", "thanked", "married", "met")
CALENDAR = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    }
)  # fmt: skip
NOT_NAMES = frozenset(
    {
        "ok", "okay", "yeah", "yes", "no", "oh", "um", "uh", "hi", "hello", "thanks", "thank", "god",
        "lord", "jesus", "christ", "mom", "dad", "mum", "mama", "papa", "grandma", "grandpa", "nana",
        "granny", "auntie", "everyone", "everybody", "someone", "somebody", "nobody", "anyone", "anybody",
        "sure", "right", "exactly", "absolutely", "agreed", "totally", "honestly", "sorry", "please",
        "great", "cool", "wow", "true", "mhm", "hmm", "mm",
    }
)  # fmt: skip

_TITLE_RE = re.compile(rf"{_BEFORE}(?:{'|'.join(TITLE_WORDS)})\.?[ \t]+{_NAME}")
_ROLE_RE = re.compile(
    rf"(?<![\w-])(?i:{'|'.join(ROLE_WORDS)})s?(?:[ \t]+(?i:whose name is|named|called))?"
    rf"(?:[ \t]+|,[ \t]+(?={WORD}(?:[ \t]+{WORD})?(?:[,.!?;:)]|$)))"
    rf"{_NAME}"
)
_SAID_RE = re.compile(rf"{_NAME}[ \t]+(?:{'|'.join(SAID_VERBS)})\b")
_TOLD_RE = re.compile(rf"(?<![\w-])(?i:{'|'.join(TOLD_VERBS)})[ \t]+{_NAME}")
_FIRST_RE = re.compile(_NAME)


@dataclass(frozen=True)
class Detected:
    """A name a rule found: where it is, as written, the rule, and whether masking may take it."""

    start: int
    end: int
    name: str
    rule: str
    confident: bool


@functools.cache
def first_names() -> dict[str, bool]:
    """The shipped first names (folded) and whether each is also a common word, month or day.

    Example:
        >>> first_names()["margaret"], first_names()["frank"]
        (False, True)
    """
    from importlib import resources

    text = resources.files("radar").joinpath("data", "first_names.txt").read_text(encoding="utf-8")
    names: dict[str, bool] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, mark = line.partition(" ")
        names[fold(name)] = mark.strip() == "*"
    return names


class NameRules:
    """The rules that find names nobody listed in a text.

    Args:
        not_names: words the analyst reviewed as not names (``[deidentify] not_names``).
        keep: words never masked nor flagged (``[deidentify] keep``).
        pseudonyms: IDs never taken for names.
    """

    def __init__(
        self, not_names: Iterable[str] = (), keep: Iterable[str] = (), pseudonyms: Iterable[str] = ()
    ):
        self.not_names = frozenset(fold(n) for n in not_names)
        self.keep = frozenset(fold(k) for k in keep)
        self.pseudonyms = frozenset(fold(p) for p in pseudonyms)

    def reviewed(self, name: str) -> bool:
        """Whether the analyst marked this word or phrase, or one of its words, as not a name."""
        key = fold(name)
        return key in self.not_names or any(w in self.not_names for w in key.split())

    def find(self, text: str) -> list[Detected]:
        """The names the rules find in a text, in order, none overlapping another.

        Words the analyst reviewed as not names are left out; see :meth:`reviewed_in`.
        """
        return [d for d in self._candidates(text) if not self.reviewed(d.name)]

    def reviewed_in(self, text: str) -> list[Detected]:
        """What the rules would find in a text but the analyst reviewed as not a name."""
        return [d for d in self._candidates(text) if self.reviewed(d.name)]

    def _candidates(self, text: str) -> list[Detected]:
        found: list[Detected] = []
        taken: list[tuple[int, int]] = []
        names = first_names()

        def add(start: int, end: int, rule: str, confident: bool) -> None:
            if start >= end or any(start < e and s < end for s, e in taken):
                return
            found.append(Detected(start, end, text[start:end], rule, confident))
            taken.append((start, end))

        for match in _TITLE_RE.finditer(text):
            start, end = self._trimmed(text, match.start(1), match.end(1), in_context=True)
            add(start, end, RULE_TITLE, True)
        for match in _ROLE_RE.finditer(text):
            start, end = self._trimmed(text, match.start(1), match.end(1), in_context=True)
            first = _first_of(text[start:end])
            if first not in names and first in common_english():  # "peer Support", "my boss Said"
                continue
            add(start, end, RULE_ROLE, True)
        for match in _SAID_RE.finditer(text):
            start, end = self._trimmed(text, match.start(1), match.end(1), keep_last=True)
            if start < end and not self._ignored_here(text[start:end].split()[0]):
                add(start, end, RULE_SAID, True)
        for match in _TOLD_RE.finditer(text):
            start, end = self._trimmed(text, match.start(1), match.end(1))
            if start < end and _first_of(text[start:end].split()[0]) in names:
                add(start, end, RULE_TOLD, True)
        for match in _FIRST_RE.finditer(text):
            start, end = match.start(1), match.end(1)
            words = text[start:end].split()
            if len(words) == 2 and (_first_of(words[0]) not in names or self._ignored_here(words[0])):
                start = end - len(words[1])  # "Yesterday Margaret"
                words = words[1:]
            first = _first_of(words[0])
            if first not in names or self._ignored_here(words[0]):
                continue
            if len(words) == 2 and self._ignored(words[1]):
                end = start + len(words[0])
            if not names[first]:
                add(start, end, RULE_FIRST, True)
            elif not _opens_sentence(text, start):
                add(start, start + len(words[0]), RULE_FIRST, False)
        return sorted(found, key=lambda d: d.start)

    def _ignored_here(self, word: str) -> bool:
        """Whether a first name cannot be one where it stands: a month or day, a kept word, a pseudonym."""
        key = fold(word)
        return key in NOT_NAMES or key in CALENDAR or key in self.keep or key in self.pseudonyms

    def _ignored(self, word: str, in_context: bool = False) -> bool:
        """Whether a word cannot be a name: a stop word, a kept word, a pseudonym, or (alone) a month or day.

        After a title or kinship word (``in_context``) a month or day can be a name: "my wife, June".
        """
        key = fold(word)
        if key in NOT_NAMES or key in self.keep or key in self.pseudonyms or key in _stop_words():
            return True
        return not in_context and key in CALENDAR

    def _trimmed(
        self, text: str, start: int, end: int, keep_last: bool = False, in_context: bool = False
    ) -> tuple[int, int]:
        """The span without words that cannot be names (days, stop words, kept words) at either end.

        With ``keep_last`` (before said), the span is its first names and what follows them
        ("Yesterday Frank said": Frank), and a first name that is a stop word counts (Will said).
        """
        spans = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]

        def word(span: tuple[int, int]) -> str:
            return text[span[0] : span[1]]

        if keep_last:
            while spans and _first_of(word(spans[0])) not in first_names():
                spans.pop(0)
            return (spans[0][0], spans[-1][1]) if spans else (start, start)
        while spans and self._ignored(word(spans[-1]), in_context):
            spans.pop()
        while spans and self._ignored(word(spans[0]), in_context):
            spans.pop(0)
        return (spans[0][0], spans[-1][1]) if spans else (start, start)


def _first_of(word: str) -> str:
    """A word's first part, folded, as the first-name list is looked up: Anne-Marie -> anne."""
    parts = fold(word).split()
    return parts[0] if parts else ""


def _opens_sentence(text: str, start: int) -> bool:
    # Only the text just before the word is looked at (as masking's own check does), so a text with
    # thousands of names is read in time that grows with its length; all of it only when markers
    # such as [crosstalk] fill that window.
    window = max(0, start - _LOOKBACK)
    before = _before(text[window:start])
    if window and (not before or (before.endswith("]") and "[" not in before)):
        before = _before(text[:start])
    return not before or before[-1] in ".!?\u2026:"


_LOOKBACK = 200
_MARKERS_AT_END = re.compile(r"(?:\[[^\[\]]*\]\s*)+$")


def _before(text: str) -> str:
    return _MARKERS_AT_END.sub("", text).rstrip(" \t\n\"'\u201c\u2018([-\u2014")
