"""Survey exports as Qualtrics and SurveyMonkey write them (issue 17, item 5, on real shapes).

tests/files/surveys/ holds the same four respondents in each program's shape (its README says
what each writer puts where). Worked out by hand from the files:

- respondents: 4 (Qualtrics' rows 2-3 and SurveyMonkey's row 2 are headers, not respondents);
- the free-text questions: "What do you like about the reminders?" answered by the 1st and 3rd
  respondent (the 2nd blank, the 4th "None"): N = 2; the "Other" text of "How did you hear about
  them?" by the 1st and 4th (two blank): N = 2; "What would you change?" by the 1st and 3rd (the
  2nd "n/a", the 4th blank): N = 2. 6 answers in all;
- "Which clinic do you attend?" (a choice) is the attribute: Hilltop for the 1st and 3rd,
  Riverside for the 2nd and 4th; the other choice column is no free text and is not read;
- the programs' own columns and the names, emails and IP addresses are never read.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run
from conftest import CODEBOOK_YAML

from radar import columns as C
from radar.config import SurveySettings
from radar.transcripts.survey import (
    QUALTRICS,
    REASON_CONTACT,
    REASON_METADATA,
    REASON_NOT_FREE_TEXT,
    SURVEYMONKEY,
    answered,
    read_survey,
)

FILES = Path(__file__).parent / "files" / "surveys"
CLINIC = "Which clinic do you attend?"
LIKE = "What do you like about the reminders?"
CHANGE = "What would you change?"
OTHER = {
    "qualtrics": "How did you hear about them? - Other - Text",
    "surveymonkey": "How did you hear about them? - Other (please specify)",
}
WRITER = {"qualtrics": QUALTRICS, "surveymonkey": SURVEYMONKEY}
# every name, email and IP address in the files, as written
IDENTIFIERS = (
    "Lena", "Fischer", "Chidi", "Okafor", "Samir", "Haddad", "Petra", "Novak",
    "example.org", "192.0.2.", "198.51.100.",
)  # fmt: skip


def settings(stem: str, *attributes: str) -> SurveySettings:
    return SurveySettings(stem, attributes=attributes)


@pytest.mark.parametrize("stem", ["qualtrics", "surveymonkey"])
def test_the_extra_header_rows_are_headers_not_respondents(stem: str) -> None:
    survey = read_survey(FILES / f"{stem}.csv", settings(stem, CLINIC))
    assert survey.writer == WRITER[stem]
    assert len(survey.respondents) == 4
    assert [r.row for r in survey.respondents] == ([4, 5, 6, 7] if stem == "qualtrics" else [3, 4, 5, 6])
    assert survey.questions == (LIKE, OTHER[stem], CHANGE)
    assert answered(survey) == {LIKE: 2, OTHER[stem]: 2, CHANGE: 2}
    assert len(survey.answers) == 6
    by_question = {(a.question, a.respondent.pseudonym): a.text for a in survey.answers}
    assert by_question == {
        (LIKE, "R001"): "The reminder comes two days before.",
        (LIKE, "R003"): "It saves me a phone call.",
        (OTHER[stem], "R001"): "My daughter told me",
        (OTHER[stem], "R004"): "A poster in the pharmacy",
        (CHANGE, "R001"): "Send it in Spanish too, please.",
        (CHANGE, "R003"): "A link to the map.",
    }
    assert [r.attributes for r in survey.respondents] == [
        ((CLINIC, "Hilltop"),),
        ((CLINIC, "Riverside"),),
        ((CLINIC, "Hilltop"),),
        ((CLINIC, "Riverside"),),
    ]
    assert any(f"read as a {WRITER[stem]} export" in note for note in survey.notes())


@pytest.mark.parametrize("stem", ["qualtrics", "surveymonkey"])
def test_the_programs_columns_and_contact_details_are_never_questions(stem: str) -> None:
    survey = read_survey(FILES / f"{stem}.csv", settings(stem, CLINIC))
    reasons = dict(survey.skipped)
    contact = (
        ["IP Address", "Recipient Last Name", "Recipient First Name", "Recipient Email"]
        if stem == "qualtrics"
        else ["IP Address", "Email Address", "First Name", "Last Name"]
    )
    assert [c for c, why in survey.skipped if why == REASON_CONTACT] == contact
    assert reasons["Progress" if stem == "qualtrics" else "Collector ID"] == REASON_METADATA
    assert reasons["Start Date"] == REASON_METADATA
    choice = "How did you hear about them?" + (" - Selected Choice" if stem == "qualtrics" else "")
    assert reasons[choice] == REASON_NOT_FREE_TEXT
    said = " ".join(survey.notes())
    assert f"({REASON_CONTACT}): 'IP Address', " in said
    texts = " ".join(a.text for a in survey.answers) + " ".join(survey.questions)
    assert not [word for word in IDENTIFIERS if word in texts]


def test_a_qualtrics_workbook_has_the_same_three_header_rows(tmp_path: Path) -> None:
    with (FILES / "qualtrics.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "qualtrics.xlsx")
    survey = read_survey(tmp_path / "qualtrics.xlsx", settings("qualtrics", "Q1"))
    assert survey.writer == QUALTRICS and len(survey.respondents) == 4
    assert answered(survey) == {LIKE: 2, OTHER["qualtrics"]: 2, CHANGE: 2}
    # named by its column ID, the attribute keeps that name
    assert survey.respondents[1].attributes == (("Q1", "Riverside"),)
    assert next(a.cell for a in survey.answers if a.question == CHANGE) == "cell V4"


@pytest.mark.parametrize("stem", ["qualtrics", "surveymonkey"])
def test_reduce_on_an_export_shows_no_name_email_or_address(tmp_path: Path, stem: str) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    (study / "radar.toml").write_text(f'[surveys.{stem}]\nattributes = ["{CLINIC}"]\n', encoding="utf-8")
    shutil.copy(FILES / f"{stem}.csv", study / "transcripts")
    result = run("reduce", study)
    ok(result)
    assert f"read as a {WRITER[stem]} export" in result.output
    book = openpyxl.load_workbook(study / "radar-tables.xlsx", read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    book.close()
    assert not [word for word in IDENTIFIERS if any(word in cell for cell in cells)]
    first = openpyxl.load_workbook(study / "radar-tables.xlsx", read_only=True)
    rows = list(first.worksheets[0].iter_rows(values_only=True))
    first.close()
    header = [str(h) for h in rows[0]]
    records = [dict(zip(header, row)) for row in rows[1:]]
    answers = [r for r in records if r[C.ROLE] == C.PARTICIPANT_ROLE]
    assert len(answers) == 6
    assert {r[C.QUESTION] for r in answers} == {LIKE, OTHER[stem], CHANGE}
    tally = run("tally", study, "--by-question")
    ok(tally)
    assert "answered the question: 2" in tally.output and "answered the question: 4" not in tally.output


def test_naming_a_contact_column_as_a_question_is_refused_naming_the_cell(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    (study / "radar.toml").write_text(
        f'[surveys.qualtrics]\nquestions = ["{LIKE}", "RecipientEmail"]\n', encoding="utf-8"
    )
    shutil.copy(FILES / "qualtrics.csv", study / "transcripts")
    assert_one_error(run("reduce", study), "qualtrics.csv, row 1, column 'RecipientEmail'", "never reads")
    assert not (study / "radar-tables.xlsx").exists()


def test_a_plain_export_with_an_email_column_leaves_it_out_and_says_so(tmp_path: Path) -> None:
    # Microsoft Forms' shape: ID, Start time, Completion time, Email, Name, then the questions
    path = tmp_path / "forms.csv"
    path.write_text(
        "ID,Start time,Completion time,Email,Name,What helps?\n"
        "1,11/3/26 9:11:01,11/3/26 9:14:40,anonymous,,A second reminder.\n"
        "2,11/3/26 10:02:15,11/3/26 10:03:02,lena.fischer@example.org,Lena Fischer,The map link.\n",
        encoding="utf-8",
    )
    survey = read_survey(path)
    assert survey.writer == "" and survey.questions == ("What helps?",)
    assert dict(survey.skipped) == {
        "Start time": REASON_METADATA,
        "Completion time": REASON_METADATA,
        "Email": REASON_CONTACT,  # by its header, whatever its cells hold
        "Name": REASON_CONTACT,
    }
    assert answered(survey) == {"What helps?": 2}


def test_radar_read_shows_how_a_survey_is_read(tmp_path: Path) -> None:
    result = run("read", FILES / "qualtrics.csv")
    ok(result)
    # 3 question turns and 6 answers; the question speaker and 3 respondents (the 2nd answered no open question)
    assert "qualtrics.csv: survey, survey, 9 turns, 4 speakers" in result.output
    assert "note: qualtrics.csv: read as a Qualtrics export" in result.output
    assert "R_1aB2cD3eF4gH5iJ" in result.output  # read shows IDs as written: the team's own view
    assert "lena.fischer@example.org" not in result.output
