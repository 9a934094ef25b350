"""Who speaks: the optional speakers list, roles and stable pseudonyms.

``speakers.csv`` (columns ``speaker,participant_id,role``; an optional
``group`` column scopes a label to one transcript; any further columns are
participant attributes such as state or country) decides every speaker's role
and ID. Without it, roles are inferred from each transcript (:mod:`radar.roles`:
Zoom's ``(Host)``, labels such as Facilitator or Note-taker, header lines, the
speaker who asks the questions), and labels alone say no more than
:func:`default_role`; each label gets a pseudonym that is recorded in the
study's speaker key so that it never changes between runs. A real name never
reaches a table.

The list is read as researchers write it:

* as Excel saves it (UTF-8 with or without BOM, Windows-1252, UTF-16; comma,
  semicolon, tab or ``|``, told by the header or a ``sep=;`` line), headers and
  roles in any case, with common synonyms (moderator, interviewer, note-taker);
* a facilitator or observer may leave ``participant_id`` empty: the row takes
  the ID its label has in another row of that role, or else the next free
  ``F01``, ``F02``... / ``O01``, ``O02``... in row order, skipping the file's
  IDs (``F1`` counts as ``F01``): the speaker key's form, so radar's IDs read
  alike wherever they come from; write an ID to pin one;
* the same label, role and ID listed again in one group (or, without a group
  column, anywhere: the facilitator of every focus group) is merged silently;
  two IDs or roles for one label, or two roles for one ID, are errors; one ID
  under two labels (``Dana``, ``Dana Whitfield``) is one person, unless the
  rows give it two values of an attribute or two different names (``Sam
  Ortiz``, ``Maria Lopez``): two people, an error;
* transcripts' labels match by :func:`match_key` (case, spacing, Zoom's
  ``(Host)``, pronouns, ``Name's iPad``, and ``P1`` against ``P01`` unless the
  list holds both as different people).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from radar.columns import (
    FACILITATOR_ROLE,
    OBSERVER_ROLE,
    PARTICIPANT_ROLE,
    ROLES,
    UNLISTED_ROLE,
)
from radar.errors import SpeakersError

REQUIRED_COLUMNS = ("speaker", "participant_id", "role")
KEY_COLUMNS = ("group", "speaker", "participant_id", "role")

_FACILITATOR_WORDS = re.compile(
    r"\b(facilitator|co-facilitator|moderator|interviewer|host|researcher|chair)\b", re.I
)
_OBSERVER_WORDS = re.compile(r"\b(observer|note[- ]?taker|scribe|assistant)\b", re.I)
_PREFIX = {PARTICIPANT_ROLE: "P", FACILITATOR_ROLE: "F", OBSERVER_ROLE: "O", UNLISTED_ROLE: "U"}

_ROLE_NAMES = {
    **dict.fromkeys(("participant", "respondent", "interviewee"), PARTICIPANT_ROLE),
    **dict.fromkeys(
        ("facilitator", "co-facilitator", "cofacilitator", "moderator", "co-moderator", "interviewer"),
        FACILITATOR_ROLE,
    ),
    **dict.fromkeys(("observer", "note-taker", "notetaker", "note taker", "scribe"), OBSERVER_ROLE),
}
_COLUMN_NAMES = {
    **dict.fromkeys(("speaker", "speaker_label", "speaker_name"), "speaker"),
    **dict.fromkeys(("participant_id", "participantid", "pid"), "participant_id"),
    "role": "role",
    **dict.fromkeys(("group", "focus_group"), "group"),
}
_DELIMITERS = (",", ";", "\t", "|")
_WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip) and the old .xls
_SAVE_AS_CSV = "CSV UTF-8 (Comma delimited)"
_GROUP_HINT = "add a group column naming each row's transcript (its file name without the extension)"
_IN_GROUP_HINT = "keep one row per speaker in each group"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_PRONOUN = r"(?:he|him|his|she|her|hers|they|them|theirs|ze|zir|hir|xe|xem|any|all)"
_ZOOM_SUFFIX = re.compile(
    rf"(?<=\S)\s*\((?:host|co-?host|guest|(?:pronouns:\s*)?{_PRONOUN}(?:\s*/\s*{_PRONOUN})+)\)$"
)
_DEVICE = re.compile(r"^(.*\S)'s (?:ipad|iphone|galaxy|macbook|pixel)\b[\w ()-]*$")
_PADDING = re.compile(r"(?<!\d)0+(?=\d)")


def normalise_label(label: str) -> str:
    """A label as written, compared: whitespace folded, case ignored."""
    return " ".join(label.split()).casefold()


def match_key(label: str) -> str:
    """How a transcript's label is compared with the speakers list's.

    Case, spacing and apostrophes are folded, Zoom's suffixes (``(Host)``,
    ``(Co-host)``, ``(Guest)``, pronouns such as ``(she/her)``) and device
    names (``Name's iPad``, ``iPhone``, ``Galaxy``, ``MacBook``, ``Pixel``)
    dropped, and leading zeros of numbers removed, so ``P01`` is ``p1``.
    :meth:`SpeakerList.lookup` folds the zeros only where the list does not
    hold ``P1`` and ``P01`` as different people.

    Example:
        >>> match_key("Dana Whitfield (Host)"), match_key("Sam\u2019s iPhone"), match_key("P01")
        ('dana whitfield', 'sam', 'p1')
    """
    return _match_key(label)


@functools.lru_cache(maxsize=65536)
def _match_key(label: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", label).casefold())
    key = " ".join(folded.translate(_APOSTROPHES).split())
    while True:
        shorter = _DEVICE.sub(r"\1", _ZOOM_SUFFIX.sub("", key)).strip()
        if shorter == key:
            return _PADDING.sub("", key)
        key = shorter


def default_role(label: str) -> str:
    """The role a label implies when no speakers list says otherwise.

    Example:
        >>> default_role("Moderator"), default_role("Note-taker"), default_role("P3")
        ('facilitator', 'observer', 'participant')
    """
    found = staff_word(label)
    return found[0] if found else PARTICIPANT_ROLE


def staff_word(label: str) -> tuple[str, str] | None:
    """The staff role a label's words name, with the word as written, or None.

    Facilitator words (facilitator, moderator, interviewer, host, researcher,
    chair) come before observer words (observer, note-taker, scribe, assistant).

    Example:
        >>> staff_word("Sam (Note-taker)"), staff_word("Dana Whitfield")
        (('observer', 'Note-taker'), None)
    """
    for role, words in ((FACILITATOR_ROLE, _FACILITATOR_WORDS), (OBSERVER_ROLE, _OBSERVER_WORDS)):
        found = words.search(label)
        if found:
            return role, found.group()
    return None


@dataclass(frozen=True)
class Speaker:
    """One row of speakers.csv (or of the speaker key)."""

    label: str
    participant_id: str
    role: str
    group: str = ""
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SpeakerList:
    """The study's speakers list, looked up by group and label."""

    speakers: tuple[Speaker, ...]
    path: Path | None = None
    attribute_names: tuple[str, ...] = ()
    _index: dict[tuple[str, str], Speaker] = field(default_factory=dict, compare=False, repr=False)
    _loose: dict[tuple[str, str], Speaker | None] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for speaker in self.speakers:
            scope = speaker.group.casefold()
            self._index[(scope, normalise_label(speaker.label))] = speaker
            loose = (scope, match_key(speaker.label))
            known = self._loose.get(loose, speaker)
            one = known is not None and _same_person(known, speaker)
            self._loose[loose] = known if one else None  # None: two people share the key

    def lookup(self, group: str, label: str) -> Speaker | None:
        """The speaker a label stands for in a group, or None when it is not listed.

        The label as written comes first, then its :func:`match_key`; for each,
        the group's own rows before the study-wide ones (an empty group).
        """
        scopes = dict.fromkeys((group.casefold(), ""))
        exact = (self._index.get((scope, normalise_label(label))) for scope in scopes)
        loose = (self._loose.get((scope, match_key(label))) for scope in scopes)
        return next((found for found in (*exact, *loose) if found is not None), None)

    def labels_for(self, group: str) -> tuple[str, ...]:
        """The labels that may speak in a group (its own and the study-wide ones)."""
        wanted = {"", group.casefold()}
        return tuple(s.label for s in self.speakers if s.group.casefold() in wanted)

    def closest(self, label: str, group: str, n: int = 3) -> tuple[str, ...]:
        """The listed labels nearest to one a transcript uses, nearest first, at most n.

        Labels that the given one abbreviates word by word (``Sam`` for ``Sam
        Ortiz``, ``Dana W`` for ``Dana Whitfield``), or the other way round,
        come first; then any whose :func:`match_key` difflib finds at least
        0.6 alike. Each person's label is given once.

        Example:
            >>> listed = SpeakerList((Speaker("Dana Whitfield", "F1", "facilitator"),
            ...                       Speaker("Sam Ortiz", "P01", "participant")))
            >>> listed.closest("Dana W", "fg1"), listed.closest("sam", "fg1")
            (('Dana Whitfield',), ('Sam Ortiz',))
        """
        target = match_key(label)
        candidates: dict[str, str] = {}
        for listed in self.labels_for(group):
            candidates.setdefault(match_key(listed), listed)
        scored = [
            (_abbreviates(target, key) or _abbreviates(key, target), _likeness(target, key), listed)
            for key, listed in candidates.items()
        ]
        near = sorted((s for s in scored if s[0] or s[1] >= 0.6), key=lambda s: s[:2], reverse=True)
        return tuple(listed for _, _, listed in near[: max(n, 0)])

    def participants(self) -> tuple[Speaker, ...]:
        """Listed speakers whose role is participant, each ID once."""
        seen: dict[str, Speaker] = {}
        for speaker in self.speakers:
            if speaker.role == PARTICIPANT_ROLE:
                seen.setdefault(speaker.participant_id, speaker)
        return tuple(seen.values())


def _same_person(a: Speaker, b: Speaker) -> bool:
    return (a.participant_id, a.role) == (b.participant_id, b.role)


def _abbreviates(short: str, long: str) -> bool:
    """Whether each word of ``short`` starts the matching word of ``long``."""
    words, longer = short.split(), long.split()
    return bool(words) and len(words) <= len(longer) and all(b.startswith(a) for a, b in zip(words, longer))


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


# --- Reading speakers.csv ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """A speaker and the row of the file it came from (the header is row 1)."""

    number: int
    speaker: Speaker


def read_speakers(path: str | os.PathLike[str]) -> SpeakerList:
    """Read and check a speakers list.

    Args:
        path: a CSV file with the columns ``speaker,participant_id,role``,
            optionally ``group`` and attribute columns.

    Raises:
        SpeakersError: naming the file, and the rows where there are any, when
            the file is not a CSV, a column is missing, a role is unknown, a
            participant has no ID, a label has two IDs or roles, or an ID two
            roles or two people.
    """
    path = Path(path)
    name = path.name
    records = [(n, cells) for n, cells in _records(name, _decode(path)) if any(c.strip() for c in cells)]
    if not records:
        raise SpeakersError(f"{name}: the file is empty; give a header row speaker,participant_id,role")
    header = _header(name, records[0][1])
    extra = tuple(h for h in header if h and h not in _COLUMN_NAMES.values())
    rows = [
        _Row(number, _speaker_from_row(f"{name}, row {number}", dict(zip(header, cells)), extra))
        for number, cells in records[1:]
    ]
    rows = _merge_duplicates(name, _give_ids(name, rows), has_group="group" in header)
    _refuse_shared_ids(name, rows)
    return SpeakerList(tuple(row.speaker for row in rows), path, extra)


def _decode(path: Path) -> str:
    """The file's text, in whichever of Excel's encodings it was saved."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SpeakersError(f"{path.name}: cannot be read ({err.strerror}); check the file") from err
    if raw.startswith(_WORKBOOK_SIGNATURES):
        raise SpeakersError(
            f"{path.name}: is an Excel workbook, not a CSV file; in Excel choose File > Save As > {_SAVE_AS_CSV}"
        )
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
        break
    raise SpeakersError(
        f"{path.name}: is not a text file; save the speakers list from Excel as {_SAVE_AS_CSV}"
    )


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r")
    return "\x00" in text or controls > len(text) // 100


def _records(name: str, text: str) -> list[tuple[int, list[str]]]:
    """The file's rows, numbered as Excel shows them, split at the file's delimiter."""
    first, _, rest = text.partition("\n")
    sep = re.fullmatch(r'\s*"?sep=(.)"?\s*', first)
    try:
        if sep:
            delimiter, text = sep[1], rest
        else:
            delimiter = _delimiter(next((line for line in text.splitlines() if line.strip()), ""), text)
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))
    except csv.Error as err:
        raise SpeakersError(
            f"{name}: is not a readable CSV file ({err}); save it from Excel as {_SAVE_AS_CSV}"
        ) from err


def _delimiter(header_line: str, text: str) -> str:
    """The delimiter that splits the header into the most column names radar knows."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(_column_name(cell) in _COLUMN_NAMES.values() for cell in cells)

    best = max(_DELIMITERS, key=known)
    if known(best):
        return best
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _column_name(cell: str) -> str:
    """A header cell as radar names the column: ``Participant ID`` is ``participant_id``."""
    plain = cell.strip().lower()
    return _COLUMN_NAMES.get(re.sub(r"[\s_.-]+", "_", plain).strip("_"), plain)


def _header(name: str, cells: Sequence[str]) -> list[str]:
    header = [_column_name(cell) for cell in cells]
    for column in (*REQUIRED_COLUMNS, "group"):
        if header.count(column) > 1:
            raise SpeakersError(f"{name}: the header holds {column} twice; keep one {column} column")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SpeakersError(
            f"{name}: missing column {', '.join(missing)}; "
            f"the header must hold {','.join(REQUIRED_COLUMNS)} (more columns are attributes)"
        )
    return header


def _speaker_from_row(where: str, row: Mapping[str, str], extra: Iterable[str]) -> Speaker:
    label = " ".join((row.get("speaker") or "").split())
    pid = (row.get("participant_id") or "").strip()
    written = " ".join((row.get("role") or "").split())
    role = _ROLE_NAMES.get(written.casefold())
    if not label:
        raise SpeakersError(
            f"{where}: the speaker cell is empty; write the label as it appears in the transcript"
        )
    if role is None:
        raise SpeakersError(
            f"{where}: role {written!r} of {label!r} is not one of {', '.join(ROLES)}; write one of them "
            "(moderator and interviewer count as facilitator, note-taker as observer)"
        )
    if not pid and role == PARTICIPANT_ROLE:
        raise SpeakersError(
            f"{where}: participant {label!r} has no participant_id; give one such as P07 "
            "(only facilitators and observers may leave it empty)"
        )
    attributes = tuple((column, (row.get(column) or "").strip()) for column in extra)
    return Speaker(label, pid, role, (row.get("group") or "").strip(), attributes)


def _give_ids(name: str, rows: Sequence[_Row]) -> list[_Row]:
    """Facilitators and observers without an ID get their label's other ID, or the next free one."""
    given: dict[tuple[str, str], dict[str, None]] = {}  # ordered sets of IDs
    for row in rows:
        if row.speaker.participant_id:
            given.setdefault(_person(row.speaker), {})[row.speaker.participant_id] = None
    used = {match_key(row.speaker.participant_id) for row in rows if row.speaker.participant_id}
    out = []
    for row in rows:
        speaker = row.speaker
        if not speaker.participant_id:
            ids = given.setdefault(_person(speaker), {})
            if len(ids) > 1:
                raise SpeakersError(
                    f"{name}, row {row.number}: {speaker.role} {speaker.label!r} has no participant_id and "
                    f"other rows give it {' and '.join(ids)}; write the ID of this row's {speaker.role}"
                )
            if not ids:
                ids[_free_id(_PREFIX[speaker.role], used)] = None
            row = _Row(row.number, replace(speaker, participant_id=next(iter(ids))))
        out.append(row)
    return out


def _person(speaker: Speaker) -> tuple[str, str]:
    return normalise_label(speaker.label), speaker.role


def _free_id(prefix: str, used: set[str]) -> str:
    """The first of prefix 01, 02... not in ``used`` (match keys of IDs), which it joins."""
    number = 1
    while match_key(_pseudonym(prefix, number)) in used:
        number += 1
    used.add(match_key(_pseudonym(prefix, number)))
    return _pseudonym(prefix, number)


def _pseudonym(prefix: str, number: int) -> str:
    return f"{prefix}{number:02d}"


def _merge_duplicates(name: str, rows: Sequence[_Row], has_group: bool) -> list[_Row]:
    """One row per label and group: repeats of the same speaker merged, conflicting ones refused."""
    merged: dict[tuple[str, str], _Row] = {}
    for row in rows:
        key = (row.speaker.group.casefold(), normalise_label(row.speaker.label))
        first = merged.get(key)
        merged[key] = row if first is None else _merged(name, first, row, has_group)
    return list(merged.values())


def _merged(name: str, first: _Row, again: _Row, has_group: bool) -> _Row:
    a, b = first.speaker, again.speaker
    where = f"{name}, rows {first.number} and {again.number}"
    hint = _IN_GROUP_HINT if has_group else _GROUP_HINT
    who = f"{a.label!r} in group {a.group}" if a.group else repr(a.label)
    if a.role != b.role:
        raise SpeakersError(f"{where}: speaker {who} is listed as {a.role} and as {b.role}; {hint}")
    if a.participant_id != b.participant_id:
        raise SpeakersError(
            f"{where}: {a.role} {who} has the IDs {a.participant_id} and {b.participant_id}; {hint}"
        )
    values = dict(a.attributes)
    for column, value in b.attributes:
        if value and values.get(column) and values[column] != value:
            raise SpeakersError(
                f"{where}: speaker {who} has {column} {values[column]!r} and {value!r}; keep one value, or {hint}"
            )
        values[column] = values.get(column) or value
    return _Row(first.number, replace(a, attributes=tuple(values.items())))


def _refuse_shared_ids(name: str, rows: Sequence[_Row]) -> None:
    """One ID is one person: it may carry several labels, never several roles or two people.

    Two participants' rows with one ID are two people when they give one
    attribute two values (state ``VT`` and ``NH``), or when both labels are
    names and neither is a short form of the other (``Sam Ortiz`` and
    ``Maria Lopez``; ``Dana`` and ``Dana Whitfield``, or ``P1`` and ``P3`` in two
    groups, are one person).
    """
    owners: dict[str, list[_Row]] = {}
    for row in rows:
        earlier = owners.setdefault(row.speaker.participant_id, [])
        for first in earlier:
            a, b = first.speaker, row.speaker
            where = f"{name}, rows {first.number} and {row.number}: participant_id {b.participant_id!r}"
            if a.role != b.role:
                raise SpeakersError(
                    f"{where} is given to {a.label!r} as {a.role} and to {b.label!r} as {b.role}; "
                    "give each person their own ID"
                )
            if a.role != PARTICIPANT_ROLE:
                continue
            clash = _attribute_clash(a, b)
            if clash is not None:
                column, first_value, value = clash
                raise SpeakersError(
                    f"{where} is given to {a.label!r} with {column} {first_value!r} and to {b.label!r} with "
                    f"{column} {value!r}; give each person their own ID, or, if they are one person, "
                    f"write one {column} in both rows"
                )
            if _two_names(a.label, b.label):
                raise SpeakersError(
                    f"{where} is given to {a.label!r} and to {b.label!r}, two different names; give each "
                    "person their own ID (one person's rows may differ only by a short form, such as "
                    "Dana and Dana Whitfield)"
                )
        earlier.append(row)


def _attribute_clash(a: Speaker, b: Speaker) -> tuple[str, str, str] | None:
    """The first attribute two rows give different values, with both values, or None."""
    values = dict(a.attributes)
    for column, value in b.attributes:
        if value and values.get(column) and values[column].casefold() != value.casefold():
            return column, values[column], value
    return None


_NOT_NAMES = frozenset({"speaker", "participant", "guest", "unknown", "respondent", "interviewee", "user"})


def _two_names(a: str, b: str) -> bool:
    """Whether two labels are names of two people: both names, neither a short form of the other."""
    words = [[w.strip(".,'-") for w in match_key(label).split()] for label in (a, b)]
    if not all(words):
        return False
    for label, ws in zip((a, b), words):
        if staff_word(label) or any(w in _NOT_NAMES or any(c.isdigit() for c in w) for w in ws):
            return False
    first, second = (" ".join(ws) for ws in words)
    return not (_abbreviates(first, second) or _abbreviates(second, first))


class SpeakerKey:
    """Pseudonyms radar assigned to labels, kept so they never change.

    The key maps (group, label) to an ID and lives in the study folder
    (``.radar/speaker-key.csv``); it is never exported.
    """

    def __init__(self, entries: Iterable[Speaker] = ()) -> None:
        self._entries: dict[tuple[str, str], Speaker] = {}
        self._used: set[str] | None = None
        self._counters: dict[str, int] = {}
        for entry in entries:
            self._entries[(entry.group, normalise_label(entry.label))] = entry
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> SpeakerKey:
        """Read a key written by :meth:`dump`; an absent file is an empty key."""
        if not path.exists():
            return cls()
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        return cls(Speaker(r["speaker"], r["participant_id"], r["role"], r["group"]) for r in rows)

    def dumps(self) -> str:
        """The key as CSV text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(KEY_COLUMNS)
        for entry in self._entries.values():
            writer.writerow((entry.group, entry.label, entry.participant_id, entry.role))
        return out.getvalue()

    def assign(self, group: str, label: str, role: str) -> Speaker:
        """The entry for a label in a group, creating the next pseudonym if new."""
        key = (group, normalise_label(label))
        if key not in self._entries:
            self._entries[key] = Speaker(label, self._next_id(role), role, group)
            self.changed = True
        return self._entries[key]

    def _next_id(self, role: str) -> str:
        if self._used is None:
            self._used = {e.participant_id for e in self._entries.values()}
        prefix = _PREFIX[role]
        number = self._counters.get(prefix, 0) + 1
        while _pseudonym(prefix, number) in self._used:
            number += 1
        self._counters[prefix] = number
        self._used.add(_pseudonym(prefix, number))
        return _pseudonym(prefix, number)


@dataclass(frozen=True)
class Resolved:
    """What radar decided about one label in one group."""

    participant_id: str
    role: str
    listed: bool


def resolve_speaker(
    group: str, label: str, speakers: SpeakerList | None, key: SpeakerKey, inferred: str | None = None
) -> Resolved:
    """The participant ID and role of a label, from speakers.csv or the key.

    Args:
        group: the transcript's Group ID.
        label: the label as the transcript writes it.
        speakers: the speakers list; a label it does not hold is unlisted.
        key: the pseudonyms radar gave; a new label gets the next one.
        inferred: without a speakers list, the role inferred from the
            transcript (:mod:`radar.roles`); it decides the role, while a
            label the key already holds keeps its pseudonym.
    """
    if speakers is not None:
        listed = speakers.lookup(group, label)
        if listed is not None:
            return Resolved(listed.participant_id, listed.role, True)
        entry = key.assign(group, label, UNLISTED_ROLE)
        return Resolved(entry.participant_id, UNLISTED_ROLE, False)
    entry = key.assign(group, label, inferred or default_role(label))
    return Resolved(entry.participant_id, inferred or entry.role, True)
