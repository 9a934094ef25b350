"""Speaker labels and time stamps: what counts as a label, and how lines split.

Speaker labels in typed text are found by a heuristic, since a colon also
appears in ordinary sentences. A line starts a turn when it begins, optionally
after a ``[HH:MM:SS]`` time, with a label followed by ``:`` and then text or the
end of the line, where the label

* has at most 4 words and 40 characters;
* starts with a capital, and every word is capitalised (``Maria``, ``Dr.``,
  ``Note-taker``), a number (``Participant 3``), a name particle
  (``Maria de la Cruz``) or in parentheses (``Sam (facilitator)``);
* holds no common sentence word (``So``, ``Yes``, ``The``, ``I think``...) and
  no front-matter word (``Date``, ``Location``, ``Focus Group``, ``Session``...);
* is not followed by a digit or ``//``, so times (``10:30``) and URLs never count.

A single capital letter (``Q:``, ``A:``, ``I:``, ``R:``) is a label too. A label
shaped less like a name (``interviewer:``, ``maria (she/her):``) is *weak*: it
counts only when it recurs in the file or the speakers list holds it.

Besides ``Label: text`` lines, these shapes are read:

* header lines, the label and its time alone on a line and the text below:
  Otter ``Speaker Name  0:42``, Zoom's saved transcript ``[Name] 19:00:25``, Rev
  ``Name (00:00:00):`` or ``Name [00:00:00]``, Trint ``[00:00:12] Name``;
* diarised speech-to-text lines ``[00:01.2 - 00:04.9] SPEAKER_00 - text``;
* a label with its time before the text, ``Name (00:01:02): text`` and, in
  Markdown, ``**Emma** [0:00] text``;
* QualCoder's ``[id1] text``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from radar.columns import PARTICIPANT_ROLE
from radar.speakers import match_key, staff_word
from radar.transcripts.model import Evidence

MAX_LABEL_WORDS = 4
MAX_CAPTION_LABEL_WORDS = 6
MAX_LABEL_CHARS = 40

TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_LABEL_LINE = re.compile(
    rf"^(?:(?:\[(?P<t1>{TIME})\]|\((?P<t2>{TIME})\)|(?P<t3>{TIME})(?=\s))\s*)?"
    r"(?P<label>[^:\[\]]{1,60}?)\s*:(?![\d/])\s*"
    rf"(?:[\[(](?P<t4>{TIME})[\])]\s*)?(?P<text>.*)$"
)
# ``Name (00:01:02): text``, ``Name [0:00] text``: a label with its time, then text.
_TIMED_LABEL_LINE = re.compile(
    rf"^(?P<label>[^:\[\]()]{{1,60}}?)\s*[\[(](?P<time>{TIME})[\])]\s*:?\s+(?P<text>\S.*)$"
)
# ``[00:01.2 - 00:04.9] SPEAKER_00 - text`` or ``... SPEAKER_00: text``.
_DIARISED_LINE = re.compile(
    rf"^\[(?P<time>{TIME})\s*(?:-->|-|–|—)\s*{TIME}\]\s*"
    r"(?P<label>[^:\-–—\s][^:–—]{0,40}?)\s*(?::|\s[-–—])\s*(?P<text>.*)$"
)
# ``[id1] text``: a bracketed label that is not a non-speech marker.
# WhisperX ``[SPEAKER_00]: text``: a bracketed label with a colon.
_BRACKET_COLON_LINE = re.compile(r"^\[(?P<label>[^\[\]:]{1,40})\]\s*:\s*(?P<text>.*)$")
_BRACKET_LINE = re.compile(r"^\[(?P<label>[^\W\d_][\w .'-]{0,30})\]\s+(?P<text>\S.*)$")
_HEADER_PATTERNS = (
    # ``Name  0:42``, ``[Name] 19:00:25``, ``Name (00:00:00):``, ``**Emma** [0:00]``
    re.compile(
        r"^(?P<open>\*\*|\[)?(?P<label>[^\[\]():*]{1,60}?)(?P<close>\*\*|\])?"
        rf"(?P<gap>\s*:?\s*)(?P<bracket>[\[(])?(?P<time>{TIME})[\])]?\s*:?$"
    ),
    # ``[Hannah Osei (she/her)] 09:30:02``: Zoom's bracketed display name, which may hold parentheses
    re.compile(rf"^(?P<open>\[)(?P<label>[^\[\]]{{1,60}}?)(?P<close>\])\s+(?P<time>{TIME})\s*$"),
    # ``[00:00:12] Name`` alone on its line
    re.compile(rf"^(?P<bracket>[\[(])(?P<time>{TIME})[\])]\s*(?P<label>[^\[\]():*]{{1,60}}?)\s*:?$"),
    # ``00:00:03 Speaker 1`` (Word Transcribe): a time with hours, then the label
    re.compile(
        r"^(?P<time>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)\s+(?P<label>[^\[\]():*\d][^\[\]():*]{0,59}?)\s*$"
    ),
)
TIME_ONLY = re.compile(rf"^\s*[\[(]?(?P<time>{TIME})[\])]?\s*$")
_NAME_WORD = re.compile(r"^(?:\d+|[^\W\d_][\w.'\u2019-]*|\([^()]*\))$")
_CAPTION_FORBIDDEN = frozenset(':?!"“”[]')
_NON_SPEECH_WORDS = frozenset(
    [
        "inaudible",
        "crosstalk",
        "laughter",
        "laughs",
        "laughing",
        "pause",
        "paused",
        "silence",
        "music",
        "applause",
        "noise",
        "unintelligible",
        "overlapping",
        "overlap",
        "coughs",
        "cough",
        "sighs",
        "sigh",
        "background",
        "break",
        "end",
        "start",
        "redacted",
        "name",
        "place",
    ]
)


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


# Words that start or fill sentences, never speaker labels ("Yes: absolutely").
# Short words that are also given names (An, Do, May, Will) are left out.
SENTENCE_WORDS = _words(
    """
    a the and or but so because if then than when while where what which whom whose why how
    that this these those there here it its it's i'm i've i'd me my mine we we're us our you
    you're your he she his her him they they're them their is are was were be been being am
    does did done have has had would can could should shall might must not no yes yeah yep nope
    ok okay well oh um uh hmm like just really actually basically honestly absolutely
    definitely exactly sure right maybe also too very some any every each of to in on at by for
    with from about as into over after before again still only even now first second finally
    thing things think thought mean meant know say said says see look example e.g i.e ps
    p.s fyi re reminder update important warning tip step result results goal plan rule rules
    point problem reason summary conclusion please thanks thank hello hi dear
    """
)
# Words of a transcript's front matter, never speaker labels ("Date: 3 May").
METADATA_WORDS = _words(
    """
    date dates time times location venue place site setting title duration length transcript
    transcription transcriber transcribed recording recorded audio video file filename project
    study session focus interview meeting topic subject attendees attendance participants
    present absent apologies language notes note consent agenda
    """
)
_PARTICLES = _words("de la le du des del della di da dos das do van von der den ter ten bin ibn al el y st.")


@dataclass(frozen=True)
class Split:
    """A line split into a label, its time and the text after them."""

    label: str
    text: str
    start: str
    evidence: Evidence
    omitted: str
    label_at: int = 0  # where the label begins, after any time before it


def key(label: str) -> str:
    """How labels compare: whitespace-normalised and case-folded."""
    return normalise(label).casefold()


def known_key(label: str) -> str:
    """How a label is looked up among the speakers list's: :func:`radar.speakers.match_key`.

    Case, Zoom's ``(Host)`` and pronoun suffixes, ``Name's iPad`` and leading
    zeros (``P01`` is ``P1``) do not matter.
    """
    return match_key(label)


def normalise(text: str) -> str:
    """Runs of white space folded to one space, ends trimmed."""
    return " ".join(text.split())


def hms(stamp: str) -> str:
    """A time such as ``0:42``, ``1:02:03``, ``0:0:8.950`` or ``00:02:24.720`` as ``HH:MM:SS``."""
    seconds = 0
    for part in re.split(r"[.,]", stamp)[0].split(":"):
        seconds = seconds * 60 + int(part)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def label_evidence(
    label: str, known: Collection[str], *, lenient: bool = False, metadata: bool = True
) -> Evidence | None:
    """How strongly a candidate label names a speaker, or None when it cannot.

    Args:
        label: The candidate, without its colon.
        known: Known speaker keys (see :func:`key`); a known label always counts.
        lenient: Accept any characters and lowercase words, as software writes
            them in captions and Otter headers; such labels are weak.
        metadata: Reject labels holding a front-matter word.
    """
    if known_key(label) in known:
        return Evidence.CERTAIN
    words = label.split()
    if not words or len(label) > MAX_LABEL_CHARS:
        return None
    if len(label) == 1:
        return Evidence.SHAPED if label.isupper() else None
    bare = [word.casefold().strip(".,'\u2019-()") for word in words]
    if not any(char.isalpha() for char in label) or SENTENCE_WORDS.intersection(bare):
        return None
    if metadata and METADATA_WORDS.intersection(bare):
        return None
    if len(words) <= MAX_LABEL_WORDS and words[0][0].isupper() and all(map(_is_name_word, words)):
        return Evidence.SHAPED
    if lenient and len(words) <= MAX_CAPTION_LABEL_WORDS and not _CAPTION_FORBIDDEN.intersection(label):
        return Evidence.WEAK
    if len(words) <= MAX_LABEL_WORDS and all(_NAME_WORD.match(word) for word in words):
        return Evidence.WEAK  # ``interviewer:``: shaped like a role in lower case; must recur
    return None


def _is_name_word(word: str) -> bool:
    if not _NAME_WORD.match(word):
        return False
    return word[0].isupper() or word[0] in "(0123456789" or word in _PARTICLES


def split_label(line: str, known: Collection[str], *, lenient: bool = False) -> Split | None:
    """Split a line that starts with a speaker label, or None when it does not.

    ``line`` is whitespace-normalised. The shapes tried are listed in the
    module docstring; the label's evidence says how sure the split is.
    """
    for pattern in (_DIARISED_LINE, _BRACKET_COLON_LINE, _TIMED_LABEL_LINE, _LABEL_LINE):
        match = pattern.match(line)
        if match is None:
            continue
        label = normalise(match["label"]).strip("*").strip()
        evidence = label_evidence(label, known, lenient=lenient, metadata=not lenient)
        if pattern is _DIARISED_LINE:
            evidence = Evidence.CERTAIN if label else None
        if evidence is None:
            continue
        groups = match.groupdict()
        stamp = next((groups[g] for g in ("time", "t1", "t2", "t3", "t4") if groups.get(g)), None)
        text_start = match.start("text") if match["text"] else len(line)
        omitted = line[:text_start]
        return Split(
            label, match["text"], hms(stamp) if stamp else "", evidence, omitted, match.start("label")
        )
    return _bracket_label(line, known)


def _bracket_label(line: str, known: Collection[str]) -> Split | None:
    """QualCoder's ``[id1] text``: a label with a digit, or one that must recur."""
    match = _BRACKET_LINE.match(line)
    if match is None:
        return None
    label = normalise(match["label"])
    if known_key(label) in known:
        evidence = Evidence.CERTAIN
    elif _NON_SPEECH_WORDS.intersection(label.casefold().split()):
        return None
    else:
        evidence = Evidence.SHAPED if any(c.isdigit() for c in label) else Evidence.WEAK
    return Split(label, match["text"], "", evidence, line[: match.start("text")])


