"""Suggested codes: codebook keywords matched in participant turns with spaCy.

A keyword (a word or a phrase) matches case-insensitively on whole words only,
by its exact form or by its lemma, so ``app`` never matches ``happy`` and
``care`` never matches ``careful``, while ``worried`` matches ``worry``.

The pipeline is ``spacy.blank("en")`` with the lookup lemmatizer whose tables
come from the ``spacy-lookups-data`` package on PyPI: it installs and runs
offline, needs no trained model, and is fast (see ``benchmarks/``). Text is
lowercased before it is tokenised, because the lookup tables are keyed on
lowercase forms ("Worried" would otherwise keep its own form as lemma), and
curly apostrophes and quotes are made straight (one character for one, so
positions stay), in keywords and texts alike: ``wouldn’t`` matches ``wouldn't``.

The keyword syntax (see :func:`radar.codebook.model.parse_keyword`): ``worry``
matches its lemma and plurals; ``"hearing aid"`` is the same phrase quoted;
``="hearing"`` matches that form only (not "heard", not "hearings"); and
``-"to be honest"`` is an exclusion of its code: a hit of that code's keywords
overlapping the excluded phrase is dropped, while the code's other hits in the
same turn still count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from radar.codebook.model import Code, KeywordTerm, parse_keyword, straight_quotes
from radar.errors import CodebookError
from radar.progress import progress_bar

if TYPE_CHECKING:
    from radar.codebook import Codebook

BATCH_SIZE = 256


@dataclass(frozen=True)
class KeywordHit:
    """One keyword found in a text: which code, which keyword, what it matched.

    ``keyword`` is the keyword as the codebook writes it (``="hearing"``), ``matched`` the
    words of the text it matched, ``start`` and ``end`` their character positions.
    """

    code: str
    keyword: str
    start: int
    end: int
    matched: str

    @property
    def reason(self) -> str:
        """Why the code was suggested, for an analyst to read: ``keyword worry matched "WORRIED"``."""
        return f'keyword {self.keyword} matched "{self.matched}"'


def keyword_forms(keyword: str) -> list[str]:
    """The spellings a keyword also matches, besides its lemma.

    Hyphens and spaces are interchangeable (``self-care`` ~ ``self care``,
    ``hearing impaired`` ~ ``hearing-impaired``), and the last word may take a
    plural ``s`` or ``es`` that the lookup tables do not know (``emojis``,
    ``check-ins``, ``handoffs``).

    Example:
        >>> keyword_forms("Check-in")[:4]
        ['check-in', 'check in', 'check-ins', 'check ins']
    """
    base = " ".join(keyword.lower().split())
    spellings = _spellings(base)
    forms: list[str] = []
    for spelling in spellings:
        for form in (spelling, *_plurals(spelling)):
            if form not in forms:
                forms.append(form)
    forms.sort(key=lambda form: (_plural_rank(form, base), spellings.index(_singular(form, spellings))))
    return forms


def _plurals(spelling: str) -> list[str]:
    if not spelling[-1:].isalpha() or spelling.endswith("s"):
        return []
    return [spelling + "s"] + ([spelling + "es"] if spelling.endswith(("ch", "sh", "x", "z")) else [])


def _singular(form: str, spellings: list[str]) -> str:
    for spelling in spellings:
        if form == spelling or form in _plurals(spelling):
            return spelling
    return spellings[0]


def _plural_rank(form: str, base: str) -> int:
    return 0 if form.replace("-", " ") == base.replace("-", " ") else 1


@lru_cache(maxsize=1)
def english_pipeline() -> Any:
    """The shared blank English pipeline with the lookup lemmatizer.

    Returns:
        A ``spacy.Language`` that tokenises and sets ``lemma_`` from lookup tables.
    """
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    # spaCy refuses texts over a million characters to protect its parser's memory; the tokenizer
    # and the lookup lemmatizer are linear, and one turn may be a whole undivided transcript.
    nlp.max_length = MAX_TEXT
    return nlp


MAX_TEXT = 100_000_000  # characters of one text the matcher takes


class KeywordMatcher:
    """Finds the codes whose keywords occur in a text.

    Keywords follow the codebook's keyword syntax (:func:`radar.codebook.model.parse_keyword`):
    ``worry`` matches its lemma (``worried``), ``="hearing"`` that form only, ``"hearing aid"``
    the phrase, and ``-"to be honest"`` is an exclusion of its code: a hit of the code's
    keywords that overlaps the excluded phrase is dropped. Curly apostrophes and quotes
    match straight ones, both ways.

    Example:
        >>> from radar.codebook import Code, Codebook, Theme
        >>> book = Codebook(themes=(Theme("Wellbeing", codes=(
        ...     Code("Worry", "Wellbeing", keywords=("worry",)),)),))
        >>> KeywordMatcher(book).codes_in("I was WORRIED about my happy apps")
        ('Worry',)

    Raises:
        CodebookError: a keyword breaks the syntax; the message names its theme and code.
    """

    def __init__(self, codebook: Codebook) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = english_pipeline()
        self._order = {name: i for i, name in enumerate(codebook.code_names)}
        self._lemma_matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._exact_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._rules: dict[int, tuple[str, KeywordTerm]] = {}
        strings = self.nlp.vocab.strings
        for code in codebook.codes:
            for keyword in code.keywords:
                term = _parsed(codebook, code, keyword)
                forms = _spellings(term.words) if term.exact else keyword_forms(term.words)
                patterns = [doc for doc in (self.nlp(straight_quotes(form)) for form in forms) if len(doc)]
                if not patterns:
                    continue
                label = strings.add(f"radar-keyword-{len(self._rules)}")
                self._rules[label] = (code.name, term)
                matcher = self._exact_matcher if term.exact else self._lemma_matcher
                matcher.add(strings[label], patterns)

    def hits(self, text: str) -> list[KeywordHit]:
        """Every keyword occurrence in ``text``, in reading order, exclusions applied.

        Each hit says which keyword (as the codebook writes it) matched which words.
        """
        return self._hits_in(self._doc(text), text)

    def hits_in_many(self, texts: Sequence[str]) -> list[list[KeywordHit]]:
        """The keyword hits of each text, tokenising in batches."""
        docs = self.nlp.pipe((_prepared(text) for text in texts), batch_size=BATCH_SIZE)
        return [self._hits_in(doc, text) for doc, text in zip(docs, texts)]

    def codes_in(self, text: str) -> tuple[str, ...]:
        """The codes suggested for ``text``, in codebook order, each once."""
        return self._codes_of(self.hits(text))

    def codes_in_many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The suggested codes of each text, tokenising in batches."""
        return [self._codes_of(found) for found in self.hits_in_many(texts)]

    def _doc(self, text: str) -> Any:
        return self.nlp(_prepared(text))

    def _hits_in(self, doc: Any, original: str) -> list[KeywordHit]:
        return self._scan(doc, original)[0]

    def _scan(
        self, doc: Any, original: str
    ) -> tuple[list[KeywordHit], dict[tuple[str, str], tuple[int, int]]]:
        """The hits of one text, and where each (code, exclusion) that dropped a hit in it matched."""
        hits = []
        dropped: dict[tuple[str, str], tuple[int, int]] = {}
        excluded: dict[str, list[tuple[int, int, str]]] = {}
        found: list[tuple[int, int, str, KeywordTerm]] = []
        for match_id, start, end in [*self._lemma_matcher(doc), *self._exact_matcher(doc)]:
            code, term = self._rules[match_id]
            if term.exclude:
                excluded.setdefault(code, []).append((start, end, term.text))
            else:
                found.append((start, end, code, term))
        # Doc.text joins every token: asked once per text, not once per hit (8,000 hits in a
        # 100 kB turn took minutes when it was asked inside the loop).
        same_length = len(original) == len(doc.text)
        seen: set[tuple[str, int, int]] = set()
        for start, end, code, term in sorted(found, key=lambda f: (f[0], f[1], self._order[f[2]])):
            if (code, start, end) in seen:
                continue
            out = [(a, b, text) for a, b, text in excluded.get(code, ()) if start < b and a < end]
            if out:
                for a, b, text in out:
                    dropped.setdefault((code, text), (doc[a:b].start_char, doc[a:b].end_char))
                continue
            seen.add((code, start, end))
            span = doc[start:end]
            begin, finish = span.start_char, span.end_char
            matched = original[begin:finish] if same_length else span.text
            hits.append(KeywordHit(code, term.text, begin, finish, matched))
        return sorted(hits, key=lambda hit: (hit.start, self._order[hit.code])), dropped

    def idle_exclusions(self) -> list[str]:
        """Warnings for the exclusions that can never drop a hit: none of their code's keywords is inside.

        An exclusion removes its code's hits inside the excluded phrase, not whole turns, so
        ``-"battery"`` under a code whose keyword is ``hearing aid`` does nothing.
        """
        found = []
        for code, term in self._rules.values():
            if not term.exclude:
                continue
            doc = self._doc(term.words)
            if any(name == code for name, _, _ in self._positive_hits(doc)):
                continue
            found.append(
                f"exclusion {term.text!r} of code {code!r} holds none of the code's keywords, so it never "
                "drops a hit (an exclusion removes the code's hits inside the phrase, not whole turns)."
            )
        return found

    def _positive_hits(self, doc: Any) -> list[tuple[str, int, int]]:
        found = []
        for match_id, start, end in [*self._lemma_matcher(doc), *self._exact_matcher(doc)]:
            code, term = self._rules[match_id]
            if not term.exclude:
                found.append((code, start, end))
        return found

    def uses(self, texts: Sequence[str], *, examples: int = 3) -> list[KeywordUse]:
        """Keyword in context: per keyword of the codebook, the texts it matches and a few examples.

        A keyword counts a text once however often it occurs there; an exclusion counts
        the texts where it dropped a hit of its code. Keywords come in codebook order.

        Args:
            texts: the texts to look in (the kept participant turns of a study).
            examples: at most this many examples per keyword, from the first texts it matches.
        """
        counts: dict[tuple[str, str], int] = {}
        shown: dict[tuple[str, str], list[str]] = {}
        docs = self.nlp.pipe((_prepared(text) for text in texts), batch_size=BATCH_SIZE)
        for doc, text in zip(docs, texts):
            hits, dropped = self._scan(doc, text)
            source = text if len(text) == len(doc.text) else doc.text
            first: dict[tuple[str, str], KeywordHit] = {}
            for hit in hits:
                first.setdefault((hit.code, hit.keyword), hit)
            for key, hit in first.items():
                counts[key] = counts.get(key, 0) + 1
                if len(shown.setdefault(key, [])) < examples:
                    shown[key].append(in_context(source, hit.start, hit.end))
            for key, (begin, finish) in dropped.items():
                counts[key] = counts.get(key, 0) + 1
                if len(shown.setdefault(key, [])) < examples:
                    shown[key].append(in_context(source, begin, finish))
        return [
            KeywordUse(
                code,
                term.text,
                term.exclude,
                counts.get((code, term.text), 0),
                tuple(shown.get((code, term.text), ())),
            )
            for code, term in self._rules.values()
        ]

    def _codes_of(self, hits: Iterable[KeywordHit]) -> tuple[str, ...]:
        found = {hit.code for hit in hits}
        return tuple(sorted(found, key=self._order.__getitem__))


