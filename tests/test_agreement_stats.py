"""Agreement that holds up for rare codes: AC1, PABAK, prevalence and bias, intervals, the rare-code flag.

Every coefficient is checked to three decimals against a published worked example (Gwet's Handbook of
Inter-Rater Reliability, 4th ed., 2014, as reproduced in the irrCAC package's examples; Krippendorff's
2011 example data) or an independent implementation installed for the tests (statsmodels, krippendorff,
scipy), and the kappa paradox is shown on real workbooks.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cli_helpers import ok, run
from workbook_helpers import set_codes

from radar import columns as C
from radar.agreement import agreement, read_copy
from radar.agreement.detail import detail_frame, plan_frame
from radar.agreement.stats import (
    alpha_estimate,
    bias_index,
    bootstrap,
    brennan_prediger,
    cohen_kappa_estimate,
    gwet_ac1,
    pabak,
    percent_estimate,
    prevalence_index,
    scaled_segments,
    segments_for_width,
    t_quantile,
)


def cells(line: str) -> list[str]:
    """The cells of one row of a plain-text table (columns are two or more spaces apart)."""
    return re.split(r"\s{2,}", line.strip())


# Published examples ------------------------------------------------------------------------------


def expand(table: list[list[int]]) -> list[list[int]]:
    """Two raters' units from a contingency table (rows rater A's category, columns rater B's)."""
    return [[i, j] for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)]


