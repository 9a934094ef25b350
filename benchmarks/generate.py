"""Write a synthetic radar study of any size, for the benchmarks.

::

    python benchmarks/generate.py OUT_DIR --transcripts 200 --words 1000000 --keywords 300 --seed 1

OUT_DIR gets what ``radar reduce`` reads:

* ``transcripts/fgNNN.txt``: typed focus groups (``Moderator: ...`` questions,
  ``P1: ...`` turns, 8 to 15 participants a group, turns of 10 to 120 words,
  some ``[00:01:23]`` times, ``[inaudible]``-only turns, inline markers,
  unlabelled continuation lines and a front-matter header); with
  ``--vtt-share``, that share of the groups as Zoom ``.vtt`` captions instead
  (``Name: text`` cues, the moderator shown as ``Name (Host)``);
* ``codebook.yaml``: about ten themes whose codes hold exactly ``--keywords``
  keywords, single words and two-word phrases;
* ``generated.json``: the parameters and what was written (words, turns, ...).

The words come from ``benchmarks/vocabulary.txt`` (frequent English word forms
with the lemma radar's lookup lemmatizer gives them; see make_vocabulary.py),
drawn by frequency. Keywords are lemmas taken out of that filler vocabulary and
put back into participant turns on purpose, in any of their inflected forms
("worry", "worried", "worries"), so that about ``--match-rate`` of the
participant turns match some code. The same arguments give the same files,
byte for byte. Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
VOCABULARY = HERE / "vocabulary.txt"
MANIFEST = "generated.json"

MIN_PARTICIPANTS, MAX_PARTICIPANTS = 8, 15
MIN_TURN, MAX_TURN = 10, 120  # words in a participant turn
KEYWORDS_PER_CODE = 6  # on average
PHRASE_SHARE = 0.4  # of the keywords, two-word phrases
KEYWORD_RANKS = (150, 6000)  # keywords are lemmas of words this frequent (by rank)
MARKER_TURN_RATE = 0.02  # participant turns holding only a marker
INLINE_MARKER_RATE = 0.03
CONTINUATION_RATE = 0.12  # typed turns broken over an unlabelled second line
TIMED_SHARE = 0.3  # typed transcripts with [HH:MM:SS] before each label
MARKERS = ("[inaudible]", "[crosstalk]", "[laughter]", "[inaudible 00:12:03]", "[pause]")
INLINE_MARKERS = ("[inaudible]", "[crosstalk]", "[laughter]", "[pause]")
FIRST_NAMES = (
    "Dana", "Marcus", "Priya", "Aisha", "Tomas", "Keiko", "Jamal", "Lena", "Omar", "Rosa", "Sven",
    "Mei", "Carlos", "Fatima", "Ivan", "Grace", "Malik", "Ines", "Yusuf", "Hannah", "Diego", "Amara",
    "Niko", "Leila", "Owen", "Sana", "Felix", "Zara", "Pablo", "Noor", "Ruth", "Kwame", "Elif", "Jonas",
    "Maya", "Tariq", "Olga", "Luca", "Asha", "Ben",
)  # fmt: skip
LAST_NAMES = (
    "Whitfield", "Oyelaran", "Nair", "Haddad", "Novak", "Tanaka", "Brooks", "Lindqvist", "Farouk",
    "Moreno", "Berg", "Chen", "Alvarez", "Rahman", "Petrov", "Okafor", "Hughes", "Costa", "Demir",
    "Schmidt", "Reyes", "Mensah", "Virtanen", "Karimi", "Evans", "Iqbal", "Weber", "Osei", "Garcia",
    "Ahmed", "Flores", "Boateng", "Yilmaz", "Larsen", "Kaur", "Saleh", "Ivanova", "Rossi", "Patel",
    "Nguyen",
)  # fmt: skip
QUESTION_OPENERS = (
    "How do you feel about",
    "Can you tell us about",
    "What has your experience been with",
    "Who else wants to talk about",
    "What would help with",
    "Could you say more about",
)


@dataclass(frozen=True)
class Vocabulary:
    """Word forms by frequency, each with its lemma."""

    forms: tuple[str, ...]
    lemmas: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = VOCABULARY) -> Vocabulary:
        forms, lemmas = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                parts = line.split()
                forms.append(parts[0])
                lemmas.append(parts[1] if len(parts) > 1 else parts[0])
        return cls(tuple(forms), tuple(lemmas))

    def forms_of(self) -> dict[str, list[str]]:
        """Each lemma's forms, most frequent first."""
        found: dict[str, list[str]] = {}
        for form, lemma in zip(self.forms, self.lemmas):
            found.setdefault(lemma, []).append(form)
        return found


