"""De-identification: every output that leaves the team shows pseudonyms only.

A :class:`Deidentifier` replaces, whole words and ignoring case,

* the names of the study's speakers as written in the transcripts (from
  speakers.csv, or from the speaker key when there is none) by their
  pseudonym (``Maria Lopez`` -> ``P07``), and their first names alone
  (``like Maria said`` -> ``like P07 said``) and surnames after a title
  (``Dr Lopez``); a first name two people share becomes ``[name]``;
* the terms listed in radar.toml's ``[deidentify]`` table::

      [deidentify]
      places = ["Springfield", "Riverside Clinic"]     # -> [place]
      organisations = ["Acme Health"]                   # -> [organisation]
      names = ["Bobby", "Aunt Rosa"]                    # -> [name]
      keep = ["Zoom", "WhatsApp"]        # never masked by NER nor flagged by the check
      ner = true                         # false, or the name of an installed pipeline

* where a trained spaCy pipeline with named entities is installed
  (``en_core_web_sm`` and the like), person, place and organisation entities.

A one-word name that is also a common English word (Will, Grace, Hope,
Mark) is masked only where it is capitalised, so that "I will" and "by
grace" stay as they are; a name that is also a function word (Will, May) is
left where it opens a sentence as that word ("Will you come?"), and the check
lists those places for a human to look at. Masking is idempotent: bracketed markers such
as ``[name]`` or ``[inaudible]`` and pseudonyms are never masked again.

Example:
    >>> deid = Deidentifier([Term("Maria Lopez", "P07", "speakers.csv")])
    >>> deid.mask("I agree with maria lopez.")
    'I agree with P07.'
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.config import DeidentifySettings
from radar.errors import StudyError
from radar.folder import Folder, transcript_files
from radar.speakers import SpeakerKey, SpeakerList, resolve_speaker
from radar.transcripts import Transcript, read_transcript

if TYPE_CHECKING:
    import pandas as pd

MASK_NAME = "[name]"
MASK_PLACE = "[place]"
MASK_ORGANISATION = "[organisation]"
CONFIG_TABLE = "deidentify"
CONFIG_LISTS = {"names": MASK_NAME, "organisations": MASK_ORGANISATION, "places": MASK_PLACE}
NER_LABELS = {
    "PERSON": MASK_NAME, "PER": MASK_NAME,
    "GPE": MASK_PLACE, "LOC": MASK_PLACE, "FAC": MASK_PLACE,
    "ORG": MASK_ORGANISATION,
}  # fmt: skip
NER_PIPELINES = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf")
NER_MISSING = "spaCy NER: not installed (install a trained English pipeline such as en_core_web_sm for it)"
TITLES = ("dr", "mr", "mrs", "ms", "miss", "mx", "prof")
COMMON_LOG_PROB = -13.0  # a lowercase word at least this frequent is an ordinary word
CHECK_COLUMNS = C.DEIDENTIFY_CHECK_COLUMNS
KIND_MASKED = "masked"
KIND_SUSPECTED = "suspected name or place"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_MARKER = r"\[[^\[\]\n]{1,60}\]"
_GENERIC_LABEL = re.compile(
    r"\b(participant|speaker|respondent|interviewee|facilitator|co-facilitator|moderator|"
    r"interviewer|host|researcher|chair|observer|note[- ]?taker|scribe|assistant|unknown|"
    r"guest|audience|group|all|everyone|several|multiple|inaudible|crosstalk)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'\u2019.-]*(?:['\u2019-][^\W\d_]+)*\.?$")
_PSEUDONYM_LIKE = re.compile(r"^[A-Z]{1,3}-?\d{1,4}$")
_CAPITALISED = r"[A-Z][a-z]+(?:['\u2019-][A-Za-z]+)?"
_PAIR = re.compile(rf"(?<![\w\[])(?=({_CAPITALISED})[ \t]+({_CAPITALISED})(?![\w\]]))")
_TRAILING_MARKERS = re.compile(r"(?:\[[^\[\]]*\]\s*)+$")
_SINGLE = re.compile(rf"(?<![\w\[\]'\u2019-])({_CAPITALISED})(?![\w\]])")
_TITLED = re.compile(
    rf"(?<![\w\[])((?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Nurse|Pastor|Father|Sister|Coach)\.?)"
    rf"[ \t]+({_CAPITALISED})(?![\w\]])"
)
_NOT_NAMES = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "ok", "okay", "yeah", "yes", "no",
        "oh", "um", "uh", "hi", "hello", "thanks", "thank",
    }
)  # fmt: skip


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


class Deidentifier:
    """Masks names, places and organisations in text.

    Build one with :func:`deidentifier_for` (from a study) or
    :func:`deidentifier_from` (from a speakers list, key and settings).

    Args:
        terms: what to mask; for a term listed twice the first wins.
        safeguards: the human-readable list of what is active.
        nlp: a spaCy pipeline with an ``ner`` component, or None.
        keep: words and phrases never masked by NER nor flagged by the check.
        pseudonyms: IDs never masked (those the terms give are added).
    """

    def __init__(
        self,
        terms: Iterable[Term],
        safeguards: Sequence[str] = (),
        nlp: Any = None,
        keep: Iterable[str] = (),
        pseudonyms: Iterable[str] = (),
    ) -> None:
        self._terms: dict[str, Term] = {}
        for term in terms:
            key = normalise(term.text)
            if key and key not in self._terms:
                self._terms[key] = term
        self.safeguards: tuple[str, ...] = tuple(safeguards)
        self.nlp = nlp
        self.keep = frozenset(normalise(k) for k in keep)
        self.pseudonyms = frozenset(pseudonyms) | {
            t.replacement for t in self._terms.values() if not t.replacement.startswith("[")
        }
        for pseudonym in self.pseudonyms:  # a pseudonym is never masked itself
            self._terms.pop(normalise(pseudonym), None)
        pattern = _trie_pattern([key for key in self._terms])
        names = rf"|(?<!\w)(?:{pattern})(?!\w)" if pattern else ""
        self._regex = re.compile(rf"({_MARKER}){names}", re.IGNORECASE)

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms masked, one per spelling."""
        return tuple(self._terms.values())

    def __repr__(self) -> str:
        return f"Deidentifier({len(self._terms)} terms, ner={self.nlp is not None})"

    def mask(self, text: str) -> str:
        """The text with every name, place and organisation masked.

        Example:
            >>> deid = Deidentifier([Term("Maria", "P07", "first name")])
            >>> deid.mask("Like Maria said [inaudible].") == deid.mask(deid.mask("Like Maria said [inaudible]."))
            True
        """
        if not text:
            return "" if text is None else text
        masked = self._mask_terms(text, None)
        if self.nlp is not None:
            masked = self._mask_entities(masked, self.nlp(masked), None)
        return masked

    def found_terms(self, text: str) -> list[str]:
        """The listed names and terms in a text, as written (spaCy NER is not asked)."""
        events: list[tuple[str, str, str, str]] = []
        self._mask_terms(text or "", events)
        return [found for kind, found, _, _ in events if kind.startswith(KIND_MASKED)]

    def mask_all(self, texts: Iterable[str]) -> list[str]:
        """:meth:`mask` for many texts at once (spaCy batches them)."""
        masked = [self._mask_terms(t, None) if t else ("" if t is None else t) for t in texts]
        if self.nlp is None:
            return masked
        self._fit_length(masked)
        docs = self.nlp.pipe(masked, batch_size=64)
        return [self._mask_entities(text, doc, None) for text, doc in zip(masked, docs)]

    def check(self, items: Iterable[tuple[str, str, str]]) -> list[Finding]:
        """What masking would change in each text, and capitalised names it would leave.

        Args:
            items: (where, speaker, text) triples; ``where`` says where the text is.

        Returns:
            One :class:`Finding` per masked occurrence, then the suspected names
            and places masking leaves for a human to review: titled names (Dr
            Smith), capitalised word pairs (Anna Berg, San Antonio), capitalised
            words inside a sentence that are rare as English words (Tucson), and
            names that are also function words opening a sentence (Will you...).
        """
        items = list(items)
        masked_texts: list[str] = []
        found: list[list[Finding]] = []
        for where, speaker, text in items:
            events: list[tuple[str, str, str, str]] = []
            masked = self._mask_terms(text or "", events)
            masked_texts.append(masked)
            found.append([Finding(where, speaker, kind, f, r, ctx) for kind, f, r, ctx in events])
        if self.nlp is not None:
            self._fit_length(masked_texts)
            docs = self.nlp.pipe(masked_texts, batch_size=64)
            for i, doc in enumerate(docs):
                events = []
                masked_texts[i] = self._mask_entities(masked_texts[i], doc, events)
                where, speaker, _ = items[i]
                found[i] += [Finding(where, speaker, kind, f, r, ctx) for kind, f, r, ctx in events]
        suspects = [self._suspects(masked) for masked in masked_texts]
        singles = {name for per_text in suspects for name, _, single in per_text if single}
        rare = singles - {w.capitalize() for w in common_words(frozenset(w.lower() for w in singles))}
        for i, per_text in enumerate(suspects):
            where, speaker, _ = items[i]
            found[i] += [
                Finding(where, speaker, KIND_SUSPECTED, name, "", context)
                for name, context, single in per_text
                if not single or name in rare
            ]
        return [finding for per_text in found for finding in per_text]

    # Internals -------------------------------------------------------------

    def _mask_terms(self, text: str, events: list[tuple[str, str, str, str]] | None) -> str:
        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            if match.group(1) is not None:
                return found
            term = self._terms.get(normalise(found))
            if term is None:  # pragma: no cover - the pattern holds only known terms
                return found
            if term.common_word:
                if not found[:1].isupper():
                    return found
                if _auxiliary_opening(text, match.start(), match.end(), found):
                    if events is not None:
                        events.append((KIND_SUSPECTED, found, "", _context(text, match.start(), match.end())))
                    return found
            if events is not None:
                context = _context(text, match.start(), match.end())
                events.append((f"{KIND_MASKED} ({term.source})", found, term.replacement, context))
            return term.replacement

        return self._regex.sub(replace, text)

    def _mask_entities(self, text: str, doc: Any, events: list[tuple[str, str, str, str]] | None) -> str:
        pieces: list[str] = []
        last = 0
        for ent in doc.ents:
            replacement = NER_LABELS.get(ent.label_)
            if replacement is None or not self._maskable_entity(ent.text):
                continue
            start, end = ent.start_char, ent.end_char
            if start < last:
                continue
            if events is not None:
                events.append(
                    (
                        f"{KIND_MASKED} (spaCy {ent.label_})",
                        ent.text,
                        replacement,
                        _context(text, start, end),
                    )
                )
            pieces += [text[last:start], replacement]
            last = end
        if not pieces:
            return text
        return "".join(pieces) + text[last:]

    def _maskable_entity(self, entity: str) -> bool:
        if "[" in entity or "]" in entity or normalise(entity) in self.keep:
            return False
        words = [re.sub(r"['\u2019]s$", "", w).strip(".,;:!?") for w in entity.split()]
        return not any(w in self.pseudonyms or _PSEUDONYM_LIKE.match(w) for w in words)

    def _fit_length(self, texts: Sequence[str]) -> None:
        longest = max((len(t) for t in texts), default=0)
        if longest >= getattr(self.nlp, "max_length", longest + 1):
            self.nlp.max_length = longest + 1

    def _suspects(self, masked: str) -> list[tuple[str, str, bool]]:
        """Names masking left in a masked text: (name, context, whether it is one word).

        Titled names (Dr Smith), capitalised word pairs (Anna Berg, San Antonio)
        and single capitalised words inside a sentence (Tucson); the caller
        keeps single words only when they are rare as lowercase English words.
        """
        found: list[tuple[int, str, str, bool]] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, name: str, single: bool = False) -> None:
            if any(start < e and s < end for s, e in taken):
                return
            found.append((start, name, _context(masked, start, end), single))
            taken.append((start, end))

        for match in _TITLED.finditer(masked):
            if not self._kept(match.group(2), f"{match.group(1)} {match.group(2)}"):
                add(match.start(), match.end(), f"{match.group(1)} {match.group(2)}")
        for match in _PAIR.finditer(masked):
            first, second = match.group(1), match.group(2)
            if not self._kept(first, second, f"{first} {second}"):
                add(match.start(1), match.end(2), f"{first} {second}")
        for match in _SINGLE.finditer(masked):
            word = match.group(1)
            if not self._kept(word) and not _opens_sentence(masked, match.start(1)):
                add(match.start(1), match.end(1), word, single=True)
        return [(name, context, single) for _, name, context, single in sorted(found)]

    def _kept(self, *names: str) -> bool:
        """Whether any of these is a stop word, a month or day, or on the keep list."""
        keys = [normalise(n) for n in names]
        return any(k in _stop_words() or k in _NOT_NAMES or k in self.keep for k in keys)


