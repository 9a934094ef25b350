"""Open-ended survey answers, tallied question by question with honest denominators.

A survey in ``transcripts/`` (see :mod:`radar.transcripts.survey`) gives each
answer a segment whose Question is the column's header. Counted by
participants, a theme's N is the respondents who answered that question (not
everyone who took the survey): a respondent who left it blank, or wrote "n/a",
is not in N (METHOD.md, "Open-ended survey answers").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from radar import columns as C
from radar.codebook import Codebook
from radar.errors import StudyError
from radar.folder import Folder, read_study_survey, transcript_files
from radar.reduction.readback import tables_from_workbook
from radar.tally import label, percent
from radar.transcripts.survey import answered, is_survey

if TYPE_CHECKING:
    import pandas as pd

SURVEY = "Survey"
ANSWERED = "Answered"
QUESTION_TALLY_COLUMNS = (
    SURVEY,
    C.QUESTION,
    C.TALLY_THEME,
    C.TALLY_N,
    C.TALLY_TOTAL,
    C.TALLY_PERCENT,
    C.TALLY_LABEL,
)


def question_totals(phase1: pd.DataFrame, surveys: set[str]) -> dict[tuple[str, str], int]:
    """Each (survey, question)'s N: the distinct respondents with an answer segment for it."""
    rows = phase1[phase1[C.GROUP].isin(surveys) & (phase1[C.ROLE] == C.PARTICIPANT_ROLE)]
    counts = rows.groupby([C.GROUP, C.QUESTION])[C.PARTICIPANT].nunique()
    return {(str(key[0]), str(key[1])): int(n) for key, n in counts.items()}  # type: ignore[index]


def question_tally(
    phase1: pd.DataFrame,
    phase3: pd.DataFrame,
    codebook: Codebook,
    surveys: set[str],
    percent_style: str = "jmir",
) -> pd.DataFrame:
    """Themes by survey question, counted by participants, N = respondents who answered the question.

    Args:
        phase1: the all-data table (one row per segment, with Question).
        phase3: the coded table (one row per segment and code).
        codebook: gives every theme a row, zero where unused.
        surveys: the Group IDs that are surveys.

    Returns:
        Rows by survey, question (in the survey's order) and theme; the label
        says what N is ("2/3, 67% (answered the question: 3)").
    """
    import pandas as pd

    totals = question_totals(phase1, surveys)
    asked = phase1[[C.SEGMENT_ID, C.QUESTION]]
    coded = phase3[phase3[C.GROUP].isin(surveys)].merge(asked, on=C.SEGMENT_ID, how="left")
    people = coded[[C.GROUP, C.QUESTION, C.THEME, C.PARTICIPANT]].drop_duplicates()
    counts = people.groupby([C.GROUP, C.QUESTION, C.THEME]).size()
    rows = []
    for (group, question), total in totals.items():
        for theme in codebook.themes:
            n = int(counts.get((group, question, theme.name), 0))
            shown = f"{label(n, total, percent_style)} (answered the question: {total})"
            rows.append((group, question, theme.name, n, total, float(percent(n, total, 1)), shown))
    order = {key: i for i, key in enumerate(_question_order(phase1, surveys))}
    frame = pd.DataFrame(rows, columns=list(QUESTION_TALLY_COLUMNS))
    frame["_order"] = [order.get((g, q), 0) for g, q in zip(frame[SURVEY], frame[C.QUESTION])]
    frame = frame.sort_values(
        ["_order", C.TALLY_N, C.TALLY_THEME], ascending=[True, False, True], kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def question_tally_workbook(study: Folder, percent_style: str = "jmir") -> pd.DataFrame:
    """:func:`question_tally` of the study's workbook as it is now.

    Raises:
        StudyError: the study holds no survey.
    """
    surveys = survey_groups(study)
    if not surveys:
        raise StudyError(
            f"{study.root}: --by-question counts survey answers, and transcripts/ holds no survey "
            "(.csv or .xlsx, one row per respondent); drop --by-question"
        )
    study.require_tables()
    tables = tables_from_workbook(study)
    return question_tally(tables.phase1, tables.phase3, study.codebook(), surveys, percent_style)


def _question_order(phase1: pd.DataFrame, surveys: set[str]) -> list[tuple[str, str]]:
    rows = phase1[phase1[C.GROUP].isin(surveys) & (phase1[C.ROLE] == C.PARTICIPANT_ROLE)]
    return list(dict.fromkeys(zip(rows[C.GROUP].astype(str), rows[C.QUESTION].astype(str))))


def survey_groups(study: Folder) -> set[str]:
    """The Group IDs of the study's surveys."""
    return {p.stem for p in transcript_files(study.paths) if is_survey(p)}


def survey_lines(study: Folder) -> list[str]:
    """One line per survey for the methods report: respondents, and who answered each question."""
    lines = []
    for path in transcript_files(study.paths):
        if not is_survey(path):
            continue
        survey = read_study_survey(path)
        counts = answered(survey)
        asked = "; ".join(f"{q!r}: {n} of {len(survey.respondents)}" for q, n in counts.items())
        lines.append(
            f"{path.name}: {len(survey.respondents)} respondents, {len(survey.questions)} open question(s); "
            f"respondents who answered each (blank and n/a-style answers are not answers): {asked}. "
            "Counted by participants, a question's N is the respondents who answered it."
        )
    return lines


__all__ = [
    "QUESTION_TALLY_COLUMNS",
    "question_tally",
    "question_tally_workbook",
    "question_totals",
    "survey_groups",
    "survey_lines",
]
