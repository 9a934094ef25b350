"""Charts of a reduction: the theme tally, themes by group, co-occurrence, the flow.

Every chart function returns a matplotlib :class:`~matplotlib.figure.Figure`
and accepts an ``ax`` to draw into (then it returns that axes' figure). No
function touches pyplot's global state, and matplotlib is imported only when a
chart is drawn, so ``import radar`` stays fast. Only :func:`save_figure` (and
the CLI through it) writes files.

Example:
    >>> from radar.study import Study  # doctest: +SKIP
    >>> fig = chart(Study("examples/digital-peer-support"), "themes")  # doctest: +SKIP
    >>> save_figure(fig, "themes.png")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.errors import ChartError
from radar.files import check_overwrite, write_atomic
from radar.folder import Folder
from radar.reduction.readback import tables_from_workbook, tally_workbook
from radar.reduction.records import Flow
from radar.reduction.tables import flow_of
from radar.tally import UNITS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.text import Text


# The Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
PALETTE = tuple(OKABE_ITO.values())
BAR_COLOUR = OKABE_ITO["blue"]
EMERGING_COLOUR = OKABE_ITO["orange"]
SEQUENTIAL_CMAP = "cividis"  # perceptually uniform and colour-blind safe
DIAGONAL_COLOUR = "#E6E6E6"
MAIN_FILL, MAIN_EDGE = "#E3F1FB", OKABE_ITO["blue"]  # a light tint of sky blue
SIDE_FILL, SIDE_EDGE = "#FDF0D5", OKABE_ITO["orange"]  # a light tint of orange

# Sizes in points, meant to be printed at the figure's own size (7 inches wide).
FONT_SIZE = 9.0
SMALL_FONT_SIZE = 8.0
TITLE_FONT_SIZE = 11.0
WIDTH = 7.0
WRAP_WIDTH = 40
LINE_HEIGHT = FONT_SIZE * 1.25 / 72  # inches per line of a tick label
EMERGING = "emerging"

KINDS = ("themes", "heatmap", "cooccurrence", "flow")
SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DPI = 300


# Labels ----------------------------------------------------------------------


def wrap_label(text: str, width: int = WRAP_WIDTH) -> str:
    """A long name broken into lines of at most ``width`` characters.

    Example:
        >>> print(wrap_label("Education on peer support competencies and digital peer support"))
        Education on peer support competencies
        and digital peer support
    """
    return textwrap.fill(text, width=width) or text


def theme_label(name: str, emerging: bool = False, width: int = WRAP_WIDTH) -> str:
    """A theme's axis label: wrapped, with ``(emerging)`` after an emerging theme.

    Example:
        >>> theme_label("Feedback", emerging=True)
        'Feedback (emerging)'
    """
    return wrap_label(f"{name} ({EMERGING})" if emerging else name, width)


def _lines(label: str) -> int:
    return label.count("\n") + 1


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``fg2`` before ``fg10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


# Figures and axes --------------------------------------------------------------


def _figure_and_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """The given axes and its figure, or a new constrained-layout figure of ``size`` inches."""
    from matplotlib.figure import Figure

    if ax is not None:
        return _figure_of(ax), ax
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def _figure_of(ax: Axes) -> Figure:
    """The (root) figure an axes is drawn in."""
    from matplotlib.figure import Figure

    holder = ax.get_figure()
    while holder is not None and not isinstance(holder, Figure):
        holder = holder.get_figure()  # a SubFigure: go up to its parent
    if holder is None:
        raise ChartError("the axes given is not in a figure; make it with Figure().add_subplot()")
    return holder


def _title(ax: Axes, title: str | None) -> None:
    if title:
        ax.set_title(title, fontsize=TITLE_FONT_SIZE, loc="left")


def _check_not_empty(coded: pd.DataFrame) -> None:
    if coded.empty:
        raise ChartError(
            "there are no coded segments to chart; code segments in sheet "
            f"{C.SHEET_PHASE2!r} and run `radar reduce`"
        )


# 1. Ranked theme bars -----------------------------------------------------------


def theme_bars(
    tally: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    unit: str = "excerpts",
    emerging: Collection[str] = (),
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
    figure, ax = _figure_and_axes(ax, (WIDTH, _bars_height(labels, title)))
    colours = [EMERGING_COLOUR if value in marked else BAR_COLOUR for value in names]
    positions = list(range(len(labels)))
    bars = ax.barh(positions, counts, height=0.65, color=colours)
    ax.set_yticks(positions, labels)
    ax.set_ylim(len(labels) - 0.4, -0.6)  # the largest theme at the top
    texts = ax.bar_label(
        bars,
        labels=[str(text) for text in rows[C.TALLY_LABEL]],
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


# 2. Themes by group -------------------------------------------------------------


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


# 3. Co-occurrence ---------------------------------------------------------------


def cooccurrence_matrix(
    coded: pd.DataFrame, by: str = "code", min_count: int = 1, *, overlapping: bool = False
) -> pd.DataFrame:
    """How many segments hold both of two codes (or themes); the diagonal, each alone.

    Args:
        coded: the phase-3 table, one row per (segment, code).
        by: ``code`` or ``theme``.
        min_count: keep only codes held by at least this many segments.
        overlapping: keep only codes that share a segment with another kept code.

    Returns:
        A square integer frame, codes ordered by segments held (most first),
        then by name.

    Example:
        >>> import pandas as pd
        >>> coded = pd.DataFrame({"Segment ID": ["s1", "s1", "s2"], "Code": ["A", "B", "A"]})
        >>> cooccurrence_matrix(coded).to_dict()
        {'A': {'A': 2, 'B': 1}, 'B': {'A': 1, 'B': 1}}
    """
    import pandas as pd

    key = {"code": C.CODE, "theme": C.THEME}.get(by)
    if key is None:
        raise ChartError(f"unknown by {by!r}; use one of code, theme")
    pairs = coded[[C.SEGMENT_ID, key]].drop_duplicates()
    held = pd.crosstab(pairs[C.SEGMENT_ID], pairs[key])
    matrix = held.T.dot(held)
    alone = {name: int(matrix.loc[name, name]) for name in matrix.index}
    order = sorted((n for n in alone if alone[n] >= min_count), key=lambda n: (-alone[n], str(n)))
    if overlapping:
        order = [n for n in order if int(matrix.loc[n, order].sum()) > alone[n]]
    result = matrix.loc[order, order].astype(int)
    result.index.name = result.columns.name = key
    return result


MAX_MATRIX = 20  # more codes than this and a co-occurrence chart shows only those that overlap


def cooccurrence(
    coded: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str = "code",
    min_count: int = 1,
    overlapping: bool | None = None,
    title: str | None = None,
) -> Figure:
    """A code-by-code (or theme-by-theme) co-occurrence heatmap, each cell numbered.

    Off the diagonal, a cell is the number of segments holding both; the
    diagonal (grey, bold) is the number of segments holding the code at all.
    The colour scale follows the co-occurrences only. When codes are left
    out, the axis caption says how many are shown of how many.

    Args:
        coded: the phase-3 table.
        ax: an axes to draw into; by default a new figure sized to the matrix.
        by: ``code`` or ``theme``.
        min_count: chart only codes held by at least this many segments.
        overlapping: chart only codes that share a segment with another; by
            default, only when more than ``MAX_MATRIX`` codes would be charted.
        title: a title above the matrix.
    """
    _check_not_empty(coded)
    matrix = cooccurrence_matrix(coded, by=by, min_count=min_count)
    if matrix.empty:
        raise ChartError(f"no {by} is held by {min_count} or more segments; lower min_count")
    if overlapping or (overlapping is None and len(matrix) > MAX_MATRIX):
        overlapping = True
        matrix = cooccurrence_matrix(coded, by=by, min_count=min_count, overlapping=True)
        if matrix.empty:
            raise ChartError(f"no two {by}s share a segment: there is no co-occurrence to chart")
    rows = [wrap_label(str(name)) for name in matrix.index]
    columns = [str(name) for name in matrix.columns]
    figure, ax = _figure_and_axes(ax, _cooccurrence_size(rows, columns, title))
    _matrix(
        figure,
        ax,
        matrix,
        rows,
        columns,
        colorbar="Segments holding both (n)",
        diagonal=True,
        rotate=True,
    )
    total = int(coded[C.CODE if by == "code" else C.THEME].nunique())
    ax.set_xlabel(
        _cooccurrence_caption(by, len(matrix), total, min_count, bool(overlapping)),
        fontsize=FONT_SIZE,
    )
    _title(ax, title)
    return figure


def _cooccurrence_size(rows: Sequence[str], columns: Sequence[str], title: str | None) -> tuple[float, float]:
    """Inches: square cells, room for the row names and the slanted column names."""
    cell = max(0.3, min(0.55, 6.0 / len(rows)))
    row_room = max(len(line) for row in rows for line in row.split("\n")) * 0.07
    column_room = max(len(column) for column in columns) * 0.07 * 0.75
    cells = cell * len(rows)
    height = cells + column_room + 0.8 + (0.35 if title else 0)
    return row_room + cells + 1.4, max(height, cells * 0.9 + 1.0)


def _cooccurrence_caption(by: str, shown: int, total: int, min_count: int, overlapping: bool) -> str:
    """Which codes the chart shows, when it leaves some out."""
    if shown == total:
        return ""
    held = [f"held by {min_count} or more segments"] if min_count > 1 else []
    shared = [f"sharing a segment with another {by}"] if overlapping else []
    return wrap_label(f"The {shown} of {total} {by}s {' and '.join(held + shared)}", 80)


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


# 4. The reduction flow ----------------------------------------------------------

FLOW_FONT_SIZE = 9.5
PAD = 7.0  # points between a box's edge and its text
GAP = 26.0  # points between two boxes of the main column
SIDE_GAP = 36.0  # points between the main column and the side boxes


@dataclass(frozen=True)
class _Box:
    """A box of the flow diagram, in points from the bottom left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


