"""Reporting checklists filled from radar's own records: COREQ (32 items), SRQR (21) and PARRQA's phases.

Each item radar can answer gets its answer and the record it came from (the
audit trail, the workbook's tables and Log sheet, radar.toml, the
member-check records, speakers.csv); every other item is left for the
authors and listed as such, never guessed.

* COREQ: Tong, Sainsbury & Craig (2007), Int J Qual Health Care 19:349–357.
* SRQR: O'Brien et al. (2014), Acad Med 89:1245–1251.
* PARRQA: Kowalski et al. (2024), Implement Sci 19:71 — its five phases (rigorous
  design; semi-structured data collection; RQA: summary template development;
  RQA: matrix analysis; rapid qualitative data synthesis), each with the rigor
  points radar's records can show. The wording of the paper's 18
  recommendations is the authors' to check against its Table 2.

Example:
    >>> frame = checklist("coreq", ChecklistFacts(coders=("A. Rivera",)))
    >>> frame.loc[frame["No."] == "24", "Answer"].item()
    '1 coder (A. Rivera).'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar.errors import RadarError

if TYPE_CHECKING:
    import pandas as pd

CHECKLISTS = ("coreq", "srqr", "parrqa")
CHECKLIST_COLUMNS = ("No.", "Item", "Answer", "Source")
FOR_AUTHORS = "for the authors"
TITLES = {
    "coreq": "COREQ (Consolidated criteria for reporting qualitative research; Tong et al. 2007)",
    "srqr": "SRQR (Standards for Reporting Qualitative Research; O'Brien et al. 2014)",
    "parrqa": "PARRQA (Planning for and Assessing Rigor in Rapid Qualitative Analysis; Kowalski et al. 2024)",
}

TOML = "radar.toml"
AUDIT = "audit trail (.radar/audit.jsonl)"
TABLES = "radar-tables.xlsx, sheet '1 All data'"
LOG = "radar-tables.xlsx, Log sheet"
CODEBOOK = "codebook (Codebook sheet)"
THEMES = "radar-tables.xlsx, Themes sheet"
MEMBER = "member-check records (Member check sheet)"
SPEAKERS = "speakers.csv"
TRANSCRIPTS = "transcripts/ folder"


@dataclass(frozen=True)
class ChecklistFacts:
    """What radar's records say, gathered once for every checklist (empty where a record is missing)."""

    title: str = ""
    research_questions: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    groups: str = ""  # "4 focus groups"
    participants: int = 0
    facilitators: tuple[str, ...] = ()  # pseudonyms
    observers: int = 0
    turns: int = 0
    kept: int = 0
    coded: int = 0
    excerpts: int = 0
    themes: int = 0
    codes: int = 0
    transcript_kinds: str = ""  # "2 .vtt, 1 .docx, 1 .txt"
    durations: str = ""  # "fg1 00:58:10; fg2 ..."
    prompts: int = 0
    saturation: str = ""
    derivation: str = ""
    software: str = ""
    runs: int = 0
    member_check: str = ""
    member_checked: bool = False
    quote_example: str = ""
    emerging: tuple[str, ...] = ()
    safeguards: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()  # speakers.csv's own columns (state, age ...)
    roles_inferred: bool = True


Answer = Callable[[ChecklistFacts], tuple[str, str] | None]


