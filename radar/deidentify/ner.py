"""spaCy's named entities: the labels masked, and the trained English pipeline found and loaded."""

from __future__ import annotations

from typing import Any

from radar.deidentify.terms import CONFIG_TABLE, MASK_NAME, MASK_ORGANISATION, MASK_PLACE
from radar.errors import StudyError

NER_LABELS = {
    "PERSON": MASK_NAME, "PER": MASK_NAME,
    "GPE": MASK_PLACE, "LOC": MASK_PLACE, "FAC": MASK_PLACE,
    "ORG": MASK_ORGANISATION,
}  # fmt: skip
NER_PIPELINES = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf")
NER_MISSING = "spaCy NER: not installed (install a trained English pipeline such as en_core_web_sm for it)"


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
