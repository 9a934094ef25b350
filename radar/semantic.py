"""Semantic code suggestions: each participant turn ranked against each code's own words, offline.

Opt-in (``[suggest] semantic = true`` in radar.toml, or ``radar reduce
--semantic``), from the optional extra ``pip install "radar-qda[semantic]"``.
The model is WordLlama's default (``l2_supercat``, 256 dimensions, MIT), whose
weights and tokenizer ship inside the ``wordllama`` wheel; radar hands both
files to it from the installed package, so nothing is ever downloaded and no
network is reached. A turn and a code are compared by the cosine similarity
of their embeddings; the code's side is the best of its definition, its
include text and its example, each with the code's name, and of the turns
the analyst has coded with it ("more like this"). The same inputs
give the same suggestions: scores are rounded, ties broken by codebook order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from radar.config import DEFAULT_SEMANTIC_THRESHOLD
from radar.errors import StudyError

if TYPE_CHECKING:
    from radar.codebook import Codebook

TOP = 2  # semantic suggestions a turn gets at most
DIGITS = 3  # scores are rounded to this many decimals, so ties are broken by codebook order alone
MODEL = "wordllama l2_supercat 256"  # the audit trail's name for the model
INSTALL = 'pip install "radar-qda[semantic]"'
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")


@dataclass(frozen=True)
class SemanticMatch:
    """One code suggested for a turn by meaning, with its similarity score (0 to 1)."""

    code: str
    score: float


def code_passages(codebook: Codebook) -> list[tuple[str, str]]:
    """(code, passage) pairs: each code's definition, include text and example, each led by its name.

    A code with none of the three is compared on its name alone.

    >>> from radar.codebook import Code, Codebook, Theme
    >>> code = Code("Isolation", "Support", definition="Feeling alone.", example="Nobody calls me.")
    >>> code_passages(Codebook((Theme("Support", codes=(code,)),)))
    [('Isolation', 'Isolation: Feeling alone.'), ('Isolation', 'Isolation: Nobody calls me.')]
    """
    pairs: list[tuple[str, str]] = []
    for code in codebook.codes:
        parts = [p.strip() for p in (code.definition, code.include, code.example) if p.strip()]
        pairs += [(code.name, f"{code.name}: {p}") for p in parts] or [(code.name, code.name)]
    return pairs


@lru_cache(maxsize=1)
def load_model() -> Any:
    """WordLlama's bundled model, loaded from the installed package's own files (never downloaded).

    Raises:
        StudyError: wordllama is not installed, or its bundled files are missing.
    """
    import logging
    from pathlib import Path

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError as error:
        raise StudyError(
            f"semantic suggestions ([suggest] semantic = true in radar.toml, or --semantic) need the "
            f"wordllama package, which is not installed ({error.name} is missing): run {INSTALL}, or "
            "set semantic = false"
        ) from None
    finally:  # wordllama configures the root logger on import; a library should not
        root.handlers[:], root.level = handlers, level
    package = Path(wordllama.__file__).parent
    weights, tokenizer = package.joinpath(*_WEIGHTS), package.joinpath(*_TOKENIZER)
    for path in (weights, tokenizer):
        if not path.is_file():
            raise StudyError(
                f"{path}: wordllama's bundled model file is missing; reinstall it with "
                f"pip install --force-reinstall wordllama (radar never downloads a model)"
            )
    with safe_open(str(weights), framework="np", device="cpu") as tensors:
        embedding = tensors.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def semantic_suggestions(
    texts: Sequence[str],
    codebook: Codebook,
    threshold: float = DEFAULT_SEMANTIC_THRESHOLD,
    top: int = TOP,
    *,
    coded: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[SemanticMatch, ...]]:
    """The codes each text is closest to in meaning, best first, when at least ``threshold`` close.

    Args:
        texts: the participant turns.
        codebook: the codes, compared by their definition, include text and example.
        threshold: the least cosine similarity (0 to 1) a suggestion needs.
        top: the most codes suggested for one text.
        coded: "more like this": turns the analyst coded, by code; each is one
            more passage of its code (a code not in the codebook is left out).
    """
    import numpy as np

    known = set(codebook.code_names)
    passages = code_passages(codebook)
    own = len(passages)
    passages += [
        (code, text) for code, said in sorted((coded or {}).items()) if code in known for text in said
    ]
    if not texts or not passages:
        return [() for _ in texts]
    model = load_model()
    names = list(dict.fromkeys(code for code, _ in passages))
    index = {name: i for i, name in enumerate(names)}
    owner = [index[code] for code, _ in passages]
    turns = model.embed(list(texts), norm=True)
    codes = model.embed([text for _, text in passages], norm=True)
    similarity = np.nan_to_num(turns @ codes.T)  # an empty text embeds as zeros: similarity 0
    rows: dict[str, list[int]] = {}
    for r, text in enumerate(texts):
        rows.setdefault(text, []).append(r)
    for j in range(own, len(passages)):  # a coded turn is not like itself
        similarity[rows.get(passages[j][1], []), j] = -1.0
    best = np.full((len(texts), len(names)), -1.0)
    for j, i in enumerate(owner):
        best[:, i] = np.maximum(best[:, i], similarity[:, j])
    best = np.round(best, DIGITS)
    found: list[tuple[SemanticMatch, ...]] = []
    for row in best:
        order = sorted(range(len(names)), key=lambda i: (-row[i], i))
        found.append(
            tuple(SemanticMatch(names[i], float(row[i])) for i in order[:top] if row[i] >= threshold)
        )
    return found


def semantic_note(threshold: float, matches: Mapping[str, Sequence[SemanticMatch]]) -> str:
    """The run's remark on what was suggested by meaning (shown, and kept in the Log).

    >>> semantic_note(0.4, {"fg1-002": (SemanticMatch("Isolation", 0.61),)})
    'suggested by meaning (wordllama l2_supercat, offline; similarity at least 0.4): 1 code(s) on 1 turn(s); each with its score in the audit trail (.radar/audit.jsonl, "semantic")'
    """
    codes = sum(len(found) for found in matches.values())
    return (
        f"suggested by meaning (wordllama l2_supercat, offline; similarity at least {threshold:g}): "
        f"{codes} code(s) on {len(matches)} turn(s); each with its score in the audit trail "
        '(.radar/audit.jsonl, "semantic")'
    )


def semantic_record(
    threshold: float | None, matches: Mapping[str, Sequence[SemanticMatch]]
) -> dict[str, Any] | None:
    """The audit trail's record of a run's semantic suggestions: the model, the threshold, each match.

    None when the run did not suggest by meaning.

    >>> semantic_record(0.4, {"fg1-002": (SemanticMatch("Isolation", 0.61),)})
    {'model': 'wordllama l2_supercat 256', 'threshold': 0.4, 'matches': {'fg1-002': [['Isolation', 0.61]]}}
    """
    if threshold is None:
        return None
    return {
        "model": MODEL,
        "threshold": threshold,
        "matches": {sid: [[m.code, m.score] for m in found] for sid, found in sorted(matches.items())},
    }