def header_line(line: str, known: Collection[str]) -> Split | None:
    """A header line, the label and its time alone (``Speaker Name  0:42``), or None.

    A bare time after a single space counts only for a label shaped like a
    name; after a wide gap, in brackets or with the label bracketed, software
    wrote it, and the label may be lowercase.
    """
    for index, pattern in enumerate(_HEADER_PATTERNS):
        match = pattern.match(line.strip())
        if match is None:
            continue
        groups = match.groupdict()
        if (
            index == len(_HEADER_PATTERNS) - 1
            and label_evidence(match["label"], known) is not Evidence.SHAPED
        ):
            continue  # a bare time then words is a header only before a name
        if bool(groups.get("open")) != bool(groups.get("close")):
            continue
        label = normalise(match["label"])
        software = bool(groups.get("bracket") or groups.get("open")) or _wide(groups.get("gap") or "")
        evidence = label_evidence(label, known, lenient=software)
        if evidence is None or _NON_SPEECH_WORDS.intersection(label.casefold().split()):
            continue
        return Split(label, "", hms(match["time"]), max(evidence, Evidence.SHAPED), line)
    return None


_DIARISED_LABEL = re.compile(r"^(?:SPEAKER_\d+|S\d{2}|Speaker \d+)$")


def is_diarised_label(label: str) -> bool:
    """Whether a label is one that speaker diarisation writes (``SPEAKER_00``, ``S01``, ``Speaker 0``)."""
    return _DIARISED_LABEL.match(label) is not None


