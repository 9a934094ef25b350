"""Suggested codes: codebook keywords matched in participant turns with spaCy.

A keyword (a word or a phrase) matches case-insensitively on whole words only,
by its exact form or by its lemma, so ``app`` never matches ``happy`` and
``care`` never matches ``careful``, while ``worried`` matches ``worry``.

The pipeline is ``spacy.blank("en")`` with the lookup lemmatizer whose tables
come from the ``spacy-lookups-data`` package on PyPI: it installs and runs
offline, needs no trained model, and is fast (see ``benchmarks/``). Text is
lowercased before it is tokenised, because the lookup tables are keyed on
lowercase forms ("Worried" would otherwise keep its own form as lemma).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from radar.progress import progress_bar

if TYPE_CHECKING:
    from radar.codebook import Codebook

BATCH_SIZE = 256


@dataclass(frozen=True)
class KeywordHit:
    """One keyword found in a text: which code, which keyword, what it matched."""

    code: str
    keyword: str
    start: int
    end: int
    matched: str


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
    spellings = [base]
    if "-" in base:
        spellings.append(base.replace("-", " "))
    if " " in base and "-" not in base:
        spellings.append(base.replace(" ", "-"))
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

    Example:
        >>> from radar.codebook import Code, Codebook, Theme
        >>> book = Codebook(themes=(Theme("Wellbeing", codes=(
        ...     Code("Worry", "Wellbeing", keywords=("worry",)),)),))
        >>> KeywordMatcher(book).codes_in("I was WORRIED about my happy apps")
        ('Worry',)
    """

    def __init__(self, codebook: Codebook) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = english_pipeline()
        self._order = {name: i for i, name in enumerate(codebook.code_names)}
        self._keyword_of: dict[tuple[str, str], str] = {}
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        for code in codebook.codes:
            patterns = []
            for keyword in code.keywords:
                for form in keyword_forms(keyword):
                    doc = self.nlp(form)
                    if len(doc) == 0:
                        continue
                    patterns.append(doc)
                    lemmas = " ".join(token.lemma_ for token in doc)
                    self._keyword_of.setdefault((code.name, lemmas), keyword)
            if patterns:
                self._matcher.add(code.name, patterns)

    def hits(self, text: str) -> list[KeywordHit]:
        """Every keyword occurrence in ``text``, in reading order."""
        return self._hits_in(self.nlp(text.lower()), text)

    def codes_in(self, text: str) -> tuple[str, ...]:
        """The codes suggested for ``text``, in codebook order, each once."""
        return self._codes_of(self.hits(text))

    def codes_in_many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The suggested codes of each text, tokenising in batches."""
        docs = self.nlp.pipe((text.lower() for text in texts), batch_size=BATCH_SIZE)
        return [self._codes_of(self._hits_in(doc, text)) for doc, text in zip(docs, texts)]

    def _hits_in(self, doc: Any, original: str) -> list[KeywordHit]:
        hits = []
        strings = self.nlp.vocab.strings
        # Doc.text joins every token: asked once per text, not once per hit (8,000 hits in a
        # 100 kB turn took minutes when it was asked inside the loop).
        same_length = len(original) == len(doc.text)
        for match_id, start, end in self._matcher(doc):
            code = strings[match_id]
            span = doc[start:end]
            lemmas = " ".join(token.lemma_ for token in span)
            keyword = self._keyword_of.get((code, lemmas), span.text)
            begin, finish = span.start_char, span.end_char
            matched = original[begin:finish] if same_length else span.text
            hits.append(KeywordHit(code, keyword, begin, finish, matched))
        return sorted(hits, key=lambda hit: (hit.start, self._order[hit.code]))

    def _codes_of(self, hits: Iterable[KeywordHit]) -> tuple[str, ...]:
        found = {hit.code for hit in hits}
        return tuple(sorted(found, key=self._order.__getitem__))


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
