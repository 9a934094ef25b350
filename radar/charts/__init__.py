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

One module per chart: :mod:`~radar.charts.themes` (the ranked theme bars),
:mod:`~radar.charts.heatmap` (themes by group), :mod:`~radar.charts.cooccurrences`
(codes together in a segment), :mod:`~radar.charts.flow` (the reduction flow
diagram) and :mod:`~radar.charts.saturation` (new codes per transcript); :mod:`~radar.charts.style` holds the palette, sizes and labels they
share, and :mod:`~radar.charts.save` draws a study's chart by name and writes it
to a file. Every name is importable from :mod:`radar.charts` as well.
"""

from __future__ import annotations

from radar.charts.balance import balance_chart
from radar.charts.cooccurrences import MAX_MATRIX as MAX_MATRIX
from radar.charts.cooccurrences import cooccurrence, cooccurrence_matrix
from radar.charts.flow import FLOW_FONT_SIZE as FLOW_FONT_SIZE
from radar.charts.flow import GAP as GAP
from radar.charts.flow import PAD as PAD
from radar.charts.flow import SIDE_GAP as SIDE_GAP
from radar.charts.flow import flow_texts, reduction_flow
from radar.charts.heatmap import (
    group_participants,
    theme_group_heatmap,
    theme_group_shares,
    theme_group_table,
)
from radar.charts.saturation import saturation_chart
from radar.charts.save import DPI as DPI
from radar.charts.save import KINDS, chart, save_figure
from radar.charts.save import SUFFIXES as SUFFIXES
from radar.charts.style import BAR_COLOUR as BAR_COLOUR
from radar.charts.style import DIAGONAL_COLOUR as DIAGONAL_COLOUR
from radar.charts.style import EMERGING as EMERGING
from radar.charts.style import EMERGING_COLOUR as EMERGING_COLOUR
from radar.charts.style import FONT_SIZE as FONT_SIZE
from radar.charts.style import LINE_HEIGHT as LINE_HEIGHT
from radar.charts.style import MAIN_EDGE as MAIN_EDGE
from radar.charts.style import MAIN_FILL as MAIN_FILL
from radar.charts.style import OKABE_ITO, PALETTE, theme_label, wrap_label
from radar.charts.style import SEQUENTIAL_CMAP as SEQUENTIAL_CMAP
from radar.charts.style import SIDE_EDGE as SIDE_EDGE
from radar.charts.style import SIDE_FILL as SIDE_FILL
from radar.charts.style import SMALL_FONT_SIZE as SMALL_FONT_SIZE
from radar.charts.style import TITLE_FONT_SIZE as TITLE_FONT_SIZE
from radar.charts.style import WIDTH as WIDTH
from radar.charts.style import WRAP_WIDTH as WRAP_WIDTH
from radar.charts.themes import theme_bars
from radar.errors import ChartError

__all__ = [
    "KINDS",
    "OKABE_ITO",
    "PALETTE",
    "ChartError",
    "balance_chart",
    "chart",
    "cooccurrence",
    "cooccurrence_matrix",
    "flow_texts",
    "group_participants",
    "reduction_flow",
    "saturation_chart",
    "save_figure",
    "theme_bars",
    "theme_group_heatmap",
    "theme_group_shares",
    "theme_group_table",
    "theme_label",
    "wrap_label",
]