def _auxiliary_opening(text: str, start: int, end: int, found: str) -> bool:
    """Whether a name that is also a function word (Will, May) opens a sentence as that word.

    "Will you come?" keeps its Will; "Will, you cut out" and "ask Will" do not.
    """
    if normalise(found) not in _stop_words() or text[end : end + 1] == ",":
        return False
    return _opens_sentence(text, start)


def _opens_sentence(text: str, start: int) -> bool:
    before = _TRAILING_MARKERS.sub("", text[:start]).rstrip(" \t\n\"'\u201c\u2018([-\u2014")
    return not before or before[-1] in ".!?\u2026:"


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    prefix = "\u2026" if start > width else ""
    suffix = "\u2026" if end + width < len(text) else ""
    return " ".join(f"{prefix}{left}{text[start:end]}{right}{suffix}".split())


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex alternation for many phrases, as a trie so it stays fast on long texts.

    Example:
        >>> _trie_pattern(["ann", "anna berg"])
        'ann(?:a\\\\s+berg)?'
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: Mapping[str, Any]) -> str:
        branches = sorted(k for k in node if k)
        if not branches:
            return ""
        parts = [_char_pattern(k) + emit(node[k]) for k in branches]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if "" in node:
            body = f"(?:{body})?"
        return body

    return emit(trie) if trie else ""