@dataclass(frozen=True)
class Keyword:
    """A keyword as written in the codebook and the forms a speaker may use."""

    text: str
    code: str
    variants: tuple[str, ...]  # spoken forms, all matching the keyword


@dataclass
class Code:
    name: str
    definition: str
    keywords: list[Keyword] = field(default_factory=list)


@dataclass
class Theme:
    name: str
    definition: str
    codes: list[Code] = field(default_factory=list)


@dataclass
class Counts:
    """What the generator wrote."""

    words: int = 0
    turns: int = 0
    participant_turns: int = 0
    marker_turns: int = 0
    turns_with_keywords: int = 0
    keyword_mentions: int = 0


# The codebook -----------------------------------------------------------------


def make_codebook(
    vocab: Vocabulary, rng: random.Random, keywords: int, themes: int
) -> tuple[list[Theme], set[str]]:
    """Themes, codes and keywords, and the lemmas the keywords use."""
    forms_of = vocab.forms_of()
    low, high = KEYWORD_RANKS
    seen: set[str] = set()
    candidates = []
    for rank, (form, lemma) in enumerate(zip(vocab.forms, vocab.lemmas)):
        if low <= rank < high and form == lemma and len(lemma) >= 4 and lemma not in seen:
            seen.add(lemma)
            candidates.append(lemma)
    rng.shuffle(candidates)
    phrases = round(keywords * PHRASE_SHARE)
    singles = keywords - phrases
    words_for_phrases = max(2, round(phrases * 1.5))
    needed = singles + words_for_phrases + 4 * (themes + keywords)
    if needed > len(candidates):
        raise SystemExit(f"Error: --keywords {keywords} is too many for the vocabulary; use fewer")
    single_lemmas = candidates[:singles]
    phrase_pool = candidates[singles : singles + words_for_phrases]
    naming = candidates[singles + words_for_phrases :]  # words for theme and code names
    texts: list[tuple[str, tuple[str, ...]]] = [(lemma, tuple(forms_of[lemma])) for lemma in single_lemmas]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < phrases:
        first, second = rng.sample(phrase_pool, 2)
        pairs.add((first, second))
    for first, second in sorted(pairs):
        # a speaker inflects the head of a phrase ("video calls"), not its modifier
        texts.append((f"{first} {second}", tuple(f"{first} {f}" for f in forms_of[second])))
    rng.shuffle(texts)

    codes_total = min(keywords, max(themes, round(keywords / KEYWORDS_PER_CODE)))
    themes = min(themes, codes_total)
    names = _Names(naming, rng)
    book = [Theme(names.theme(), f"What participants said about {names.phrase()}.") for _ in range(themes)]
    per_theme = _partition(codes_total, themes, rng)
    codes: list[Code] = []
    for theme, count in zip(book, per_theme):
        for _ in range(count):
            name = names.code()
            code = Code(name, f"Talk of {name.lower()} and how it shaped the work.")
            theme.codes.append(code)
            codes.append(code)
    for code, count in zip(codes, _partition(keywords, len(codes), rng)):
        for _ in range(count):
            text, variants = texts.pop()
            code.keywords.append(Keyword(text, code.name, variants))
    used = set(single_lemmas) | set(phrase_pool)
    return book, used


