"""Themes by group: excerpts or participants per theme and group, and the annotated heatmap the matrices share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    wrap_label,
)
from radar.config import DEFAULT_MIN_CELL
from radar.errors import ChartError
from radar.tally import fraction, is_small

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


HEATMAP_UNITS = ("excerpts", "participants")


def group_participants(table1: pd.DataFrame) -> pd.DataFrame:
    """The (group, participant) pairs of the phase-1 table: who took part in which group."""
    people = table1[table1[C.ROLE] == C.PARTICIPANT_ROLE]
    return people[[C.GROUP, C.PARTICIPANT]].drop_duplicates()


def theme_group_shares(
    coded: pd.DataFrame,
    *,
    unit: str = "excerpts",
    participants: pd.DataFrame | None = None,
    themes: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per theme and group, n and N: the group's excerpts or participants, and the share's denominator.

    Args:
        coded: the phase-3 table.
        unit: ``excerpts`` (n = the theme's excerpts in the group, N = the
            group's excerpts) or ``participants`` (n = the group's participants
            who spoke to the theme, N = the group's participants).
        participants: the (Group, Participant) pairs of who took part (see
            :func:`group_participants`); needed for ``participants``.
        themes: the rows, in order (see :func:`theme_group_table`).
        groups: the columns, in order.

    Returns:
        Two integer frames of the same shape: n, and N repeated down each column.
    """
    import pandas as pd

    if unit not in HEATMAP_UNITS:
        raise ChartError(f"the heatmap counts {' or '.join(HEATMAP_UNITS)} per group, not {unit!r}")
    excerpts = theme_group_table(coded, themes=themes, groups=groups)
    if unit == "excerpts":
        sums = excerpts.sum(axis=0)
        return excerpts, pd.DataFrame(
            {g: [int(sums[g])] * len(excerpts) for g in excerpts.columns}, excerpts.index
        )
    if participants is None:
        raise ChartError("the heatmap by participants needs who took part in each group (the phase-1 table)")
    people = set(zip(participants[C.GROUP], participants[C.PARTICIPANT]))
    spoke = coded[[C.THEME, C.GROUP, C.PARTICIPANT]].drop_duplicates()
    spoke = spoke[[(g, p) in people for g, p in zip(spoke[C.GROUP], spoke[C.PARTICIPANT])]]
    counts = spoke.groupby([C.THEME, C.GROUP]).size().unstack(fill_value=0)
    n = counts.reindex(index=excerpts.index, columns=excerpts.columns, fill_value=0).astype(int)
    sizes = participants.groupby(C.GROUP).size()
    total = pd.DataFrame({g: [int(sizes.get(g, 0))] * len(n) for g in n.columns}, index=n.index)
    n.index.name, n.columns.name = C.THEME, C.GROUP
    return n, total


