"""Names in transcripts' file names: the Group ID is the file stem, and it goes into every table.

A transcript named after a person (``interview-maria-lopez.txt``) would put
the name into every row's Group and Segment ID, the theme table's citations,
the charts and the packets. ``radar reduce`` refuses such a file before it
writes anything (:func:`refuse_names_in_file_names`), naming the file and
what to do: rename it to a neutral ID. radar keeps no hidden mapping of its
own: the new name is the analyst's, on disk, where everyone sees it.

A stem holds a name when, read as words (``interview maria lopez``), it holds

* a listed person's name: a speaker's name or first name, a titled surname,
  or a radar.toml ``[deidentify] names`` entry (places and organisations
  are left to the packets' group labels and ``[groups]`` names); or
* a word the review list suspects in the transcripts' own text (``Rosa`` in
  "my neighbour Rosa Delgado told me"), unless radar.toml lists it as a place
  or organisation, or keeps it.

Example:
    >>> from radar.deidentify.masking import Deidentifier
    >>> from radar.deidentify.terms import Term
    >>> deid = Deidentifier([Term("Maria Lopez", "P07", "speakers.csv"), Term("Maria", "P07", "first name")])
    >>> names_in_file_name("interview-maria-lopez", deid), names_in_file_name("fg2", deid)
    (['Maria Lopez'], [])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from radar.deidentify.masking import Deidentifier
from radar.deidentify.terms import KIND_SUSPECTED, MASK_ORGANISATION, MASK_PLACE, normalise
from radar.errors import StudyError

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# words file names are made of that name no one: the review list is not asked about them
_ID_WORDS = frozenset(
    {
        "fg", "focus", "group", "groups", "interview", "interviews", "int", "session", "sessions", "transcript",
        "transcripts", "part", "round", "wave", "site", "pilot", "followup", "follow", "up", "notes", "final",
        "draft", "clean", "copy", "raw", "edited", "verbatim", "audio", "video", "call", "phone", "online",
        "zoom", "teams", "otter", "typed", "webex", "meet", "recording", "rec", "day", "am", "pm", "en", "es",
        "fr", "de", "text", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "spring", "summer", "autumn", "fall", "winter",
        "morning", "afternoon", "evening",
    }
)  # fmt: skip


def file_name_words(stem: str) -> str:
    """A file stem read as capitalised words: ``interview-maria_lopez2`` -> ``Interview Maria Lopez``."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in _WORD.findall(stem))


def names_in_file_name(stem: str, deid: Deidentifier, suspected: Iterable[str] = ()) -> list[str]:
    """The people's names a file stem holds: listed names, then words the review list suspects.

    Args:
        stem: the file name without its suffix (the Group ID).
        deid: the study's de-identifier (its listed names).
        suspected: names the review list suspects in the study's text (see
            :func:`suspected_in_text`); a stem word among them counts.
    """
    words = file_name_words(stem)
    if not words:
        return []
    kinds = {normalise(term.text): term.replacement for term in deid.terms}
    found = [
        name
        for name in deid.found_terms(words)
        if kinds.get(normalise(name)) not in (MASK_PLACE, MASK_ORGANISATION)
    ]
    listed = {normalise(word) for name in found for word in name.split()}
    rest = [w for w in words.split() if normalise(w) not in listed and normalise(w) not in deid.keep]
    doubted = {normalise(word) for name in suspected for word in name.split()}
    found += [w for w in rest if normalise(w) in doubted and kinds.get(normalise(w)) is None]
    return list(dict.fromkeys(found))


def suspected_in_text(
    stems: Sequence[str], items: Iterable[tuple[str, str, str]], deid: Deidentifier
) -> set[str]:
    """The review list's suspected names in the texts, among those sharing a word with a stem.

    Only the texts that hold a stem's word (capitalised) are checked, and not for the words file
    names are usually made of (fg, interview, zoom, months...), so a usual study asks nothing.

    Args:
        stems: the file stems.
        items: (where, speaker, text) of the study's turns, masked.
        deid: the study's de-identifier.
    """
    words = {
        w
        for stem in stems
        for w in file_name_words(stem).split()
        if len(w) > 1 and w.lower() not in _ID_WORDS
    }
    if not words:
        return set()
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words)) + r")(?!\w)")
    wanted = [item for item in items if pattern.search(item[2] or "")]
    return {f.found for f in deid.check(wanted) if f.kind == KIND_SUSPECTED}


def refuse_names_in_file_names(
    files: Mapping[str, Path], deid: Deidentifier, items: Iterable[tuple[str, str, str]] = ()
) -> None:
    """Refuse transcripts whose file names hold a person's name, before anything is written.

    Args:
        files: Group ID (the file stem) -> the transcript's file.
        deid: the study's de-identifier.
        items: (where, speaker, text) of the study's turns, masked, for the review list.

    Raises:
        StudyError: one message naming every such file and what to do.
    """
    suspected = suspected_in_text(list(files), items, deid)
    problems = []
    paths = []
    for stem, path in files.items():
        names = names_in_file_name(stem, deid, suspected)
        if names:
            listed = deid.found_terms(file_name_words(stem))
            why = "a listed name" if listed else "a word the review list suspects is a name"
            problems.append(f"{path.name} holds {names[0]!r} ({why})")
            paths.append(path)
    if not problems:
        return
    raise StudyError(
        f"transcripts: {'; '.join(problems)}; the file name becomes the Group ID in every table, packet and "
        "chart, so rename the file to a neutral ID such as interview-07 or fg3 (and its group in "
        "speakers.csv and radar.toml to match), then run `radar reduce` again; a word that is not a "
        "person's name can go in radar.toml's [deidentify] keep, or places",
        path=str(paths[0]),
    )
