"""Phase 1 before the analyst's say: every turn numbered, its speaker resolved, its default set.

Segment IDs are ``<group>-<nnn>`` and stable: the same inputs give the same
IDs, editing one transcript never renumbers another's, and within an edited
transcript unchanged turns keep their IDs (:func:`align_ids`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from radar import columns as C
from radar.codebook import Codebook
from radar.folder import SPEAKERS_NAME
from radar.reduction.provenance import suggest_explained
from radar.reduction.records import Decision, segment_number
from radar.roles import StudyRoles
from radar.semantic import SemanticMatch, semantic_suggestions
from radar.speakers import SpeakerKey, SpeakerList, resolve_speaker
from radar.transcripts import Transcript, is_non_speech
from radar.transcripts.survey import SURVEY_FORMAT

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Segments:
    """Phase 1 before the analyst's say: turns with IDs, roles and defaults.

    ``changed`` holds the segments whose text changed since the last run
    (matched to their old selves, so they keep their IDs and the analyst's
    work); ``removed`` the IDs of the last run that no turn matches any more.
    """

    frame: pd.DataFrame
    defaults: dict[str, Decision]
    notes: tuple[str, ...]
    changed: frozenset[str] = frozenset()
    removed: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()


SIMILAR = 0.6  # a changed turn is its old self when this similar (difflib ratio)


EXCEL_CELL_LIMIT = 32_767  # characters an Excel cell can hold


def align_ids(
    group: str, texts: Sequence[str], previous: Sequence[tuple[str, str]]
) -> tuple[list[str], set[str], list[str]]:
    """Segment IDs for a transcript's turns, reusing the last run's where they match.

    Unchanged turns keep their IDs; a changed turn (a typo fixed) keeps its old
    ID and is reported as changed; a new turn gets the next unused number, so
    no other turn is renumbered.

    Args:
        group: the transcript's Group ID.
        texts: the turns' texts, in order.
        previous: the last run's (Segment ID, Text) pairs of this group, in order.

    Returns:
        The IDs, the IDs whose text changed, and the old IDs no turn matches.

    Example:
        >>> align_ids("fg1", ["a", "new", "b"], [("fg1-001", "a"), ("fg1-002", "b")])
        (['fg1-001', 'fg1-003', 'fg1-002'], set(), [])
    """
    if not previous:
        return [f"{group}-{n:03d}" for n in range(1, len(texts) + 1)], set(), []
    old_texts = [text for _, text in previous]
    ids: list[str | None] = [None] * len(texts)
    changed: set[str] = set()
    removed: list[str] = []
    matcher = SequenceMatcher(None, old_texts, list(texts), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                ids[j1 + k] = previous[i1 + k][0]
        elif tag == "delete":
            removed += [sid for sid, _ in previous[i1:i2]]
        elif tag == "replace":
            removed += _pair_changed(previous[i1:i2], texts, range(j1, j2), ids, changed)
    following = max(segment_number(sid) for sid, _ in previous) + 1
    for j, sid in enumerate(ids):
        if sid is None:
            ids[j] = f"{group}-{following:03d}"
            following += 1
    return [sid for sid in ids if sid is not None], changed, removed


def _pair_changed(
    olds: Sequence[tuple[str, str]],
    texts: Sequence[str],
    positions: range,
    ids: list[str | None],
    changed: set[str],
) -> list[str]:
    """Match edited turns to their old selves, in order; return the unmatched old IDs."""
    unmatched: list[str] = []
    start = 0
    matcher = SequenceMatcher(None, autojunk=False)
    for j in positions:
        best, best_ratio = None, SIMILAR
        matcher.set_seq2(texts[j])  # the expensive side, analysed once per new turn
        for k in range(start, len(olds)):
            matcher.set_seq1(olds[k][1])
            # Cheap upper bounds first: most candidates are ruled out without ratio().
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = k, ratio
        if best is not None:
            unmatched += [sid for sid, _ in olds[start:best]]
            ids[j] = olds[best][0]
            changed.add(olds[best][0])
            start = best + 1
    return unmatched + [sid for sid, _ in olds[start:]]


def build_segments(
    transcripts: Sequence[Transcript],
    speakers: SpeakerList | None,
    key: SpeakerKey,
    previous: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    aligned: Mapping[str, Sequence[str]] | None = None,
    *,
    roles: StudyRoles | None = None,
) -> Segments:
    """Number every turn, resolve its speaker, and set the default reductions.

    Segment IDs are ``<group>-<nnn>``: the same inputs give the same IDs,
    editing one transcript never renumbers another's, and within an edited
    transcript unchanged turns keep their IDs (see :func:`align_ids`).

    Args:
        transcripts: the (de-identified) transcripts.
        speakers: the speakers list, if the study has one.
        key: the pseudonym key.
        previous: each group's (Segment ID, text) pairs of the last run, in order.
        aligned: each group's turn texts to match against ``previous`` (the
            transcript's own words, before masking); by default the turns' texts.
        roles: without a speakers list, each label's inferred role
            (:func:`radar.roles.infer_study_roles`).
    """
    import pandas as pd

    rows: list[tuple[str, ...]] = []
    defaults: dict[str, Decision] = {}
    notes: list[str] = []
    changed: set[str] = set()
    removed: list[str] = []
    seen_groups = set()
    fronts: list[str] = []
    remarks: list[str] = []
    for transcript in transcripts:
        group = transcript.group
        seen_groups.add(group)
        if aligned is not None and group in aligned:
            texts = list(aligned[group])
        else:
            texts = [turn.text for turn in transcript.turns]
        ids, group_changed, group_removed = align_ids(group, texts, (previous or {}).get(group, ()))
        changed |= group_changed
        removed += group_removed
        question = ""
        unlisted: list[str] = []
        for sid, turn in zip(ids, transcript.turns):
            inferred = roles.role_of(group, turn.speaker) if roles else None
            who = resolve_speaker(group, turn.speaker, speakers, key, inferred)
            if not who.listed and turn.speaker not in unlisted:
                unlisted.append(turn.speaker)
            asked = "" if who.role == C.FACILITATOR_ROLE else question
            rows.append((sid, group, who.participant_id, who.role, asked, turn.start, turn.text))
            if len(turn.text) > EXCEL_CELL_LIMIT:
                notes.append(
                    f"{transcript.path.name}, line {turn.line} ({sid}): the turn has {len(turn.text):,} characters, "
                    f"more than an Excel cell holds ({EXCEL_CELL_LIMIT:,}); Excel would cut it on saving: "
                    "split the turn in the transcript (give each part its speaker label)"
                )
            defaults[sid] = default_decision(who.role, is_non_speech(turn.text))
            if who.role == C.FACILITATOR_ROLE:  # a survey's question is its column's whole header
                question = short_question(turn.text, whole=transcript.format == SURVEY_FORMAT)
        if unlisted and speakers is not None:
            notes.append(_unlisted_note(transcript.path.name, group, unlisted, speakers))
        remarks.extend(transcript.remarks)
        if transcript.front_matter:
            fronts.append(f"{transcript.path.name} ({len(transcript.front_matter)})")
    if fronts:
        remarks.append(front_matter_note(fronts))
    for group, pairs in (previous or {}).items():
        if group not in seen_groups:
            removed += [sid for sid, _ in pairs]
    columns = [C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.ROLE, C.QUESTION, C.START, C.TEXT]
    frame = pd.DataFrame(rows, columns=columns)
    return Segments(frame, defaults, tuple(notes), frozenset(changed), tuple(removed), tuple(remarks))


QUESTION_LIMIT = 150  # characters of the Question column; the facilitator's whole turn is its own row


def short_question(text: str, limit: int = QUESTION_LIMIT, whole: bool = False) -> str:
    """The Question a facilitator's turn asks: its last sentence that is a question, else the turn.

    A six-line welcome ending in the real prompt gives the prompt; anything
    longer than ``limit`` is cut at a word and ends in "…". With ``whole`` (a
    survey's column header, which names one question however it is worded:
    "How did you hear about us? - Other - Text") the whole text is the question.

    Example:
        >>> short_question("How did you hear about us? - Other - Text", whole=True)
        'How did you hear about us? - Other - Text'
        >>> short_question("Welcome, everyone. Thanks for coming tonight. So what gets in the way of joining?")
        'So what gets in the way of joining?'
        >>> short_question("Tell me about your week. Anything goes.")
        'Tell me about your week. Anything goes.'
    """
    sentences = [s for s in re.split(r"(?<=[.?!…])\s+", text.strip()) if s]
    if not sentences:
        return ""
    asked = [s for s in sentences if s.rstrip("\"'”’)").endswith("?")]
    chosen = asked[-1] if asked and not whole else " ".join(sentences)
    if len(chosen) <= limit:
        return chosen
    return chosen[: limit - 1].rsplit(" ", 1)[0].rstrip(",;: ") + "…"


def front_matter_note(fronts: Sequence[str], listed: int = 5) -> str:
    """One note for the transcripts whose first lines came before any speaker (a title, a date...).

    Example:
        >>> front_matter_note(["fg1.txt (2)"])
        'fg1.txt (2): the line(s) before the first speaker were read as front matter, not turns'
    """
    shown = ", ".join(fronts[:listed]) + (f" and {len(fronts) - listed} more" if len(fronts) > listed else "")
    return f"{shown}: the line(s) before the first speaker were read as front matter, not turns" + (
        " (lines per transcript in brackets; `radar read` shows them)" if len(fronts) > 1 else ""
    )


def _unlisted_note(name: str, group: str, unlisted: Sequence[str], speakers: SpeakerList) -> str:
    """The note for labels of a transcript that speakers.csv does not hold, with the nearest it does."""
    nearest = []
    for label in unlisted:
        close = speakers.closest(label=label, group=group, n=1)
        if close:
            nearest.append(f"{label!r} -> {close[0]!r}?")
    hint = f"; nearest listed: {', '.join(nearest)}" if nearest else ""
    return (
        f"{name}: {len(unlisted)} speaker label(s) not in {SPEAKERS_NAME} were set Keep = no "
        f"({'; '.join(unlisted)}){hint}; add them to {SPEAKERS_NAME} or correct their spelling there"
    )


def default_decision(role: str, non_speech: bool) -> Decision:
    """radar's default reduction for a turn of this role."""
    if role == C.FACILITATOR_ROLE:
        return Decision(C.NO, C.REASON_FACILITATOR)
    if role == C.OBSERVER_ROLE:
        return Decision(C.NO, C.REASON_OBSERVER)
    if role == C.UNLISTED_ROLE:
        return Decision(C.NO, C.REASON_UNLISTED)
    if non_speech:
        return Decision(C.NO, C.REASON_NON_SPEECH)
    return Decision(C.YES)


