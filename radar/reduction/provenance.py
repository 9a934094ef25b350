"""Where every code came from: what suggested it, and who decided it.

Each suggested code carries its evidence (the keyword and the words it matched,
shown in phase 2's "Suggested by" column), and each code in the final tables
its origin (3 Coded's Origin column, the state sheet, the audit trail): a
keyword suggestion accepted, typed by the analyst, a suggestion the analyst
changed, a reconciled decision, imported from another tool. A code keeps the
origin it had when it was first decided; semantic suggestions (another
matcher) use :data:`radar.columns.ORIGIN_SEMANTIC`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.progress import progress_bar
from radar.reduction.records import Record
from radar.suggest import PARALLEL_WORDS, KeywordMatcher

if TYPE_CHECKING:
    from radar.codebook import Codebook
    from radar.suggest import KeywordHit

IMPORTING_NAME = "importing"  # in .radar while a qdpx import runs reduce: its runs' codes are imported
Evidence = Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]  # code -> ((keyword, matched words), ...)


SEMANTIC_EVIDENCE = "semantic match"  # the "keyword" of a code suggested by meaning; its "words": the score


def semantic_evidence(matches: Mapping[str, Sequence[Any]]) -> dict[str, Evidence]:
    """The evidence of codes suggested by meaning: ``Worry: semantic match (score 0.62)``.

    Args:
        matches: Segment ID -> its semantic matches (each with ``code`` and ``score``).
    """
    return {
        sid: {m.code: ((SEMANTIC_EVIDENCE, (f"score {m.score:.2f}",)),) for m in found}
        for sid, found in matches.items()
        if found
    }


def by_meaning(evidence: Mapping[str, Any]) -> set[str]:
    """The codes of one segment's evidence that meaning suggested (not a keyword)."""
    return {
        code for code, found in evidence.items() if any(keyword == SEMANTIC_EVIDENCE for keyword, _ in found)
    }


def evidence_of(hits: Iterable[KeywordHit]) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """What suggested each code: its keywords that matched, each with the words it matched, in reading order.

    The one place that reads :class:`radar.suggest.KeywordHit`: a matcher that
    finds codes another way plugs in here.

    Example:
        >>> from radar.suggest import KeywordHit
        >>> evidence_of([KeywordHit("Devices", "laptop", 0, 6, "Laptop"), KeywordHit("Devices", "laptop", 9, 16, "laptops")])
        {'Devices': (('laptop', ('laptop', 'laptops')),)}
    """
    found: dict[str, dict[str, list[str]]] = {}
    for hit in hits:
        words = found.setdefault(hit.code, {}).setdefault(hit.keyword, [])
        matched = " ".join(hit.matched.lower().split())
        if matched not in words:
            words.append(matched)
    return {code: tuple((kw, tuple(ws)) for kw, ws in by.items()) for code, by in found.items()}


Explained = tuple[tuple[str, ...], dict[str, tuple[tuple[str, tuple[str, ...]], ...]]]  # codes, evidence
_worker_matcher: KeywordMatcher | None = None
_worker_order: dict[str, int] = {}


def _start_worker(codebook: Codebook) -> None:
    global _worker_matcher, _worker_order
    _worker_matcher = KeywordMatcher(codebook)
    _worker_order = {name: i for i, name in enumerate(codebook.code_names)}


def _explain_batch(texts: list[str]) -> list[Explained]:
    assert _worker_matcher is not None
    found = []
    for hits in _worker_matcher.hits_in_many(texts):
        evidence = evidence_of(hits)
        found.append((tuple(sorted(evidence, key=_worker_order.__getitem__)), evidence))
    return found


def suggest_explained(
    batches: Sequence[Sequence[str]],
    codebook: Codebook,
    *,
    progress: bool = False,
    processes: int | None = None,
) -> list[list[Explained]]:
    """Each text's suggested codes (codebook order) with their evidence, in one pass of the matcher.

    Like :func:`radar.suggest.suggest_batches` (one batch per transcript, worker
    processes for large studies), but from :meth:`KeywordMatcher.hits_in_many`, so that
    what suggested a code costs no second matching.
    """
    import os

    words = sum(len(text.split()) for batch in batches for text in batch)
    if processes is None:
        processes = min(os.cpu_count() or 1, len(batches)) if words >= PARALLEL_WORDS else 1
    bar = progress_bar(
        total=len(batches), desc="Suggesting codes", unit="transcript", disable=not progress, delay=1.0
    )
    try:
        results: list[list[Explained]] = []
        if processes <= 1:
            _start_worker(codebook)
            for batch in batches:
                results.append(_explain_batch(list(batch)))
                bar.update()
            return results
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with context.Pool(processes, initializer=_start_worker, initargs=(codebook,)) as pool:
            for found in pool.imap(_explain_batch, [list(b) for b in batches]):
                results.append(found)
                bar.update()
        return results
    finally:
        bar.close()


def suggested_by_cell(evidence: Evidence, codes: Sequence[str] | None = None) -> str:
    """The "Suggested by" cell: ``Devices: "laptop" (laptop, laptops); Worry: "worry" (worried)``.

    Args:
        evidence: code -> its keywords and matched words.
        codes: the suggested codes, in order (by default the evidence's order).
    """
    parts = []
    for code in codes if codes is not None else list(evidence):
        found = evidence.get(code)
        if found:
            said = ", ".join(f"{_quoted(keyword)} ({', '.join(words)})" for keyword, words in found)
            parts.append(f"{code}: {said}")
    return "; ".join(parts)


def _quoted(keyword: str) -> str:
    """A keyword as the cell shows it: quoted, unless the codebook wrote it quoted (``="hearing"``)."""
    return keyword if keyword.startswith(('"', "=", "-")) or keyword == SEMANTIC_EVIDENCE else f'"{keyword}"'


