"""Saturation by Guest, Namey & Chen's method: a small case worked by hand, the order held, the chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import assert_one_error, ok, run

from radar import columns as C
from radar.config import StudyConfig, _parse
from radar.errors import RadarError
from radar.evidence import study_saturation
from radar.folder import Folder
from radar.saturation import saturation, transcript_order

# Eight transcripts in the order held, and the codes each holds.
ITEMS = {
    "t1": {"a", "b", "c", "d"},
    "t2": {"c", "e", "f"},
    "t3": {"g"},
    "t4": {"a", "h", "i", "j"},
    "t5": {"k"},
    "t6": {"l", "a"},
    "t7": {"b"},
    "t8": {"m"},
}
ORDER = list(ITEMS)
# New at each transcript (not in any earlier one): t1 a b c d (4), t2 e f (2), t3 g (1), t4 h i j (3),
# t5 k (1), t6 l (1), t7 none (0), t8 m (1); running total 4 6 7 10 11 12 12 13.
# Base = t1..t4: 10 codes (a..j). Runs of 2, rolling on by one:
#   run 1 = t5-t6: new k, l = 2 -> 2/10 = 20%
#   run 2 = t6-t7: new l     = 1 -> 10%
#   run 3 = t7-t8: new m     = 1 -> 10%


def test_saturation_table_by_hand() -> None:
    result = saturation(ORDER, ITEMS, base=4, run=2, threshold=10)
    table = result.table
    assert list(table.columns) == list(C.SATURATION_COLUMNS)
    assert list(table["new"]) == [4, 2, 1, 3, 1, 1, 0, 1]
    assert list(table["cumulative"]) == [4, 6, 7, 10, 11, 12, 12, 13]
    assert result.base_items == 10
    runs = table[table["step"].notna()]
    assert list(runs[C.GROUP]) == ["t6", "t7", "t8"]
    assert [int(n) for n in runs["run_new"]] == [2, 1, 1]
    assert [float(x) for x in runs["new_information"]] == [20.0, 10.0, 10.0]
    assert list(runs["met"]) == ["no", "yes", "yes"]
    assert result.met_at == "t7"  # the first run at or below 10%
    assert table.loc[table[C.GROUP] == "t4", "new_items"].item() == "h, i, j"


def test_saturation_not_met_at_five_percent() -> None:
    result = saturation(ORDER, ITEMS, base=4, run=2, threshold=5)
    assert result.met_at is None
    assert set(result.table["met"].dropna()) == {"no", ""}
    paragraph = result.paragraph()
    assert "a base of the first 4 transcripts, runs of 2 transcripts" in paragraph
    assert "threshold of 5% of the base's codes" in paragraph
    assert "The base held 10 codes." in paragraph
    assert (
        "run 1 (to t6): 2 new, 20.0%; run 2 (to t7): 1 new, 10.0%; run 3 (to t8): 1 new, 10.0%" in paragraph
    )
    assert "saturation was not met with these 8 transcripts" in paragraph


def test_too_few_transcripts_cannot_be_assessed() -> None:
    result = saturation(ORDER[:5], ITEMS, base=4, run=2)
    assert not result.assessable and result.met_at is None
    assert "(at least 6 are needed)" in result.paragraph()
    assert result.table["step"].isna().all()


def test_order_by_dates_when_every_group_has_one_else_by_name() -> None:
    config, _ = _parse(b"[groups.fg10]\ndate = 2026-01-02\n[groups.fg2]\ndate = 2026-03-01\n", "radar.toml")
    assert transcript_order(["fg2", "fg10"], config) == (["fg10", "fg2"], "date", [])
    order, by, notes = transcript_order(["fg2", "fg10", "fg3"], config)
    assert (order, by) == (["fg2", "fg3", "fg10"], "name")  # fg3 has no date: natural name order
    assert "add date = YYYY-MM-DD under [groups.fg3]" in notes[0]
    assert transcript_order(["fg10", "fg2"], StudyConfig())[0] == ["fg2", "fg10"]


def test_a_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(RadarError, match=r"\[groups.fg1\] date: found 'May'; write the date it was held"):
        _parse(b'[groups.fg1]\ndate = "May"\n', "radar.toml")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(RadarError, match="base and run"):
        saturation(ORDER, ITEMS, base=0)
    with pytest.raises(RadarError, match="codes or themes"):
        saturation(ORDER, ITEMS, unit="words")
    with pytest.raises(RadarError, match=r"\[saturation\] threshold"):
        _parse(b"[saturation]\nthreshold = 0\n", "radar.toml")


# The small study: fg1 holds Devices, Data plans, Passwords, Burnout; fg2 Devices, Burnout, Passwords.


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


def test_study_saturation_follows_radar_toml(reduced: Path) -> None:
    (reduced / "radar.toml").write_text(
        "[groups.fg1]\ndate = 2026-05-03\n[groups.fg2]\ndate = 2026-04-01\n[saturation]\nbase = 1\nrun = 1\n",
        encoding="utf-8",
    )
    codes = study_saturation(Folder(reduced))
    # fg2 was held first: its 3 codes (Devices, Burnout, Passwords) are the base; fg1 adds Data plans:
    # 1/3 = 33.3%, above 5%.
    assert list(codes.table[C.GROUP]) == ["fg2", "fg1"]
    assert list(codes.table["date"]) == ["2026-04-01", "2026-05-03"]
    assert codes.base_items == 3 and float(codes.table["new_information"].iloc[1]) == pytest.approx(100 / 3)
    assert codes.met_at is None and codes.order_by == "date"
    themes = study_saturation(Folder(reduced), "themes")
    # Themes: fg2 holds Access, Self-care, Privacy; fg1 adds none: 0% -> met at fg1.
    assert themes.base_items == 3 and themes.met_at == "fg1"


def test_saturation_chart_is_written_and_reads_back(reduced: Path, tmp_path: Path) -> None:
    from matplotlib.image import imread

    (reduced / "radar.toml").write_text("[saturation]\nbase = 1\nrun = 1\n", encoding="utf-8")
    out = tmp_path / "saturation.png"
    assert ok(run("chart", reduced, "saturation", "--out", out, "--unit", "themes")) == [f"wrote {out}"]
    picture = imread(out)
    assert picture.shape[0] > 300 and picture.shape[1] > 1000


def test_saturation_chart_bars_are_the_new_codes(reduced: Path) -> None:
    from radar.charts import chart

    figure = chart(Folder(reduced), "saturation")
    # By name: fg1 first with 4 codes, then fg2 with none new.
    assert [int(bar.get_height()) for bar in figure.axes[0].patches] == [4, 0]


def test_saturation_unit_is_refused_for_other_charts(reduced: Path, tmp_path: Path) -> None:
    assert_one_error(
        run("chart", reduced, "themes", "--out", tmp_path / "x.png", "--unit", "codes"), "saturation"
    )
    assert not (tmp_path / "x.png").exists()