def _char_pattern(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "'":
        return "['\u2019]"
    return re.escape(char)


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


# Building a de-identifier ------------------------------------------------------


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


def _installed_english_pipelines() -> set[str]:
    """The installed packages named like spaCy's English pipelines (``en_core_web_sm``...).

    Read from the installed distributions' names, as spaCy's own
    ``get_installed_models`` does, without importing spaCy (about a second).
    """
    from importlib.metadata import distributions

    names = {(dist.metadata["Name"] or "").replace("-", "_").lower() for dist in distributions()}
    return {name for name in names if name.startswith("en_") and name != "en_"}


def load_ner(setting: bool | str = True) -> tuple[Any, str]:
    """A trained spaCy pipeline with named entities, and the safeguard line that says so.

    Args:
        setting: True to use the best installed ``en_core_web_*`` pipeline,
            False for none, or the name of a pipeline to load.

    Returns:
        The pipeline (None when there is none) and a line for :attr:`Deidentifier.safeguards`.
    """
    if setting is False:
        return None, "spaCy NER: switched off in radar.toml ([deidentify] ner = false)"
    if isinstance(setting, str):
        names = [setting]
    else:
        installed = _installed_english_pipelines()
        names = [n for n in NER_PIPELINES if n in installed]
        names += sorted(n for n in installed if n not in names)
    if not names:
        return None, NER_MISSING  # spaCy itself is not imported just to find nothing
    import spacy

    for name in names:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError, ValueError) as err:
            if isinstance(setting, str):
                raise StudyError(
                    f"radar.toml, [{CONFIG_TABLE}] ner = {setting!r}: the spaCy pipeline cannot be "
                    f"loaded ({type(err).__name__}); install it, or write ner = true to use any installed one"
                ) from err
            continue
        if "ner" not in nlp.pipe_names:
            continue
        needed = {"ner", "tok2vec", "transformer"}
        nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in needed])
        version = nlp.meta.get("version", "")
        return nlp, f"spaCy NER: {name} {version}".rstrip()
    return None, NER_MISSING