# Gwet (2014): 100 pregnant women classified by two abstractors (Ectopic, AIU, NIU).
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
# Gwet (2014): 223 psychiatric patients, clinical against research diagnosis (4 categories).
DIAGNOSIS = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]
# Gwet (2014, p. 120): 4 raters, 12 units, 5 categories, missing ratings (None). Also
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example.
_ = None
FOUR_RATERS = [
    [1, 1, _, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [_, 5, 5, 5], [_, _, 1, 1], [_, _, 3, _],
]  # fmt: skip
# Gwet (2014): Ben and Gerry rate 12 units; Gerry skipped one.
BEN = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"]
GERRY = [*["b", "a", "b", "b", "b", "c", "c", "c", "e"], None, "d", "d"]


@pytest.mark.parametrize(
    ("table", "value", "low", "high"),
    [(ABSTRACTORS, 0.849, 0.764, 0.935), (DIAGNOSIS, 0.456, 0.371, 0.542)],
)
def test_ac1_of_two_coders_matches_gwets_handbook(
    table: list[list[int]], value: float, low: float, high: float
) -> None:
    found = gwet_ac1(expand(table))
    assert found is not None and found.method == "analytic"
    assert (round(found.value, 3), round(found.low or 0, 3), round(found.high or 0, 3)) == (value, low, high)


def test_ac1_standard_error_matches_gwets_handbook() -> None:
    found = gwet_ac1(expand(DIAGNOSIS))
    assert found is not None and round(found.se or 0, 3) == 0.043


def test_ac1_of_several_coders_with_missing_ratings_matches_gwets_handbook() -> None:
    found = gwet_ac1(FOUR_RATERS)
    assert found is not None
    # Gwet (2014): AC1 0.775, se 0.143, 95% CI 0.461 to 1.
    assert (round(found.value, 3), round(found.se or 0, 3), round(found.low or 0, 3), found.high) == (
        0.775,
        0.143,
        0.461,
        1.0,
    )


def test_ac1_of_two_coders_with_a_missing_rating_matches_gwets_handbook() -> None:
    found = gwet_ac1([list(pair) for pair in zip(BEN, GERRY)])
    assert found is not None
    assert (round(found.value, 3), round(found.se or 0, 3), round(found.low or 0, 3)) == (0.661, 0.184, 0.257)


@pytest.mark.parametrize(
    ("ratings", "value", "low", "high"),
    [
        (expand(ABSTRACTORS), 0.835, 0.742, 0.928),
        (expand(DIAGNOSIS), 0.450, 0.363, 0.537),
        (FOUR_RATERS, 0.773, 0.454, 1.0),
    ],
)
def test_brennan_prediger_matches_gwets_handbook(
    ratings: list[list[int | None]], value: float, low: float, high: float
) -> None:
    found = brennan_prediger(ratings)
    assert found is not None
    assert (round(found.value, 3), round(found.low or 0, 3), round(found.high or 0, 3)) == (value, low, high)


@pytest.mark.parametrize(
    ("table", "value", "low", "high"),
    [(ABSTRACTORS, 0.796, 0.680, 0.913), (DIAGNOSIS, 0.432, 0.341, 0.522)],
)
def test_cohen_kappa_interval_matches_gwets_handbook(
    table: list[list[int]], value: float, low: float, high: float
) -> None:
    units = expand(table)
    found = cohen_kappa_estimate([u[0] for u in units], [u[1] for u in units])
    assert found is not None
    assert (round(found.value, 3), round(found.low or 0, 3), round(found.high or 0, 3)) == (value, low, high)


def test_cohen_kappa_and_its_standard_error_equal_statsmodels() -> None:
    from statsmodels.stats.inter_rater import cohens_kappa

    result = cohens_kappa(DIAGNOSIS)
    units = expand(DIAGNOSIS)
    found = cohen_kappa_estimate([u[0] for u in units], [u[1] for u in units])
    assert found is not None
    assert round(found.value, 3) == round(float(result["kappa"]), 3)
    assert round(found.se or 0, 3) == round(float(result["std_kappa"]), 3)


def test_t_quantile_equals_scipy() -> None:
    from scipy.stats import t

    for p, df in ((0.975, 1), (0.975, 5), (0.975, 11), (0.975, 99), (0.995, 30), (0.6, 3)):
        assert t_quantile(p, df) == pytest.approx(float(t.ppf(p, df)), abs=1e-6)


def test_alpha_of_krippendorffs_2011_example_equals_the_krippendorff_package() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np

    data = np.array([[np.nan if v is None else v for v in row] for row in FOUR_RATERS], dtype=float).T
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    found = alpha_estimate(FOUR_RATERS, seed=7, replicates=200)
    assert found is not None
    assert round(found.value, 3) == round(float(expected), 3) == 0.743  # Krippendorff (2011): 0.743


# PABAK, prevalence and bias by hand ------------------------------------------------------------------


def two_by_two(a: int, b: int, c: int, d: int) -> tuple[list[str], list[str]]:
    """Coder A's and B's labels: a both yes, b A only, c B only, d both no (Byrt et al.'s cells)."""
    pairs = [("y", "y")] * a + [("y", "n")] * b + [("n", "y")] * c + [("n", "n")] * d
    return [x for x, _ in pairs], [y for _, y in pairs]


def test_pabak_prevalence_and_bias_by_hand_and_byrts_identity() -> None:
    # a = 40, b = 9, c = 6, d = 45 (n = 100): po = 85/100, PABAK = 2 x 0.85 - 1 = 0.7,
    # PI = (40 - 45)/100 = -0.05, BI = (9 - 6)/100 = 0.03.
    a, b = two_by_two(40, 9, 6, 45)
    assert pabak(a, b) == pytest.approx(0.7)
    assert prevalence_index(a, b, "y") == pytest.approx(-0.05)
    assert bias_index(a, b, "y") == pytest.approx(0.03)
    # Byrt, Bishop & Carlin (1993): kappa = (PABAK - PI² + BI²) / (1 - PI² + BI²).
    kappa = cohen_kappa_estimate(a, b)
    assert kappa is not None
    assert kappa.value == pytest.approx((0.7 - 0.05**2 + 0.03**2) / (1 - 0.05**2 + 0.03**2))
    found = brennan_prediger([list(pair) for pair in zip(a, b)])
    assert found is not None and found.value == pytest.approx(0.7)


def test_kappa_paradox_on_plain_data() -> None:
    # 100 segments; both coders mark 1, A alone 2, B alone 2, neither 95: po = 0.96.
    # kappa: pA = pB = 0.03, pe = 0.03² + 0.97² = 0.9418, kappa = 0.0182/0.0582 = 0.3127
    # AC1: pi = 0.03, pe = 2 x 0.03 x 0.97 = 0.0582, AC1 = 0.9018/0.9418 = 0.9575; PABAK = 0.92
    a, b = two_by_two(1, 2, 2, 95)
    rows = [list(pair) for pair in zip(a, b)]
    kappa, ac1 = cohen_kappa_estimate(a, b), gwet_ac1(rows)
    assert kappa is not None and ac1 is not None
    assert round(kappa.value, 3) == 0.313
    assert round(ac1.value, 3) == 0.958
    assert pabak(a, b) == pytest.approx(0.92)


def test_percent_agreement_has_a_wilson_interval_by_hand() -> None:
    # 9 of 10 agree: p = 0.9, z = 1.959964; centre = (0.9 + z²/20)/(1 + z²/10) = 1.09207/1.38415 = 0.78898
    # spread = z sqrt(0.009 + z²/400)/(1.38415) = 1.95996 x 0.13602 / 1.38415 = 0.19261
    found = percent_estimate([["y", "y"]] * 9 + [["y", "n"]])
    assert found is not None
    assert (round(found.value, 1), round(found.low or 0, 1), round(found.high or 0, 1)) == (90.0, 59.6, 98.2)


def test_the_bootstrap_is_reproducible_from_its_seed_and_records_it() -> None:
    rows = [["p", "p"]] * 6 + [["p", "a"]] * 3 + [["a", "a"]] * 60
    first = alpha_estimate(rows, seed=11, replicates=300)
    again = alpha_estimate(rows, seed=11, replicates=300)
    other = alpha_estimate(rows, seed=12, replicates=300)
    assert first is not None and again is not None and other is not None
    assert (first.low, first.high) == (again.low, again.high)
    assert (first.low, first.high) != (other.low, other.high)
    assert (first.seed, first.replicates, first.method) == (11, 300, "bootstrap")
    assert first.low is not None and first.high is not None and first.low < first.value < first.high


def test_bootstrap_of_an_undefined_statistic_is_none() -> None:
    assert bootstrap(lambda profiles: None, [["a", "a"]] * 3) is None


# Planning ------------------------------------------------------------------------------------------


def test_plan_before_a_pilot_by_hand() -> None:
    # PABAK's half width t x 2 sqrt(po(1 - po)/n); at po = 0.9 the full width is t x 1.2 / sqrt(n).
    # n = 141: t(140) = 1.97705, 1.97705 x 1.2 / 11.8743 = 0.19980 <= 0.2;
    # n = 140: t(139) = 1.97718, 1.97718 x 1.2 / 11.8322 = 0.20052 > 0.2.
    assert segments_for_width(0.2, 0.9) == 141
    # The width shrinks with sqrt(n): 60 segments at width 0.3 need 60 x (0.3/0.2)² = 135 for 0.2.
    assert scaled_segments(60, 0.3, 0.2) == 135
    assert scaled_segments(60, 0.1, 0.2) == 60  # already narrow enough


# Real workbooks: the kappa paradox and the rare-code flag ------------------------------------------

MANY = "Moderator: Tell us about your week.\n" + "".join(
    f"P{1 + i % 4}: Turn number {i + 1} was about the weather and lunch.\n" for i in range(40)
)


@pytest.fixture
def paradox(study_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """40 kept segments; Devices: both 1, alice alone 2, bob alone 2; Burnout: both on one segment."""
    (study_dir / "transcripts" / "fg2.txt").unlink()
    (study_dir / "transcripts" / "fg1.txt").write_text(MANY, encoding="utf-8")
    ok(run("reduce", study_dir, "--quiet"))
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(study_dir / "radar-tables.xlsx", alice)
    shutil.copy(study_dir / "radar-tables.xlsx", bob)
    kept = [sid for sid, d in read_copy(alice, None).items() if d.keep == C.YES]
    assert len(kept) == 40
    blank: dict[str, list[str]] = {sid: [] for sid in kept}
    set_codes(alice, {**blank, kept[0]: ["Devices"], kept[1]: ["Devices"], kept[2]: ["Devices"],
                      kept[5]: ["Burnout"]})  # fmt: skip
    set_codes(bob, {**blank, kept[0]: ["Devices"], kept[3]: ["Devices"], kept[4]: ["Devices"],
                    kept[5]: ["Burnout"]})  # fmt: skip
    return alice, bob


def test_kappa_paradox_and_rare_code_flag_on_real_workbooks(paradox: tuple[Path, Path]) -> None:
    result = agreement(list(paradox))
    frame = result.detail().set_index(C.TALLY_CODE)
    devices = frame.loc["Devices"]
    # a = 1, b = 2, c = 2, d = 35 (n = 40): po = 36/40 = 0.9
    # kappa: pA = pB = 3/40, pe = (9 + 1369)/1600 = 0.86125, kappa = 0.03875/0.13875 = 0.2793
    # AC1: pi = 3/40 = 0.075, pe = 2 x 0.075 x 0.925 = 0.13875, AC1 = 0.76125/0.86125 = 0.8839
    # PABAK = 2 x 0.9 - 1 = 0.8; PI = (1 - 35)/40 = -0.85; BI = (2 - 2)/40 = 0
    assert devices["assessed"] == "yes" and devices["positive"] == 5 and devices["n"] == 40
    assert round(devices["kappa"], 3) == 0.279
    assert round(devices["ac1"], 3) == 0.884
    assert round(devices["pabak"], 3) == 0.800
    assert (round(devices["prevalence_index"], 3), devices["bias_index"]) == (-0.85, 0.0)
    assert devices["ac1"] > 0.8 and devices["pabak"] >= 0.8 and devices["kappa"] < 0.4
    # Burnout: both coders marked one segment; one positive segment is fewer than 5.
    burnout = frame.loc["Burnout"]
    assert burnout["assessed"] == C.TOO_RARE and burnout["positive"] == 1
    assert burnout[["kappa", "ac1", "pabak", "alpha"]].isna().all()
    assert burnout["percent_agreement"] == 100.0


def test_agreement_detail_prints_intervals_and_the_flag(paradox: tuple[Path, Path]) -> None:
    lines = ok(run("agreement", *paradox, "--detail", "--seed", "5"))
    devices = next(cells(line) for line in lines if line.startswith("Devices"))
    assert devices[:4] == ["Devices", "40", "5", "90.0 [76.9, 96.0]"]
    assert devices[5].startswith("0.884 [") and devices[6].startswith("0.800 [")
    burnout = next(line for line in lines if line.startswith("Burnout"))
    assert "too rare to assess" in burnout
    assert any("seed 5, 1000 replicates" in line for line in lines)


def test_min_positive_can_be_lowered(paradox: tuple[Path, Path]) -> None:
    frame = agreement(list(paradox)).detail(min_positive=1).set_index(C.TALLY_CODE)
    assert frame.loc["Burnout", "assessed"] == "yes"
    assert frame.loc["Burnout", "ac1"] == pytest.approx(1.0)


def test_plan_from_pilot_copies(paradox: tuple[Path, Path]) -> None:
    result = agreement(list(paradox))
    detail = result.detail()
    plan = plan_frame(detail, 0.2).set_index(C.TALLY_CODE)
    width = (
        detail.set_index(C.TALLY_CODE).loc["Devices", "ac1_high"]
        - detail.set_index(C.TALLY_CODE).loc["Devices", "ac1_low"]
    )
    assert plan.loc["Devices", "segments_needed"] == scaled_segments(40, width, 0.2)
    lines = ok(run("agreement", *paradox, "--plan", "--width", "0.2"))
    assert any(line.startswith("Devices") for line in lines)
    assert any("Burnout" in line and "too rare to assess" in line for line in lines)


def test_plan_without_copies() -> None:
    lines = ok(run("agreement", "--plan", "--width", "0.2", "--expected", "0.9"))
    assert "double-code 141 segments" in lines[0]


def test_agreement_without_copies_and_without_plan_is_refused() -> None:
    result = run("agreement")
    assert result.exit_code == 1 and "at least 2 coders' copies" in result.stderr


def test_detail_frame_on_plain_data_flags_by_min_positive() -> None:
    rare = [("present", "present")] + [("absent", "absent")] * 20
    frame = detail_frame({"Rare": rare}, {"Rare": "T"}, {}, min_positive=2)
    assert list(frame.columns) == list(C.AGREEMENT_DETAIL_COLUMNS)
    assert frame.loc[0, "assessed"] == C.TOO_RARE


def test_min_positive_and_seed_come_from_the_radar_toml_beside_the_first_copy(
    paradox: tuple[Path, Path],
) -> None:
    alice, bob = paradox
    (alice.parent / "radar.toml").write_text("[agreement]\nmin_positive = 1\nseed = 9\n", encoding="utf-8")
    lines = ok(run("agreement", alice, bob, "--detail"))
    burnout = next(line for line in lines if line.startswith("Burnout"))
    assert "too rare to assess" not in burnout and "1.000" in burnout
    assert any("seed 9," in line for line in lines)
    # The option still wins over the file.
    lines = ok(run("agreement", alice, bob, "--detail", "--min-positive", "5"))
    assert "too rare to assess" in next(line for line in lines if line.startswith("Burnout"))