def _partition(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive, uneven counts."""
    counts = [1] * parts
    for _ in range(total - parts):
        counts[rng.randrange(parts)] += 1
    return counts


class _Names:
    """Unique theme and code names made of vocabulary words."""

    def __init__(self, words: Sequence[str], rng: random.Random) -> None:
        self.words = list(words)
        self.rng = rng
        self.taken: set[str] = set()

    def phrase(self) -> str:
        return " ".join(self.rng.sample(self.words, 2))

    def _unique(self, make: str) -> str:
        while True:
            a, b = self.rng.sample(self.words, 2)
            name = make.format(a=a.capitalize(), b=b)
            if name.casefold() not in self.taken:
                self.taken.add(name.casefold())
                return name

    def theme(self) -> str:
        return self._unique("{a} and {b}")

    def code(self) -> str:
        return self._unique("{a} {b}")


def codebook_yaml(book: Sequence[Theme], seed: int) -> str:
    """The codebook in radar's YAML form (every string JSON-quoted, which YAML reads)."""
    q = json.dumps
    lines = [
        f"# A synthetic codebook written by benchmarks/generate.py (seed {seed}).",
        f"title: {q(f'Synthetic benchmark study (seed {seed})')}",
        "source: Synthetic; words from spacy-lookups-data frequency tables.",
        "themes:",
    ]
    for theme in book:
        lines += [f"  - name: {q(theme.name)}", f"    definition: {q(theme.definition)}", "    codes:"]
        for code in theme.codes:
            keywords = ", ".join(q(k.text) for k in code.keywords)
            lines += [
                f"      - name: {q(code.name)}",
                f"        definition: {q(code.definition)}",
                f"        keywords: [{keywords}]",
            ]
    return "\n".join(lines) + "\n"


# The transcripts ----------------------------------------------------------------


class Talk:
    """Draws the words of turns: filler by frequency, keywords on purpose."""

    def __init__(
        self, vocab: Vocabulary, keywords: Sequence[Keyword], excluded: set[str], rng: random.Random
    ) -> None:
        filler = [f for f, lemma in zip(vocab.forms, vocab.lemmas) if lemma not in excluded]
        self.filler = ["I" if f == "i" else f for f in filler]
        self.filler_weights = list(itertools.accumulate(1.0 / (r + 2.7) for r in range(len(filler))))
        self.keywords = list(keywords)
        rng.shuffle(self.keywords)  # which keywords are popular is random too
        self.keyword_weights = list(
            itertools.accumulate(1.0 / (r + 1) ** 0.8 for r in range(len(self.keywords)))
        )
        self.rng = rng

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.filler, cum_weights=self.filler_weights, k=n)

    def keyword(self) -> str:
        rng = self.rng
        chosen = self.keywords[bisect.bisect(self.keyword_weights, rng.random() * self.keyword_weights[-1])]
        return chosen.variants[0] if rng.random() < 0.5 else rng.choice(chosen.variants)

    def sentences(self, words: list[str], question: bool = False) -> str:
        """Words made into sentences: capitals, commas, full stops, question marks."""
        rng = self.rng
        out: list[str] = []
        i = 0
        while i < len(words):
            length = rng.randint(5, 20)
            sentence = words[i : i + length]
            i += length
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            for j in range(len(sentence) - 1):
                if rng.random() < 0.07:
                    sentence[j] += ","
            last = i >= len(words)
            end = "?" if (question and last) or rng.random() < 0.05 else "."
            sentence[-1] += end
            out.extend(sentence)
        return " ".join(out)


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str