@dataclass(frozen=True)
class KeywordUse:
    """How often one keyword of a code matches, with a few examples (``radar codebook check --against``)."""

    code: str
    keyword: str
    exclusion: bool
    texts: int
    """The texts it matches (an exclusion: the texts where it dropped a hit of its code)."""
    examples: tuple[str, ...]


def describe_keyword_uses(uses: Sequence[KeywordUse], texts: int) -> str:
    """Keyword in context as ``radar codebook check --against`` prints it.

    Args:
        uses: what :meth:`KeywordMatcher.uses` found.
        texts: how many texts it looked in.
    """
    lines = [f"Keywords in context, in {texts} kept turn{'' if texts == 1 else 's'}:"]
    code = None
    for use in uses:
        if use.code != code:
            code = use.code
            lines.append(f"  {code}")
        what = "dropped a hit in" if use.exclusion else "matches"
        never = " (never matches: check its spelling)" if not use.texts and not use.exclusion else ""
        lines.append(f"    {use.keyword}: {what} {use.texts} turn{'' if use.texts == 1 else 's'}{never}")
        lines += [f"      - {example}" for example in use.examples]
    if not uses:
        lines.append("  (the codebook has no keywords)")
    return "\n".join(lines)


CONTEXT = 40  # characters of text shown each side of a keyword in context


