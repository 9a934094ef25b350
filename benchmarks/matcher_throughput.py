"""Words per second of radar's keyword matcher, in one process and in worker processes.

::

    python benchmarks/matcher_throughput.py STUDY_DIR [--repeat 3] [--n-process-words 100000] [--json FILE]

The texts are the study's participant turns that radar would match (speech, by
a participant: labels are given roles as radar does without speakers.csv), one
batch per transcript, read with radar's own transcript reader. Measured, each
the best of --repeat runs:

* how much faster two pure-Python jobs run in two processes than in one: the
  speed-up this machine offers at the moment of the measurement (a shared or
  virtual machine may give much less than 2x);
* the parts of one process: spaCy's tokenizer alone; tokenizer and lookup
  lemmatizer (``nlp.pipe``); and the whole ``KeywordMatcher.codes_in_many``
  (tokenizer, lemmatizer, PhraseMatcher and the hits), all with the matcher
  already built;
* ``radar.suggest.suggest_batches(..., processes=1)`` and ``processes=2``, as
  radar calls them, so with building the matcher and, for two processes,
  starting the spawned workers (each loads spaCy and builds its own matcher);
  the two must give the same codes;
* the start-up cost of two workers alone (two one-word batches);
* "cold": ``suggest_batches`` with 1 and 2 processes in a new Python process
  that has not loaded spaCy yet, which is what the "suggest codes" stage of
  ``radar reduce`` pays (each the best of --repeat new processes);
* ``nlp.pipe(n_process=2)`` followed by the PhraseMatcher, on the first
  --n-process-words words only (it is slow; 0 skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Batches = list[list[str]]


def study_batches(study: Path) -> Batches:
    """The texts radar matches, one list per transcript."""
    from radar import columns as C
    from radar.folder import study_paths, transcript_files
    from radar.speakers import default_role
    from radar.transcripts import is_non_speech, read_transcript

    batches = []
    for path in transcript_files(study_paths(study)):
        transcript = read_transcript(path)
        texts = [
            turn.text
            for turn in transcript.turns
            if default_role(turn.speaker) == C.PARTICIPANT_ROLE and not is_non_speech(turn.text)
        ]
        if texts:
            batches.append(texts)
    return batches


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - began)
    return best, result


def first_words(batches: Batches, limit: int) -> list[str]:
    """Texts from the start of the study holding about ``limit`` words."""
    texts, words = [], 0
    for text in (t for batch in batches for t in batch):
        if words >= limit:
            break
        texts.append(text)
        words += len(text.split())
    return texts


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_speedup(repeat: int, n: int = 10_000_000) -> tuple[float, float]:
    """Seconds of two pure-Python jobs run one after the other, and in two processes."""
    import multiprocessing

    serial, _ = best_of(repeat, lambda: (_spin(n), _spin(n)))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        parallel, _ = best_of(repeat, lambda: pool.map(_spin, [n, n]))
    return serial, parallel


def cold(study: Path, processes: int) -> float:
    """Seconds of suggest_batches in a new process that has not imported spaCy."""
    command = [sys.executable, __file__, "--cold", str(study), str(processes)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(output.strip().splitlines()[-1])


def _cold_child(study: Path, processes: int) -> None:
    from radar.codebook import find_codebook, load_codebook

    codebook = load_codebook(find_codebook(study))
    batches = study_batches(study)
    began = time.perf_counter()
    from radar.suggest import suggest_batches

    suggest_batches(batches, codebook, processes=processes)
    print(time.perf_counter() - began)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--cold"]:
        _cold_child(Path(argv[1]), int(argv[2]))
        return
    parser = argparse.ArgumentParser(description="Words per second of radar's keyword matcher.")
    parser.add_argument("study", type=Path, help="a study folder (transcripts/ and a codebook)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument(
        "--n-process-words", type=int, default=100_000,
        help="words to match through nlp.pipe(n_process=2) (default 100000; 0 skips it)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    from radar.codebook import find_codebook, load_codebook
    from radar.suggest import KeywordMatcher, english_pipeline, suggest_batches

    codebook = load_codebook(find_codebook(args.study))
    batches = study_batches(args.study)
    texts = [text for batch in batches for text in batch]
    words = sum(len(text.split()) for text in texts)
    keywords = sum(len(code.keywords) for code in codebook.codes)
    print(
        f"{args.study}: {words:,} words in {len(texts):,} participant turns of {len(batches)} transcripts; "
        f"{keywords} keywords in {len(codebook.codes)} codes; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; best of {args.repeat}",
        file=sys.stderr,
    )

    results: list[dict[str, Any]] = []

    def report(name: str, seconds: float, n_words: int = words, note: str = "") -> None:
        rate = n_words / seconds
        results.append(
            {"measure": name, "seconds": seconds, "words": n_words, "words_per_s": rate, "note": note}
        )
        print(f"{name:<48}{seconds:>8.2f} s{rate:>12,.0f} words/s  {note}", flush=True)

    serial, parallel = parallel_speedup(args.repeat)
    print(
        f"machine: two pure-Python jobs take {serial:.2f} s in one process, {parallel:.2f} s in two "
        f"(a {serial / parallel:.2f}x speed-up; 2.00x would be two free cores); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    began = time.perf_counter()
    nlp = english_pipeline()
    load = time.perf_counter() - began
    began = time.perf_counter()
    matcher = KeywordMatcher(codebook)
    build = time.perf_counter() - began
    print(f"load spaCy blank English + lemmatizer: {load:.2f} s; build KeywordMatcher: {build:.2f} s")

    lowered = [text.lower() for text in texts]
    deque(nlp.pipe(lowered, batch_size=256), maxlen=0)  # warm-up: the vocabulary learns the words
    seconds, _ = best_of(args.repeat, lambda: deque((nlp.make_doc(t) for t in lowered), maxlen=0))
    report("1 process: tokenizer only", seconds)
    seconds, _ = best_of(args.repeat, lambda: deque(nlp.pipe(lowered, batch_size=256), maxlen=0))
    report("1 process: tokenizer + lemmatizer (nlp.pipe)", seconds)
    seconds, one = best_of(args.repeat, lambda: [matcher.codes_in_many(batch) for batch in batches])
    report("1 process: KeywordMatcher.codes_in_many", seconds, note="matcher built")
    # One and two processes alternate, so that a load on the machine that comes
    # and goes (other people's test runs) falls on both alike.
    timings: dict[str, list[float]] = {}
    outputs: dict[int, Any] = {}
    for _ in range(args.repeat):
        for processes in (1, 2):
            began = time.perf_counter()
            outputs[processes] = suggest_batches(batches, codebook, processes=processes)
            timings.setdefault(f"warm {processes}", []).append(time.perf_counter() - began)
        began = time.perf_counter()
        suggest_batches([["word"], ["word"]], codebook, processes=2)
        timings.setdefault("start-up", []).append(time.perf_counter() - began)
        for processes in (1, 2):
            timings.setdefault(f"cold {processes}", []).append(cold(args.study, processes))
    if not (one == outputs[1] == outputs[2]):
        raise SystemExit("Error: the matcher gave different codes in one and two processes")
    report("suggest_batches(processes=1)", min(timings["warm 1"]), note="builds the matcher")
    report("suggest_batches(processes=2)", min(timings["warm 2"]), note="spawns 2 workers")
    startup = min(timings["start-up"])
    print(f"{'start-up of 2 workers (2 one-word batches)':<48}{startup:>8.2f} s", flush=True)
    results.append({"measure": "start-up of 2 workers", "seconds": startup})
    for processes in (1, 2):
        report(
            f"cold suggest_batches(processes={processes})", min(timings[f"cold {processes}"]),
            note="new process, spaCy not loaded",
        )  # fmt: skip

    if args.n_process_words:
        subset = first_words(batches, args.n_process_words)
        n_words = sum(len(t.split()) for t in subset)

        def piped(n_process: int) -> list[tuple[str, ...]]:
            docs = nlp.pipe((t.lower() for t in subset), batch_size=256, n_process=n_process)
            return [matcher._codes_of(matcher._hits_in(doc, text)) for doc, text in zip(docs, subset)]

        seconds, codes = best_of(1, lambda: piped(2))
        report("nlp.pipe(n_process=2) + PhraseMatcher", seconds, n_words, note=f"first {n_words:,} words")
        seconds, same = best_of(args.repeat, lambda: piped(1))
        report("nlp.pipe(n_process=1) + PhraseMatcher", seconds, n_words, note="the same words")
        if codes != same:
            raise SystemExit("Error: nlp.pipe(n_process=2) gave different codes")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "study": str(args.study),
                    "words": words,
                    "turns": len(texts),
                    "transcripts": len(batches),
                    "keywords": keywords,
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "pure_python_two_jobs_s": {"one_process": serial, "two_processes": parallel},
                    "load_spacy_s": load,
                    "all_timings_s": timings,
                    "load_average_after": os.getloadavg(),
                    "build_matcher_s": build,
                    "results": results,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
