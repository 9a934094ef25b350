"""What is masked: the terms, names that are also English words, and where the terms come from."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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
KIND_REVIEWED = "reviewed (not a name)"
KIND_FOUND = "masked (rule: "  # how the kinds of names nobody listed, found by the rules, begin

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
    needs_context: bool = False  # a surname alone: masked only after a title or kinship word, or before said


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


_DASHES = re.compile(r"[\s\-\u2010-\u2015]+")


def fold(text: str) -> str:
    """A name as variants of it are looked up: :func:`normalise`, accents dropped, hyphens as spaces.

    Example:
        >>> fold("José Núñez"), fold("Anne-Marie"), fold("O’Brien")
        ('jose nunez', 'anne marie', "o'brien")
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_DASHES.sub(" ", plain).split()).lower()


@functools.cache
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from its ``stop_words.py`` without importing spaCy.

    Importing ``spacy.lang.en.stop_words`` imports all of spaCy first (about a
    second, and the whole of a no-change re-run's use of it); the module is
    one set literal, so it is run on its own, unless spaCy is loaded already.
    """
    import importlib.util
    import runpy
    import sys

    if "spacy" not in sys.modules:
        spec = importlib.util.find_spec("spacy")
        if spec is not None and spec.origin:
            try:
                found = runpy.run_path(str(Path(spec.origin).parent / "lang" / "en" / "stop_words.py"))
                return frozenset(found["STOP_WORDS"])
            except (OSError, KeyError, SyntaxError):
                pass  # a spaCy laid out otherwise: import it
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def common_words(words: frozenset[str]) -> frozenset[str]:
    """The words among ``words`` that are ordinary English words as well as names.

    A word is ordinary when its lowercase form is frequent: a log probability
    of at least -13 in spaCy's English lexeme table (:func:`common_english`,
    which reads only the table's head), or a spaCy stop word. ``will``,
    ``grace``, ``mark`` are; ``maria`` and ``gil`` are not.
    Without spacy-lookups-data, spaCy's stop words stand in.

    Example:
        >>> sorted(common_words(frozenset({"Will", "grace", "Maria", "gil"})))
        ['grace', 'will']
    """
    common = common_english()
    return frozenset(w for w in (word.lower() for word in words if word) if w in common)


@functools.cache
def common_english() -> frozenset[str]:
    """Every lowercase word at least as frequent as :data:`COMMON_LOG_PROB` in spaCy's lexeme table.

    The table is sorted by probability, so only its head is read (a few
    hundredths of a second). Without spacy-lookups-data, spaCy's stop words.
    """
    import zlib
    from importlib import resources

    try:
        source = resources.files("spacy_lookups_data").joinpath("data", "en_lexeme_prob.json.gz")
        packed = source.read_bytes()
    except (ImportError, OSError):
        return _stop_words()
    stream = zlib.decompressobj(wbits=31)
    entry = re.compile(r'^\s*"([^"\\]*)"\s*:\s*(-?[0-9.eE+-]+)', re.MULTILINE)
    words: set[str] = set()
    tail = ""
    for offset in range(0, len(packed), 1 << 16):
        chunk = tail + stream.decompress(packed[offset : offset + (1 << 16)]).decode("utf-8", "ignore")
        lines = chunk.split("\n")
        tail = lines.pop()
        for match in entry.finditer("\n".join(lines)):
            if float(match.group(2)) < COMMON_LOG_PROB:
                return frozenset(words) | _stop_words()
            if match.group(1).islower():
                words.add(match.group(1))
    return frozenset(words) | _stop_words()


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


def speaker_terms(
    people: Iterable[tuple[str, str, str]],
    style: str = "{id}",
    nicknames: Mapping[str, Sequence[str]] | None = None,
) -> list[Term]:
    """Terms for speakers' names: full names, first names alone, titled surnames, surnames in context.

    Args:
        people: (label as written in the transcripts, pseudonym, source) triples.
        style: how a pseudonym reads in masked text, ``{id}`` standing for it
            (radar.toml's ``[deidentify] pseudonym_style``, ``[{id}]`` by default there).
        nicknames: pseudonym -> the speaker's nicknames (speakers.csv's nicknames column).

    A name two different pseudonyms share (a first name, or a label reused in
    two groups) is masked as ``[name]``. A surname alone is masked where it
    stands as a name: after a title or kinship word, or before said.
    """
    owners: dict[str, set[str]] = {}
    spelling: dict[str, tuple[str, str, str]] = {}  # key -> (text, source, kind)

    def add(text: str, pid: str, source: str, kind: str) -> None:
        key = normalise(text)
        if not key:
            return
        owners.setdefault(key, set()).add(pid)
        spelling.setdefault(key, (text, source, kind))

    surnames: dict[str, tuple[str, set[str]]] = {}
    for pid, names in (nicknames or {}).items():
        for nickname in names:
            if nickname.strip():
                add(nickname.strip(), pid, "nickname in speakers.csv", "nickname")
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
                surnames.setdefault(normalise(last), (last, set()))[1].add(pid)
    single = frozenset(key for key in owners if " " not in key)
    common = common_words(single)
    terms = []
    for key, pids in owners.items():
        text, source, _ = spelling[key]
        replacement = style.format(id=next(iter(pids))) if len(pids) == 1 else MASK_NAME
        terms.append(Term(text, replacement, source, key in common))
    for key, (text, pids) in surnames.items():
        if key not in owners:  # a surname that is someone's first name is masked as that
            replacement = style.format(id=next(iter(pids))) if len(pids) == 1 else MASK_NAME
            terms.append(Term(text, replacement, "surname in context", needs_context=True))
    terms.sort(key=lambda t: -len(t.text))
    return terms


def config_terms(settings: DeidentifySettings) -> tuple[list[Term], list[str]]:
    """Terms from radar.toml's ``[deidentify]`` lists and ``[deidentify.replace]``, and its ``keep`` list.

    The analyst's own replacements come first (they win over any other
    spelling of the same term); each listed name has its own ``[name N]``,
    numbered in the order radar.toml lists them, so that adding a name at
    the end keeps the others' numbers.

    Example:
        >>> terms, _ = config_terms(DeidentifySettings(names=("Bobby", "Aunt Rosa")))
        >>> [(t.text, t.replacement) for t in terms]
        [('Bobby', '[name 1]'), ('Aunt Rosa', '[name 2]')]
    """
    lists = {"names": settings.names, "organisations": settings.organisations, "places": settings.places}
    terms: list[Term] = [
        Term(text, replacement, "radar.toml replace") for text, replacement in settings.replace
    ]
    words: list[str] = [text for text, _ in settings.replace if " " not in text.strip()]
    for key, replacement in CONFIG_LISTS.items():
        for number, value in enumerate(lists[key], start=1):
            own = f"[name {number}]" if replacement == MASK_NAME else replacement
            terms.append(Term(value, own, f"radar.toml {key}"))
            words += [value] if " " not in value.strip() else []
    common = common_words(frozenset(normalise(w) for w in words))
    terms = [dataclasses.replace(t, common_word=normalise(t.text) in common) for t in terms]
    return terms, list(settings.keep)
