"""A study's evidence for a methods reviewer: saturation, balance of voices, and what lies behind a theme's n.

Each function reads the study's workbook as it is now (and, for words, its
transcripts) and calls the plain functions of :mod:`radar.saturation` and
:mod:`radar.balance`; :func:`explain` traces a theme's counts back to their
rows, so any number in a paper can be checked in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar import columns as C
from radar.balance import (
    group_balance,
    speaker_balance,
    spoken_words,
    spread_cells,
    theme_dominance,
    theme_spread,
)
from radar.checklists import ChecklistFacts
from radar.codebook import name_key
from radar.errors import RadarError, TranscriptError
from radar.folder import Folder, transcript_files
from radar.matrix import natural_key
from radar.membercheck import coreq_line, member_check_status
from radar.reduction.history import read_audit
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import Tables
from radar.reduction.tables import flow_of
from radar.saturation import SaturationResult, saturation_of

if TYPE_CHECKING:
    import pandas as pd


def study_saturation(
    study: Folder,
    unit: str = "codes",
    *,
    base: int | None = None,
    run: int | None = None,
    threshold: float | None = None,
    tables: Tables | None = None,
) -> SaturationResult:
    """Guest, Namey & Chen's saturation over the study's transcripts (radar.toml's ``[saturation]`` by default)."""
    tables = tables or tables_from_workbook(study)
    groups = [str(group) for group in dict.fromkeys(tables.phase1[C.GROUP])]
    return saturation_of(
        tables.phase3, groups, study.config(), unit=unit, base=base, run=run, threshold=threshold
    )


@dataclass(frozen=True, eq=False)
class Balance:
    """The balance of voices: per speaker, per group, per theme and group, per theme.

    ``words_from`` says where the words were counted: ``transcripts`` (before
    masking, the words as spoken) or ``tables`` (the de-identified text, when
    a transcript no longer matches the workbook).
    """

    speakers: pd.DataFrame
    groups: pd.DataFrame
    spread: pd.DataFrame
    dominance: pd.DataFrame
    dominant_share: float
    words_from: str
    notes: tuple[str, ...] = ()


def turn_words(study: Folder, phase1: pd.DataFrame) -> tuple[list[int] | None, list[str]]:
    """Each phase-1 row's words, counted in the transcripts before masking, or None (with a note) if they differ."""
    try:
        transcripts = {t.group: t for t in study.transcripts()}
    except (TranscriptError, OSError) as error:
        return None, [
            f"words are counted in the de-identified tables: the transcripts cannot be read ({error})"
        ]
    words: list[int] = []
    for group, block in phase1.groupby(C.GROUP, sort=False):
        transcript = transcripts.get(str(group))
        if transcript is None or len(transcript.turns) != len(block):
            return None, [
                f"words are counted in the de-identified tables: transcript {group} no longer matches the "
                "workbook; run `radar reduce` to count the words as spoken"
            ]
        words += [spoken_words(turn.text) for turn in transcript.turns]
    order = list(phase1.groupby(C.GROUP, sort=False).indices.values())
    by_row = [0] * len(phase1)
    flat = [index for indices in order for index in indices]
    for index, n in zip(flat, words):
        by_row[index] = n
    return by_row, []


def study_balance(
    study: Folder, *, tables: Tables | None = None, dominant_share: float | None = None
) -> Balance:
    """Who spoke how much in each group, and whether one participant carries a theme.

    The share above which a participant dominates a theme is radar.toml's
    ``[report] dominant_share`` unless given.
    """
    tables = tables or tables_from_workbook(study)
    share = study.config().report.dominant_share if dominant_share is None else dominant_share
    words, notes = turn_words(study, tables.phase1)
    speakers = speaker_balance(tables.phase1, words)
    themes = [str(theme) for theme in tables.themes[C.TALLY_THEME]]
    return Balance(
        speakers,
        group_balance(speakers),
        theme_spread(tables.phase3, speakers, themes, dominant_share=share),
        theme_dominance(tables.phase3, themes, dominant_share=share),
        share,
        "tables" if words is None else "transcripts",
        tuple(notes),
    )


def spread_text(
    balance: Balance, min_cell: int, group_names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each theme's within-group spread in one cell: ``fg1 3 of 5, fg2 <3 of 6 *`` (:func:`spread_cells`' cells)."""
    table = spread_cells(balance.spread, group_names, min_cell)
    groups = [column for column in table.columns if column != C.TALLY_THEME]
    return {
        str(row[C.TALLY_THEME]): ", ".join(f"{group} {row[group]}" for group in groups if row[group])
        for _, row in table.iterrows()
    }


def with_spread(frame: pd.DataFrame, study: Folder) -> pd.DataFrame:
    """A theme table (the combined table, a breakdown) with a Spread column after its counts.

    Raises:
        RadarError: the table has no Theme column (a tally by code).
    """
    if C.THEME not in frame.columns:
        raise RadarError(
            "--spread shows themes' spread across groups; use it with --combined or --by-attribute"
        )
    config = study.config()
    balance = study_balance(study)
    cells = spread_text(balance, config.deidentify.min_cell, config.group_names())
    shown = frame.copy()
    after_counts = [i for i, column in enumerate(shown.columns) if str(column).startswith("Exemplar")]
    at = after_counts[0] if after_counts else len(shown.columns)  # beside the counts it qualifies
    shown.insert(at, C.SPREAD, [cells.get(str(theme), "") for theme in shown[C.THEME]])
    return shown


def spread_caption(balance_share: float, min_cell: int) -> str:
    """What the Spread column says, for a table's caption."""
    return (
        f"Spread: per group, participants who voiced the theme of those who spoke; * one participant "
        f"supplies over {balance_share:.0%} of the theme's excerpts in that group; counts under {min_cell} "
        f"shown as <{min_cell}."
    )


@dataclass(frozen=True, eq=False)
class Explanation:
    """What lies behind a theme's counts: its excerpts' rows, participants and groups, and what N is made of."""

    theme: str
    rows: pd.DataFrame  # Segment ID, Group, Participant, Code: one row per excerpt (codes joined)
    participants: tuple[str, ...]
    groups: tuple[str, ...]
    excerpts_total: int
    participants_total: int
    groups_total: int

    def lines(self) -> list[str]:
        """The explanation in words, then every Segment ID."""
        n, people, groups = len(self.rows), len(self.participants), len(self.groups)
        return [
            f"{self.theme}: {n} excerpt{'s' if n != 1 else ''} of N = {self.excerpts_total} "
            "(N = every distinct segment-theme pair among kept, coded segments, so the themes add up to N).",
            f"Participants: {people} of N = {self.participants_total} (N = participants who spoke or are listed "
            f"in speakers.csv): {', '.join(self.participants) or 'none'}.",
            f"Groups: {groups} of N = {self.groups_total}: {', '.join(self.groups) or 'none'}.",
            f"Segment IDs: {', '.join(self.rows[C.SEGMENT_ID]) or 'none'}.",
        ]


def explain(study: Folder, theme: str, *, tables: Tables | None = None) -> Explanation:
    """The Segment IDs, participants and groups behind a theme's n, and what makes up each N.

    Raises:
        RadarError: no theme of that name (the message lists the themes).
    """
    import pandas as pd

    tables = tables or tables_from_workbook(study)
    known = [str(t) for t in tables.themes[C.TALLY_THEME]]
    match = next((t for t in known if name_key(t) == name_key(theme)), None)
    if match is None:
        raise RadarError(f"no theme {theme!r} in the codebook; the themes are: {'; '.join(known)}")
    coded = tables.phase3
    block = coded[coded[C.THEME] == match]
    rows = (
        block.groupby([C.SEGMENT_ID, C.GROUP, C.PARTICIPANT], sort=False)[C.CODE]
        .agg(lambda codes: ", ".join(dict.fromkeys(str(c) for c in codes)))
        .reset_index()
    )
    rows = rows if not rows.empty else pd.DataFrame(columns=[C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.CODE])
    total = len(coded[[C.SEGMENT_ID, C.THEME]].drop_duplicates())
    return Explanation(
        match,
        rows,
        tuple(sorted({str(p) for p in rows[C.PARTICIPANT]}, key=natural_key)),
        tuple(dict.fromkeys(str(g) for g in rows[C.GROUP])),
        total,
        tables.participants,
        tables.groups,
    )


def checklist_facts(
    study: Folder,
    tables: Tables,
    *,
    groups: str,
    derivation: str,
    software: str,
    quote_example: str,
) -> ChecklistFacts:
    """What radar's records say for the reporting checklists (:mod:`radar.checklists`).

    ``groups`` (the groups in words), ``derivation`` (COREQ 26), ``software``
    and ``quote_example`` come from the report, which words them.
    """
    from collections import Counter

    config = study.config()
    codebook = study.codebook()
    phase1 = tables.phase1
    flow = flow_of(tables)
    facilitators = tuple(
        dict.fromkeys(
            str(p) for p, r in zip(phase1[C.PARTICIPANT], phase1[C.ROLE]) if r == C.FACILITATOR_ROLE
        )
    )
    prompts = {str(q) for q in phase1[C.QUESTION] if isinstance(q, str) and q.strip()}
    kinds = Counter(path.suffix.lower() or "(no suffix)" for path in transcript_files(study.paths))
    durations = []
    for group, block in phase1.groupby(C.GROUP, sort=False):
        times = sorted(str(t) for t in block[C.START] if isinstance(t, str) and t.strip())
        if times:
            durations.append(f"{group} {times[-1]}")
    speakers = study.speakers()
    attributes = tuple(a for a in (speakers.attribute_names if speakers else ()) if a.lower() != "group")
    status = member_check_status(study)
    saturation = study_saturation(study, tables=tables)
    return ChecklistFacts(
        title=config.display_title(study.root),
        research_questions=config.research_questions,
        coders=config.coders,
        groups=groups,
        participants=tables.participants,
        facilitators=facilitators,
        observers=int((phase1[C.ROLE] == C.OBSERVER_ROLE).sum()),
        turns=flow.turns,
        kept=flow.kept,
        coded=flow.coded,
        excerpts=flow.excerpts,
        themes=len(codebook.themes),
        codes=len(codebook.codes),
        transcript_kinds=", ".join(f"{n} {suffix}" for suffix, n in sorted(kinds.items())),
        durations="; ".join(durations),
        prompts=len(prompts),
        saturation=saturation.paragraph(config.group_names()),
        derivation=derivation,
        software=software,
        runs=len(read_audit(study.paths)),
        member_check=coreq_line(study),
        member_checked=status is not None,
        quote_example=quote_example,
        emerging=tuple(t.name for t in codebook.themes if t.status.strip().lower() == "emerging"),
        characteristics=attributes,
        roles_inferred=speakers is None,
    )


__all__ = [
    "Balance",
    "Explanation",
    "checklist_facts",
    "explain",
    "spread_caption",
    "spread_text",
    "study_balance",
    "study_saturation",
    "turn_words",
    "with_spread",
]
