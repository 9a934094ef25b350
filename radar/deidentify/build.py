"""A study's de-identifier, from speakers.csv, the speaker key and radar.toml, with its safeguards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from radar import columns as C
from radar.config import DeidentifySettings
from radar.deidentify.masking import Deidentifier
from radar.deidentify.ner import load_ner
from radar.deidentify.terms import MASK_NAME, Term, config_terms, is_name_label, normalise, speaker_terms
from radar.folder import Folder
from radar.speakers import SpeakerKey, SpeakerList
from radar.transcripts.survey import QUESTION_SPEAKER


def deidentifier_from(
    speakers: SpeakerList | None,
    key: SpeakerKey | None,
    settings: DeidentifySettings,
    ner: bool | None = None,
    nlp: Any = None,
) -> Deidentifier:
    """A de-identifier from a speakers list, the speaker key and radar.toml's settings.

    Args:
        speakers: speakers.csv, or None when the study has none.
        key: the speaker key (labels radar gave pseudonyms); its labels are
            masked too (unlisted speakers when there is a speakers list).
        settings: radar.toml's ``[deidentify]`` table (``StudyConfig.deidentify``).
        ner: use spaCy NER if a trained pipeline is installed; None follows
            radar.toml (``[deidentify] ner``, on by default).
        nlp: a pipeline to use for NER instead of looking for one (tests).
    """
    people: list[tuple[str, str, str]] = []
    listed: set[str] = set()
    if speakers is not None:
        for speaker in speakers.speakers:
            if speaker.label == QUESTION_SPEAKER:  # a survey's questions: no person's name to mask
                continue
            people.append((speaker.label, speaker.participant_id, "speakers.csv"))
            listed.add(normalise(speaker.label))
    if key is not None:
        for entry in key_entries(key):
            if normalise(entry[0]) not in listed and entry[0] != QUESTION_SPEAKER:
                people.append((entry[0], entry[1], "speaker key"))
    nicknames: dict[str, list[str]] = {}
    for speaker in speakers.speakers if speakers is not None else ():
        written = dict(speaker.attributes).get(C.NICKNAMES_COLUMN, "")
        nicknames.setdefault(speaker.participant_id, []).extend(n for n in written.split(";") if n.strip())
    terms = speaker_terms(people, settings.pseudonym_style, nicknames)
    extra, keep = config_terms(settings)
    safeguards = [
        _names_line(people, speakers is not None),
        _first_names_line(terms),
        _titled_line(terms),
    ]
    safeguards.append(
        f"radar.toml terms ({len(extra)})"
        if extra
        else "radar.toml terms: none (list places, organisations and names under [deidentify])"
    )
    safeguards.append(
        "contact details and numbers by pattern (emails, phones, addresses, postcodes, URLs, "
        "dates of birth, ages over 89)"
    )
    safeguards.append(
        "names nobody listed, by rule: after a title or kinship word, before said/told/asked, "
        "first names from the 1990 US Census list"
        + ("" if settings.detect else " (review only: [deidentify] detect = false)")
    )
    reviewed = [f"{len(settings.not_names)} not a name"] if settings.not_names else []
    reviewed += [f"{len(settings.replace)} with their own replacement"] if settings.replace else []
    if reviewed:
        safeguards.append(f"reviewed in radar.toml: {', '.join(reviewed)}")
    if nlp is not None:
        line = f"spaCy NER: {nlp.meta.get('name', 'pipeline')}"
    else:
        setting = settings.ner if ner is None else ner
        nlp, line = load_ner(setting)
    safeguards.append(line)
    ids = {pid for _, pid, _ in people}
    return Deidentifier(
        [*extra[: len(settings.replace)], *terms, *extra[len(settings.replace) :]],
        [s for s in safeguards if s],
        nlp,
        keep,
        ids,
        not_names=settings.not_names,
        detect=settings.detect,
    )


def key_entries(key: SpeakerKey) -> list[tuple[str, str, str]]:
    """The key's (label, pseudonym, role) entries."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(key.dumps()))
    return [(r["speaker"], r["participant_id"], r["role"]) for r in rows]


def _names_line(people: Sequence[tuple[str, str, str]], has_list: bool) -> str:
    named = {normalise(p[0]) for p in people if is_name_label(p[0])}
    source = "speakers.csv" if has_list else "the speaker key (.radar/speaker-key.csv)"
    if not people:
        return f"speaker names: none known yet ({source} is empty)"
    if not named:
        return f"speaker names from {source}: none of the {len(people)} labels look like names (P1, Moderator...)"
    return f"speaker names from {source} ({len(named)})"


def _first_names_line(terms: Sequence[Term]) -> str:
    firsts = [t for t in terms if t.source == "first name"]
    if not firsts:
        return ""
    shared = sum(1 for t in firsts if t.replacement == MASK_NAME)
    common = sum(1 for t in firsts if t.common_word)
    notes = []
    if shared:
        notes.append(f"{shared} shared by two or more people, masked as {MASK_NAME}")
    if common:
        notes.append(f"{common} also common words, masked only when capitalised")
    return f"first names ({len(firsts)}{'; ' + '; '.join(notes) if notes else ''})"


def _titled_line(terms: Sequence[Term]) -> str:
    return "surnames after a title (Dr Lopez)" if any(t.source == "title and surname" for t in terms) else ""


def deidentifier_for(study: Folder, ner: bool | None = None) -> Deidentifier:
    """The study's de-identifier: speakers.csv (or the speaker key) and radar.toml.

    Example:
        >>> deid = deidentifier_for(Folder("examples/digital-peer-support"))  # doctest: +SKIP
        >>> deid.mask("like Maria said")  # doctest: +SKIP
        'like P07 said'
    """
    config = study.config()
    return deidentifier_from(study.speakers(), SpeakerKey.load(study.paths.key), config.deidentify, ner)
