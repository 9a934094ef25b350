"""Agreement between coders: the measures against hand-computed values, then real workbooks."""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from workbook_helpers import set_codes, set_keep

from radar import columns as C
from radar.agreement import (
    UNDEFINED,
    agreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    percent_agreement,
)
from radar.errors import RadarError, WorkbookError
from radar.formats import render
from radar.study import Study

# Plain data -----------------------------------------------------------------


def table(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    """Two coders' labels from a 2×2 table (rows coder A, columns coder B)."""
    pairs = [("y", "y")] * yy + [("y", "n")] * yn + [("n", "y")] * ny + [("n", "n")] * nn
    return [a for a, _ in pairs], [b for _, b in pairs]


def test_cohen_kappa_of_a_two_by_two_table_by_hand() -> None:
    # 50 units: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # po = (20 + 15) / 50 = 0.7
    # A says yes 25/50 = 0.5, B says yes 30/50 = 0.6
    # pe = 0.5 × 0.6 + 0.5 × 0.4 = 0.3 + 0.2 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    a, b = table(20, 5, 10, 15)
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_kappa_of_booleans_by_hand() -> None:
    # 6 units; agree on 5.  po = 5/6.  A present 2/6, B present 3/6.
    # pe = 2/6 × 3/6 + 4/6 × 3/6 = 6/36 + 12/36 = 1/2
    # kappa = (5/6 - 1/2) / (1/2) = 2/3
    a = [True, False, False, False, True, False]
    b = [True, True, False, False, True, False]
    assert cohen_kappa(a, b) == pytest.approx(2 / 3)


def test_cohen_kappa_is_undefined_when_chance_agreement_is_perfect() -> None:
    # Both coders say "absent" for every unit: po = 1, pe = 1 × 1 = 1, kappa = 0/0.
    assert cohen_kappa([False] * 5, [False] * 5) is None
    assert cohen_kappa(["present"] * 3, ["present"] * 3) is None
    assert cohen_kappa([], []) is None


def test_cohen_kappa_is_zero_when_one_coder_is_constant() -> None:
    # A: all yes; B: 2 of 4 yes.  po = 2/4; pe = 1 × 2/4 + 0 × 2/4 = 2/4; kappa = 0, not undefined.
    assert cohen_kappa(["y"] * 4, ["y", "y", "n", "n"]) == 0.0


def test_cohen_kappa_refuses_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="same units"):
        cohen_kappa([1, 2], [1])


def test_fleiss_kappa_three_raters_by_hand() -> None:
    # 4 subjects × 3 raters: yyy, yyn, nnn, ynn.
    # P_i = (sum_j n_ij^2 - 3) / (3 × 2): yyy (9-3)/6 = 1; yyn (4+1-3)/6 = 1/3; nnn 1; ynn 1/3
    # P-bar = (1 + 1/3 + 1 + 1/3) / 4 = 2/3
    # p_y = (3+2+0+1)/12 = 1/2, p_n = 1/2; Pe = 1/4 + 1/4 = 1/2
    # kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3
    ratings = [list("yyy"), list("yyn"), list("nnn"), list("ynn")]
    assert fleiss_kappa(ratings) == pytest.approx(1 / 3)


# Fleiss (1971) as reworked in most textbooks: 10 subjects, 14 raters, 5 categories;
# each row is how many raters chose each category.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def expand(counts: list[list[int]]) -> list[list[int]]:
    """Subjects × raters labels from subjects × categories counts."""
    return [[category for category, k in enumerate(row) for _ in range(k)] for row in counts]


def test_fleiss_kappa_textbook_example_by_hand() -> None:
    # Column totals 20, 28, 39, 21, 32 of 140 ratings:
    # Pe = (20² + 28² + 39² + 21² + 32²) / 140² = 4170 / 19600 = 0.21276
    # sum_j n_ij² - 14 per subject: 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 (sum 688),
    # each over 14 × 13 = 182, so P-bar = 688 / 1820 = 0.37802
    # kappa = (0.37802 - 0.21276) / (1 - 0.21276) = 0.20993 (the published 0.210)
    expected = (688 / 1820 - 4170 / 19600) / (1 - 4170 / 19600)
    assert fleiss_kappa(expand(FLEISS_COUNTS)) == pytest.approx(expected)
    assert round(expected, 3) == 0.210