def deidentifier_from(
    speakers: SpeakerList | None,
    key: SpeakerKey | None,
    settings: DeidentifySettings,
    ner: bool | None = None,
    nlp: Any = None,
) -> Deidentifier:
    """A de-identifier from a speakers list, the speaker key and radar.toml's settings.

    Args:
        speakers: speakers.csv, or None when the study has none.
        key: the speaker key (labels radar gave pseudonyms); its labels are
            masked too (unlisted speakers when there is a speakers list).
        settings: radar.toml's ``[deidentify]`` table (``StudyConfig.deidentify``).
        ner: use spaCy NER if a trained pipeline is installed; None follows
            radar.toml (``[deidentify] ner``, on by default).
        nlp: a pipeline to use for NER instead of looking for one (tests).
    """
    people: list[tuple[str, str, str]] = []
    listed: set[str] = set()
    if speakers is not None:
        for speaker in speakers.speakers:
            people.append((speaker.label, speaker.participant_id, "speakers.csv"))
            listed.add(normalise(speaker.label))
    if key is not None:
        for entry in key_entries(key):
            if normalise(entry[0]) not in listed:
                people.append((entry[0], entry[1], "speaker key"))
    terms = speaker_terms(people)
    extra, keep = config_terms(settings)
    safeguards = [
        _names_line(people, speakers is not None),
        _first_names_line(terms),
        _titled_line(terms),
    ]
    safeguards.append(
        f"radar.toml terms ({len(extra)})"
        if extra
        else "radar.toml terms: none (list places, organisations and names under [deidentify])"
    )
    if nlp is not None:
        line = f"spaCy NER: {nlp.meta.get('name', 'pipeline')}"
    else:
        setting = settings.ner if ner is None else ner
        nlp, line = load_ner(setting)
    safeguards.append(line)
    ids = {pid for _, pid, _ in people}
    return Deidentifier([*terms, *extra], [s for s in safeguards if s], nlp, keep, ids)


