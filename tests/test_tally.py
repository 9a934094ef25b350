"""Counting rules: excerpts, participants, groups; labels and JMIR decimals."""

from __future__ import annotations

import pandas as pd
import pytest

from radar import columns as C
from radar.codebook import Code, Codebook, Theme
from radar.errors import RadarError
from radar.tally import denominator, fraction, label, percent_places, tally

BOOK = Codebook(
    themes=(
        Theme("Access", codes=(Code("Devices", "Access"), Code("Data plans", "Access"))),
        Theme("Privacy", codes=(Code("Passwords", "Privacy"),)),
        Theme("Self-care", codes=(Code("Burnout", "Self-care"),)),
    )
)


def coded(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """A phase-3 frame from (segment, group, participant, code) rows."""
    theme = {"Devices": "Access", "Data plans": "Access", "Passwords": "Privacy", "Burnout": "Self-care"}
    return pd.DataFrame(
        [(s, g, p, c, theme[c], "text", "", "") for s, g, p, c in rows],
        columns=list(C.PHASE3_COLUMNS),
    )


# S1 carries two codes of the same theme: one excerpt for Access, two code pairs.
ROWS = [
    ("S1", "FG1", "P01", "Devices"),
    ("S1", "FG1", "P01", "Data plans"),
    ("S2", "FG1", "P01", "Devices"),
    ("S3", "FG1", "P02", "Passwords"),
    ("S4", "FG2", "P03", "Devices"),
    ("S4", "FG2", "P03", "Passwords"),
]


def test_excerpts_are_distinct_segment_theme_pairs() -> None:
    frame = tally(coded(ROWS), BOOK)
    # Access: S1, S2, S4 = 3; Privacy: S3, S4 = 2; Self-care 0; N = 5.
    assert frame["theme"].tolist() == ["Access", "Privacy", "Self-care"]
    assert frame["n"].tolist() == [3, 2, 0]
    assert frame["N"].tolist() == [5, 5, 5]
    assert frame["percent"].tolist() == [60.0, 40.0, 0.0]
    assert frame["label"].tolist() == ["3/5, 60%", "2/5, 40%", "0/5, 0%"]
    assert list(frame.columns) == ["theme", "n", "N", "percent", "label"]


def test_participants_use_the_study_denominator() -> None:
    frame = tally(coded(ROWS), BOOK, unit="participants", participants_total=8)
    # Access voiced by P01, P03; Privacy by P02, P03.
    assert dict(zip(frame["theme"], frame["n"])) == {"Access": 2, "Privacy": 2, "Self-care": 0}
    assert set(frame["N"]) == {8}
    assert frame["label"].tolist()[:2] == ["2/8, 25%", "2/8, 25%"]


def test_groups_count_distinct_groups() -> None:
    frame = tally(coded(ROWS), BOOK, unit="groups", groups_total=4)
    assert dict(zip(frame["theme"], frame["n"])) == {"Access": 2, "Privacy": 2, "Self-care": 0}
    assert frame.loc[0, "label"] == "2/4, 50%"


def test_by_code_n_is_segments_with_the_code_over_the_coded_segments() -> None:
    frame = tally(coded(ROWS), BOOK, by="code")
    assert list(frame.columns) == ["code", "theme", "n", "N", "percent", "label"]
    # Devices S1 S2 S4; Passwords S3 S4; Data plans S1; N = 4 coded segments (S1-S4), not 6 pairs.
    assert frame[["code", "n"]].values.tolist() == [
        ["Devices", 3],
        ["Passwords", 2],
        ["Data plans", 1],
        ["Burnout", 0],
    ]
    assert set(frame["N"]) == {4}
    assert frame["label"].tolist() == ["3/4, 75%", "2/4, 50%", "1/4, 25%", "0/4, 0%"]


def test_the_denominator_is_said_in_words() -> None:
    assert denominator("excerpts", "code") == "N = coded segments (kept segments with at least one code)"
    assert denominator() == "N = excerpts (segment-theme pairs)"
    assert denominator("participants", "code").startswith("N = participants")


def test_ties_sort_by_name() -> None:
    rows = [("S1", "G", "P1", "Passwords"), ("S2", "G", "P1", "Devices")]
    assert tally(coded(rows), BOOK)["theme"].tolist() == ["Access", "Privacy", "Self-care"]


@pytest.mark.parametrize(
    ("n", "total", "style", "expected"),
    [
        (43, 197, "jmir", "43/197, 21.8%"),
        (6, 197, "jmir", "6/197, 3.0%"),
        (6, 197, "integer", "6/197, 3%"),
        (1, 8, "jmir", "1/8, 13%"),  # 12.5 rounds half up
        (1, 3, "one-decimal", "1/3, 33.3%"),
        (7, 1200, "jmir", "7/1200, 0.58%"),
        (0, 0, "jmir", "\u2014"),  # a count over nothing is a dash, not "0/0, 0%"
    ],
)
def test_labels(n: int, total: int, style: str, expected: str) -> None:
    assert label(n, total, style) == expected


def test_a_fraction_over_nothing_is_a_dash() -> None:
    assert (fraction(3, 5), fraction(0, 5), fraction(0, 0)) == ("3/5", "0/5", "\u2014")


def test_jmir_boundaries() -> None:
    assert [percent_places(n) for n in (99, 100, 999, 1000)] == [0, 1, 1, 2]


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(RadarError, match="unknown unit 'words'"):
        tally(coded(ROWS), BOOK, unit="words")