def _coders(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.coders:
        return None
    return f"{len(f.coders)} coder{'s' if len(f.coders) != 1 else ''} ({', '.join(f.coders)}).", TOML


def _facilitators(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.facilitators:
        return None
    source = LOG if f.roles_inferred else f"{SPEAKERS}; {TABLES}"
    return (
        f"Each group's facilitator is recorded by pseudonym ({', '.join(f.facilitators)}); "
        "name the author(s) who facilitated.",
        source,
    )


def _sample(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.participants:
        return None
    return f"{f.participants} participants in {f.groups}.", f"{TABLES}; {SPEAKERS}"


def _non_participants(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.turns:
        return None
    who = f"{f.observers} observer turn{'s' if f.observers != 1 else ''}" if f.observers else "no observer"
    return f"{who} recorded besides the facilitators and participants.", TABLES


def _description(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.characteristics:
        return None
    return (
        f"Recorded for each participant: {', '.join(f.characteristics)} (tabulate them for the paper's Table 1).",
        SPEAKERS,
    )


def _guide(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.prompts:
        return None
    return (
        f"{f.prompts} distinct facilitator prompts are recorded with the turns that answer them; "
        "say whether the guide was provided or piloted.",
        f"{TABLES}, Question column",
    )


def _recording(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.transcript_kinds:
        return None
    return f"Transcripts analysed: {f.transcript_kinds}.", TRANSCRIPTS


def _duration(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.durations:
        return None
    return f"Last recorded time in each transcript: {f.durations}.", f"{TABLES}, Start column"


def _saturation(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.saturation:
        return None
    return f.saturation, f"{TABLES}, sheet '3 Coded'; {TOML} [saturation]"


def _returned(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.member_checked:
        return None
    return f"Member-check packets with each participant's own contributions: {f.member_check}", MEMBER


def _tree(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.codes:
        return None
    return f"{f.themes} themes and {f.codes} codes (see the appendix).", CODEBOOK


def _derivation(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.derivation:
        return None
    emerging = f"; emerging themes: {', '.join(f.emerging)}" if f.emerging else ""
    return f"{f.derivation[0].upper()}{f.derivation[1:]}{emerging}.", f"{AUDIT}; {CODEBOOK}"


def _software(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.software:
        return None
    return f"{f.software}; {f.runs} recorded run{'s' if f.runs != 1 else ''}.", AUDIT


def _checking(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.member_check:
        return None
    return f"{f.member_check[0].upper()}{f.member_check[1:]}", MEMBER


def _quotes(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.quote_example:
        return None
    return (
        f"Yes, each identified by participant pseudonym and group, as {f.quote_example}.",
        "radar-tables.xlsx, sheet '3 Coded'",
    )


def _major(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.themes:
        return None
    return (
        f"{f.themes} themes, each with its definition, codes, counts (n/N of {f.excerpts} excerpts) and "
        "exemplar quotes (Table 1 and the theme sections).",
        THEMES,
    )


def _minor(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.emerging:
        return None
    return f"Themes marked emerging: {', '.join(f.emerging)}.", CODEBOOK


def _title(f: ChecklistFacts) -> tuple[str, str] | None:
    return (f"{f.title}.", TOML) if f.title else None


def _questions(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.research_questions:
        return None
    return " ".join(f.research_questions), TOML


def _units(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.turns:
        return None
    return f"{f.groups}; {f.participants} participants; {f.turns} speaker turns.", TABLES


def _processing(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.turns:
        return None
    masked = f" De-identification: {'; '.join(f.safeguards)}." if f.safeguards else ""
    return (
        f"Every turn was put into one data table ({f.turns} turns), reduced to the {f.kept} relevant turns "
        f"and coded ({f.coded} coded; {f.excerpts} excerpts), each phase kept.{masked}",
        f"{TABLES}; {AUDIT}",
    )


def _analysis(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.codes:
        return None
    coders = f" by {len(f.coders)} coders" if f.coders else ""
    return (
        f"RADaR (Watkins 2017): successive data tables{coders} with a codebook of {f.themes} themes and "
        f"{f.codes} codes; {f.derivation or 'see the audit trail'}.",
        f"{CODEBOOK}; {AUDIT}",
    )


def _trust(f: ChecklistFacts) -> tuple[str, str] | None:
    parts = []
    if f.runs:
        parts.append(f"an audit trail of {f.runs} run{'s' if f.runs != 1 else ''} with every version kept")
    if len(f.coders) > 1:
        parts.append(f"{len(f.coders)} coders")
    if f.member_checked:
        parts.append("member checking")
    if f.saturation:
        parts.append("a saturation assessment (Guest et al. 2020)")
    if not parts:
        return None
    return "; ".join(parts).capitalize() + ".", f"{AUDIT}; {TOML}; {MEMBER}"


def _links(f: ChecklistFacts) -> tuple[str, str] | None:
    return _quotes(f)


def _calibration(f: ChecklistFacts) -> tuple[str, str] | None:
    if len(f.coders) < 2:
        return None
    return (
        f"{len(f.coders)} coders recorded; their agreement per code can be reported as AC1, PABAK and kappa "
        "with 95% intervals, and disagreements reconciled in a meeting.",
        TOML,
    )


def _matrix(f: ChecklistFacts) -> tuple[str, str] | None:
    if not f.themes:
        return None
    return (
        f"Themes by group in `radar tally --by-attribute Group`; {f.excerpts} excerpts in {f.themes} themes.",
        THEMES,
    )


COREQ: tuple[tuple[str, str, Answer | None], ...] = (
    ("1", "Interviewer/facilitator", _facilitators),
    ("2", "Credentials", None),
    ("3", "Occupation", None),
    ("4", "Gender", None),
    ("5", "Experience and training", None),
    ("6", "Relationship established", None),
    ("7", "Participant knowledge of the interviewer", None),
    ("8", "Interviewer characteristics", None),
    ("9", "Methodological orientation and theory", None),
    ("10", "Sampling", None),
    ("11", "Method of approach", None),
    ("12", "Sample size", _sample),
    ("13", "Non-participation", None),
    ("14", "Setting of data collection", None),
    ("15", "Presence of non-participants", _non_participants),
    ("16", "Description of sample", _description),
    ("17", "Interview guide", _guide),
    ("18", "Repeat interviews", None),
    ("19", "Audio/visual recording", _recording),
    ("20", "Field notes", None),
    ("21", "Duration", _duration),
    ("22", "Data saturation", _saturation),
    ("23", "Transcripts returned", _returned),
    ("24", "Number of data coders", _coders),
    ("25", "Description of the coding tree", _tree),
    ("26", "Derivation of themes", _derivation),
    ("27", "Software", _software),
    ("28", "Participant checking", _checking),
    ("29", "Quotations presented", _quotes),
    ("30", "Data and findings consistent", None),
    ("31", "Clarity of major themes", _major),
    ("32", "Clarity of minor themes", _minor),
)

SRQR: tuple[tuple[str, str, Answer | None], ...] = (
    ("S1", "Title", _title),
    ("S2", "Abstract", None),
    ("S3", "Problem formulation", None),
    ("S4", "Purpose or research question", _questions),
    ("S5", "Qualitative approach and research paradigm", None),
    ("S6", "Researcher characteristics and reflexivity", None),
    ("S7", "Context", None),
    ("S8", "Sampling strategy", None),
    ("S9", "Ethical issues pertaining to human subjects", None),
    ("S10", "Data collection methods", None),
    ("S11", "Data collection instruments and technologies", _recording),
    ("S12", "Units of study", _units),
    ("S13", "Data processing", _processing),
    ("S14", "Data analysis", _analysis),
    ("S15", "Techniques to enhance trustworthiness", _trust),
    ("S16", "Synthesis and interpretation", _major),
    ("S17", "Links to empirical data", _links),
    ("S18", "Integration with prior work, implications, transferability", None),
    ("S19", "Limitations", None),
    ("S20", "Conflicts of interest", None),
    ("S21", "Funding", None),
)

PARRQA: tuple[tuple[str, str, Answer | None], ...] = (
    ("1a", "Rigorous design: articulate the research question(s) and finite purpose", _questions),
    ("1b", "Rigorous design: describe the rationale for using rapid qualitative analysis", None),
    ("1c", "Rigorous design: staffing — who collects, summarises and analyses", _coders),
    ("2a", "Semi-structured data collection: pilot and plan the guide", _guide),
    ("2b", "Semi-structured data collection: recording and transcripts", _recording),
    ("3a", "Summary template development: accuracy (every cell traceable to its source)", _links),
    ("3b", "Summary template development: calibration between analysts", _calibration),
    ("4a", "Matrix analysis: matrices across cases and domains", _matrix),
    ("4b", "Matrix analysis: a record of decisions (audit trail)", _software),
    ("5a", "Rapid qualitative data synthesis: themes with their evidence", _major),
    ("5b", "Rapid qualitative data synthesis: checking with participants", _checking),
)

ITEMS = {"coreq": COREQ, "srqr": SRQR, "parrqa": PARRQA}

SCOPE = {
    "parrqa": (
        "PARRQA's eighteen recommendations are grouped here under its five phases and the rigor "
        "points it names for each (rationale and staffing; pilot and planning; accuracy and "
        "calibration; matrices; synthesis): check each against the paper's Table 2."
    ),
}
"""What a checklist's table covers, where it is not the checklist item by item (said in the report)."""


def checklist(name: str, facts: ChecklistFacts) -> pd.DataFrame:
    """A checklist's items, each with radar's answer and its source, or ``for the authors``."""
    import pandas as pd

    if name not in ITEMS:
        raise RadarError(f"unknown checklist {name!r}; use one of {', '.join(CHECKLISTS)}")
    rows = []
    for number, item, answer in ITEMS[name]:
        found = answer(facts) if answer is not None else None
        rows.append((number, item, *(found if found else ("", FOR_AUTHORS))))
    return pd.DataFrame(rows, columns=list(CHECKLIST_COLUMNS))


def for_authors(frame: pd.DataFrame) -> list[str]:
    """The items radar's records cannot answer, as ``2 Credentials``."""
    return [
        f"{n} {item}"
        for n, item, source in zip(frame["No."], frame["Item"], frame["Source"])
        if source == FOR_AUTHORS
    ]


def filled(frame: pd.DataFrame) -> pd.DataFrame:
    """The items radar answered."""
    return frame[frame["Source"] != FOR_AUTHORS].reset_index(drop=True)


def check_names(names: Sequence[str]) -> tuple[str, ...]:
    """The checklists asked for, lower-cased and checked."""
    chosen = tuple(dict.fromkeys(name.strip().lower() for name in names))
    unknown = [name for name in chosen if name not in ITEMS]
    if unknown:
        raise RadarError(f"unknown checklist {unknown[0]!r}; use one of {', '.join(CHECKLISTS)}")
    return chosen


__all__ = [
    "CHECKLISTS",
    "CHECKLIST_COLUMNS",
    "FOR_AUTHORS",
    "SCOPE",
    "TITLES",
    "ChecklistFacts",
    "check_names",
    "checklist",
    "filled",
    "for_authors",
]
