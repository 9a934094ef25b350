"""What is masked: the terms, names that are also English words, and where the terms come from."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from radar.config import DeidentifySettings

MASK_NAME = "[name]"
MASK_PLACE = "[place]"
MASK_ORGANISATION = "[organisation]"
CONFIG_TABLE = "deidentify"
CONFIG_LISTS = {"names": MASK_NAME, "organisations": MASK_ORGANISATION, "places": MASK_PLACE}
TITLES = ("dr", "mr", "mrs", "ms", "miss", "mx", "prof")
COMMON_LOG_PROB = -13.0  # a lowercase word at least this frequent is an ordinary word
KIND_MASKED = "masked"
KIND_SUSPECTED = "suspected name or place"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_GENERIC_LABEL = re.compile(
    r"\b(participant|speaker|respondent|interviewee|facilitator|co-facilitator|moderator|"
    r"interviewer|host|researcher|chair|observer|note[- ]?taker|scribe|assistant|unknown|"
    r"guest|audience|group|all|everyone|several|multiple|inaudible|crosstalk)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'\u2019.-]*(?:['\u2019-][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class Term:
    """A word or phrase to mask, what replaces it, and where it came from."""

    text: str
    replacement: str
    source: str
    common_word: bool = False  # also an English word: masked only where capitalised


@dataclass(frozen=True)
class Finding:
    """One thing the check found: a masked occurrence or a suspected name left as it is."""

    where: str
    speaker: str
    kind: str
    found: str
    replacement: str
    context: str


def normalise(text: str) -> str:
    """A term as it is looked up: apostrophes straightened, whitespace folded, lowercase."""
    return " ".join(text.translate(_APOSTROPHES).split()).lower()


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=8)
def common_words(words: frozenset[str]) -> frozenset[str]:
    """The words among ``words`` that are ordinary English words as well as names.

    A word is ordinary when its lowercase form is frequent: a log probability
    of at least -13 in spaCy's English lexeme table. ``will``, ``grace``,
    ``mark`` are; ``maria`` and ``gil`` are not.
    Without spacy-lookups-data, spaCy's stop words stand in.
    """
    wanted = {w.lower() for w in words if w}
    if not wanted:
        return frozenset()
    probs = _lexeme_probs(frozenset(wanted))
    if probs is None:
        return frozenset(w for w in wanted if w in _stop_words())
    return frozenset(w for w in wanted if probs.get(w, -100.0) >= COMMON_LOG_PROB)


def _lexeme_probs(words: frozenset[str]) -> dict[str, float] | None:
    """The log probabilities of some words from spaCy's English lexeme table."""
    import gzip
    from importlib import resources

    try:
        source = resources.files("spacy_lookups_data").joinpath("data", "en_lexeme_prob.json.gz")
        raw = gzip.decompress(source.read_bytes()).decode("utf-8")
    except (ImportError, OSError, ValueError):
        return None
    entry = re.compile(r'^\s*"([^"\\]*)"\s*:\s*(-?[0-9.eE+-]+)', re.MULTILINE)
    return {m.group(1): float(m.group(2)) for m in entry.finditer(raw) if m.group(1) in words}


# Speakers' names and radar.toml's lists -----------------------------------------


def is_name_label(label: str) -> bool:
    """Whether a speaker label looks like a person's name rather than a role or ID.

    Example:
        >>> is_name_label("Maria Lopez"), is_name_label("P1"), is_name_label("Moderator")
        (True, False, False)
    """
    name = _strip_label(label)
    if not name or _GENERIC_LABEL.search(name) or any(ch.isdigit() for ch in name):
        return False
    words = name.split()
    return all(_NAME_WORD.match(w) for w in words) and any(len(w.strip(".")) >= 2 for w in words)


def _strip_label(label: str) -> str:
    """A label without parenthesised notes or leading titles: ``Dr. Jane Smith (she/her)`` -> ``Jane Smith``."""
    name = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", label)
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        words = words[1:]
    return " ".join(words)


def speaker_terms(people: Iterable[tuple[str, str, str]]) -> list[Term]:
    """Terms for speakers' names: full names, first names alone, titled surnames.

    Args:
        people: (label as written in the transcripts, pseudonym, source) triples.

    A name two different pseudonyms share (a first name, or a label reused in
    two groups) is masked as ``[name]``.
    """
    owners: dict[str, set[str]] = {}
    spelling: dict[str, tuple[str, str, str]] = {}  # key -> (text, source, kind)

    def add(text: str, pid: str, source: str, kind: str) -> None:
        key = normalise(text)
        if not key:
            return
        owners.setdefault(key, set()).add(pid)
        spelling.setdefault(key, (text, source, kind))

    for label, pid, source in people:
        if not is_name_label(label):
            continue
        add(label, pid, source, "full")
        name = _strip_label(label)
        add(name, pid, source, "full")
        words = name.split()
        if len(words) >= 2:
            first = re.sub(r"['\u2019]s$", "", words[0]).rstrip(".")
            if len(first) >= 2:
                add(first, pid, "first name", "first")
            last = words[-1].rstrip(".")
            if len(last) >= 2:
                for title in TITLES:
                    add(f"{title} {last}", pid, "title and surname", "titled")
                    add(f"{title}. {last}", pid, "title and surname", "titled")
    single = frozenset(key for key in owners if " " not in key)
    common = common_words(single)
    terms = []
    for key, pids in owners.items():
        text, source, _ = spelling[key]
        replacement = next(iter(pids)) if len(pids) == 1 else MASK_NAME
        terms.append(Term(text, replacement, source, key in common))
    terms.sort(key=lambda t: -len(t.text))
    return terms


def config_terms(settings: DeidentifySettings) -> tuple[list[Term], list[str]]:
    """Terms from radar.toml's ``[deidentify]`` lists, and its ``keep`` list."""
    lists = {"names": settings.names, "organisations": settings.organisations, "places": settings.places}
    terms: list[Term] = []
    words: list[str] = []
    for key, replacement in CONFIG_LISTS.items():
        for value in lists[key]:
            terms.append(Term(value, replacement, f"radar.toml {key}"))
            words += [value] if " " not in value.strip() else []
    common = common_words(frozenset(normalise(w) for w in words))
    terms = [dataclasses.replace(t, common_word=normalise(t.text) in common) for t in terms]
    return terms, list(settings.keep)