def test_fleiss_kappa_undefined_and_refusals() -> None:
    assert fleiss_kappa([["a", "a", "a"], ["a", "a", "a"]]) is None
    assert fleiss_kappa([]) is None
    # Unanimous within subjects, two categories across them: agreement is perfect.
    assert fleiss_kappa([["a", "a", "a"], ["b", "b", "b"]]) == 1.0
    with pytest.raises(ValueError, match="differ in length"):
        fleiss_kappa([["a", "a"], ["a", "a", "b"]])
    with pytest.raises(ValueError, match="two raters"):
        fleiss_kappa([["a"], ["b"]])


def test_krippendorff_alpha_with_a_missing_value_by_hand() -> None:
    # Units × 2 coders; u4 has one value, so it is not pairable and is left out.
    # Coincidences (ordered pairs, weight 1/(m_u - 1) = 1): o_aa = 2 + 2 = 4 (u1, u5),
    # o_ab = o_ba = 1 (u2), o_bb = 2 (u3).  n_a = 5, n_b = 3, n = 8.
    # alpha = 1 - (n - 1) × (o_ab + o_ba) / (n_a n_b + n_b n_a) = 1 - 7 × 2 / 30 = 16/30
    units = [("a", "a"), ("a", "b"), ("b", "b"), ("b", None), ("a", "a")]
    assert krippendorff_alpha_nominal(units) == pytest.approx(16 / 30)


