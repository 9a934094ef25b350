"""Charts: what each figure draws, checked against counts made by hand."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Text

from radar import charts
from radar import columns as C
from radar.codebook import Code, Codebook, Theme
from radar.errors import RadarError
from radar.reduction.records import Flow
from radar.reduction.tables import flow_of
from radar.study import Study
from radar.tally import tally

LONG = "Education on privacy, security, and confidentiality in digital devices and platforms"
BOOK = Codebook(
    themes=(
        Theme("Access", codes=(Code("Devices", "Access"), Code("Data plans", "Access"))),
        Theme(LONG, codes=(Code("Passwords", LONG),)),
        Theme("Self-care", codes=(Code("Burnout", "Self-care"),)),
        Theme("Feedback", status="emerging", codes=(Code("Praise", "Feedback"),)),
    )
)
THEME_OF = {"Devices": "Access", "Data plans": "Access", "Passwords": LONG, "Burnout": "Self-care"}

# (segment, group, participant, code). S1 holds two Access codes: one Access excerpt.
ROWS = [
    ("S1", "FG1", "P01", "Devices"),
    ("S1", "FG1", "P01", "Data plans"),
    ("S1", "FG1", "P01", "Passwords"),
    ("S2", "FG1", "P02", "Devices"),
    ("S3", "FG2", "P03", "Passwords"),
    ("S3", "FG2", "P03", "Burnout"),
    ("S4", "FG2", "P03", "Burnout"),
    ("S5", "FG10", "P04", "Devices"),
]
FLOW = Flow(turns=11, kept=7, coded=6, themes=3, excerpts=7, dropped={"facilitator": 3, "non-speech": 1})


@pytest.fixture
def coded() -> pd.DataFrame:
    return pd.DataFrame(
        [(s, g, p, c, THEME_OF[c], "text", "", "") for s, g, p, c in ROWS],
        columns=list(C.PHASE3_COLUMNS),
    )


@pytest.fixture
def reduced(study_dir: Path) -> Study:
    (study_dir / "codebook.yaml").write_text(
        (study_dir / "codebook.yaml")
        .read_text(encoding="utf-8")
        .replace("  - name: Privacy\n", "  - name: Privacy\n    status: emerging\n"),
        encoding="utf-8",
    )
    study = Study(study_dir)
    study.reduce()
    return study


def bar_widths(figure: Figure) -> list[int]:
    return [int(bar.get_width()) for bar in figure.axes[0].patches if isinstance(bar, Rectangle)]


def tick_texts(labels: Sequence[Text]) -> list[str]:
    return [label.get_text() for label in labels]


def image_array(ax: Axes) -> np.ma.MaskedArray[Any, Any]:
    array = ax.images[0].get_array()
    assert array is not None
    return np.ma.asarray(array)


def inside(inner: Artist, outer: Artist | Figure) -> bool:
    a, b = inner.get_window_extent(), outer.get_window_extent()
    return bool(a.x0 >= b.x0 - 0.5 and a.x1 <= b.x1 + 0.5 and a.y0 >= b.y0 - 0.5 and a.y1 <= b.y1 + 0.5)


# Labels -----------------------------------------------------------------------------


def test_long_names_are_wrapped_at_forty_characters() -> None:
    wrapped = charts.wrap_label(LONG)
    assert wrapped.replace("\n", " ") == LONG
    assert max(len(line) for line in wrapped.split("\n")) <= 40
    assert charts.theme_label("Feedback", emerging=True) == "Feedback (emerging)"


def test_palette_is_okabe_ito() -> None:
    assert charts.PALETTE[:3] == ("#E69F00", "#56B4E9", "#009E73")
    assert len(charts.PALETTE) == 8


# Theme bars -------------------------------------------------------------------------


def test_theme_bars_are_ranked_with_the_tally_labels(coded: pd.DataFrame) -> None:
    frame = tally(coded, BOOK)
    figure = charts.theme_bars(frame, emerging=["Feedback"])
    ax = figure.axes[0]
    assert isinstance(figure, Figure)
    assert bar_widths(figure) == [3, 2, 2, 0]
    assert bar_widths(figure) == frame["n"].tolist()
    assert tick_texts(ax.get_yticklabels()) == [
        "Access",
        charts.wrap_label(LONG),
        "Self-care",
        "Feedback (emerging)",
    ]
    assert [text.get_text() for text in ax.texts] == frame["label"].tolist()
    assert ax.texts[0].get_text() == "3/7, 43%"
    assert ax.get_xlabel() == "Excerpts (n)"
    assert ax.yaxis_inverted()  # the first (largest) theme is at the top


def test_theme_bars_sort_largest_first_and_colour_emerging_themes() -> None:
    frame = pd.DataFrame(
        {
            "theme": ["Small", "Big"],
            "n": [1, 5],
            "N": 6,
            "percent": [16.7, 83.3],
            "label": ["1/6, 17%", "5/6, 83%"],
        }
    )
    figure = charts.theme_bars(
        frame, emerging=["Small"], unit="participants", title="Who said it", min_cell=1
    )  # every bar drawn: test_privacy_outputs checks the small cells
    ax = figure.axes[0]
    assert bar_widths(figure) == [5, 1]
    assert tick_texts(ax.get_yticklabels()) == ["Big", "Small (emerging)"]
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert colours[0] != colours[1]
    assert ax.get_xlabel() == "Participants (n)"
    assert ax.get_title(loc="left") == "Who said it"


def test_theme_bar_labels_end_inside_the_axes(coded: pd.DataFrame) -> None:
    figure = charts.theme_bars(tally(coded, BOOK))
    figure.draw_without_rendering()
    ax = figure.axes[0]
    assert all(inside(text, ax) for text in ax.texts)


def test_figure_height_grows_with_wrapped_names(coded: pd.DataFrame) -> None:
    short = pd.DataFrame({"theme": ["A", "B"], "n": [1, 1], "N": 2, "percent": 50.0, "label": "1/2, 50%"})
    long = short.assign(theme=[LONG, LONG + " again"])
    assert charts.theme_bars(long).get_figheight() > charts.theme_bars(short).get_figheight()


def test_theme_bars_refuse_an_unknown_unit(coded: pd.DataFrame) -> None:
    with pytest.raises(RadarError, match="unknown unit 'people'; use one of excerpts, participants, groups"):
        charts.theme_bars(tally(coded, BOOK), unit="people")


# Themes by group --------------------------------------------------------------------


def test_heatmap_counts_excerpts_per_theme_and_group(coded: pd.DataFrame) -> None:
    # Access: S1, S2 in FG1, S5 in FG10; privacy: S1 in FG1, S3 in FG2; self-care: S3, S4 in FG2.
    expected = [[2, 0, 1], [1, 1, 0], [0, 2, 0]]
    table = charts.theme_group_table(coded)
    assert table.index.tolist() == ["Access", LONG, "Self-care"]
    assert table.columns.tolist() == ["FG1", "FG2", "FG10"]
    assert table.to_numpy().tolist() == expected
    figure = charts.theme_group_heatmap(coded)
    ax = figure.axes[0]
    assert image_array(ax).tolist() == expected
    assert [text.get_text() for text in ax.texts] == [str(v) for row in expected for v in row]
    assert tick_texts(ax.get_yticklabels()) == ["Access", charts.wrap_label(LONG), "Self-care"]
    assert tick_texts(ax.get_xticklabels()) == ["FG1", "FG2", "FG10"]
    assert len(figure.axes) == 2  # the colour bar
    assert ax.images[0].get_cmap().name == charts.SEQUENTIAL_CMAP


def test_heatmap_takes_the_themes_and_groups_in_the_order_given(coded: pd.DataFrame) -> None:
    table = charts.theme_group_table(coded, themes=["Self-care", "Feedback"], groups=["FG2", "FG3"])
    assert table.to_numpy().tolist() == [[2, 0], [0, 0]]
    figure = charts.theme_group_heatmap(coded, themes=["Self-care", "Feedback"], groups=["FG2", "FG3"])
    assert image_array(figure.axes[0]).tolist() == [[2, 0], [0, 0]]


def test_heatmap_refuses_an_empty_table(coded: pd.DataFrame) -> None:
    with pytest.raises(RadarError, match="no coded segments to chart"):
        charts.theme_group_heatmap(coded.iloc[0:0])
    with pytest.raises(RadarError, match="no themes or no groups to chart"):
        charts.theme_group_heatmap(coded, groups=[])


# Co-occurrence ----------------------------------------------------------------------


def test_cooccurrence_matrix_by_code(coded: pd.DataFrame) -> None:
    matrix = charts.cooccurrence_matrix(coded)
    # Devices: S1 S2 S5; Burnout: S3 S4; Passwords: S1 S3; Data plans: S1.
    assert matrix.index.tolist() == ["Devices", "Burnout", "Passwords", "Data plans"]
    assert matrix.columns.tolist() == matrix.index.tolist()
    assert matrix.to_numpy().tolist() == [
        [3, 0, 1, 1],
        [0, 2, 1, 0],
        [1, 1, 2, 1],
        [1, 0, 1, 1],
    ]


def test_cooccurrence_matrix_by_theme_and_min_count(coded: pd.DataFrame) -> None:
    matrix = charts.cooccurrence_matrix(coded, by="theme")
    assert matrix.index.tolist() == ["Access", LONG, "Self-care"]
    assert matrix.to_numpy().tolist() == [[3, 1, 0], [1, 2, 1], [0, 1, 2]]
    assert charts.cooccurrence_matrix(coded, min_count=2).index.tolist() == [
        "Devices",
        "Burnout",
        "Passwords",
    ]
    with pytest.raises(RadarError, match="unknown by 'group'; use one of code, theme"):
        charts.cooccurrence_matrix(coded, by="group")


def test_cooccurrence_chart_draws_the_matrix(coded: pd.DataFrame) -> None:
    figure = charts.cooccurrence(coded, min_count=2)
    ax = figure.axes[0]
    expected = [[3, 0, 1], [0, 2, 1], [1, 1, 2]]
    assert [text.get_text() for text in ax.texts] == [str(v) for row in expected for v in row]
    colour_scale = image_array(ax)
    assert np.ma.getdata(colour_scale).tolist() == expected
    assert np.ma.getmaskarray(colour_scale).tolist() == np.eye(3, dtype=bool).tolist()  # diagonal apart
    assert tick_texts(ax.get_yticklabels()) == ["Devices", "Burnout", "Passwords"]
    assert [t.get_fontweight() for t in ax.texts[:2]] == ["bold", "normal"]
    assert ax.get_xlabel() == "The 3 of 4 codes held by 2 or more segments"


def test_cooccurrence_chart_refuses_too_high_a_min_count(coded: pd.DataFrame) -> None:
    with pytest.raises(RadarError, match="no code is held by 9 or more segments; lower min_count"):
        charts.cooccurrence(coded, min_count=9)


def many_codes(isolated: int) -> pd.DataFrame:
    """``isolated`` codes alone on a segment each, and X and Y together on S0."""
    rows = [("S0", "FG1", "P01", "X", "T"), ("S0", "FG1", "P01", "Y", "T")]
    rows += [(f"S{i}", "FG1", "P01", f"Code {i:02d}", "T") for i in range(1, isolated + 1)]
    return pd.DataFrame([(*row, "text", "", "") for row in rows], columns=list(C.PHASE3_COLUMNS))


def test_a_large_cooccurrence_chart_shows_only_overlapping_codes_and_says_so() -> None:
    coded = many_codes(charts.MAX_MATRIX)
    assert charts.cooccurrence_matrix(coded, overlapping=True).to_numpy().tolist() == [
        [1, 1],
        [1, 1],
    ]
    ax = charts.cooccurrence(coded).axes[0]
    assert tick_texts(ax.get_yticklabels()) == ["X", "Y"]
    assert ax.get_xlabel() == "The 2 of 22 codes sharing a segment with another code"
    everything = charts.cooccurrence(coded, overlapping=False).axes[0]
    assert len(everything.get_yticklabels()) == 22
    assert everything.get_xlabel() == ""


def test_a_small_cooccurrence_chart_shows_every_code() -> None:
    coded = many_codes(3)
    assert len(charts.cooccurrence(coded).axes[0].get_yticklabels()) == 5
    ax = charts.cooccurrence(coded, overlapping=True, min_count=1).axes[0]
    assert tick_texts(ax.get_yticklabels()) == ["X", "Y"]
    with pytest.raises(RadarError, match="no two codes share a segment"):
        charts.cooccurrence(coded.iloc[2:], overlapping=True)


# The reduction flow -----------------------------------------------------------------


def test_flow_texts_hold_the_counts_and_reasons() -> None:
    main, side = charts.flow_texts(FLOW)
    assert main == [
        "Phase 1 · all data\n11 speaker turns",
        "Phase 2 · relevant\n7 turns kept",
        "Phase 3 · coded\n6 segments with a code\n7 excerpts (segment-theme pairs)",
        "Themes\n3 themes with excerpts",
    ]
    assert side == [
        "Dropped in phase 1: 4\nfacilitator: 3\nnon-speech: 1",
        "Dropped in phase 2: 1\nno code: 1",
    ]


def flow_boxes(ax: Axes) -> list[FancyBboxPatch]:
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def test_flow_diagram_draws_every_text_inside_its_box() -> None:
    figure = charts.reduction_flow(FLOW, title="Reduction")
    texts = [text for text in figure.axes[0].texts if text.get_text()]
    words = "\n".join(text.get_text() for text in texts)
    for expected in ("11 speaker turns", "7 turns kept", "6 segments", "3 themes", "facilitator: 3",
                     "non-speech: 1", "no code: 1", "Reduction"):  # fmt: skip
        assert expected in words
    figure.draw_without_rendering()
    boxes = flow_boxes(figure.axes[0])
    assert len(boxes) == 6
    for text in texts[:-1]:  # the title is above the boxes
        assert sum(inside(text, box) for box in boxes) == 1, text.get_text()
    assert all(inside(text, figure) for text in texts)  # nothing clipped at the edges


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_flow_diagram_fits_a_small_axes_given(layout: Literal["constrained"] | None) -> None:
    figure = Figure(figsize=(6, 4), layout=layout)
    left, right = figure.subplots(1, 2)
    assert charts.reduction_flow(FLOW, ax=right) is figure
    assert not left.patches and right.patches
    figure.draw_without_rendering()
    texts = [text for text in right.texts if text.get_text()]
    assert all(text.get_fontsize() < charts.FLOW_FONT_SIZE for text in texts)
    for text in texts:
        assert sum(inside(text, box) for box in flow_boxes(right)) == 1, text.get_text()


# Drawing into a given axes ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["themes", "heatmap", "cooccurrence"])
def test_charts_draw_into_the_axes_given(coded: pd.DataFrame, kind: str) -> None:
    figure = Figure(figsize=(12, 5), layout="constrained")
    left, right = figure.subplots(1, 2)
    draw: Callable[[], Figure] = {
        "themes": lambda: charts.theme_bars(tally(coded, BOOK), ax=right),
        "heatmap": lambda: charts.theme_group_heatmap(coded, ax=right),
        "cooccurrence": lambda: charts.cooccurrence(coded, ax=right),
    }[kind]
    assert draw() is figure
    assert not left.patches and not left.images and not left.texts
    assert right.patches or right.images
    assert figure.get_size_inches().tolist() == [12, 5]


# From a study -----------------------------------------------------------------------


def test_chart_of_a_study_draws_its_tally(reduced: Study) -> None:
    frame = reduced.tally()
    figure = charts.chart(reduced, "themes")
    assert bar_widths(figure) == frame["n"].tolist()
    assert [text.get_text() for text in figure.axes[0].texts] == frame["label"].tolist()
    assert "Privacy (emerging)" in tick_texts(figure.axes[0].get_yticklabels())
    (reduced.root / "radar.toml").write_text("[deidentify]\nmin_cell = 1\n", encoding="utf-8")  # every bar
    by_people = charts.chart(reduced, "themes", unit="participants")
    assert bar_widths(by_people) == reduced.tally(unit="participants")["n"].tolist()
    assert by_people.axes[0].get_xlabel() == "Participants (n)"


def test_chart_of_a_study_heatmap_cooccurrence_and_flow(reduced: Study) -> None:
    tables = reduced.tables()
    heatmap = charts.chart(reduced, "heatmap")
    expected = charts.theme_group_table(
        tables.phase3, themes=tables.themes["theme"].tolist(), groups=["fg1", "fg2"]
    )
    assert image_array(heatmap.axes[0]).tolist() == expected.to_numpy().tolist()
    together = charts.chart(reduced, "cooccurrence")
    matrix = charts.cooccurrence_matrix(tables.phase3)
    assert np.ma.getdata(image_array(together.axes[0])).tolist() == matrix.to_numpy().tolist()
    flow = flow_of(tables)
    words = "\n".join(text.get_text() for text in charts.chart(reduced, "flow").axes[0].texts)
    assert f"{flow.turns} speaker turns" in words
    assert f"facilitator: {flow.dropped['facilitator']}" in words
    assert f"no code: {flow.kept - flow.coded}" in words


# The standard study (tests/conftest.py), by hand: fg1 has participants P01-P03, fg2 P04 and P05.
# Access: P01 laptop (fg1-002), P02 data plan (fg1-003), P04 tablet (fg2-002);
# Privacy: P01 password (fg1-006), P05 password (fg2-003); Self-care: P02 exhausted (fg1-007), P04 burnout.
# fg1 holds 4 excerpts (2 Access, 1 Privacy, 1 Self-care), fg2 3 (one of each theme).


def test_heatmap_of_a_study_by_participants(reduced: Study) -> None:
    (reduced.root / "radar.toml").write_text("[deidentify]\nmin_cell = 1\n", encoding="utf-8")  # every cell
    figure = charts.chart(reduced, "heatmap", unit="participants")
    ax = figure.axes[0]
    assert tick_texts(ax.get_yticklabels()) == ["Access", "Privacy", "Self-care"]
    assert [text.get_text() for text in ax.texts] == ["2/3", "1/2", "1/3", "1/2", "1/3", "1/2"]
    expected = [[200 / 3, 50.0], [100 / 3, 50.0], [100 / 3, 50.0]]
    assert np.allclose(np.ma.getdata(image_array(ax)), expected)
    assert ax.images[0].get_clim() == pytest.approx((100 / 3, 200 / 3))  # the data's range, not 0..100
    assert figure.axes[1].get_ylabel() == "Participants who spoke to the theme (% of the group's)"


def test_heatmap_of_a_study_by_excerpts_spans_the_counts(reduced: Study) -> None:
    figure = charts.chart(reduced, "heatmap", unit="excerpts")
    ax = figure.axes[0]
    assert image_array(ax).tolist() == [[2, 1], [1, 1], [1, 1]]
    assert [text.get_text() for text in ax.texts] == ["2", "1", "1", "1", "1", "1"]
    assert ax.images[0].get_clim() == (1, 2)
    assert figure.axes[1].get_ylabel() == "Excerpts (n)"


def test_heatmap_of_a_study_as_percentages_of_each_groups_excerpts(reduced: Study) -> None:
    figure = reduced.chart("heatmap", percent=True)
    ax = figure.axes[0]
    assert [text.get_text() for text in ax.texts] == ["2/4", "1/3", "1/4", "1/3", "1/4", "1/3"]
    assert np.allclose(np.ma.getdata(image_array(ax)), [[50, 100 / 3], [25, 100 / 3], [25, 100 / 3]])
    assert ax.images[0].get_clim() == pytest.approx((25, 50))
    assert figure.axes[1].get_ylabel() == "Excerpts (% of the group's)"


def test_heatmap_of_one_value_still_has_a_scale(coded: pd.DataFrame) -> None:
    figure = charts.theme_group_heatmap(coded, themes=["Self-care"], groups=["FG2"])
    assert image_array(figure.axes[0]).tolist() == [[2]]
    assert figure.axes[0].images[0].get_clim() == (1, 3)


def test_heatmap_refuses_the_groups_unit(reduced: Study) -> None:
    with pytest.raises(
        RadarError, match="the heatmap counts excerpts or participants per group, not 'groups'"
    ):
        charts.chart(reduced, "heatmap", unit="groups")


def test_the_chart_command_draws_the_heatmap_by_participants(reduced: Study, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from radar.cli import main

    out = tmp_path / "heatmap.png"
    result = CliRunner().invoke(
        main, ["chart", str(reduced.root), "heatmap", "--unit", "participants", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n" and out.read_bytes().startswith(b"\x89PNG")
    result = CliRunner().invoke(
        main, ["chart", str(reduced.root), "heatmap", "--unit", "groups", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: the heatmap counts excerpts or participants per group, not 'groups'\n"


def test_chart_refuses_an_unknown_kind(reduced: Study) -> None:
    with pytest.raises(
        RadarError, match="unknown chart 'pie'; use one of themes, heatmap, cooccurrence, flow"
    ):
        charts.chart(reduced, "pie")


# Saving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "magic"),
    [("chart.png", b"\x89PNG\r\n\x1a\n"), ("chart.PDF", b"%PDF-"), ("chart.svg", b"<?xml")],
)
def test_save_figure_writes_the_format_of_the_suffix(tmp_path: Path, name: str, magic: bytes) -> None:
    target = tmp_path / "out" / name
    assert charts.save_figure(charts.reduction_flow(FLOW), target) == target
    data = target.read_bytes()
    assert data.startswith(magic)
    if name.endswith(".svg"):
        assert b"<svg" in data
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


def test_save_figure_png_is_300_dpi(tmp_path: Path) -> None:
    from PIL import Image

    target = charts.save_figure(charts.reduction_flow(FLOW), tmp_path / "flow.png")
    with Image.open(target) as image:
        assert round(image.info["dpi"][0]) == 300


@pytest.mark.parametrize("name", ["chart.gif", "chart"])
def test_save_figure_refuses_other_suffixes(tmp_path: Path, name: str) -> None:
    with pytest.raises(RadarError, match=r"use \.png, \.svg or \.pdf"):
        charts.save_figure(charts.reduction_flow(FLOW), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_importing_charts_does_not_import_matplotlib() -> None:
    code = "import sys, radar.charts; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
