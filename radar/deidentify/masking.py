"""The :class:`Deidentifier`: listed terms and spaCy's entities masked, and what the check reports."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from radar.deidentify.detect import (
    CALENDAR,
    ROLE_WORDS,
    RULE_FIRST,
    SAID_VERBS,
    TITLE_WORDS,
    TOLD_VERBS,
    WORD,
    Detected,
    NameRules,
    first_names,
)
from radar.deidentify.ner import NER_LABELS
from radar.deidentify.patterns import contact_matches
from radar.deidentify.terms import (
    KIND_MASKED,
    KIND_REVIEWED,
    KIND_SUSPECTED,
    MASK_NAME,
    MASK_PLACE,
    Finding,
    Term,
    _stop_words,
    common_words,
    fold,
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
_NUMBERED = re.compile(r"^\[name (\d+)\]$")
_FOUND_WORD = re.compile(rf"(?<![\w\[\]'\u2019-]){WORD}(?![\w\]]|-\w)")
RULE_ELSEWHERE = "a name found elsewhere"
_CONTEXT_BEFORE = re.compile(
    rf"(?:\b(?:{'|'.join(TITLE_WORDS)})\.?|(?i:\b(?:{'|'.join(ROLE_WORDS)})s?,?))[ \t]+$"
)
# A first name before a surname ("Anna Berg said" is not Berg alone) — or the marker a first name was
# masked to ("[name] Berg said"), so that masking a masked text changes nothing.
_FIRST_BEFORE = re.compile(rf"(?:{WORD}|\[[^\[\]\n]{{1,40}}\])[ \t]+$")
_CONTEXT_AFTER = re.compile(rf"(?:['\u2019]s)?[ \t]+(?:{'|'.join(SAID_VERBS)})\b")
_TOLD_BEFORE = re.compile(rf"(?i:\b(?:{'|'.join(TOLD_VERBS)}))[ \t]+$")  # "i told will"
_PLACE_BEFORE = re.compile(r"(?i:\b(?:in|near|outside|around))[ \t]+$")  # a first name there is a town
RULE_FIRST_PLACE = "a first name after in, near, outside: a place"
_KIN_AFTER = re.compile(rf"['\u2019]s[ \t]+(?i:{'|'.join(ROLE_WORDS)})\b")  # "Nunez's cousin"
_NOT_NAMES = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "ok", "okay", "yeah", "yes", "no",
        "oh", "um", "uh", "hi", "hello", "thanks", "thank",
    }
)  # fmt: skip


class Deidentifier:
    """Masks names, places, organisations and contact details in text.

    Build one with :func:`deidentifier_for` (from a study) or
    :func:`deidentifier_from` (from a speakers list, key and settings).

    Masking goes in this order, each step leaving what an earlier one put in
    brackets alone: contact details and numbers by pattern
    (:mod:`~radar.deidentify.patterns`), the listed terms (speakers' names and
    their variants, radar.toml's lists), names nobody listed that the rules
    are sure of (:mod:`~radar.deidentify.detect`, with ``detect``), then a
    spaCy pipeline's entities. A name the rules or spaCy find is replaced by
    ``[name N]``, numbered after radar.toml's names in the order first met,
    the same number wherever the same person is named again (Dr Lopez, then
    Lopez), so that "Dr [name 3] ... remembers things about [name 4]" keeps
    who is who.

    Args:
        terms: what to mask; for a term listed twice the first wins.
        safeguards: the human-readable list of what is active.
        nlp: a spaCy pipeline with an ``ner`` component, or None.
        keep: words and phrases never masked by NER nor flagged by the check.
        pseudonyms: IDs never masked (those the terms give are added).
        not_names: words the analyst reviewed as not names: never masked by
            the rules or spaCy, nor put on the review list.
        detect: mask the names the rules are sure of (the uncertain ones go to
            the check's review list either way).
        patterns: mask contact details and numbers.
    """

    def __init__(
        self,
        terms: Iterable[Term],
        safeguards: Sequence[str] = (),
        nlp: Any = None,
        keep: Iterable[str] = (),
        pseudonyms: Iterable[str] = (),
        not_names: Iterable[str] = (),
        detect: bool = False,
        patterns: bool = True,
    ) -> None:
        self._terms: dict[str, Term] = {}
        for term in terms:
            key = fold(term.text)
            if key and key not in self._terms:
                self._terms[key] = term
        self.safeguards: tuple[str, ...] = tuple(safeguards)
        self.nlp = nlp
        self.keep = frozenset(normalise(k) for k in keep)
        self.not_names = tuple(not_names)
        self.detect = detect
        self.patterns = patterns
        self.pseudonyms = frozenset(pseudonyms) | {
            t.replacement for t in self._terms.values() if not t.replacement.startswith("[")
        }
        for pseudonym in self.pseudonyms:  # a pseudonym is never masked itself
            self._terms.pop(fold(pseudonym), None)
        self.rules = NameRules(self.not_names, self.keep, self.pseudonyms)
        pattern = _trie_pattern([key for key in self._terms])
        names = rf"|(?<!\w)(?:{pattern})(?!\w)" if pattern else ""
        self._regex = re.compile(rf"({_MARKER}){names}", re.IGNORECASE)
        numbers = [int(m.group(1)) for t in self._terms.values() if (m := _NUMBERED.match(t.replacement))]
        self._next_number = max(numbers, default=0) + 1
        self._found: dict[str, str] = {}  # folded name -> its [name N], for names nobody listed
        self._detected: dict[str, list[Detected]] = {}  # the rules' finds, kept while many texts are masked

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms masked, one per spelling."""
        return tuple(self._terms.values())

    @property
    def found_names(self) -> dict[str, str]:
        """The names nobody listed that masking has met so far (folded), and their ``[name N]``."""
        return dict(self._found)

    def __repr__(self) -> str:
        return f"Deidentifier({len(self._terms)} terms, ner={self.nlp is not None})"

    def mask(self, text: str) -> str:
        """The text with every name, place, organisation and contact detail masked.

        Example:
            >>> deid = Deidentifier([Term("Maria", "P07", "first name")])
            >>> deid.mask("Like Maria said [inaudible].") == deid.mask(deid.mask("Like Maria said [inaudible]."))
            True
        """
        if not text:
            return "" if text is None else text
        masked = self._mask_found(self._mask_terms(text, None), None)
        self._detected.clear()
        if self.nlp is not None:
            self._fit_length([masked])
            masked = self._mask_entities(masked, self.nlp(masked), None)
        return masked

    def found_terms(self, text: str) -> list[str]:
        """The listed names and terms in a text, as written (not the rules' names, patterns nor spaCy)."""
        events: list[tuple[str, str, str, str]] = []
        self._mask_terms(text or "", events, patterns=False)
        return [found for kind, found, _, _ in events if kind.startswith(KIND_MASKED)]

    def suspected_names(self, text: str) -> list[str]:
        """The suspected names in a text that masking leaves for a human to review.

        The text may be masked already (masking is idempotent): these are what
        :meth:`check` lists as ``suspected name or place`` for it, the names
        the analyst reviewed (``not_names``, ``keep``) left out.

        Example:
            >>> Deidentifier([], detect=True).suspected_names("We met at the Riverside Clinic, ask Frank.")
            ['Frank', 'Riverside Clinic']
        """
        return [f.found for f in self.check([("", "", text or "")]) if f.kind == KIND_SUSPECTED]

    def mask_all(self, texts: Iterable[str]) -> list[str]:
        """:meth:`mask` for many texts at once (spaCy batches them).

        The names the rules find are numbered in the order the texts give
        them, and each is masked in every text, before or after the one it
        was found in.
        """
        listed = [self._mask_terms(t, None) if t else ("" if t is None else t) for t in texts]
        for text in listed:
            self._register(text)
        masked = [self._mask_found(t, None) if t else t for t in listed]
        self._detected.clear()
        if self.nlp is None:
            return masked
        self._fit_length(masked)
        docs = self.nlp.pipe(masked, batch_size=64)
        return [self._mask_entities(text, doc, None) for text, doc in zip(masked, docs)]

    def check(self, items: Iterable[tuple[str, str, str]]) -> list[Finding]:
        """What masking would change in each text, what it leaves for review, and what the analyst reviewed.

        Args:
            items: (where, speaker, text) triples; ``where`` says where the text is.

        Returns:
            One :class:`Finding` per masked occurrence (its kind says by which
            rule: ``masked (pattern: email)``, ``masked (first name)``,
            ``masked (rule: after a kinship or role word)``...), then the
            suspected names and places masking leaves for a human to review:
            first names that are also words (ask Frank), titled names, capitalised
            word pairs (Anna Berg, San Antonio), capitalised words inside a
            sentence that are rare as English words (Tucson), and names that
            are also function words opening a sentence (Will you...); and
            ``reviewed (not a name)`` where a rule would have found a word the
            analyst listed under ``not_names``.
        """
        items = list(items)
        listed: list[str] = []
        found: list[list[Finding]] = []
        for where, speaker, text in items:
            events: list[tuple[str, str, str, str]] = []
            listed.append(self._mask_terms(text or "", events))
            found.append([Finding(where, speaker, kind, f, r, ctx) for kind, f, r, ctx in events])
        for text in listed:
            self._register(text)
        masked_texts: list[str] = []
        for i, text in enumerate(listed):
            events = []
            masked_texts.append(self._mask_found(text, events))
            where, speaker, _ = items[i]
            found[i] += [Finding(where, speaker, kind, f, r, ctx) for kind, f, r, ctx in events]
        self._detected.clear()
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
            by_rule = [
                f.found for f in found[i] if f.kind != KIND_REVIEWED and not f.kind.startswith("masked (")
            ]
            found[i] += [
                Finding(where, speaker, KIND_SUSPECTED, name, "", context)
                for name, context, single in per_text
                if (not single or name in rare) and not any(name in n or n in name for n in by_rule)
            ]
        return [finding for per_text in found for finding in per_text]

    # Internals -------------------------------------------------------------

    def _mask_terms(
        self, text: str, events: list[tuple[str, str, str, str]] | None, patterns: bool = True
    ) -> str:
        """Contact details by pattern, then the listed terms."""
        if patterns and self.patterns:
            text = self._mask_patterns(text, events)

        def replace(match: re.Match[str]) -> str:
            found = text[match.start() : match.end()]  # as written: the match is on the folded text
            if match.group(1) is not None:
                return found
            term = self._terms.get(fold(found))
            if term is None:  # pragma: no cover - the pattern holds only known terms
                return found
            if term.common_word or term.needs_context:
                if not found[:1].isupper() and not (
                    term.common_word and _TOLD_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
                ):
                    return found
                if term.needs_context and not _in_name_context(text, match.start(), match.end()):
                    return found
                if _auxiliary_opening(text, match.start(), match.end(), found):
                    if events is not None:
                        events.append((KIND_SUSPECTED, found, "", _context(text, match.start(), match.end())))
                    return found
            if events is not None:
                context = _context(text, match.start(), match.end())
                events.append((f"{KIND_MASKED} ({term.source})", found, term.replacement, context))
            return term.replacement

        pieces: list[str] = []
        last = 0
        for match in self._regex.finditer(text.translate(_FOLD_CHARS)):
            pieces += [text[last : match.start()], replace(match)]
            last = match.end()
        return "".join(pieces) + text[last:] if pieces else text

    def _mask_patterns(self, text: str, events: list[tuple[str, str, str, str]] | None) -> str:
        markers = tuple(m.span() for m in re.finditer(_MARKER, text))
        pieces: list[str] = []
        last = 0
        for match in contact_matches(text, markers):
            if events is not None:
                found = text[match.start : match.end]
                context = _context(text, match.start, match.end)
                events.append((f"{KIND_MASKED} (pattern: {match.name})", found, match.replacement, context))
            pieces += [text[last : match.start], match.replacement]
            last = match.end
        return "".join(pieces) + text[last:] if pieces else text

    def _register(self, text: str) -> None:
        """Number the names the rules are sure of in a text, in order, without masking them."""
        if self.detect and text:
            for detected in self._find(text):
                if detected.confident:
                    self._number_for(detected.name)

    def _find(self, text: str) -> list[Detected]:
        """The rules' names in a text, found once while :meth:`mask_all` or :meth:`check` runs."""
        found = self._detected.get(text)
        if found is None:
            found = self.rules.find(text)
            if len(self._detected) < 100_000:
                self._detected[text] = found
        return found

    def _number_for(self, name: str) -> str:
        """A found name's ``[name N]``: the one its full name or any of its words has, else the next."""
        key = fold(re.sub(r"['\u2019]s$", "", name))
        words = key.split()
        number = self._found.get(key) or next((self._found[w] for w in words if w in self._found), None)
        if number is None:
            listed = self._terms.get(key)
            if listed is not None and listed.replacement.startswith("[name"):
                return listed.replacement
            number = f"[name {self._next_number}]"
            self._next_number += 1
        self._found.setdefault(key, number)
        for word in words:
            if len(word) > 1 and not _common_name_word(word):
                self._found.setdefault(word, number)
        return number

    def _mask_found(self, text: str, events: list[tuple[str, str, str, str]] | None) -> str:
        """The names nobody listed: those the rules are sure of, and those already found elsewhere."""
        if not text:
            return text
        spans: list[tuple[int, int, str, str]] = []  # start, end, replacement, rule
        for item in self._find(text) if (self.detect or events is not None) else []:
            if not item.confident or not self.detect:
                if events is not None:
                    events.append((KIND_SUSPECTED, item.name, "", _context(text, item.start, item.end)))
                continue
            if item.rule == RULE_FIRST and _PLACE_BEFORE.search(text[max(0, item.start - 12) : item.start]):
                spans.append((item.start, item.end, MASK_PLACE, RULE_FIRST_PLACE))  # "live in Florence"
                continue
            spans.append((item.start, item.end, self._number_for(item.name), item.rule))
        if events is not None:
            for item in self.rules.reviewed_in(text):
                events.append((KIND_REVIEWED, item.name, "", _context(text, item.start, item.end)))
        if self.detect and self._found:
            for match in _FOUND_WORD.finditer(text):
                start, end = match.span()
                word = match.group(0)
                key = fold(word)
                if key not in self._found or any(start < e and s < end for s, e, _, _ in spans):
                    continue
                if self.rules.reviewed(word) or self.rules._ignored_here(word):
                    continue
                if key in _stop_words() and _opens_sentence(text, start):  # "Will you come?"
                    continue
                spans.append((start, end, self._found[key], RULE_ELSEWHERE))
        if not spans:
            return text
        merged: list[tuple[int, int, str, str]] = []
        for span in sorted(spans):  # "Zed Quill" found word by word is one name
            if merged and merged[-1][2] == span[2] and not text[merged[-1][1] : span[0]].strip():
                merged[-1] = (merged[-1][0], span[1], span[2], merged[-1][3])
            else:
                merged.append(span)
        pieces: list[str] = []
        last = 0
        for start, end, replacement, rule in merged:
            if events is not None:
                context = _context(text, start, end)
                events.append((f"{KIND_MASKED} (rule: {rule})", text[start:end], replacement, context))
            pieces += [text[last:start], replacement]
            last = end
        return "".join(pieces) + text[last:]

    def _mask_entities(self, text: str, doc: Any, events: list[tuple[str, str, str, str]] | None) -> str:
        pieces: list[str] = []
        last = 0
        for ent in doc.ents:
            replacement = NER_LABELS.get(ent.label_)
            if replacement is None or not self._maskable_entity(ent.text):
                if replacement is not None and events is not None and self.rules.reviewed(ent.text):
                    events.append((KIND_REVIEWED, ent.text, "", _context(text, ent.start_char, ent.end_char)))
                continue
            start, end = ent.start_char, ent.end_char
            if start < last:
                continue
            if replacement == MASK_NAME:
                replacement = self._number_for(ent.text)
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
        if "[" in entity or "]" in entity or normalise(entity) in self.keep or self.rules.reviewed(entity):
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
        """Whether any of these is a stop word, a month or day, on the keep list, or reviewed as not a name."""
        keys = [normalise(n) for n in names]
        if any(self.rules.reviewed(n) for n in names):
            return True
        return any(k in _stop_words() or k in _NOT_NAMES or k in self.keep for k in keys)


def _common_name_word(word: str) -> bool:
    """Whether a word of a found name is also a common word, month or day (June, Frank): masked in context only."""
    return first_names().get(word, False) or word in CALENDAR or word in _stop_words()


def _in_name_context(text: str, start: int, end: int) -> bool:
    """Whether a surname stands where a name does: after a title or kinship word, or before said."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 20]
    if _CONTEXT_BEFORE.search(before) or _KIN_AFTER.match(after):
        return True
    return bool(_CONTEXT_AFTER.match(after)) and not _FIRST_BEFORE.search(before)  # "Anna Berg said"


def _auxiliary_opening(text: str, start: int, end: int, found: str) -> bool:
    """Whether a name that is also a function word (Will, May) opens a sentence as that word.

    "Will you come?" keeps its Will; "Will, you cut out" and "ask Will" do not.
    """
    if normalise(found) not in _stop_words() or text[end : end + 1] == ",":
        return False
    if _CONTEXT_AFTER.match(text[end : end + 20]):  # "Will said", "Will told me"
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


def _fold_chars() -> dict[int, str]:
    """A length-keeping :func:`fold` for matching: accented Latin letters as plain ones, dashes as spaces.

    The listed terms are matched on the text translated with it, so that a
    match's span is the same in the text as written.
    """
    table: dict[int, str] = {code: " " for code in (0x2D, *range(0x2010, 0x2016))}
    for code in range(0x00C0, 0x0250):
        plain = fold(chr(code))
        if len(plain) == 1 and plain.isascii() and plain.isalpha():
            table[code] = plain if chr(code).islower() else plain.upper()
    return table


_FOLD_CHARS = _fold_chars()
