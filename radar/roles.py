"""Who is who without speakers.csv: each label's role, inferred from the transcript.

Without a speakers list, radar reads each transcript for what it says about
who runs the session, so that a facilitator shown by name (as Zoom shows
everyone) is never coded as a participant. A speaker is, in this order:

1. a facilitator when a label carries a meeting host marker: ``(Host)``,
   ``(Co-host)`` (Zoom writes them) or ``(Moderator)``;
2. a facilitator or an observer when a label's words name a staff role
   (Facilitator, Moderator, Interviewer, Host, Researcher, Chair; Observer,
   Note-taker, Scribe, Assistant), as :func:`radar.speakers.default_role`;
3. what a front-matter line before the first turn names them
   (``Interviewer: SK``, ``Facilitator: Dana``, ``Moderator - Dana``,
   ``Note-taker: Sam``, ``Participant: JT``; see
   :func:`radar.transcripts.labels.names_label` for how a name finds its label);
4. only when none of these finds a facilitator in the transcript and three or
   more people speak in it: the facilitator is the speaker whose turns most
   often end in a question mark, by a clear margin: at least
   :data:`MIN_QUESTIONS` of their turns and at least :data:`QUESTION_SHARE`
   of them are questions, and their share is at least :data:`MARGIN` times
   that of every other speaker not placed by 1-3.

Everyone else is a participant. Labels of one person (``Dana Whitfield
(Host)`` and ``Dana Whitfield``: one :func:`~radar.speakers.match_key`) share
a role. The same transcript always gives the same roles.

With a speakers list nothing is inferred: the list decides, and a label it
does not hold is unlisted (Keep = no), as before. ``radar speakers STUDY
--write`` writes the inferred roles as a speakers.csv for the analyst to
correct (:func:`write_speakers_template`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from radar.columns import FACILITATOR_ROLE, PARTICIPANT_ROLE, UNLISTED_ROLE
from radar.errors import OutputExistsError
from radar.files import check_overwrite, now_utc, write_bytes_atomic
from radar.folder import SPEAKERS_NAME, Folder, read_transcripts, transcript_files
from radar.speakers import (
    KEY_COLUMNS,
    SpeakerKey,
    SpeakerList,
    match_key,
    normalise_label,
    resolve_speaker,
    staff_word,
)
from radar.transcripts import Transcript
from radar.transcripts.labels import header_names, names_label

MIN_QUESTIONS = 3  # turns ending in "?" the most questioning speaker needs
QUESTION_SHARE = 0.3  # of their turns
MARGIN = 2.0  # times the next speaker's share
MIN_SPEAKERS = 3  # people speaking in a transcript before questions count

HOST_MARKER = "Zoom host marker"
STAFF_LABEL = "label"
HEADER_LINE = "header line"
QUESTIONS = "questions"
LISTED = "speakers.csv"
NOT_LISTED = "not in speakers.csv"

_HOST = re.compile(r"\((?:co-?\s*host|host|moderator)\)", re.IGNORECASE)
_QUESTION = re.compile(r"\?[\s\"'\u201d\u2019)\]]*$")


@dataclass(frozen=True)
class SpeakerRole:
    """A label's role in one transcript, and why radar gave it.

    Attributes:
        label: The label as the transcript writes it.
        role: facilitator, observer, participant (or unlisted, with a list).
        basis: What decided it: :data:`HOST_MARKER`, :data:`STAFF_LABEL`,
            :data:`HEADER_LINE`, :data:`QUESTIONS`, :data:`LISTED`,
            :data:`NOT_LISTED`, or "" for a participant by default.
        evidence: What was found: the marker, the staff word, the header
            line, or "12 of 14" (questions asked of the transcript's).
        participant_id: The pseudonym, once one is given.
    """

    label: str
    role: str
    basis: str = ""
    evidence: str = ""
    participant_id: str = ""

    @property
    def reason(self) -> str:
        """Why, in words: ``Zoom host marker '(Host)'``, ``header line 'Interviewer: SK'``."""
        if self.basis == QUESTIONS:
            return f"asks {self.evidence} questions"
        if self.basis == NOT_LISTED:
            return "not in speakers.csv: Keep = no"
        if self.basis in (LISTED, ""):
            return self.basis
        return f"{self.basis} {self.evidence!r}"

    @property
    def reason_without_names(self) -> str:
        """:attr:`reason` without what a header line says (it may name people): for the workbook's Log."""
        return "named in a header line" if self.basis == HEADER_LINE else self.reason


@dataclass(frozen=True)
class TranscriptRoles:
    """The roles of one transcript's labels, in order of first turn."""

    group: str
    file: str
    speakers: tuple[SpeakerRole, ...]
    _index: dict[str, SpeakerRole] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for speaker in self.speakers:
            self._index.setdefault(normalise_label(speaker.label), speaker)

    def role_of(self, label: str) -> str | None:
        """The role of a label, or None when the transcript has no such label."""
        found = self._index.get(normalise_label(label))
        return found.role if found else None

    def summary(self, *, pseudonyms: bool = False) -> str:
        """One line: who is not a participant, and why, then how many participants.

        Example:
            >>> TranscriptRoles("fg1", "fg1.vtt", (SpeakerRole("Dana (Host)", "facilitator", HOST_MARKER, "(Host)"),
            ...                 SpeakerRole("Marcus", "participant"))).summary()
            "fg1: Dana (Host) = facilitator (Zoom host marker '(Host)'); 1 participant"
        """
        parts = []
        for s in self.speakers:
            if s.role != PARTICIPANT_ROLE:
                who = s.participant_id if pseudonyms else s.label
                parts.append(f"{who} = {s.role} ({s.reason_without_names if pseudonyms else s.reason})")
        if not any(s.role == FACILITATOR_ROLE for s in self.speakers):
            parts.append("no facilitator found")
        n = sum(s.role == PARTICIPANT_ROLE for s in self.speakers)
        parts.append(f"{n} participant{'' if n == 1 else 's'}")
        return f"{self.group}: {'; '.join(parts)}"


@dataclass(frozen=True)
class StudyRoles:
    """Every transcript's roles; ``inferred`` is False when speakers.csv decided them."""

    transcripts: tuple[TranscriptRoles, ...]
    inferred: bool = True
    _index: dict[str, TranscriptRoles] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for transcript in self.transcripts:
            self._index[transcript.group] = transcript

    def role_of(self, group: str, label: str) -> str | None:
        """The role of a label in a group, or None when it is not known."""
        found = self._index.get(group)
        return found.role_of(label) if found else None

    def note(self, study: str | Path) -> str:
        """The note ``radar reduce`` gives without speakers.csv: a line, then one per transcript.

        Args:
            study: the study folder, for the command it suggests.
        """
        head, *rest = self.note_lines(study)
        return "\n".join([head, *(f"  {line}" for line in rest)])

    def note_lines(self, study: str | Path, *, pseudonyms: bool = False) -> list[str]:
        """:meth:`note` as separate lines; with ``pseudonyms``, speakers named by their IDs (for the Log)."""
        head = (
            f"No {SPEAKERS_NAME}: roles inferred from the transcripts; write them to {SPEAKERS_NAME} "
            f"with `radar speakers {study} --write` and correct it:"
        )
        return [head, *(t.summary(pseudonyms=pseudonyms) for t in self.transcripts)]

    def lines(self) -> list[str]:
        """What ``radar speakers STUDY`` prints: each transcript's labels with ID, role and why."""
        out: list[str] = []
        for transcript in self.transcripts:
            if out:
                out.append("")
            out.append(f"{transcript.file} (group {transcript.group})")
            width = max(len(s.label) for s in transcript.speakers)
            id_width = max(len(s.participant_id) for s in transcript.speakers)
            for s in transcript.speakers:
                row = f"  {s.label.ljust(width)}  {s.participant_id.ljust(id_width)}  {s.role.ljust(11)}  {s.reason}"
                out.append(row.rstrip())
        return out

    def template(self) -> str:
        """The roles as a speakers.csv (``group,speaker,participant_id,role``), one row per person per group.

        Labels of one person in a group (one :func:`~radar.speakers.match_key`)
        are one row, under the first label.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(KEY_COLUMNS)
        for transcript in self.transcripts:
            seen: set[str] = set()
            for s in transcript.speakers:
                if _person(s.label) not in seen:
                    seen.add(_person(s.label))
                    writer.writerow((transcript.group, s.label, s.participant_id, s.role))
        return out.getvalue()


def _person(label: str) -> str:
    """Who a label stands for within a transcript: its match key, host markers dropped."""
    return match_key(_HOST.sub(" ", label))


def infer_roles(transcript: Transcript) -> TranscriptRoles:
    """Each label's role in a transcript, inferred as the module docstring says.

    Example:
        >>> from radar.transcripts import Turn
        >>> turns = (Turn("Dana Whitfield (Host)", "Welcome. How did you hear of it?", "", 1),
        ...          Turn("Marcus", "From a friend.", "", 2))
        >>> t = Transcript(Path("fg1.vtt"), "fg1", "zoom-vtt", "utf-8", turns, ())
        >>> [(s.label, s.role, s.reason) for s in infer_roles(t).speakers]
        [('Dana Whitfield (Host)', 'facilitator', "Zoom host marker '(Host)'"), ('Marcus', 'participant', '')]
    """
    labels = list(dict.fromkeys(turn.speaker for turn in transcript.turns))
    person = {label: _person(label) for label in labels}
    found: dict[str, tuple[str, str, str]] = {}  # person -> (role, basis, evidence)
    for label in labels:
        marker = _HOST.search(label)
        if marker is not None:
            found.setdefault(person[label], (FACILITATOR_ROLE, HOST_MARKER, marker.group()))
    for label in labels:
        word = staff_word(label)
        if word is not None:
            found.setdefault(person[label], (word[0], STAFF_LABEL, word[1]))
    for line in transcript.front_matter:
        header = header_names(line)
        for name in header.names if header else ():
            named = _named(name, person)
            if header is not None and named is not None:
                found.setdefault(named, (header.role, HEADER_LINE, header.line))
    people = list(dict.fromkeys(person.values()))
    if len(people) >= MIN_SPEAKERS and all(role != FACILITATOR_ROLE for role, _, _ in found.values()):
        asker = _asker(transcript, person, [p for p in people if p not in found])
        if asker is not None:
            found[asker[0]] = (FACILITATOR_ROLE, QUESTIONS, asker[1])
    return TranscriptRoles(
        transcript.group,
        transcript.path.name,
        tuple(SpeakerRole(label, *found.get(person[label], (PARTICIPANT_ROLE, "", ""))) for label in labels),
    )


def _named(name: str, person: Mapping[str, str]) -> str | None:
    """The one person a header's name stands for, or None (nobody, or more than one)."""
    matched = {who for label, who in person.items() if names_label(name, label)}
    if len(matched) > 1:
        matched = {who for label, who in person.items() if match_key(label) == match_key(name)}
    return next(iter(matched)) if len(matched) == 1 else None


def _asker(
    transcript: Transcript, person: Mapping[str, str], candidates: Sequence[str]
) -> tuple[str, str] | None:
    """The candidate who asks the questions by a clear margin, with "q of total", or None."""
    if len(candidates) < 2:
        return None
    turns: Counter[str] = Counter()
    questions: Counter[str] = Counter()
    for turn in transcript.turns:
        turns[person[turn.speaker]] += 1
        questions[person[turn.speaker]] += bool(_QUESTION.search(turn.text))
    # sorted() is stable: of speakers with the same share, the first to speak comes first.
    ranked = sorted(candidates, key=lambda p: questions[p] / turns[p], reverse=True)
    top, runner_up = ranked[0], ranked[1]
    share, next_share = questions[top] / turns[top], questions[runner_up] / turns[runner_up]
    if questions[top] >= MIN_QUESTIONS and share >= QUESTION_SHARE and share >= MARGIN * next_share:
        return top, f"{questions[top]} of {sum(questions.values())}"
    return None


def infer_study_roles(transcripts: Iterable[Transcript]) -> StudyRoles:
    """:func:`infer_roles` for each transcript of a study."""
    return StudyRoles(tuple(infer_roles(t) for t in transcripts))


def listed_roles(transcripts: Iterable[Transcript], speakers: SpeakerList) -> StudyRoles:
    """Each transcript's labels with the role speakers.csv gives them (unlisted when it does not)."""
    rows = []
    for t in transcripts:
        labels = dict.fromkeys(turn.speaker for turn in t.turns)
        found = [(label, speakers.lookup(t.group, label)) for label in labels]
        listed = tuple(
            SpeakerRole(label, s.role, LISTED) if s else SpeakerRole(label, UNLISTED_ROLE, NOT_LISTED)
            for label, s in found
        )
        rows.append(TranscriptRoles(t.group, t.path.name, listed))
    return StudyRoles(tuple(rows), inferred=False)


def with_ids(roles: StudyRoles, speakers: SpeakerList | None, key: SpeakerKey) -> StudyRoles:
    """The roles with each label's pseudonym, as ``reduce`` gives it (new labels get the key's next IDs).

    Labels are taken in the order ``reduce`` resolves them, so that IDs new to
    the key are the ones a run would give.
    """

    def resolve(group: str, s: SpeakerRole) -> str:
        return resolve_speaker(group, s.label, speakers, key, None if speakers else s.role).participant_id

    return StudyRoles(
        tuple(
            replace(t, speakers=tuple(replace(s, participant_id=resolve(t.group, s)) for s in t.speakers))
            for t in roles.transcripts
        ),
        roles.inferred,
    )


def study_roles(folder: Folder, *, infer: bool = False) -> StudyRoles:
    """Who is who in a study: speakers.csv's roles, or without it the inferred ones, with pseudonyms.

    Nothing is written: the speaker key is read, and IDs new to it are those
    the next ``reduce`` would give.

    Args:
        folder: the study folder.
        infer: infer roles from the transcripts, reading them as if there
            were no speakers.csv (by default only when there is none).
    """
    speakers = None if infer else folder.speakers()
    documents = folder.config().transcripts
    transcripts = read_transcripts(transcript_files(folder.paths), speakers, documents=documents)
    key = SpeakerKey.load(folder.paths.key)
    if speakers is not None:
        return with_ids(listed_roles(transcripts, speakers), speakers, key)
    return with_ids(infer_study_roles(transcripts), None, key)


def write_speakers_template(folder: Folder, *, force: bool = False) -> tuple[Path, StudyRoles]:
    """Write the inferred roles as the study's speakers.csv, for the analyst to correct.

    The file is what :func:`radar.speakers.read_speakers` reads: columns
    ``group,speaker,participant_id,role``, UTF-8 with a BOM (so Excel shows
    accents), one row per person per transcript, IDs as the speaker key has
    them so that the tables' Participant column does not change. A list
    replaced with ``force`` is kept as ``.radar/speakers.replaced-<time>.csv``.

    Returns:
        The path written and the roles it holds.

    Raises:
        OutputExistsError: speakers.csv exists and ``force`` is false.
    """
    target = folder.paths.speakers
    try:
        check_overwrite(target, force, replaces_input=True)
    except OutputExistsError as err:
        raise OutputExistsError(
            f"{target}: the study has a speakers list already; correct it there, "
            "or use --force to replace it with the inferred roles",
            path=err.path,
        ) from None
    roles = study_roles(folder, infer=True)
    if target.exists():
        stamp = now_utc().replace(":", "").replace("-", "").removesuffix("+0000")
        write_bytes_atomic(folder.paths.records / f"speakers.replaced-{stamp}.csv", target.read_bytes())
    write_bytes_atomic(target, codecs.BOM_UTF8 + roles.template().encode("utf-8"))
    return target, roles


__all__ = [
    "SpeakerRole",
    "StudyRoles",
    "TranscriptRoles",
    "infer_roles",
    "infer_study_roles",
    "listed_roles",
    "study_roles",
    "with_ids",
    "write_speakers_template",
]
