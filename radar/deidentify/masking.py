"""The :class:`Deidentifier`: listed terms and spaCy's entities masked, and what the check reports."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from radar.deidentify.ner import NER_LABELS
from radar.deidentify.terms import (
    KIND_MASKED,
    KIND_SUSPECTED,
    Finding,
    Term,
    _stop_words,
    common_words,
    normalise,
)

_MARKER = r"\[[^\[\]\n]{1,60}\]"
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
            self._fit_length([masked])
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
    # Only the text just before the word is looked at, so that a text with thousands of names is
    # checked in time that grows with its length; all of it only when markers fill that window.
    window = max(0, start - _LOOKBACK)
    before = _text_before(text[window:start])
    if window and (not before or (before.endswith("]") and "[" not in before)):
        before = _text_before(text[:start])
    return not before or before[-1] in ".!?\u2026:"


_LOOKBACK = 200  # characters before a word that say whether it opens a sentence


def _text_before(text: str) -> str:
    return _TRAILING_MARKERS.sub("", text).rstrip(" \t\n\"'\u201c\u2018([-\u2014")


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