def suggest(
    frame: pd.DataFrame,
    defaults: Mapping[str, Decision],
    codebook: Codebook,
    progress: bool = False,
    *,
    semantic: float | None = None,
    matches: dict[str, tuple[SemanticMatch, ...]] | None = None,
    coded: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Suggested codes for each participant turn that is speech.

    Facilitator, observer and unlisted speakers' turns are never coded. With
    ``semantic`` (a similarity threshold), codes close in meaning follow the
    keywords' own; they are also put in ``matches`` with their scores. ``coded``
    holds the turns the analyst coded, by code ("more like this").
    """
    return suggest_with_evidence(
        frame, defaults, codebook, progress, semantic=semantic, matches=matches, coded=coded
    )[0]  # one matching pass for the run and for this API alike


def suggest_with_evidence(
    frame: pd.DataFrame,
    defaults: Mapping[str, Decision],
    codebook: Codebook,
    progress: bool = False,
    *,
    semantic: float | None = None,
    matches: dict[str, tuple[SemanticMatch, ...]] | None = None,
    coded: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, tuple[tuple[str, tuple[str, ...]], ...]]]]:
    """:func:`suggest`, with what suggested each keyword code (keyword and matched words), in one matching pass.

    Codes close in meaning (``semantic``) follow the keywords' own, as in :func:`suggest`; their
    evidence is their score, in ``matches``.
    """
    batches = _participant_turns(frame, defaults)
    codes: dict[str, tuple[str, ...]] = {}
    evidence = {}
    if batches and any(code.keywords for code in codebook.codes):
        groups = list(batches.values())
        found = suggest_explained([[text for _, text in g] for g in groups], codebook, progress=progress)
        for g, explained in zip(groups, found):
            for (sid, _), (names, why) in zip(g, explained):
                codes[sid] = names
                if names:
                    evidence[sid] = why
    _add_semantic(codes, batches, codebook, semantic, matches, coded)
    return codes, evidence


def _add_semantic(
    found: dict[str, tuple[str, ...]],
    batches: Mapping[str, list[tuple[str, str]]],
    codebook: Codebook,
    semantic: float | None,
    matches: dict[str, tuple[SemanticMatch, ...]] | None,
    coded: Mapping[str, Sequence[str]] | None,
) -> None:
    """Add the codes close in meaning (above the ``semantic`` threshold) after each turn's keyword codes."""
    if semantic is None or not batches:
        return
    turns = [turn for g in batches.values() for turn in g]
    for (sid, _), near in zip(
        turns, semantic_suggestions([t for _, t in turns], codebook, semantic, coded=coded)
    ):
        extra = tuple(m for m in near if m.code not in found.get(sid, ()))
        if extra:
            found[sid] = (*found.get(sid, ()), *(m.code for m in extra))
            if matches is not None:
                matches[sid] = extra


def _participant_turns(
    frame: pd.DataFrame, defaults: Mapping[str, Decision]
) -> dict[str, list[tuple[str, str]]]:
    """The (Segment ID, text) of each participant turn that is speech, by group."""
    batches: dict[str, list[tuple[str, str]]] = {}
    for sid, group, role, text in zip(frame[C.SEGMENT_ID], frame[C.GROUP], frame[C.ROLE], frame[C.TEXT]):
        if role == C.PARTICIPANT_ROLE and defaults[sid].reason != C.REASON_NON_SPEECH:
            batches.setdefault(group, []).append((sid, text))
    return batches
