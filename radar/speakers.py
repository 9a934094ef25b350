"""Who speaks: the optional speakers list, roles and stable pseudonyms.

``speakers.csv`` (columns ``speaker,participant_id,role``; an optional
``group`` column scopes a label to one transcript; any further columns are
participant attributes such as state or country) decides every speaker's role
and ID. Without it, labels such as Facilitator or Moderator are facilitators,
Observer or Note-taker observers, and everyone else a participant; each label
gets a pseudonym that is recorded in the study's speaker key so that it never
changes between runs. A real name never reaches a table.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def normalise_label(label: str) -> str:
    """A label as compared: whitespace folded, case ignored."""
    return " ".join(label.split()).casefold()


def default_role(label: str) -> str:
    """The role a label implies when no speakers list says otherwise.

    Example:
        >>> default_role("Moderator"), default_role("Note-taker"), default_role("P3")
        ('facilitator', 'observer', 'participant')
    """
    if _FACILITATOR_WORDS.search(label):
        return FACILITATOR_ROLE
    if _OBSERVER_WORDS.search(label):
        return OBSERVER_ROLE
    return PARTICIPANT_ROLE


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

    def __post_init__(self) -> None:
        for speaker in self.speakers:
            self._index[(speaker.group.casefold(), normalise_label(speaker.label))] = speaker

    def lookup(self, group: str, label: str) -> Speaker | None:
        """The speaker a label stands for in a group, or None when it is not listed."""
        key = normalise_label(label)
        return self._index.get((group.casefold(), key)) or self._index.get(("", key))

    def labels_for(self, group: str) -> tuple[str, ...]:
        """The labels that may speak in a group (its own and the study-wide ones)."""
        wanted = {"", group.casefold()}
        return tuple(s.label for s in self.speakers if s.group.casefold() in wanted)

    def participants(self) -> tuple[Speaker, ...]:
        """Listed speakers whose role is participant, each ID once."""
        seen: dict[str, Speaker] = {}
        for speaker in self.speakers:
            if speaker.role == PARTICIPANT_ROLE:
                seen.setdefault(speaker.participant_id, speaker)
        return tuple(seen.values())


def read_speakers(path: str | os.PathLike[str]) -> SpeakerList:
    """Read and check a speakers list.

    Args:
        path: a CSV file with the columns ``speaker,participant_id,role``,
            optionally ``group`` and attribute columns.

    Raises:
        SpeakersError: naming the file and row when a column is missing, a role
            is unknown, an ID is empty, or a label is listed twice.
    """
    path = Path(path)
    rows = _read_csv_rows(path)
    if not rows:
        raise SpeakersError(f"{path.name}: the file is empty; give a header row speaker,participant_id,role")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SpeakersError(
            f"{path.name}: missing column {', '.join(missing)}; "
            f"the header must hold {','.join(REQUIRED_COLUMNS)} (more columns are attributes)"
        )
    extra = [h for h in header if h not in REQUIRED_COLUMNS and h != "group" and h]
    speakers = [
        _speaker_from_row(path, number, dict(zip(header, row)), extra)
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    _refuse_duplicates(path, speakers)
    return SpeakerList(tuple(speakers), path, tuple(extra))


def _read_csv_rows(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SpeakersError(f"{path.name}: cannot be read ({err.strerror}); check the file") from err
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return [row for row in csv.reader(io.StringIO(text))]


def _speaker_from_row(path: Path, number: int, row: Mapping[str, str], extra: Iterable[str]) -> Speaker:
    label = " ".join((row.get("speaker") or "").split())
    pid = (row.get("participant_id") or "").strip()
    role = (row.get("role") or "").strip().lower()
    where = f"{path.name}, row {number}"
    if not label:
        raise SpeakersError(
            f"{where}: the speaker cell is empty; write the label as it appears in the transcript"
        )
    if not pid:
        raise SpeakersError(f"{where}: speaker {label!r} has no participant_id; give one such as P07")
    if role not in ROLES:
        raise SpeakersError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    attributes = tuple((name, (row.get(name) or "").strip()) for name in extra)
    return Speaker(label, pid, role, (row.get("group") or "").strip(), attributes)


def _refuse_duplicates(path: Path, speakers: list[Speaker]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for position, speaker in enumerate(speakers):
        key = (speaker.group.casefold(), normalise_label(speaker.label))
        if key in seen:
            where = f" in group {speaker.group}" if speaker.group else ""
            raise SpeakersError(
                f"{path.name}: speaker {speaker.label!r}{where} is listed twice; "
                "keep one row per speaker (add a group column if labels repeat across transcripts)"
            )
        seen[key] = position


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
        while f"{prefix}{number:02d}" in self._used:
            number += 1
        self._counters[prefix] = number
        self._used.add(f"{prefix}{number:02d}")
        return f"{prefix}{number:02d}"


@dataclass(frozen=True)
class Resolved:
    """What radar decided about one label in one group."""

    participant_id: str
    role: str
    listed: bool


def resolve_speaker(group: str, label: str, speakers: SpeakerList | None, key: SpeakerKey) -> Resolved:
    """The participant ID and role of a label, from speakers.csv or the key."""
    if speakers is not None:
        listed = speakers.lookup(group, label)
        if listed is not None:
            return Resolved(listed.participant_id, listed.role, True)
        entry = key.assign(group, label, UNLISTED_ROLE)
        return Resolved(entry.participant_id, UNLISTED_ROLE, False)
    entry = key.assign(group, label, default_role(label))
    return Resolved(entry.participant_id, entry.role, True)
