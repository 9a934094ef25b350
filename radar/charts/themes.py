"""The ranked theme bars: a theme tally, largest at the top, each bar labelled ``n/N, %``.

Counted by participants or groups, a theme voiced by 1 to ``min_cell - 1`` of
them (radar.toml's ``[deidentify] min_cell``, 3 by default) is a small cell:
its bar is not drawn and its label reads ``<3/N`` (:mod:`radar.tally`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.style import (
    BAR_COLOUR,
    EMERGING_COLOUR,
    FONT_SIZE,
    LINE_HEIGHT,
    SMALL_FONT_SIZE,
    WIDTH,
    _figure_and_axes,
    _lines,
    _title,
    theme_label,
)
from radar.config import DEFAULT_MIN_CELL
from radar.errors import ChartError
from radar.tally import UNITS, is_small, label

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.text import Text


def theme_bars(
    tally: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    unit: str = "excerpts",
    emerging: Collection[str] = (),
    min_cell: int = DEFAULT_MIN_CELL,
) -> Figure:
    """Ranked horizontal bars of a theme tally, largest at the top, each labelled ``n/N, %``.

    Args:
        tally: a tally frame (``theme,n,N,percent,label``, as from
            :func:`radar.tally.tally` or ``Study.tally``); a tally by code
            (``code,theme,...``) is drawn by code.
        ax: an axes to draw into; by default a new figure sized to the themes.
        title: a title above the bars.
        unit: the tally's unit (``excerpts``, ``participants`` or ``groups``),
            for the axis label.
        emerging: themes to mark ``(emerging)``, drawn in another colour.
        min_cell: by participants or groups, counts from 1 to ``min_cell - 1``
            are small cells: no bar, and ``<3/N`` as the label (1 draws every bar).

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"theme": ["Access", "Privacy"], "n": [3, 2], "N": 5,
        ...                       "percent": [60.0, 40.0], "label": ["3/5, 60%", "2/5, 40%"]})
        >>> [int(bar.get_width()) for bar in theme_bars(frame).axes[0].patches]
        [3, 2]
    """
    from matplotlib.ticker import MaxNLocator

    if unit not in UNITS:
        raise ChartError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    name = C.TALLY_CODE if C.TALLY_CODE in tally.columns else C.TALLY_THEME
    rows = tally.sort_values(C.TALLY_N, ascending=False, kind="stable")
    if rows.empty:
        raise ChartError("the tally has no rows to chart; check the codebook has themes")
    marked = set(emerging)
    names = [str(value) for value in rows[name]]
    labels = [theme_label(value, value in marked) for value in names]
    counts = [int(n) for n in rows[C.TALLY_N]]
    totals = [int(n) for n in rows[C.TALLY_TOTAL]]
    texts_of = [str(text) for text in rows[C.TALLY_LABEL]]
    if unit != "excerpts":  # counts of people or groups: small cells are neither drawn nor numbered
        small = [is_small(n, min_cell) or is_small(t, min_cell) for n, t in zip(counts, totals)]
        texts_of = [
            label(n, t, min_cell=min_cell) if s else x for n, t, s, x in zip(counts, totals, small, texts_of)
        ]
        counts = [0 if s else n for n, s in zip(counts, small)]
    figure, ax = _figure_and_axes(ax, (WIDTH, _bars_height(labels, title)))
    colours = [EMERGING_COLOUR if value in marked else BAR_COLOUR for value in names]
    positions = list(range(len(labels)))
    bars = ax.barh(positions, counts, height=0.65, color=colours)
    ax.set_yticks(positions, labels)
    ax.set_ylim(len(labels) - 0.4, -0.6)  # the largest theme at the top
    texts = ax.bar_label(
        bars,
        labels=texts_of,
        padding=3,
        fontsize=SMALL_FONT_SIZE,
    )
    ax.set_xlabel(f"{unit.capitalize()} (n)", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=FONT_SIZE)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, title)
    _room_for_bar_labels(figure, ax, bars, texts)
    return figure


def _bars_height(labels: Sequence[str], title: str | None) -> float:
    """Inches: every theme gets room for its longest wrapped label."""
    most = max(_lines(label) for label in labels)
    per_theme = most * LINE_HEIGHT + 0.14
    return 0.75 + (0.35 if title else 0) + len(labels) * per_theme


def _room_for_bar_labels(figure: Figure, ax: Axes, bars: BarContainer, texts: Sequence[Text]) -> None:
    """Widen the x axis so every bar's label ends inside the axes."""
    figure.draw_without_rendering()  # lays the figure out, so sizes are known
    axes_width = ax.get_window_extent().width
    points = figure.dpi / 72
    needed = 1.0
    for bar, text in zip(bars.patches, texts):
        share = (text.get_window_extent().width + 6 * points) / axes_width
        n = bar.get_width()
        needed = max(needed, n / (1 - share) if share < 0.8 else 5 * n)
    ax.set_xlim(0, needed * 1.03)