def flow_texts(flow: Flow) -> tuple[list[str], list[str]]:
    """The texts of the flow diagram: the main boxes and the two boxes of drops.

    Example:
        >>> from radar.reduction.records import Flow
        >>> main, side = flow_texts(Flow(11, 7, 6, 3, 7, {"facilitator": 3, "non-speech": 1}))
        >>> side[0]
        'Dropped in phase 1: 4\\nfacilitator: 3\\nnon-speech: 1'
    """
    main = [
        f"Phase 1 · all data\n{flow.turns} speaker turns",
        f"Phase 2 · relevant\n{flow.kept} turns kept",
        (
            f"Phase 3 · coded\n{flow.coded} segments with a code\n"
            f"{flow.excerpts} excerpts (segment-theme pairs)"
        ),
        f"Themes\n{flow.themes} themes with excerpts",
    ]
    reasons = [f"{reason}: {n}" for reason, n in flow.dropped.items()]
    phase1 = "\n".join([f"Dropped in phase 1: {sum(flow.dropped.values())}", *reasons])
    no_code = flow.kept - flow.coded
    side = [phase1, f"Dropped in phase 2: {no_code}\nno code: {no_code}"]
    return main, side


def reduction_flow(flow: Flow, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """The reduction as a CONSORT-style flow diagram.

    Boxes for the turns, the kept turns, the coded segments and the themes run
    down the page; beside the arrows, boxes list what each phase dropped and
    why ("facilitator: 120", "no code: 14").

    Args:
        flow: the counts, as from :func:`radar.reduction.tables.flow_of`.
        ax: an axes to draw into (the text shrinks to fit it); by default a
            new figure sized to the diagram.
        title: a title above the diagram.

    Example:
        >>> from radar.reduction.records import Flow
        >>> fig = reduction_flow(Flow(11, 7, 6, 3, 7, {"facilitator": 3, "non-speech": 1}))
        >>> "facilitator: 3" in fig.axes[0].texts[4].get_text()
        True
    """
    from matplotlib.figure import Figure

    main_texts, side_texts = flow_texts(flow)
    given = ax is not None
    if ax is None:
        figure = Figure(figsize=(WIDTH, 5.0))
        ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    else:
        figure = _figure_of(ax)
        if figure.get_layout_engine() is not None:
            figure.draw_without_rendering()  # the axes' size after layout
    room = ax.get_window_extent()
    ax.set_axis_off()
    main = [_flow_text(ax, text, "center") for text in main_texts]
    side = [_flow_text(ax, text, "left") for text in side_texts]
    heading = ax.text(0, 0, title or "", fontsize=TITLE_FONT_SIZE, ha="left", va="top")
    layout = _flow_layout(figure, main, side, heading, 1.0)
    if given:
        layout = _shrink_flow(figure, room.width, room.height, main, side, heading, layout)
    else:
        figure.set_size_inches(layout.width / 72, layout.height / 72)
    _draw_flow(ax, layout, main, side, heading)
    if given:  # one unit stays one point or more, whatever the axes' shape
        ax.set_aspect("equal", adjustable="datalim")
        ax.margins(0)
        ax.update_datalim([(0.0, 0.0), (layout.width, layout.height)])
        ax.autoscale_view()
    else:
        ax.set_xlim(0, layout.width)
        ax.set_ylim(0, layout.height)
    return figure


@dataclass(frozen=True)
class _FlowLayout:
    """Where the flow diagram's boxes go, in points from the bottom left."""

    width: float
    height: float
    main: tuple[_Box, ...]
    side: tuple[_Box, ...]
    pad: float
    scale: float


def _shrink_flow(
    figure: Figure,
    width: float,
    height: float,
    main: Sequence[Text],
    side: Sequence[Text],
    heading: Text,
    layout: _FlowLayout,
) -> _FlowLayout:
    """Shrink the diagram's text until it fits ``width`` by ``height`` pixels."""
    texts = (*main, *side, heading)
    sizes = [float(text.get_fontsize()) for text in texts]
    points = figure.dpi / 72
    scale = 1.0
    for _ in range(6):
        ratio = min(width / points / layout.width, height / points / layout.height)
        if ratio >= 1:
            break
        scale *= ratio * 0.98
        for text, size in zip(texts, sizes):
            text.set_fontsize(size * scale)
        layout = _flow_layout(figure, main, side, heading, scale)
    return layout


def _flow_text(ax: Axes, text: str, align: str) -> Text:
    return ax.text(
        0,
        0,
        text,
        fontsize=FLOW_FONT_SIZE,
        ha=align,
        va="center",
        linespacing=1.35,
        multialignment=align,
        zorder=3,
    )


def _size_in_points(figure: Figure, text: Text) -> tuple[float, float]:
    extent = text.get_window_extent()
    points = figure.dpi / 72
    return extent.width / points, extent.height / points


def _flow_layout(
    figure: Figure, main: Sequence[Text], side: Sequence[Text], heading: Text, scale: float
) -> _FlowLayout:
    """Size every box to its text and stack them; side boxes sit beside the arrows."""
    pad, gap, margin = PAD * scale, GAP * scale, 4.0
    main_sizes = [_size_in_points(figure, text) for text in main]
    side_sizes = [_size_in_points(figure, text) for text in side]
    slack = 1.04  # text drawn at another dpi can come out a little wider than measured
    main_width = max(w for w, _ in main_sizes) * slack + 2 * pad
    side_width = max(w for w, _ in side_sizes) * slack + 2 * pad
    side_heights = [h + 2 * pad for _, h in side_sizes]
    gaps = [side_heights[i] + gap if i < len(side) else gap for i in range(len(main) - 1)]
    title_height = _size_in_points(figure, heading)[1] + gap / 2 if heading.get_text() else 0.0
    height = 2 * margin + title_height + sum(h + 2 * pad for _, h in main_sizes) + sum(gaps)
    width = 2 * margin + main_width + SIDE_GAP * scale + side_width
    top = height - margin - title_height
    boxes: list[_Box] = []
    for (_, text_height), below in zip(main_sizes, [*gaps, 0.0]):
        box = _Box(margin, top - text_height - 2 * pad, main_width, text_height + 2 * pad)
        boxes.append(box)
        top = box.y - below
    sides = []
    for upper, lower, box_height in zip(boxes, boxes[1:], side_heights):
        middle = (upper.y + lower.y + lower.height) / 2
        sides.append(_Box(width - margin - side_width, middle - box_height / 2, side_width, box_height))
    return _FlowLayout(width, height, tuple(boxes), tuple(sides), pad, scale)


def _draw_flow(
    ax: Axes, layout: _FlowLayout, main: Sequence[Text], side: Sequence[Text], heading: Text
) -> None:
    """Put the texts in their boxes and join the boxes with arrows."""
    heading.set_position((4.0, layout.height - 4.0))
    for text, box in zip(main, layout.main):
        text.set_position((box.x + box.width / 2, box.middle))
        _draw_box(ax, box, MAIN_FILL, MAIN_EDGE)
    for text, box in zip(side, layout.side):
        text.set_position((box.x + layout.pad, box.middle))
        _draw_box(ax, box, SIDE_FILL, SIDE_EDGE)
    centre = layout.main[0].x + layout.main[0].width / 2
    for upper, lower in zip(layout.main, layout.main[1:]):
        _arrow(ax, (centre, upper.y), (centre, lower.y + lower.height), layout.scale)
    for box in layout.side:
        _arrow(ax, (centre, box.middle), (box.x, box.middle), layout.scale)


def _draw_box(ax: Axes, box: _Box, fill: str, edge: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (box.x, box.y),
            box.width,
            box.height,
            boxstyle="round,pad=0,rounding_size=4",
            facecolor=fill,
            edgecolor=edge,
            linewidth=1.2,
            zorder=2,
        )
    )


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], scale: float) -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12 * scale,
            shrinkA=0,
            shrinkB=0,
            color="#333333",
            linewidth=1.1,
            zorder=1,
        )
    )