def origin_of(
    code: str,
    before: Record | None,
    suggested: Sequence[str],
    reconciled: bool,
    meaning: Collection[str] = (),
) -> str:
    """The origin of a code newly in a segment's codes.

    Args:
        code: the code.
        before: the segment's record of the last run (None for a new segment).
        suggested: radar's suggestions for the segment.
        reconciled: the segment's codes were set by a reconciled decision in this run.
        meaning: the suggested codes that meaning suggested, not a keyword.
    """
    if reconciled:
        return C.ORIGIN_RECONCILED
    if code in suggested:
        return C.ORIGIN_SEMANTIC if code in meaning else C.ORIGIN_KEYWORD
    if suggested or (before is not None and before.suggested):
        return C.ORIGIN_CHANGED
    return C.ORIGIN_ANALYST


def origins_now(
    codes: Sequence[str],
    before: Record | None,
    suggested: Sequence[str],
    run: int,
    reconciled: bool = False,
    meaning: Collection[str] = (),
) -> dict[str, tuple[str, int]]:
    """Each code's origin and the run it was decided in: a code already held keeps the origin it had.

    ``reconciled``: a reconciled decision set the codes this run, so the codes it added are reconciled.
    """
    held = before.written.codes if before is not None else ()
    kept = before.origins if before is not None else {}
    origins = {}
    for code in codes:
        if code in held and code in kept:
            origins[code] = kept[code]
        else:
            origins[code] = (origin_of(code, before, suggested, reconciled, meaning), run)
    return origins


def with_provenance(
    records: Mapping[str, Record],
    previous: Mapping[str, Record],
    evidence: Mapping[str, Evidence],
    reconciled: Iterable[str],
    run: int,
    importing: bool = False,
) -> dict[str, Record]:
    """The run's records with each segment's evidence and its codes' origins.

    Args:
        records: this run's records (``merge_all``).
        previous: the last run's records.
        evidence: the evidence of this run's suggestions, by Segment ID (the
            turns whose suggestions were kept from the last run keep theirs).
        reconciled: the segments a reconciled decision set this run.
        run: this run's number.
        importing: the run is one of a qdpx import's (every code is the other tool's).
    """
    decided = set(reconciled)
    out = {}
    for sid, record in records.items():
        before = previous.get(sid)
        found = evidence.get(sid)
        if found is None:
            found = before.suggested_by if before is not None and before.suggested == record.suggested else {}
        found = {code: found[code] for code in record.suggested if code in found}
        origins = origins_now(
            record.written.codes, before, record.suggested, run, sid in decided, by_meaning(found)
        )
        if importing:
            origins = {code: (C.ORIGIN_IMPORTED, run) for code in record.written.codes}
        out[sid] = replace(record, suggested_by=found, origins=origins)
    return out


def imported_runs(audit: Sequence[Mapping[str, Any]]) -> set[int]:
    """The reduce runs a qdpx import made (they come before its own audit line, after the last import)."""
    runs: set[int] = set()
    pending: list[int] = []
    for entry in audit:
        action = entry.get("action", "reduce")
        if action == "reduce" and isinstance(entry.get("run"), int):
            pending.append(entry["run"])
        elif str(action).startswith("import qdpx"):
            runs.update(pending)
            pending = []
    return runs


def audit_lines(records_dir: Path) -> list[dict[str, Any]]:
    """The audit trail's entries, read leniently for their actions and runs (:func:`radar.reduction.history.read_audit` warns of damage)."""
    path = records_dir / "audit.jsonl"
    if not path.is_file():
        return []
    entries = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def shown_origin(origin: tuple[str, int] | None, imported: set[int]) -> str:
    """An origin as the tables show it: a code decided in the runs of a qdpx import was imported.

    The import's runs write the other tool's coding (radar's suggestions cleared), so every code
    they decided came from it, whatever the run took it for.
    """
    if origin is None:
        return ""
    name, run = origin
    return C.ORIGIN_IMPORTED if run in imported else name


def origin_counts(table3: Any) -> dict[str, int]:
    """How many (segment, code) rows of 3 Coded have each origin, in :data:`radar.columns.ORIGINS` order."""
    if C.ORIGIN not in table3.columns:
        return {}
    values = [str(v) for v in table3[C.ORIGIN] if v]
    order = [*C.ORIGINS, *sorted(set(values) - set(C.ORIGINS))]
    return {name: values.count(name) for name in order if name in values}


# The state sheet's cells ------------------------------------------------------


def evidence_json(evidence: Evidence) -> str:
    """The state sheet's "Suggested by" cell."""
    if not evidence:
        return ""
    return json.dumps(
        {code: [[kw, list(ws)] for kw, ws in found] for code, found in evidence.items()}, ensure_ascii=False
    )


def evidence_from_json(text: str) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The evidence from the state sheet's cell (an unreadable cell reads as none: radar writes it again)."""
    try:
        raw = json.loads(text) if text else {}
        return {
            str(code): tuple((str(kw), tuple(str(w) for w in words)) for kw, words in found)
            for code, found in raw.items()
        }
    except (ValueError, TypeError, AttributeError):
        return {}


def origins_json(origins: Mapping[str, tuple[str, int]]) -> str:
    """The state sheet's Origins cell."""
    return (
        json.dumps({code: [name, run] for code, (name, run) in origins.items()}, ensure_ascii=False)
        if origins
        else ""
    )


def origins_from_json(text: str) -> dict[str, tuple[str, int]]:
    """The origins from the state sheet's cell (an unreadable cell reads as none)."""
    try:
        raw = json.loads(text) if text else {}
        return {str(code): (str(name), int(run)) for code, (name, run) in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return {}
