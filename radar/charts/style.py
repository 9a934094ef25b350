"""The charts' look: the colour-blind-safe palette, sizes, labels, and the figure to draw in."""

from __future__ import annotations

import functools
import io
import re
import textwrap
from typing import TYPE_CHECKING, Literal

from radar import columns as C
from radar.errors import ChartError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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


def new_figure(size: tuple[float, float], layout: Literal["constrained"] | None = "constrained") -> Figure:
    """A new figure of ``size`` inches that Jupyter shows as a picture, with or without ``%matplotlib inline``."""
    return _shown_figure_class()(figsize=size, layout=layout)


@functools.cache
def _shown_figure_class() -> type[Figure]:
    from matplotlib.figure import Figure

    class ShownFigure(Figure):
        """A matplotlib Figure with a PNG picture for Jupyter (made without pyplot, it has none)."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=SCREEN_DPI, bbox_inches="tight")
            return buffer.getvalue()

    return ShownFigure


SCREEN_DPI = 100  # a chart's picture in a notebook (saved files use DPI)


def _figure_and_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """The given axes and its figure, or a new constrained-layout figure of ``size`` inches."""
    if ax is not None:
        return _figure_of(ax), ax
    figure = new_figure(size)
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