def key_entries(key: SpeakerKey) -> list[tuple[str, str, str]]:
    """The key's (label, pseudonym, role) entries."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(key.dumps()))
    return [(r["speaker"], r["participant_id"], r["role"]) for r in rows]


def _names_line(people: Sequence[tuple[str, str, str]], has_list: bool) -> str:
    named = {normalise(p[0]) for p in people if is_name_label(p[0])}
    source = "speakers.csv" if has_list else "the speaker key (.radar/speaker-key.csv)"
    if not people:
        return f"speaker names: none known yet ({source} is empty)"
    if not named:
        return f"speaker names from {source}: none of the {len(people)} labels look like names (P1, Moderator...)"
    return f"speaker names from {source} ({len(named)})"


def _first_names_line(terms: Sequence[Term]) -> str:
    firsts = [t for t in terms if t.source == "first name"]
    if not firsts:
        return ""
    shared = sum(1 for t in firsts if t.replacement == MASK_NAME)
    common = sum(1 for t in firsts if t.common_word)
    notes = []
    if shared:
        notes.append(f"{shared} shared by two or more people, masked as {MASK_NAME}")
    if common:
        notes.append(f"{common} also common words, masked only when capitalised")
    return f"first names ({len(firsts)}{'; ' + '; '.join(notes) if notes else ''})"


def _titled_line(terms: Sequence[Term]) -> str:
    return "surnames after a title (Dr Lopez)" if any(t.source == "title and surname" for t in terms) else ""


def deidentifier_for(study: Folder, ner: bool | None = None) -> Deidentifier:
    """The study's de-identifier: speakers.csv (or the speaker key) and radar.toml.

    Example:
        >>> deid = deidentifier_for(Folder("examples/digital-peer-support"))  # doctest: +SKIP
        >>> deid.mask("like Maria said")  # doctest: +SKIP
        'like P07 said'
    """
    config = study.config()
    return deidentifier_from(study.speakers(), SpeakerKey.load(study.paths.key), config.deidentify, ner)


# Using it ---------------------------------------------------------------------------


def mask_transcripts(
    transcripts: Sequence[Transcript],
    speakers: SpeakerList | None,
    key: SpeakerKey,
    settings: DeidentifySettings,
    ner: bool | None = None,
) -> tuple[list[Transcript], Deidentifier]:
    """The transcripts with every turn's text masked, and the de-identifier used.

    Every label is resolved first (in the order ``build_segments`` resolves
    them, so the key gives the same pseudonyms), so that names the key
    learns in this run are masked too.
    """
    for transcript in transcripts:
        for turn in transcript.turns:
            resolve_speaker(transcript.group, turn.speaker, speakers, key)
    deid = deidentifier_from(speakers, key, settings, ner)
    texts = deid.mask_all([turn.text for t in transcripts for turn in t.turns])
    masked: list[Transcript] = []
    position = 0
    for transcript in transcripts:
        turns = []
        for turn in transcript.turns:
            turns.append(dataclasses.replace(turn, text=texts[position]))
            position += 1
        front = tuple(deid.mask_all(transcript.front_matter))
        masked.append(dataclasses.replace(transcript, turns=tuple(turns), front_matter=front))
    return masked, deid


def mask_frame(
    frame: pd.DataFrame, deid: Deidentifier, columns: Sequence[str] = (C.TEXT, C.QUESTION)
) -> pd.DataFrame:
    """A copy of a table with the given text columns masked."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = deid.mask_all(["" if v is None else str(v) for v in out[column]])
    return out


