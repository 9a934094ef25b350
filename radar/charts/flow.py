"""The reduction flow: a CONSORT-style diagram of turns, kept turns, coded segments and themes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar.charts.style import (
    MAIN_EDGE,
    MAIN_FILL,
    SIDE_EDGE,
    SIDE_FILL,
    TITLE_FONT_SIZE,
    WIDTH,
    _figure_of,
    new_figure,
)
from radar.reduction.records import Flow

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text


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
    main_texts, side_texts = flow_texts(flow)
    given = ax is not None
    if ax is None:
        figure = new_figure((WIDTH, 5.0), layout=None)
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
