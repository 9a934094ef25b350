"""The balance-of-voices chart: each group's words per speaker, the facilitator marked, the Gini index shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.style import (
    BAR_COLOUR,
    EMERGING_COLOUR,
    FONT_SIZE,
    SMALL_FONT_SIZE,
    TITLE_FONT_SIZE,
    WIDTH,
    new_figure,
)
from radar.errors import ChartError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def balance_chart(
    speakers: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    group_names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """One panel per group: words per speaker (facilitators in orange), with the group's Gini index.

    Args:
        speakers: :func:`radar.balance.speaker_balance`'s table.
        groups: :func:`radar.balance.group_balance`'s table.
        group_names: friendly names by Group ID.
        title: a title above the panels.

    Example:
        >>> from radar.balance import group_balance
        >>> import pandas as pd
        >>> speakers = pd.DataFrame({"Group": ["g"] * 3, "Participant": ["F1", "P1", "P2"],
        ...     "Role": ["facilitator", "participant", "participant"], "turns": [2, 1, 1],
        ...     "words": [10, 5, 20], "turn_share": [0.5, 0.25, 0.25], "word_share": [0.29, 0.14, 0.57]})
        >>> [int(bar.get_height()) for bar in balance_chart(speakers, group_balance(speakers)).axes[0].patches]
        [10, 5, 20]
    """
    from matplotlib.ticker import MaxNLocator

    if speakers.empty:
        raise ChartError("there are no speaker turns to chart; run `radar reduce` first")
    names = group_names or {}
    figure = new_figure((WIDTH, 0.4 + 1.9 * len(groups) + (0.3 if title else 0)))
    axes = figure.subplots(len(groups), 1, squeeze=False)[:, 0]
    top = int(speakers["words"].max())
    for ax, (_, row) in zip(axes, groups.iterrows()):
        group = str(row[C.GROUP])
        block = speakers[speakers[C.GROUP] == group]
        labels = [str(p) for p in block[C.PARTICIPANT]]
        colours = [EMERGING_COLOUR if r == C.FACILITATOR_ROLE else BAR_COLOUR for r in block[C.ROLE]]
        ax.bar(range(len(labels)), [int(w) for w in block["words"]], color=colours, width=0.7)
        ax.set_xticks(range(len(labels)), labels, rotation=90 if len(labels) > 20 else 0)
        ax.set_ylim(0, top * 1.1)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.tick_params(labelsize=SMALL_FONT_SIZE)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylabel("Words", fontsize=SMALL_FONT_SIZE)
        ax.set_title(
            f"{names.get(group, group)}: {int(row['participants'])} participants, "
            f"Gini of words {float(row['gini_words']):.2f}, facilitator "
            f"{float(row['facilitator_word_share']):.0%} of words",
            fontsize=FONT_SIZE,
            loc="left",
        )
    if title:
        figure.suptitle(title, fontsize=TITLE_FONT_SIZE, x=0.01, ha="left")
    return figure