def transcript_turns(
    talk: Talk, rng: random.Random, speakers: Sequence[str], moderator: str, target: int,
    match_rate: float, counts: Counts,
) -> list[Turn]:  # fmt: skip
    """Turns of one group, about ``target`` words in all."""
    turns: list[Turn] = []
    written = 0
    previous = ""

    def add(speaker: str, text: str) -> None:
        nonlocal written, previous
        turns.append(Turn(speaker, text))
        written += len(text.split())
        previous = speaker

    while written < target:
        n = min(rng.randint(8, 40), max(target - written, 1))
        words = talk.words(n)
        if rng.random() < 0.3:
            words[rng.randrange(n)] = talk.keyword()  # moderators say keywords too (never coded)
        opener = rng.choice(QUESTION_OPENERS).split()
        add(moderator, talk.sentences(opener + words[len(opener) :] if n > len(opener) else words, True))
        for _ in range(rng.randint(3, 8)):
            if written >= target:
                break
            speaker = rng.choice([s for s in speakers if s != previous])
            counts.participant_turns += 1
            if rng.random() < MARKER_TURN_RATE:
                counts.marker_turns += 1
                add(speaker, rng.choice(MARKERS))
                continue
            n = min(rng.randint(MIN_TURN, MAX_TURN), max(target - written, 1))
            words = talk.words(n)
            if rng.random() < match_rate:
                mentions = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
                counts.turns_with_keywords += 1
                counts.keyword_mentions += mentions
                for _ in range(mentions):
                    words[rng.randrange(n)] = talk.keyword()
            text = talk.sentences(words)
            if rng.random() < INLINE_MARKER_RATE:
                parts = text.split(" ")
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(INLINE_MARKERS))
                text = " ".join(parts)
            add(speaker, text)
    counts.turns += len(turns)
    counts.words += written
    return turns


