"""The shipped rapid-analysis example (examples/rapid-study): every command of its README runs on a copy.

Expected figures worked out by hand from the example's files:
- analysts/fill_templates.py gives analyst A 27 filled rows (7 interviews x 4 domains, less int05's
  Facilitators), so refreshing radar-rapid.xlsx (A's) keeps 27 rows and the matrix has Facilitators
  6/7 and every other domain 7/7.
- Calibration, int01: both analysts filled all 4 domains; cited Segment IDs agree on Background,
  Barriers and Recommendations (overlap 1 each) and on Facilitators {int01-006} vs {int01-006,
  int01-002} (Jaccard 1/2): mean 3.5/4 = 0.875, shown 0.88. int02: B left Facilitators empty, so 3 of
  4 filled by both and 1 only by A.
- The survey's per-question N is counted below straight from answers.csv.
"""

from __future__ import annotations

import csv
import filecmp
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ok, run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rapid-study"
pytestmark = pytest.mark.slow  # reduces two studies and runs every README command (about 20 s)


def readme_commands() -> list[list[str]]:
    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("rapid") / "rapid-study"
    shutil.copytree(
        EXAMPLE, root, ignore=shutil.ignore_patterns("radar-tables.xlsx", ".radar", "__pycache__")
    )
    said: dict[str, str] = {}
    here = Path.cwd()
    os.chdir(root)
    try:
        for command in readme_commands():
            assert command[0] == "radar", command
            said[" ".join(command[1:3])] = "\n".join(ok(run(*command[1:])))
    finally:
        os.chdir(here)
    return root, said


def test_the_readme_runs_template_matrix_calibrate_and_reduce_on_the_survey(
    outputs: tuple[Path, dict[str, str]],
) -> None:
    root, said = outputs
    assert [c[1:3] for c in readme_commands()][:2] == [["reduce", "."], ["rapid", "template"]]
    assert "27 row(s) of your summaries kept" in said["rapid template"]
    assert (
        "int01: 4 of 4 domains filled by both, 0 only by A. Rivera, 0 only by B. Chen"
        in said["rapid calibrate"]
    )
    assert "mean quote overlap 0.88" in said["rapid calibrate"]
    assert (
        "int02: 3 of 4 domains filled by both, 1 only by A. Rivera, 0 only by B. Chen"
        in said["rapid calibrate"]
    )
    matrix = said["rapid matrix"]
    assert "Facilitators: 6/7" in matrix and "Barriers: 7/7" in matrix
    for name in (
        "matrix.xlsx",
        "matrix-by-site.docx",
        "calibration.xlsx",
        "report.md",
        "survey/radar-tables.xlsx",
    ):
        assert (root / name).is_file(), name


def test_the_survey_has_200_respondents_and_its_denominators_are_those_who_answered(
    outputs: tuple[Path, dict[str, str]],
) -> None:
    root, said = outputs
    with (root / "survey" / "transcripts" / "answers.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == 200
    questions = [h for h in records[0] if h not in ("Respondent", "Clinic", "Age group")]
    assert len(questions) == 3
    not_answers = {"", "n/a", "none", "-"}  # what make_survey.py writes for a skipped question
    expected = {q: sum(r[q].strip() not in not_answers for r in records) for q in questions}
    assert all(n < 200 for n in expected.values())
    out = root / "by-question.csv"
    ok(run("tally", root / "survey", "--by-question", "--format", "csv", "--out", out))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Question"]: int(r["N"]) for r in rows} == expected
    assert "answered the question" in said["tally survey"]


def test_the_report_has_the_rapid_analysis_section(outputs: tuple[Path, dict[str, str]]) -> None:
    root, _ = outputs
    text = (root / "report.md").read_text(encoding="utf-8")
    assert "## Rapid analysis" in text
    assert "4 domains: Background, Barriers, Facilitators, Recommendations" in text
    assert "Summary templates completed (every domain summarised): 6/7" in text
    assert "Calibration: A. Rivera and B. Chen summarised the same transcript(s) (int01, int02)" in text


def test_the_seeded_survey_script_rebuilds_the_shipped_file(tmp_path: Path) -> None:
    copy = tmp_path / "survey"
    shutil.copytree(EXAMPLE / "survey", copy, ignore=shutil.ignore_patterns("radar-tables.xlsx", ".radar"))
    (copy / "transcripts" / "answers.csv").unlink()
    subprocess.run([sys.executable, str(copy / "make_survey.py")], check=True, capture_output=True)
    assert filecmp.cmp(
        copy / "transcripts" / "answers.csv", EXAMPLE / "survey" / "transcripts" / "answers.csv"
    )


def test_the_template_wraps_the_guide_questions(outputs: tuple[Path, dict[str, str]]) -> None:
    """Rendered to PDF, the Question column clipped "Tell me about your role and how you use the remi..."."""
    import openpyxl

    root, _ = outputs
    book = openpyxl.load_workbook(root / "radar-rapid.xlsx")
    for title in ("Domains", "int01"):
        sheet = book[title]
        column = [c.value for c in sheet[1]].index("Question") + 1
        assert sheet.cell(2, column).value == "Tell me about your role and how you use the reminders."
        assert sheet.cell(2, column).alignment.wrap_text, title
