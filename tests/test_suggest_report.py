"""Issue 16 item 5: precision and recall of keyword suggestions against the analyst's final codes.

The hand-labelled case, on tests/conftest.py's study. radar suggests (by hand from the keywords):
fg1-002 Devices, fg1-003 Data plans, fg1-006 Passwords, fg1-007 Burnout, fg2-002 Devices and
Burnout, fg2-003 Passwords: 7 suggestions. The analyst then changes fg1-002 to Data plans, clears
fg1-007, keeps only Devices on fg2-002 and types Passwords on fg1-008. By hand:

    code        suggested accepted rejected missed  precision  recall
    Devices         2        1        1       0       1/2       1/1
    Data plans      1        1        0       1       1/1       1/2
    Passwords       2        2        0       1       2/2       2/3
    Burnout         2        0        2       0       0/2       (none final: no recall)
    all codes       7        4        3       2       4/7       4/6
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from test_provenance import reduce, set_codes

from radar import columns as C
from radar.cli import main
from radar.study import Study
from radar.suggestions_report import measures_paragraph, mostly_rejected

EXPECTED = {
    "Devices": (2, 1, 1, 0, 1 / 2, 1.0),
    "Data plans": (1, 1, 0, 1, 1.0, 1 / 2),
    "Passwords": (2, 2, 0, 1, 1.0, 2 / 3),
    "Burnout": (2, 0, 2, 0, 0.0, math.nan),
    "(all codes)": (7, 4, 3, 2, 4 / 7, 4 / 6),
}


def _labelled(study: Path) -> Path:
    reduce(study)
    set_codes(
        study / "radar-tables.xlsx",
        {"fg1-002": ["Data plans"], "fg1-007": [], "fg2-002": ["Devices"], "fg1-008": ["Passwords"]},
    )
    return study


def _check(measures: pd.DataFrame) -> None:
    assert list(measures.columns) == list(C.SUGGEST_REPORT_COLUMNS)
    assert list(measures[C.TALLY_CODE]) == list(EXPECTED)  # codebook order, then the total
    for _, row in measures.iterrows():
        want = EXPECTED[row[C.TALLY_CODE]]
        assert (row["suggested"], row["accepted"], row["rejected"], row["missed"]) == want[:4]
        for got, expected in zip((row["precision"], row["recall"]), want[4:]):
            assert (math.isnan(got) and math.isnan(expected)) or math.isclose(got, expected)


def test_precision_and_recall_equal_the_hand_computation(study_dir: Path) -> None:
    study = _labelled(study_dir)
    _check(Study(study).suggestion_measures())  # the workbook as the analyst left it
    reduce(study)
    measures = Study(study).suggestion_measures()  # and after a run, which keeps the decisions
    _check(measures)
    assert mostly_rejected(measures) == ["Burnout"]  # Devices: one of two rejected is not most
    text = measures_paragraph(measures)
    assert (
        "keywords suggested 7 code(s) on kept segments" in text
        and "kept 4 and rejected 3 (precision 57%)" in text
    )
    assert "added 2 code(s) the keywords did not suggest (recall 67%)" in text
    assert "Most suggestions of Burnout were rejected" in text


def test_suggest_report_command_and_the_methods_report(study_dir: Path) -> None:
    study = _labelled(study_dir)
    result = CliRunner().invoke(main, ["suggest", "report", str(study)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    assert lines["Passwords"] == ["Passwords", "2", "2", "0", "1", "1.00", "0.67"]
    assert lines["Burnout"] == ["Burnout", "2", "0", "2", "0", "0.00"]  # no recall: nothing to divide by
    assert lines["(all"][2:] == ["7", "4", "3", "2", "0.57", "0.67"]
    out = study / "report.md"
    result = CliRunner().invoke(main, ["report", str(study), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = out.read_text(encoding="utf-8")
    assert "Of the 6 codes given to coded segments, 4 were suggested by keywords and accepted" in report
    assert "precision 57%" in report


def test_suggest_report_without_a_workbook_is_one_error_line(study_dir: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", "report", str(study_dir)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert not (study_dir / "radar-tables.xlsx").exists()
