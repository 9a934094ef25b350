"""Themes by group: excerpts per theme and group, and the annotated heatmap the matrices share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.style import (
    DIAGONAL_COLOUR,
    FONT_SIZE,
    LINE_HEIGHT,
    SEQUENTIAL_CMAP,
    SMALL_FONT_SIZE,
    WIDTH,
    _check_not_empty,
    _figure_and_axes,
    _lines,
    _natural_key,
    _title,
    theme_label,
)
from radar.errors import ChartError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage


def theme_group_table(
    coded: pd.DataFrame,
    *,
    themes: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Excerpts (distinct segment-theme pairs) per theme and group.

    Args:
        coded: the phase-3 table (Segment ID, Group, Theme ...).
        themes: the rows, in order (themes absent from ``coded`` count 0);
            by default the coded themes, most excerpts first.
        groups: the columns, in order; by default the coded groups sorted
            naturally (``fg2`` before ``fg10``).

    Returns:
        An integer frame indexed by theme with one column per group.

    Example:
        >>> import pandas as pd
        >>> coded = pd.DataFrame({"Segment ID": ["a", "a", "b"], "Group": ["g1", "g1", "g2"],
        ...                       "Theme": ["T", "T", "T"]})
        >>> theme_group_table(coded).loc["T"].tolist()
        [1, 1]
    """
    pairs = coded[[C.SEGMENT_ID, C.GROUP, C.THEME]].drop_duplicates()
    counts = pairs.groupby([C.THEME, C.GROUP]).size().unstack(fill_value=0)
    if themes is None:
        totals = counts.sum(axis=1)
        themes = sorted(counts.index, key=lambda theme: (-int(totals[theme]), str(theme)))
    if groups is None:
        groups = sorted(counts.columns, key=lambda group: _natural_key(str(group)))
    table = counts.reindex(index=list(themes), columns=list(groups), fill_value=0).astype(int)
    table.index.name, table.columns.name = C.THEME, C.GROUP
    return table


def theme_group_heatmap(
    coded: pd.DataFrame,
    *,
    ax: Axes | None = None,
    themes: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """A heatmap of excerpts per theme (rows) and group (columns), each cell numbered.

    Args:
        coded: the phase-3 table (Segment ID, Group, Participant, Code, Theme, Text).
        ax: an axes to draw into; by default a new figure sized to the table.
        themes: the rows, in order (see :func:`theme_group_table`).
        groups: the columns, in order.
        title: a title above the heatmap.
    """
    _check_not_empty(coded)
    table = theme_group_table(coded, themes=themes, groups=groups)
    if table.empty:
        raise ChartError("no themes or no groups to chart; give at least one of each")
    rows = [theme_label(str(theme)) for theme in table.index]
    columns = [str(group) for group in table.columns]
    width = min(WIDTH + 3, 4.2 + 0.55 * len(columns))
    height = 0.9 + (0.35 if title else 0) + len(rows) * (max(map(_lines, rows)) * LINE_HEIGHT + 0.12)
    figure, ax = _figure_and_axes(ax, (max(width, 5.0), height))
    _matrix(figure, ax, table, rows, columns, colorbar="Excerpts (n)")
    ax.set_xlabel(C.GROUP, fontsize=FONT_SIZE)
    _title(ax, title)
    return figure


def _matrix(
    figure: Figure,
    ax: Axes,
    values: pd.DataFrame,
    rows: Sequence[str],
    columns: Sequence[str],
    *,
    colorbar: str,
    diagonal: bool = False,
    rotate: bool = False,
) -> None:
    """An annotated heatmap with a colour bar; a ``diagonal`` is drawn grey and bold."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.ticker import MaxNLocator

    data = values.to_numpy(dtype=int)
    on_diagonal = np.eye(*data.shape, dtype=np.bool_)
    shown = np.ma.masked_array(data, mask=on_diagonal if diagonal else np.zeros_like(on_diagonal))
    top = max(1, int(shown.max()) if shown.count() else 0)
    image = ax.imshow(shown, cmap=SEQUENTIAL_CMAP, vmin=0, vmax=top, aspect="auto")
    if diagonal:
        grey = ListedColormap([DIAGONAL_COLOUR])
        ax.imshow(np.ma.masked_array(data, mask=np.logical_not(on_diagonal)), cmap=grey, aspect="auto")
    size = FONT_SIZE if len(rows) <= 12 else SMALL_FONT_SIZE - 1
    for (i, j), value in np.ndenumerate(data):
        diagonal_cell = diagonal and i == j
        colour = "black" if diagonal_cell or _is_light(image, value) else "white"
        ax.text(
            j,
            i,
            str(value),
            ha="center",
            va="center",
            color=colour,
            fontsize=size,
            fontweight="bold" if diagonal_cell else "normal",
        )
    ax.set_yticks(range(len(rows)), rows, fontsize=size)
    if rotate:
        ax.set_xticks(
            range(len(columns)),
            columns,
            fontsize=size,
            rotation=45,
            ha="right",
            rotation_mode="anchor",
        )
    else:
        ax.set_xticks(range(len(columns)), columns, fontsize=size)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    bar = figure.colorbar(image, ax=ax, shrink=min(1.0, 6 / max(len(rows), 1) + 0.3))
    bar.set_label(colorbar, fontsize=FONT_SIZE)
    bar.ax.tick_params(labelsize=SMALL_FONT_SIZE)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _is_light(image: AxesImage, value: int) -> bool:
    """Whether a cell of this value is light enough for black text."""
    import numpy as np

    red, green, blue = (float(part) for part in image.to_rgba(np.array([value]))[0][:3])
    return 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