def in_context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The words around ``text[start:end]``, the match in brackets, cut at whole words.

    Example:
        >>> in_context("We talked about it and I was worried about the new app", 29, 36, width=12)
        '… and I was [worried] about the …'
    """
    flat = " ".join
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "… " + before.split(" ", 1)[1]
    if end + width < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + " …"
    return flat(f"{before}[{text[start:end]}]{after}".split())


def _prepared(text: str) -> str:
    return straight_quotes(text.lower())


def _spellings(words: str) -> list[str]:
    base = " ".join(words.lower().split())
    spellings = [base]
    if "-" in base:
        spellings.append(base.replace("-", " "))
    if " " in base and "-" not in base:
        spellings.append(base.replace(" ", "-"))
    return spellings


def _parsed(codebook: Codebook, code: Code, keyword: str) -> KeywordTerm:
    try:
        return parse_keyword(keyword)
    except ValueError as error:
        where = f"{codebook.path}: " if codebook.path is not None else ""
        raise CodebookError(
            f"{where}{keyword_place(code, keyword)}: {error}",
            path=str(codebook.path) if codebook.path is not None else None,
        ) from None


def keyword_place(code: Code, keyword: str) -> str:
    """Where a keyword is, for a message: ``theme 'T', code 'C', keyword '...'``."""
    return f"theme {code.theme!r}, code {code.name!r}, keyword {keyword!r}"


PARALLEL_WORDS = 300_000  # below this, starting worker processes costs more than it saves
_worker_matcher: KeywordMatcher | None = None


def _start_worker(codebook: Codebook) -> None:
    global _worker_matcher
    _worker_matcher = KeywordMatcher(codebook)


def _match_batch(texts: list[str]) -> list[tuple[str, ...]]:
    assert _worker_matcher is not None
    return _worker_matcher.codes_in_many(texts)


def suggest_batches(
    batches: Sequence[Sequence[str]],
    codebook: Codebook,
    *,
    progress: bool = False,
    processes: int | None = None,
) -> list[list[tuple[str, ...]]]:
    """Suggested codes for batches of texts (one batch per transcript).

    Large studies are matched in worker processes, one transcript at a time,
    returning plain tuples: on two cores that is about 1.8 times faster than
    one process, whereas spaCy's own ``n_process`` serialises documents and is
    slower than one process.

    Args:
        batches: the texts of each transcript.
        codebook: the codes and their keywords.
        progress: show a progress bar (after a second) while matching.
        processes: worker processes; by default one per core for large studies.
    """
    import os

    words = sum(len(text.split()) for batch in batches for text in batch)
    if processes is None:
        processes = min(os.cpu_count() or 1, len(batches)) if words >= PARALLEL_WORDS else 1
    bar = progress_bar(
        total=len(batches), desc="Suggesting codes", unit="transcript", disable=not progress, delay=1.0
    )
    try:
        if processes <= 1:
            matcher = KeywordMatcher(codebook)
            results = []
            for batch in batches:
                results.append(matcher.codes_in_many(list(batch)))
                bar.update()
            return results
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with context.Pool(processes, initializer=_start_worker, initargs=(codebook,)) as pool:
            results = []
            for found in pool.imap(_match_batch, [list(b) for b in batches]):
                results.append(found)
                bar.update()
            return results
    finally:
        bar.close()
