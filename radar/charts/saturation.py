"""The saturation chart: new codes per transcript in the order held, the running total, each run's new information."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.style import (
    BAR_COLOUR,
    EMERGING_COLOUR,
    FONT_SIZE,
    OKABE_ITO,
    SMALL_FONT_SIZE,
    WIDTH,
    _figure_and_axes,
    _title,
)
from radar.errors import ChartError
from radar.saturation import SaturationResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BASE_COLOUR = OKABE_ITO["sky blue"]


def saturation_chart(
    result: SaturationResult,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    group_names: Mapping[str, str] | None = None,
) -> Figure:
    """Bars of new codes (or themes) per transcript, the base in a lighter colour, the running total as a line.

    Each transcript that ends a run is labelled with the run's new
    information (% of the base's codes); the run that meets the threshold
    is drawn in orange. The caption line under the axis gives the base size,
    run length and threshold.

    Example:
        >>> from radar.saturation import saturation
        >>> result = saturation(["a", "b", "c"], {"a": {"x", "y"}, "b": {"z"}, "c": set()}, base=2, run=1)
        >>> [int(bar.get_height()) for bar in saturation_chart(result).axes[0].patches]
        [2, 1, 0]
    """
    from matplotlib.ticker import MaxNLocator

    frame = result.table
    if frame.empty:
        raise ChartError("there are no transcripts to chart; run `radar reduce` first")
    names = group_names or {}
    labels = [names.get(str(g), str(g)) for g in frame[C.GROUP]]
    positions = list(range(len(labels)))
    figure, ax = _figure_and_axes(ax, (WIDTH, 3.6 + (0.3 if title else 0)))
    colours = []
    for index, group in enumerate(frame[C.GROUP]):
        if index < result.base:
            colours.append(BASE_COLOUR)
        elif result.met_at is not None and group == result.met_at:
            colours.append(EMERGING_COLOUR)
        else:
            colours.append(BAR_COLOUR)
    counts = [int(n) for n in frame["new"]]
    bars = ax.bar(positions, counts, width=0.6, color=colours)
    ax.plot(
        positions,
        [int(n) for n in frame["cumulative"]],
        color=OKABE_ITO["black"],
        marker="o",
        linewidth=1.2,
        markersize=3.5,
    )
    top = max(int(frame["cumulative"].max()), 1)
    for bar, count, step, share, met in zip(
        bars, counts, frame["step"], frame["new_information"], frame["met"]
    ):
        text = str(count)
        if str(share) != "<NA>":
            text += f"\nrun {int(step)}: {float(share):.0f}%" + (" ✓" if met == C.YES else "")
        inside = bar.get_height() > 0.2 * top  # a tall bar's count sits inside it, clear of the line
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, -4 if inside else 3),
            textcoords="offset points",
            ha="center",
            va="top" if inside else "bottom",
            color=OKABE_ITO["black"],
            fontsize=SMALL_FONT_SIZE,
        )
    _legend(ax, result)
    ax.set_xticks(
        positions,
        labels,
        rotation=0 if len(labels) <= 8 else 45,
        ha="center" if len(labels) <= 8 else "right",
    )
    ax.set_ylim(0, top * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"{result.unit.capitalize()} (n)", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=FONT_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    if len(labels) > result.base:
        ax.axvline(result.base - 0.5, color=OKABE_ITO["black"], linewidth=0.6, linestyle=":")
    verdict = (
        f"met at {names.get(result.met_at, result.met_at)}"
        if result.met_at
        else ("not met" if result.assessable else "not assessable: too few transcripts")
    )
    ax.set_xlabel(
        f"Transcripts in the order held (by {result.order_by}). Base {result.base} (light), run {result.run}, "
        f"threshold ≤{result.threshold:g}% new {result.unit}: {verdict}.",
        fontsize=SMALL_FONT_SIZE,
    )
    _title(ax, title)
    return figure


def _legend(ax: Axes, result: SaturationResult) -> None:
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [
        Patch(color=BASE_COLOUR, label=f"new {result.unit}: base"),
        Patch(color=BAR_COLOUR, label=f"new {result.unit}: after the base"),
    ]
    if result.met_at is not None:
        handles.append(Patch(color=EMERGING_COLOUR, label="the run that met the threshold"))
    handles.append(
        Line2D([], [], color=OKABE_ITO["black"], marker="o", markersize=3.5, label=f"{result.unit} so far")
    )
    ax.legend(handles=handles, fontsize=SMALL_FONT_SIZE, frameon=False, loc="center right")