def theme_group_heatmap(
    coded: pd.DataFrame,
    *,
    ax: Axes | None = None,
    themes: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    title: str | None = None,
    unit: str = "excerpts",
    percent: bool = False,
    participants: pd.DataFrame | None = None,
    group_names: Mapping[str, str] | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> Figure:
    """A heatmap of themes (rows) by group (columns), each cell numbered.

    The colour scale runs from the smallest cell to the largest.

    Args:
        coded: the phase-3 table (Segment ID, Group, Participant, Code, Theme, Text).
        ax: an axes to draw into; by default a new figure sized to the table.
        themes: the rows, in order (see :func:`theme_group_table`).
        groups: the columns, in order.
        title: a title above the heatmap.
        unit: ``excerpts`` (each cell the theme's excerpts in the group) or
            ``participants`` (each cell n/N of the group's participants who
            spoke to the theme, coloured by the percentage).
        percent: with ``excerpts``, each cell n/N of the group's excerpts,
            coloured by the percentage.
        participants: the (Group, Participant) pairs of who took part, for
            ``participants`` (see :func:`group_participants`).
        group_names: Group ID -> the name to label the column with.
        min_cell: with ``participants``, a cell of 1 to ``min_cell - 1`` participants
            (or a group that small) is a small cell: left blank and written ``<3/N``.
    """
    _check_not_empty(coded)
    n, total = theme_group_shares(coded, unit=unit, participants=participants, themes=themes, groups=groups)
    if n.empty:
        raise ChartError("no themes or no groups to chart; give at least one of each")
    rows = [theme_label(str(theme)) for theme in n.index]
    names = group_names or {}
    columns = [wrap_label(names.get(str(group), str(group)), GROUP_WRAP) for group in n.columns]
    shares = unit == "participants" or percent
    width = min(WIDTH + 3, 4.2 + (0.7 if shares else 0.55) * len(columns))
    height = (
        0.9
        + (0.35 if title else 0)
        + (max(map(_lines, columns)) - 1) * LINE_HEIGHT
        + len(rows) * (max(map(_lines, rows)) * LINE_HEIGHT + 0.12)
    )
    figure, ax = _figure_and_axes(ax, (max(width, 5.0), height))
    if shares:
        values = (100 * n / total.where(total > 0)).fillna(0.0)
        texts = [[f"{a}/{b}" for a, b in zip(x, y)] for x, y in zip(n.to_numpy(), total.to_numpy())]
        if unit == "participants":  # small cells: no colour, and <3 for the count
            small = n.map(lambda k: is_small(int(k), min_cell)) | total.map(
                lambda k: is_small(int(k), min_cell)
            )
            values = values.mask(small)
            texts = [
                [fraction(int(a), int(b), min_cell) if hide else text for a, b, hide, text in zip(x, y, z, t)]
                for x, y, z, t in zip(n.to_numpy(), total.to_numpy(), small.to_numpy(), texts)
            ]
        bar = COLOUR_BARS[unit]
        _matrix(figure, ax, values, rows, columns, colorbar=bar, texts=texts, whole=False)
    else:
        _matrix(figure, ax, n, rows, columns, colorbar="Excerpts (n)")
    ax.set_xlabel(C.GROUP, fontsize=FONT_SIZE)
    _title(ax, title)
    return figure


GROUP_WRAP = 12  # characters per line of a group's name under its column
COLOUR_BARS = {
    "participants": "Participants who spoke to the theme (% of the group's)",
    "excerpts": "Excerpts (% of the group's)",
}


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
    texts: Sequence[Sequence[str]] | None = None,
    whole: bool = True,
) -> None:
    """An annotated heatmap with a colour bar from the smallest value to the largest.

    A ``diagonal`` is drawn grey and bold, outside the scale; ``texts`` replace
    the numbers written in the cells; ``whole`` values are counts.
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    data = values.to_numpy(dtype=int if whole else float)
    on_diagonal = np.eye(*data.shape, dtype=np.bool_)
    blank = np.isnan(data) if not whole else np.zeros_like(on_diagonal)  # small cells: no colour
    shown = np.ma.masked_array(data, mask=(on_diagonal if diagonal else np.zeros_like(on_diagonal)) | blank)
    low, high = (float(shown.min()), float(shown.max())) if shown.count() else (0.0, 0.0)
    if high == low:  # one value: a scale around it
        low, high = (low - 1, high + 1) if low > 0 else (0.0, 1.0)
    image = ax.imshow(shown, cmap=SEQUENTIAL_CMAP, vmin=low, vmax=high, aspect="auto")
    if diagonal:
        grey = ListedColormap([DIAGONAL_COLOUR])
        ax.imshow(np.ma.masked_array(data, mask=np.logical_not(on_diagonal)), cmap=grey, aspect="auto")
    size = FONT_SIZE if len(rows) <= 12 else SMALL_FONT_SIZE - 1
    for (i, j), value in np.ndenumerate(data):
        diagonal_cell = diagonal and i == j
        colour = "black" if diagonal_cell or blank[i, j] or _is_light(image, value) else "white"
        ax.text(
            j,
            i,
            texts[i][j] if texts is not None else str(value),
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
    if not whole:
        bar.ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))


def _is_light(image: AxesImage, value: float) -> bool:
    """Whether a cell of this value is light enough for black text."""
    import numpy as np

    red, green, blue = (float(part) for part in image.to_rgba(np.array([value]))[0][:3])
    return 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