def typed_text(turns: Sequence[Turn], group: str, rng: random.Random) -> str:
    """A hand-typed transcript: a header, then ``Label: text`` lines."""
    timed = rng.random() < TIMED_SHARE
    lines = [f"Focus group {group}", f"Date: {rng.randint(1, 28)} March 2024", ""]
    seconds = 0
    for turn in turns:
        stamp = f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] " if timed else ""
        seconds += max(2, len(turn.text.split()) * 2 // 5)
        text = turn.text
        if rng.random() < CONTINUATION_RATE and ". " in text:
            head, tail = text.split(". ", 1)
            lines += [f"{stamp}{turn.speaker}: {head}.", tail]
        else:
            lines.append(f"{stamp}{turn.speaker}: {text}")
    return "\n".join(lines) + "\n"


def zoom_vtt(turns: Sequence[Turn], rng: random.Random) -> str:
    """A Zoom caption file: each turn split into cues of 8 to 25 words."""
    out = ["WEBVTT", ""]
    cue = 0
    at = 1.0
    for turn in turns:
        words = turn.text.split(" ")
        i = 0
        while i < len(words):
            size = rng.randint(8, 25)
            chunk = " ".join(words[i : i + size])
            i += size
            end = at + max(1.0, len(chunk.split()) / 2.6)
            cue += 1
            out += [str(cue), f"{_vtt_time(at)} --> {_vtt_time(end)}", f"{turn.speaker}: {chunk}", ""]
            at = end
        at += rng.uniform(0.2, 1.5)
    return "\n".join(out)


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _people(rng: random.Random, n: int) -> list[str]:
    names = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
    return rng.sample(names, n)


# The study -------------------------------------------------------------------


def generate(
    out: Path,
    *,
    transcripts: int = 20,
    words: int = 100_000,
    keywords: int = 60,
    themes: int = 10,
    vtt_share: float = 0.0,
    match_rate: float = 0.45,
    seed: int = 1,
    force: bool = False,
) -> dict[str, object]:
    """Write a synthetic study to ``out`` and return its manifest."""
    if transcripts < 1 or words < transcripts or keywords < 1 or themes < 1:
        raise SystemExit(
            "Error: give at least one transcript, one keyword and one theme, and --words >= --transcripts"
        )
    _prepare(out, force)
    rng = random.Random(seed)
    vocab = Vocabulary.load()
    book, excluded = make_codebook(vocab, rng, keywords, themes)
    all_keywords = [k for theme in book for code in theme.codes for k in code.keywords]
    talk = Talk(vocab, all_keywords, excluded, rng)
    (out / "codebook.yaml").write_text(codebook_yaml(book, seed), encoding="utf-8")

    shares = [rng.uniform(0.7, 1.3) for _ in range(transcripts)]
    targets = [max(1, round(words * s / sum(shares))) for s in shares]
    targets[-1] = max(1, targets[-1] + words - sum(targets))
    as_vtt = set(rng.sample(range(transcripts), round(transcripts * vtt_share)))
    folder = out / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    counts = Counts()
    width = max(3, len(str(transcripts)))
    for index, target in enumerate(targets):
        group = f"fg{index + 1:0{width}d}"
        size = rng.randint(MIN_PARTICIPANTS, MAX_PARTICIPANTS)
        if index in as_vtt:
            people = _people(rng, size + 1)
            moderator, speakers = f"{people[0]} (Host)", people[1:]
        else:
            moderator, speakers = "Moderator", [f"P{n}" for n in range(1, size + 1)]
        turns = transcript_turns(talk, rng, speakers, moderator, target, match_rate, counts)
        if index in as_vtt:
            (folder / f"{group}.vtt").write_text(zoom_vtt(turns, rng), encoding="utf-8")
        else:
            (folder / f"{group}.txt").write_text(typed_text(turns, group, rng), encoding="utf-8")
    manifest: dict[str, object] = {
        "generator": "benchmarks/generate.py",
        "parameters": {
            "transcripts": transcripts, "words": words, "keywords": keywords, "themes": themes,
            "vtt_share": vtt_share, "match_rate": match_rate, "seed": seed,
        },
        "written": {
            "transcripts": transcripts,
            "vtt": len(as_vtt),
            "themes": len(book),
            "codes": sum(len(t.codes) for t in book),
            "keywords": len(all_keywords),
            "phrase_keywords": sum(" " in k.text for k in all_keywords),
            **vars(counts),
        },
    }  # fmt: skip
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _prepare(out: Path, force: bool) -> None:
    """Refuse to write over a folder, unless it is a generated study and --force is given."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"Error: {out} is not empty; give --force to replace a generated study")
        if not (out / MANIFEST).exists():
            raise SystemExit(
                f"Error: {out} holds no {MANIFEST}, so it is not a generated study; choose another folder"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic radar study for the benchmarks.")
    parser.add_argument("out", type=Path, help="the study folder to write")
    parser.add_argument("--transcripts", type=int, default=20, help="focus groups (default 20)")
    parser.add_argument("--words", type=int, default=100_000, help="words in all turns (default 100000)")
    parser.add_argument("--keywords", type=int, default=60, help="keywords in the codebook (default 60)")
    parser.add_argument("--themes", type=int, default=10, help="themes in the codebook (default 10)")
    parser.add_argument(
        "--vtt-share", type=float, default=0.0, help="share of transcripts written as Zoom .vtt (default 0)"
    )
    parser.add_argument(
        "--match-rate",
        type=float,
        default=0.45,
        help="share of participant turns given keywords (default 0.45)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace a study this script generated before")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    manifest = generate(
        args.out, transcripts=args.transcripts, words=args.words, keywords=args.keywords,
        themes=args.themes, vtt_share=args.vtt_share, match_rate=args.match_rate,
        seed=args.seed, force=args.force,
    )  # fmt: skip
    w = manifest["written"]
    assert isinstance(w, dict)
    print(
        f"{args.out}: {w['transcripts']} transcripts ({w['vtt']} .vtt), {w['words']:,} words, "
        f"{w['turns']:,} turns; codebook of {w['themes']} themes, {w['codes']} codes, "
        f"{w['keywords']} keywords ({w['phrase_keywords']} phrases); "
        f"{time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