def test_krippendorff_alpha_weights_units_by_their_values() -> None:
    # 3 coders.  u1 (a, a, a): 6 ordered a-a pairs / (3 - 1) -> o_aa += 3
    # u2 (a, b, -): o_ab += 1, o_ba += 1;  u3 (b, b, b): o_bb += 3;  u4 (-, a, -): unpairable.
    # n_a = 4, n_b = 4, n = 8; alpha = 1 - 7 × 2 / (2 × 16) = 18/32
    units = [("a", "a", "a"), ("a", "b", None), ("b", "b", "b"), (None, "a", None)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(18 / 32)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units.
N = None
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_krippendorff_alpha_published_example_by_hand() -> None:
    # Coincidence matrix (rows and columns values 1..5), units 11 and 12 having fewer
    # than two values drop out:
    #   1: 7    4/3  1/3  1/3  0
    #   2: 4/3  10   4/3  1/3  0
    #   3: 1/3  4/3  8    1/3  0
    #   4: 1/3  1/3  1/3  4    0
    #   5: 0    0    0    0    3
    # n_c = 9, 13, 10, 5, 3; n = 40.  Off-diagonal sum = 8.
    # sum_{c≠k} n_c n_k = 40² - (81 + 169 + 100 + 25 + 9) = 1216
    # alpha = 1 - 39 × 8 / 1216 = 113/152 = 0.743 (the paper's value)
    units = [list(unit) for unit in zip(*KRIPPENDORFF_2011)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(113 / 152)


def test_krippendorff_alpha_undefined() -> None:
    assert krippendorff_alpha_nominal([("a", "a"), ("a", "a")]) is None
    assert krippendorff_alpha_nominal([("a", None), (None, "b")]) is None
    assert krippendorff_alpha_nominal([]) is None


def test_percent_agreement() -> None:
    # 3 of 4 subjects have every rater agree.
    assert percent_agreement([("a", "a"), ("a", "b"), ("b", "b"), ("c", "c")]) == 75.0
    assert percent_agreement([("a", "a", "b")]) == 0.0
    assert percent_agreement([]) is None


# Against well-kept libraries ------------------------------------------------


def random_tables(seed: int, raters: int) -> list[list[list[str]]]:
    """Random subjects × raters label tables, skewed so that some are lopsided."""
    rng = random.Random(seed)
    tables = []
    for _ in range(40):
        labels = rng.choice([["y", "n"], ["a", "b", "c"], ["a", "b", "c", "d"]])
        weights = [rng.random() ** 2 + 0.01 for _ in labels]
        size = rng.randint(3, 60)
        tables.append([rng.choices(labels, weights, k=raters) for _ in range(size)])
    return tables


def test_cohen_kappa_matches_statsmodels() -> None:
    inter_rater = pytest.importorskip(
        "statsmodels.stats.inter_rater", reason="statsmodels cross-checks the kappas (test extra)"
    )
    import numpy as np

    for rows in random_tables(1, 2):
        a, b = [r[0] for r in rows], [r[1] for r in rows]
        ours = cohen_kappa(a, b)
        if ours is None:
            continue
        labels = sorted(set(a) | set(b))
        square = np.zeros((len(labels), len(labels)))
        for x, y in rows:
            square[labels.index(x), labels.index(y)] += 1
        assert ours == pytest.approx(inter_rater.cohens_kappa(square, return_results=False))
    a, b = table(20, 5, 10, 15)
    assert inter_rater.cohens_kappa([[20, 5], [10, 15]], return_results=False) == pytest.approx(
        cohen_kappa(a, b)
    )


def test_fleiss_kappa_matches_statsmodels() -> None:
    inter_rater = pytest.importorskip(
        "statsmodels.stats.inter_rater", reason="statsmodels cross-checks the kappas (test extra)"
    )
    assert inter_rater.fleiss_kappa(FLEISS_COUNTS) == pytest.approx(fleiss_kappa(expand(FLEISS_COUNTS)))
    for raters in (3, 4, 6):
        for rows in random_tables(raters, raters):
            ours = fleiss_kappa(rows)
            if ours is None:
                continue
            counts, _ = inter_rater.aggregate_raters(rows)
            assert ours == pytest.approx(inter_rater.fleiss_kappa(counts))


def test_krippendorff_alpha_matches_the_krippendorff_package() -> None:
    krippendorff = pytest.importorskip(
        "krippendorff", reason="the krippendorff package cross-checks alpha (test extra)"
    )
    import numpy as np

    def theirs(units: list[list[int | None]]) -> float:
        data = np.array([[np.nan if v is None else v for v in unit] for unit in units]).T
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

    published = [list(unit) for unit in zip(*KRIPPENDORFF_2011)]
    assert krippendorff_alpha_nominal(published) == pytest.approx(theirs(published))
    rng = random.Random(7)
    for rows in random_tables(3, 4):
        codes = {"y": 0, "n": 1, "a": 0, "b": 1, "c": 2, "d": 3}
        units: list[list[int | None]] = [
            [None if rng.random() < 0.2 else codes[v] for v in row] for row in rows
        ]
        ours = krippendorff_alpha_nominal(units)
        if ours is None:
            continue
        assert ours == pytest.approx(theirs(units))


# Coders' copies of real tables ------------------------------------------------

EXTRA_THEME = """\
  - name: Training
    codes:
      - name: Peer mentoring
"""


@pytest.fixture
def copies(study_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Alice's and Bob's copies of the tables of a study with an unused code.

    Both start from radar's suggestions; Bob adds Devices to fg1-003, removes
    Burnout from fg1-007 and drops fg1-008 (off topic).
    """
    with (study_dir / "codebook.yaml").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_THEME)
    Study(study_dir).reduce()
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(study_dir / "radar-tables.xlsx", alice)
    shutil.copy(study_dir / "radar-tables.xlsx", bob)
    set_codes(bob, {"fg1-003": ["Data plans", "Devices"], "fg1-007": []})
    set_keep(bob, "fg1-008", "no", "off topic")
    return alice, bob


def test_agreement_between_two_coders_by_hand(copies: tuple[Path, Path]) -> None:
    result = agreement(list(copies))
    # Kept by both: fg1-002, fg1-003, fg1-006, fg1-007, fg2-002, fg2-003 (n = 6).
    frame = result.per_code.set_index("code")
    assert list(result.per_code.columns) == ["code", "theme", "kappa", "percent_agreement", "n"]
    assert list(frame.index) == ["Devices", "Data plans", "Passwords", "Burnout", "Peer mentoring"]
    assert frame.loc["Devices", "theme"] == "Access"
    assert set(frame["n"]) == {6}
    # Devices: A 1 0 0 0 1 0, B 1 1 0 0 1 0: po = 5/6, pe = 2/6·3/6 + 4/6·3/6 = 1/2, kappa = 2/3
    assert frame.loc["Devices", "kappa"] == pytest.approx(2 / 3)
    assert frame.loc["Devices", "percent_agreement"] == 83.3
    # Burnout: A 0 0 0 1 1 0, B 0 0 0 0 1 0: po = 5/6, pe = 2/6·1/6 + 4/6·5/6 = 22/36,
    # kappa = (30/36 - 22/36) / (14/36) = 4/7
    assert frame.loc["Burnout", "kappa"] == pytest.approx(4 / 7)
    assert frame.loc["Passwords", "kappa"] == 1.0
    assert frame.loc["Data plans", "percent_agreement"] == 100.0
    # Nobody used Peer mentoring: kappa undefined, not 1.
    assert math.isnan(frame.loc["Peer mentoring", "kappa"])
    assert frame.loc["Peer mentoring", "percent_agreement"] == 100.0

    overall = dict(zip(result.overall["measure"], zip(result.overall["value"], result.overall["n"])))
    # Codes: 6 segments × 5 codes = 30 units; disagreements 2; A and B each mark 7 present.
    # Cohen: po = 28/30, pe = (7/30)² + (23/30)² = 578/900, kappa = (840 - 578)/(900 - 578) = 131/161
    assert overall["Codes: Cohen's kappa"] == (pytest.approx(131 / 161), 30)
    # Alpha: o_pp = 2 × 6, o_aa = 2 × 22, o_pa = o_ap = 2; n_p = 14, n_a = 46, n = 60
    # alpha = 1 - 59 × 4 / (2 × 14 × 46) = 1 - 236/1288
    assert overall["Codes: Krippendorff's alpha"] == (pytest.approx(1 - 236 / 1288), 30)
    assert overall["Codes: percent agreement"] == (93.3, 30)
    # Keep over all 11 segments: A 7 yes, B 6 yes, one disagreement (fg1-008).
    # po = 10/11, pe = (7·6 + 4·5)/121 = 62/121, kappa = (110 - 62)/(121 - 62) = 48/59
    assert overall["Keep: Cohen's kappa"] == (pytest.approx(48 / 59), 11)
    # Alpha: o_yy = 12, o_nn = 8, o_yn = o_ny = 1; n_y = 13, n_n = 9, n = 22
    # alpha = 1 - 21 × 2 / (2 × 13 × 9) = 1 - 42/234
    assert overall["Keep: Krippendorff's alpha"] == (pytest.approx(1 - 42 / 234), 11)
    assert overall["Keep: percent agreement"] == (90.9, 11)
    assert result.coders == ("alice", "bob")


def test_undefined_is_printed_as_undefined(copies: tuple[Path, Path]) -> None:
    result = agreement(list(copies))
    csv = render(result.per_code_table(), "csv")
    lines = csv.splitlines()
    assert lines[0] == "code,theme,kappa,percent_agreement,n"
    assert "Devices,Access,0.667,83.3,6" in lines
    assert "Peer mentoring,Training,undefined,100.0,6" in lines
    summary = result.summary()
    assert f"Peer mentoring  Training   {UNDEFINED}" in summary
    assert "Cohen's kappa" in summary and "Keep: Krippendorff's alpha" in summary


def test_three_coders_report_fleiss_kappa(copies: tuple[Path, Path], tmp_path: Path) -> None:
    alice, bob = copies
    carol = tmp_path / "carol.xlsx"
    shutil.copy(alice, carol)
    set_codes(carol, {"fg1-003": ["Data plans", "Devices"]})
    result = agreement([alice, bob, carol])
    frame = result.per_code.set_index("code")
    # Devices on the 6 segments kept by all: alice 1 0 0 0 1 0, bob 1 1 0 0 1 0, carol 1 1 0 0 1 0
    # P_i: five unanimous segments 1, fg1-003 (1 + 4 - 3)/6 = 1/3; P-bar = (5 + 1/3)/6 = 8/9
    # p_present = (3 + 2 + 3)/18 = 4/9, p_absent = 5/9; Pe = 16/81 + 25/81 = 41/81
    # kappa = (72/81 - 41/81) / (40/81) = 31/40
    assert frame.loc["Devices", "kappa"] == pytest.approx(31 / 40)
    assert frame.loc["Devices", "percent_agreement"] == 83.3
    measures = list(result.overall["measure"])
    assert "Codes: Fleiss' kappa" in measures and "Keep: Fleiss' kappa" in measures
    assert "Fleiss' kappa" in result.summary()


def test_agreement_names_copies_with_the_same_file_name(copies: tuple[Path, Path], tmp_path: Path) -> None:
    alice, bob = copies
    for name, source in (("alice", alice), ("bob", bob)):
        (tmp_path / name).mkdir()
        shutil.copy(source, tmp_path / name / "radar-tables.xlsx")
    result = agreement([tmp_path / "alice" / "radar-tables.xlsx", tmp_path / "bob" / "radar-tables.xlsx"])
    assert result.coders == ("alice/radar-tables", "bob/radar-tables")


def test_agreement_refuses_fewer_than_two_copies(copies: tuple[Path, Path]) -> None:
    with pytest.raises(WorkbookError, match="at least 2 coders' copies"):
        agreement([copies[0]])


def test_agreement_refuses_the_same_copy_twice(copies: tuple[Path, Path]) -> None:
    with pytest.raises(WorkbookError, match="given twice"):
        agreement([copies[0], copies[0]])


def test_agreement_refuses_a_file_that_is_not_a_radar_workbook(
    copies: tuple[Path, Path], tmp_path: Path
) -> None:
    from openpyxl import Workbook

    other = tmp_path / "budget.xlsx"
    book = Workbook()
    book.active.append(["Item", "Cost"])
    book.save(other)
    with pytest.raises(WorkbookError, match=r"budget.xlsx: not a radar tables workbook"):
        agreement([copies[0], other])
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"notes.xlsx: cannot be read as an Excel workbook"):
        agreement([copies[0], text])
    with pytest.raises(WorkbookError, match="no such file"):
        agreement([copies[0], tmp_path / "missing.xlsx"])


def test_agreement_refuses_copies_of_different_studies(copies: tuple[Path, Path]) -> None:
    alice, bob = copies
    workbook = load_workbook(bob)
    for title in (C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3, C.SHEET_STATE):
        for row in workbook[title].iter_rows(min_row=2):
            if row[0].value:
                row[0].value = f"x{row[0].value}"
    workbook.save(bob)
    with pytest.raises(WorkbookError, match="not copies of the same study's tables"):
        agreement([alice, bob])


def test_agreement_names_the_cell_of_an_unknown_code(copies: tuple[Path, Path]) -> None:
    alice, bob = copies
    set_codes(bob, {"fg1-002": ["Devicez"]})
    with pytest.raises(
        RadarError, match=r"bob.xlsx, sheet '2 Relevant', cell E2 \(Segment ID fg1-002\).*Devices"
    ):
        agreement([alice, bob])


def test_segments_dropped_by_both_are_compared_on_keep_only(copies: tuple[Path, Path]) -> None:
    alice, bob = copies
    set_keep(alice, "fg1-008", "no", "off topic")
    result = agreement([alice, bob])
    overall = dict(zip(result.overall["measure"], result.overall["value"]))
    assert overall["Keep: percent agreement"] == 100.0
    assert overall["Keep: Cohen's kappa"] == 1.0
    assert set(result.per_code["n"]) == {6}
    assert (result.segments, result.kept) == (11, 6)
    assert "(5 dropped by at least one coder are compared on Keep only)" in result.summary()


def test_segments_missing_from_a_copy_are_left_out_with_a_note(copies: tuple[Path, Path]) -> None:
    alice, bob = copies
    workbook = load_workbook(bob)
    for title in (C.SHEET_PHASE1, C.SHEET_PHASE2):
        ws = workbook[title]
        (number,) = [row[0].row for row in ws.iter_rows(min_row=2) if row[0].value == "fg2-003"]
        ws.delete_rows(number)
    workbook.save(bob)
    result = agreement([alice, bob])
    assert (result.segments, result.kept) == (10, 5)
    assert result.notes == ("1 segment(s) of alice are not in every copy and are not compared",)
    assert "Note: 1 segment(s) of alice" in result.summary()