# From a study, and to a file -------------------------------------------------------


def chart(study: Folder, kind: str, *, unit: str = "excerpts", by: str = "code") -> Figure:
    """Draw one of the study's charts from its workbook as it is now.

    Args:
        study: the study (its ``radar-tables.xlsx`` must exist: run ``reduce`` first).
        kind: ``themes`` (the ranked tally), ``heatmap`` (themes by group),
            ``cooccurrence`` (codes together in a segment) or ``flow`` (the
            reduction flow diagram).
        unit: the tally's unit for ``themes``: ``excerpts``, ``participants`` or
            ``groups`` (the other charts always count excerpts or segments).
        by: ``code`` or ``theme``, for ``cooccurrence``.

    Example:
        >>> from radar.study import Study
        >>> fig = chart(Study("examples/digital-peer-support"), "flow")  # doctest: +SKIP
    """
    if kind not in KINDS:
        raise ChartError(f"unknown chart {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "themes":
        emerging = [t.name for t in study.codebook().themes if t.status == EMERGING]
        return theme_bars(tally_workbook(study, unit=unit), unit=unit, emerging=emerging)
    tables = tables_from_workbook(study)
    if kind == "heatmap":
        themes = [str(theme) for theme in tables.themes[C.TALLY_THEME]]
        groups = [str(group) for group in dict.fromkeys(tables.phase1[C.GROUP])]
        return theme_group_heatmap(tables.phase3, themes=themes, groups=groups)
    if kind == "cooccurrence":
        return cooccurrence(tables.phase3, by=by)
    return reduction_flow(flow_of(tables))


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = DPI, force: bool = False) -> Path:
    """Write a chart to PNG (300 dpi), SVG or PDF, by the file's suffix.

    The file is written to a temporary file beside it, then renamed, so an
    interrupted save never leaves half a picture.

    Args:
        figure: the chart.
        path: where to write it; the suffix picks the format.
        dpi: the resolution of a PNG (and of any raster part of a PDF or SVG).
        force: replace ``path`` if it exists.

    Returns:
        The path written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"{suffix!r}" if suffix else "no suffix"
        raise ChartError(f"{target.name}: cannot save a chart with {shown}; use .png, .svg or .pdf")
    check_overwrite(target, force)
    image_format = SUFFIXES[suffix]
    metadata: dict[str, str | None] = {}
    if image_format == "svg":
        metadata = {"Date": None}
    elif image_format == "pdf":
        metadata = {"CreationDate": None}

    def write(temporary: str) -> None:
        figure.savefig(temporary, format=image_format, dpi=dpi, bbox_inches="tight", metadata=metadata)

    return write_atomic(target, write, suffix=suffix)


__all__ = [
    "KINDS",
    "OKABE_ITO",
    "PALETTE",
    "ChartError",
    "chart",
    "cooccurrence",
    "cooccurrence_matrix",
    "flow_texts",
    "reduction_flow",
    "save_figure",
    "theme_bars",
    "theme_group_heatmap",
    "theme_group_table",
    "theme_label",
    "wrap_label",
]