def _wide(gap: str) -> bool:
    return "\t" in gap or "  " in gap


def starts_with_time(text: str) -> bool:
    """Whether a text opens with a transcription time stamp (which no turn's text may).

    A bracketed time or one with hours or fractions (``[0:42]``, ``00:01:23``,
    ``1:02.5``) is a stamp; a bare ``10:30`` may be what was said.
    """
    bare = r"\d{1,3}:\d{1,2}(?::\d{1,2}(?:[.,]\d{1,3})?|[.,]\d{1,3})"
    return re.match(rf"^(?:[\[(]{TIME}[\])]|{bare})(?:\s|$)", text) is not None


# --- Header lines that say who is who ------------------------------------------------------------

MAX_HEADER_WORDS = 3  # words of a header's role phrase (``Lead facilitator``)
MAX_HEADER_NAME_WORDS = 6
_HEADER_NAMES = re.compile(
    r"^(?P<phrase>[^\W\d_][\w'-]*(?: [^\W\d_][\w'-]*)*)\s*(?::|\s[-–—]\s)\s*(?P<names>\S.*)$"
)
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*", re.IGNORECASE)
_PARTICIPANT_WORDS = re.compile(r"\b(?:participant|respondent|interviewee)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class HeaderLine:
    """A front-matter line naming who has a role: ``Interviewer: SK``, ``Moderator - Dana``."""

    line: str
    phrase: str
    role: str
    names: tuple[str, ...]


def header_role(phrase: str) -> str | None:
    """The role a header's opening words name, in the singular or plural, or None.

    Example:
        >>> header_role("Interviewer"), header_role("Note-takers"), header_role("Participants"), header_role("Date")
        ('facilitator', 'observer', 'participant', None)
    """
    words = phrase.split()
    if not words or len(words) > MAX_HEADER_WORDS:
        return None
    singular = " ".join(w[:-1] if len(w) > 3 and w[-1] in "sS" else w for w in words)
    found = staff_word(singular)
    if found is not None:
        return found[0]
    return PARTICIPANT_ROLE if _PARTICIPANT_WORDS.search(singular) else None


def header_names(line: str) -> HeaderLine | None:
    """A line such as ``Interviewer: SK`` or ``Facilitators - Dana, Lee`` read as a role and names, or None.

    Example:
        >>> header_names("Moderator - Dana Whitfield").names
        ('Dana Whitfield',)
    """
    text = normalise(line)
    match = _HEADER_NAMES.match(text)
    if match is None:
        return None
    role = header_role(match["phrase"])
    names = tuple(n for n in _NAME_SEPARATORS.split(match["names"].strip(" .")) if n)
    if role is None or not names or any(len(n.split()) > MAX_HEADER_NAME_WORDS for n in names):
        return None
    return HeaderLine(text, match["phrase"], role, names)


def names_label(name: str, label: str) -> bool:
    """Whether a header's name stands for a transcript's label.

    The same under :func:`~radar.speakers.match_key`; the label in brackets
    after the name (``Sarah Kim (SK)``); the label a word-by-word
    shortening of the name or the other way round, first words alike
    (``Dana`` or ``Dana W`` for ``Dana Whitfield``); or a label in capitals
    made of the name's initials (``SK`` for ``Sarah Kim``).

    Example:
        >>> names_label("Sarah Kim", "SK"), names_label("Dana Whitfield", "Dana (Host)"), names_label("Dan", "Dana")
        (True, True, False)
    """
    target = match_key(label)
    if match_key(name) == target or any(match_key(inner) == target for inner in _BRACKETED.findall(name)):
        return True
    outer = match_key(_BRACKETED.sub(" ", name))
    if not outer or not target:
        return False
    if _shortens(outer.split(), target.split()) or _shortens(target.split(), outer.split()):
        return True
    bare = label.strip()
    initials = "".join(word[0] for word in outer.split())
    return (
        2 <= len(bare) <= 4
        and bare.isalpha()
        and bare.isupper()
        and len(outer.split()) >= 2
        and bare.casefold() == initials
    )


def _shortens(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` word by word cut short, its first word whole (``dana w``, ``dana whitfield``)."""
    return (
        0 < len(short) <= len(long)
        and short[0] == long[0]
        and all(b.startswith(a) for a, b in zip(short[1:], long[1:]))
    )
