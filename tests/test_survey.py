"""Open-ended survey answers as input (issue 17, item 5).

The survey below, worked out by hand: five respondents, three questions.
"What gets in the way?" is answered by resp-01, resp-03, resp-05 (resp-02 blank, resp-04 "N/A"): N = 3;
laptop (Access), password (Privacy), data plan (Access), so Access 2/3, Privacy 1/3.
"What helps?" by resp-01, resp-02, resp-05 (resp-03 "None", resp-04 blank): N = 3; hotspot, tablet,
laptop: Access 3/3.  "Anything else?" by resp-03, resp-05 (resp-01 "n/a", resp-02 "-", resp-04 blank):
N = 2; exhausted, burnout: Self-care 2/2.  8 answers in all; 7 left out: 3 blank, 4 "n/a"-style.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run
from conftest import CODEBOOK_YAML

from radar import columns as C
from radar.folder import Folder, read_study_survey
from radar.rapid.survey import question_tally, survey_groups
from radar.reduction.readback import tables_from_workbook
from radar.transcripts.survey import NOT_ANSWERS, answered

HEADER = ["Respondent", "Site", "Age group", "What gets in the way?", "What helps?", "Anything else?"]
ROWS = [
    ["resp-01", "North", "18-34", "My laptop freezes on every call.", "A hotspot from my phone.", "n/a"],
    ["resp-02", "South", "35-54", "", "My tablet.", "-"],
    ["resp-03", "North", "55+", "I forget my password.", "None", "I am exhausted by evening."],
    ["resp-04", "South", "18-34", "N/A", "", ""],
    ["resp-05", "North", "35-54", "The data plan runs out.", "My new laptop.", "Burnout is real."],
]
QUESTIONS = HEADER[3:]
TOML = """\
[surveys.answers]
id = "Respondent"
attributes = ["Site", "Age group"]
"""


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)


def survey_study(
    root: Path, *, xlsx: bool = False, header: list[str] = HEADER, rows: list[list[str]] = ROWS
) -> Path:
    (root / "transcripts").mkdir(parents=True)
    (root / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    (root / "radar.toml").write_text(TOML, encoding="utf-8")
    if xlsx:
        write_xlsx(root / "transcripts" / "answers.xlsx", header, rows)
    else:
        (root / "transcripts" / "answers.csv").write_text(csv_text(header, rows), encoding="utf-8")
    return root


def independent_answered(path: Path) -> dict[str, int]:
    """Per question, the respondents whose cell holds an answer, counted straight from the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    return {
        q: sum(1 for r in records if r[q].strip() and r[q].strip().casefold() not in NOT_ANSWERS)
        for q in QUESTIONS
    }