@dataclass(frozen=True)
class CheckResult:
    """What ``radar deidentify --check`` shows: the findings and the active safeguards."""

    findings: pd.DataFrame  # CHECK_COLUMNS
    safeguards: tuple[str, ...]

    @property
    def masked(self) -> int:
        """How many occurrences masking replaces."""
        return int(self.findings["kind"].str.startswith(KIND_MASKED).sum())

    @property
    def suspected(self) -> int:
        """How many suspected names masking leaves for review."""
        return int((self.findings["kind"] == KIND_SUSPECTED).sum())


def deidentify_check(study: Folder, ner: bool | None = None) -> CheckResult:
    """What de-identification masks in the study's transcripts, and what it leaves.

    The transcripts are read as they are (the tables hold masked text
    already); nothing is written. ``where`` is the group and the turn's
    position in its transcript, counting from 1.
    """
    import pandas as pd

    speakers = study.speakers()
    key = SpeakerKey.load(study.paths.key)  # in memory only: nothing is written
    transcripts = [
        read_transcript(path, speakers.labels_for(path.stem) if speakers else None)
        for path in transcript_files(study.paths)
    ]
    items = []
    for transcript in transcripts:
        for number, turn in enumerate(transcript.turns, start=1):
            who = resolve_speaker(transcript.group, turn.speaker, speakers, key)
            items.append((f"{transcript.group}, turn {number}", who.participant_id, turn.text))
    deid = deidentifier_from(speakers, key, study.config().deidentify, ner)
    findings = deid.check(items)
    rows = [tuple(getattr(f, c) for c in CHECK_COLUMNS) for f in findings]
    return CheckResult(pd.DataFrame(rows, columns=list(CHECK_COLUMNS)), deid.safeguards)


__all__ = [
    "MASK_NAME",
    "MASK_ORGANISATION",
    "MASK_PLACE",
    "CheckResult",
    "Deidentifier",
    "Finding",
    "Term",
    "deidentifier_for",
    "deidentifier_from",
    "deidentify_check",
    "is_name_label",
    "mask_frame",
    "mask_transcripts",
    "speaker_terms",
]
