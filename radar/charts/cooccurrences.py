"""Co-occurrence: how many segments hold two codes (or themes) together, as a numbered heatmap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.heatmap import _matrix
from radar.charts.style import FONT_SIZE, _check_not_empty, _figure_and_axes, _title, wrap_label
from radar.errors import ChartError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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