def first_sheet(path: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_each_answer_is_a_segment_with_its_question_and_pseudonym(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s")
    result = run("reduce", study)
    ok(result)
    rows = first_sheet(study / "radar-tables.xlsx")
    answers = [r for r in rows if r[C.ROLE] == C.PARTICIPANT_ROLE]
    assert len(answers) == 8  # 3 + 3 + 2, worked out above
    assert {r[C.GROUP] for r in rows} == {"answers"}
    got = {(r[C.QUESTION], r[C.PARTICIPANT]) for r in answers}
    # pseudonyms in row order: resp-01 -> R001 ... resp-05 -> R005
    assert got == {
        ("What gets in the way?", "R001"), ("What gets in the way?", "R003"), ("What gets in the way?", "R005"),
        ("What helps?", "R001"), ("What helps?", "R002"), ("What helps?", "R005"),
        ("Anything else?", "R003"), ("Anything else?", "R005"),
    }  # fmt: skip
    assert "resp-0" not in " ".join(str(v) for r in rows for v in r.values())  # IDs as written never shown
    assert not any(str(r[C.TEXT]).strip().casefold() in NOT_ANSWERS for r in answers)
    # the left-out answers are named, with their reason, question by question
    assert "'Anything else?': answers left out: 1 blank; 2 not an answer" in result.output
    assert "'What helps?': answers left out: 1 blank; 1 not an answer" in result.output


@pytest.mark.parametrize("xlsx", [False, True])
def test_denominators_per_question_are_the_respondents_who_answered(tmp_path: Path, xlsx: bool) -> None:
    study = survey_study(tmp_path / "s", xlsx=xlsx)
    ok(run("reduce", study, "-q"))
    by_hand = {"What gets in the way?": 3, "What helps?": 3, "Anything else?": 2}
    reference = survey_study(tmp_path / "ref")
    assert independent_answered(reference / "transcripts" / "answers.csv") == by_hand
    name = "answers.xlsx" if xlsx else "answers.csv"
    assert answered(read_study_survey(study / "transcripts" / name)) == by_hand
    folder = Folder(study)
    tables = tables_from_workbook(folder)
    frame = question_tally(tables.phase1, tables.phase3, folder.codebook(), survey_groups(folder))
    cells = {
        (q, t): (n, total)
        for q, t, n, total in zip(frame[C.QUESTION], frame["theme"], frame["n"], frame["N"])
    }
    assert {q: total for (q, _), (_, total) in cells.items()} == by_hand
    assert cells[("What gets in the way?", "Access")] == (2, 3)
    assert cells[("What gets in the way?", "Privacy")] == (1, 3)
    assert cells[("What helps?", "Access")] == (3, 3)
    assert cells[("Anything else?", "Self-care")] == (2, 2)
    assert cells[("Anything else?", "Access")] == (0, 2)
    assert set(frame["label"][frame[C.QUESTION] == "Anything else?"]) >= {
        "2/2, 100% (answered the question: 2)"
    }
    assert all(text.endswith(f"(answered the question: {n})") for text, n in zip(frame["label"], frame["N"]))
    # not the whole survey's 5 respondents
    assert tables.participants == 5


def test_attributes_become_participant_attributes(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s")
    ok(run("reduce", study, "-q"))
    speakers = Folder(study).speakers()
    assert speakers is not None
    assert speakers.attribute_names == ("Site", "Age group")
    sites = {s.participant_id: dict(s.attributes).get("Site") for s in speakers.participants()}
    assert sites == {"R001": "North", "R002": "South", "R003": "North", "R004": "South", "R005": "North"}
    lines = "\n".join(ok(run("tally", study, "--by-attribute", "Site", "--unit", "participants")))
    assert "North" in lines and "South" in lines


def test_answers_are_deidentified(tmp_path: Path) -> None:
    rows = [*ROWS[:4], [*ROWS[4][:5], "Write to sam.ortiz@example.org about burnout."]]
    study = survey_study(tmp_path / "s", rows=rows)
    ok(run("reduce", study, "-q"))
    texts = " ".join(str(r[C.TEXT]) for r in first_sheet(study / "radar-tables.xlsx"))
    assert "burnout" in texts
    assert "example.org" not in texts and "sam.ortiz" not in texts


def test_a_survey_without_a_respondent_column_is_one_error(tmp_path: Path) -> None:
    header = ["Site", "Age group", *QUESTIONS]
    study = survey_study(tmp_path / "s", header=header, rows=[r[1:] for r in ROWS])
    (study / "radar.toml").write_text("[surveys.answers]\n", encoding="utf-8")  # no id: found by its header
    assert_one_error(run("reduce", study), "answers.csv", "row 1", "no respondent column")
    assert not (study / "radar-tables.xlsx").exists()


@pytest.mark.parametrize(("xlsx", "where"), [(False, "row 5, column 'Respondent'"), (True, "cell A5")])
def test_a_duplicated_respondent_is_one_error_naming_the_cell(tmp_path: Path, xlsx: bool, where: str) -> None:
    rows = [*ROWS[:3], ["RESP-02", "South", "35-54", "again", "again", "again"], ROWS[4]]
    study = survey_study(tmp_path / "s", xlsx=xlsx, rows=rows)
    name = "answers.xlsx" if xlsx else "answers.csv"
    line = assert_one_error(run("reduce", study), name, where, "given twice", "row 3")
    assert "Traceback" not in line
    assert not (study / "radar-tables.xlsx").exists()


def test_a_column_radar_toml_names_must_exist(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s")
    (study / "radar.toml").write_text(TOML.replace('"Site"', '"Region"'), encoding="utf-8")
    assert_one_error(run("reduce", study), "answers.csv", "row 1", "'Region'")


def test_the_methods_report_says_who_answered_each_question(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s")
    ok(run("reduce", study, "-q"))
    out = tmp_path / "report.md"
    ok(run("report", study, "--out", out))
    text = out.read_text(encoding="utf-8")
    assert "'What gets in the way?': 3 of 5; 'What helps?': 3 of 5; 'Anything else?': 2 of 5" in text
    assert "a question's N is the respondents who answered it" in text


def test_tally_by_question_on_the_command_line(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s")
    ok(run("reduce", study, "-q"))
    out = tmp_path / "by-question.csv"
    ok(run("tally", study, "--by-question", "--format", "csv", "--out", out))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {(r["Question"], r["theme"]): (r["n"], r["N"]) for r in rows}
    assert got[("What gets in the way?", "Access")] == ("2", "3")
    assert got[("Anything else?", "Self-care")] == ("2", "2")


def test_tally_by_question_without_a_survey_is_one_error(study_dir: Path) -> None:
    ok(run("reduce", study_dir, "-q"))
    assert_one_error(run("tally", study_dir, "--by-question"), "no survey", "--by-question")


def test_a_spreadsheet_radar_toml_does_not_name_is_not_read(tmp_path: Path) -> None:
    """A participant list left in transcripts/ must never be read into the tables."""
    study = survey_study(tmp_path / "s")
    (study / "transcripts" / "contacts.csv").write_text(
        "Respondent,Email\nresp-01,jo@example.org\n", encoding="utf-8"
    )
    result = run("reduce", study, "-q")
    ok(result)
    assert "transcripts/contacts.csv is not read" in result.output
    rows = first_sheet(study / "radar-tables.xlsx")
    assert {r[C.GROUP] for r in rows} == {"answers"}


def test_a_damaged_survey_workbook_is_one_error_and_nothing_is_written(tmp_path: Path) -> None:
    study = survey_study(tmp_path / "s", xlsx=True)
    (study / "transcripts" / "answers.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert_one_error(run("reduce", study), "answers.xlsx", "save it again")
    assert not (study / "radar-tables.xlsx").exists()


def test_a_survey_file_called_survey_is_not_refused_as_a_name(tmp_path: Path) -> None:
    """The survey's question rows are spoken by "Survey question", which is no person to mask."""
    from cli_helpers import ok, run

    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "transcripts" / "survey.csv").write_text(
        "Respondent,What helped?\nA1,The survey reminder texts\nA2,Peer calls\n", encoding="utf-8"
    )
    (study / "radar.toml").write_text('[surveys.survey]\nid = "Respondent"\n', encoding="utf-8")
    (study / "codebook.yaml").write_text(
        "themes:\n  - name: Support\n    codes:\n      - name: Calls\n        keywords: [calls]\n",
        encoding="utf-8",
    )
    ok(run("reduce", study, "-q"))
    import openpyxl

    texts = [
        row[6]
        for row in openpyxl.load_workbook(study / "radar-tables.xlsx")["1 All data"].iter_rows(
            values_only=True
        )
    ]
    assert "The survey reminder texts" in texts  # "survey" is not masked as a speaker's first name
