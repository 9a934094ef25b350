"""Write benchmarks/vocabulary.txt, the word list the synthetic studies are made of.

Run once, by hand, when the list should change (the generator itself needs only
the standard library and the written file)::

    python benchmarks/make_vocabulary.py

The words are the most frequent lowercase English words of spaCy's
``en_lexeme_prob`` table (from ``spacy-lookups-data``, which radar installs),
each with the lemma that radar's lookup lemmatizer gives it, so that an
inflected form in a synthetic transcript ("worries") matches a keyword
("worry") exactly as it would in a real one. Each line is a form, most
frequent first, followed by its lemma when that differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMS = 10_000  # most frequent word forms to consider

# Tokenizer fragments ("ca" of "can't"), web words and words unfit for a health study.
EXCLUDED = frozenset(
    (
        "ca", "wo", "nt", "etc", "lol", "lmao", "omg", "op", "edit", "edits", "removed", "deleted",
        "reddit", "subreddit", "subreddits", "upvote", "upvotes", "upvoted", "downvote", "downvotes",
        "downvoted", "karma", "mods", "imgur", "http", "https", "www", "com", "org", "html", "gif", "url",
        "tl", "dr", "imo", "imho", "btw", "tbh", "iirc", "ps", "pm", "am", "gg",
    )
)  # fmt: skip
UNFIT = re.compile(
    "|".join(
        [
            r"fuck|shit|bitch|cunt|nigg|fag|retard|whore|slut|masturb|orgasm|vagina|penis|genital",
            r"dildo|condom|erotic|horny|boner|douche|wank|milf|porn|nsfw|hitler|nazi|suicid|murder",
            r"cocaine|heroin|asshole|dumbass|butthurt|bastard|prostitut|stripper|nipple|boob|piss",
            r"terroris|idiot|moron|stupid|racist|sexist|naked|nud(e|ity)|prick|horni|sperm|semen|hooker",
            r"^(ass|asses|anal|sex\w*|cum|tits?|butts?|cock|cocks|dick\w*|puss\w*|crap\w*|damn\w*)$",
            r"^(rap(e|es|ed|ing|ist)|kill\w*|guns?|gunn\w*|shoot\w*|rifles?|weapons?|bombs?|weed|meth)$",
            r"^(hell|god\w*|jesus|christ|lord|satan|poop|pee|peeing|fart\w*|jerk|virgins?|drugs?)$",
        ]
    )
)


def build(data_dir: Path, forms: int) -> list[tuple[str, str]]:
    """``(form, lemma)`` of the most frequent word forms, most frequent first."""
    with gzip.open(data_dir / "en_lemma_lookup.json.gz") as handle:
        lookup: dict[str, str] = json.loads(handle.read())
    with gzip.open(data_dir / "en_lexeme_prob.json.gz") as handle:
        probs: dict[str, float] = json.loads(handle.read())
    ranked = [
        w
        for w, _ in sorted(probs.items(), key=lambda item: -item[1])
        if w.isascii()
        and w.isalpha()
        and w.islower()
        and (len(w) > 1 or w in "ai")
        and w not in EXCLUDED
        and not UNFIT.search(w)
    ][:forms]
    return [(word, lookup.get(word, word)) for word in ranked]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "vocabulary.txt")
    parser.add_argument("--forms", type=int, default=FORMS)
    args = parser.parse_args()
    from importlib import resources

    data_dir = Path(str(resources.files("spacy_lookups_data").joinpath("data")))
    words = build(data_dir, args.forms)
    header = (
        "# Word forms for benchmarks/generate.py, most frequent first: the form, then its lemma\n"
        "# when radar's lookup lemmatizer gives it another one.\n"
        "# Made by benchmarks/make_vocabulary.py from spacy-lookups-data (en_lexeme_prob, en_lemma_lookup).\n"
    )
    lines = "".join(f"{form} {lemma}\n" if lemma != form else f"{form}\n" for form, lemma in words)
    args.out.write_text(header + lines, encoding="utf-8")
    print(f"{args.out}: {len(words)} word forms, {len({lemma for _, lemma in words})} lemmas")


if __name__ == "__main__":
    main()
