"""Balance of voices: who spoke how much in each group, and whether one participant carries a theme.

From the phase-1 table (every turn, with its Group, Participant and Role):

* per speaker: turns and words, and their shares of the group's;
* per group: the participants, the facilitator's share of turns and words,
  and the Gini index of the participants' turns and words (0 when everyone
  spoke as much, towards 1 when one voice dominates);
* per theme and group: how many of the group's participants voiced the theme
  (k of n), and which participant supplied the most of its excerpts;
* per theme: whether one participant supplies more than ``dominant_share``
  (radar.toml ``[report] dominant_share``, default 0.5) of its excerpts.

A turn that is only non-speech markers (``[crosstalk]``) is not counted; words
are runs of letters and digits outside square brackets. Observers' turns are
left out of the shares.

Example:
    >>> gini([1, 1, 1, 1]), round(gini([0, 0, 0, 4]), 3)
    (0.0, 0.75)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.matrix import natural_key
from radar.tally import count_text
from radar.transcripts.model import count_words

if TYPE_CHECKING:
    import pandas as pd

MARKER = re.compile(r"\[[^\]]*\]")
DEFAULT_DOMINANT_SHARE = 0.5
THEME_DOMINANCE_COLUMNS = (C.TALLY_THEME, "excerpts", "top_participant", "top_share", "dominant")


def spoken_words(text: str) -> int:
    """The words of a turn outside non-speech markers.

    Example:
        >>> spoken_words("[laughs] Fax machines. [crosstalk]")
        2
    """
    return count_words(MARKER.sub(" ", text))


def gini(values: Sequence[float]) -> float:
    """The Gini index: the mean absolute difference between all pairs over twice the mean.

    0 when every value is the same (or there are fewer than two, or all are
    0); (n − 1)/n when one holds everything.
    """
    n = len(values)
    total = float(sum(values))
    if n < 2 or total == 0:
        return 0.0
    ordered = sorted(float(v) for v in values)
    # sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i), i from 1
    pairs = 2 * sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered))
    return pairs / (2 * n * n * (total / n))


def speaker_balance(turns: pd.DataFrame, words: Sequence[int] | None = None) -> pd.DataFrame:
    """Per group and speaker: turns, words and their shares of the group's (observers left out).

    Args:
        turns: the phase-1 table (Group, Participant, Role, Text).
        words: each row's words, when counted elsewhere (from the transcripts,
            before masking); by default counted in ``Text``.
    """
    import pandas as pd

    counted = list(words) if words is not None else [spoken_words(str(t)) for t in turns[C.TEXT]]
    rows: dict[tuple[str, str, str], list[int]] = {}
    for group, who, role, n in zip(turns[C.GROUP], turns[C.PARTICIPANT], turns[C.ROLE], counted):
        if role == C.OBSERVER_ROLE or not n:
            continue
        entry = rows.setdefault((str(group), str(who), str(role)), [0, 0])
        entry[0] += 1
        entry[1] += int(n)
    frame = pd.DataFrame(
        [(g, p, r, t, w) for (g, p, r), (t, w) in rows.items()],
        columns=[C.GROUP, C.PARTICIPANT, C.ROLE, "turns", "words"],
    )
    totals = frame.groupby(C.GROUP)[["turns", "words"]].transform("sum")
    frame["turn_share"] = frame["turns"] / totals["turns"].where(totals["turns"] > 0, 1)
    frame["word_share"] = frame["words"] / totals["words"].where(totals["words"] > 0, 1)
    order = {g: i for i, g in enumerate(dict.fromkeys(str(g) for g in turns[C.GROUP]))}
    frame = frame.sort_values(
        [C.GROUP, C.ROLE, C.PARTICIPANT],
        key=lambda column: (
            column.map(order) if column.name == C.GROUP else column.map(lambda v: natural_key(str(v)))
        ),
        kind="stable",
    )
    return frame.reset_index(drop=True)[list(C.BALANCE_SPEAKER_COLUMNS)]


def group_balance(speakers: pd.DataFrame) -> pd.DataFrame:
    """Per group: participants, all turns and words, the facilitator's shares, the participants' Gini indices."""
    import pandas as pd

    rows = []
    for group, block in speakers.groupby(C.GROUP, sort=False):
        people = block[block[C.ROLE] == C.PARTICIPANT_ROLE]
        facilitator = block[block[C.ROLE] == C.FACILITATOR_ROLE]
        turns, words = int(block["turns"].sum()), int(block["words"].sum())
        rows.append(
            (
                group,
                len(people),
                turns,
                words,
                int(facilitator["turns"].sum()) / turns if turns else 0.0,
                int(facilitator["words"].sum()) / words if words else 0.0,
                gini(list(people["turns"])),
                gini(list(people["words"])),
            )
        )
    return pd.DataFrame(rows, columns=list(C.BALANCE_GROUP_COLUMNS))


def theme_spread(
    coded: pd.DataFrame,
    speakers: pd.DataFrame,
    themes: Sequence[str],
    *,
    dominant_share: float = DEFAULT_DOMINANT_SHARE,
) -> pd.DataFrame:
    """Per theme and group: k of n participants who voiced it, and the participant who supplied most of it.

    Args:
        coded: the phase-3 table (Segment ID, Group, Participant, Theme).
        speakers: :func:`speaker_balance`'s table (n is the group's participants who spoke).
        themes: the themes in the order wanted.
        dominant_share: ``dominant`` is ``yes`` where the top participant
            supplies more than this share of the theme's excerpts in the group.
    """
    import pandas as pd

    people = speakers[speakers[C.ROLE] == C.PARTICIPANT_ROLE]
    per_group = people.groupby(C.GROUP, sort=False)[C.PARTICIPANT].nunique()
    excerpts = coded[[C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.THEME]].drop_duplicates()
    rows = []
    for theme in themes:
        block = excerpts[excerpts[C.THEME] == theme]
        for group, n in per_group.items():
            here = block[block[C.GROUP] == group]
            voiced = int(here[C.PARTICIPANT].nunique())
            if here.empty:
                top, share = "", 0.0
            else:
                counts = here[C.PARTICIPANT].value_counts()
                most = int(counts.max())
                top = sorted((str(p) for p, k in counts.items() if k == most), key=natural_key)[0]
                share = most / len(here)
            rows.append(
                (
                    theme,
                    group,
                    voiced,
                    int(n),
                    f"{voiced} of {int(n)}",
                    top,
                    share,
                    C.YES if share > dominant_share else C.NO if not here.empty else "",
                )
            )
    return pd.DataFrame(rows, columns=list(C.THEME_SPREAD_COLUMNS))


def theme_dominance(
    coded: pd.DataFrame, themes: Sequence[str], *, dominant_share: float = DEFAULT_DOMINANT_SHARE
) -> pd.DataFrame:
    """Per theme: its excerpts, the participant who supplied most of them, their share, and the flag."""
    import pandas as pd

    excerpts = coded[[C.SEGMENT_ID, C.PARTICIPANT, C.THEME]].drop_duplicates()
    rows = []
    for theme in themes:
        block = excerpts[excerpts[C.THEME] == theme]
        if block.empty:
            rows.append((theme, 0, "", 0.0, ""))
            continue
        counts = block[C.PARTICIPANT].value_counts()
        most = int(counts.max())
        top = sorted((str(p) for p, k in counts.items() if k == most), key=natural_key)[0]
        share = most / len(block)
        rows.append((theme, len(block), top, share, C.YES if share > dominant_share else C.NO))
    return pd.DataFrame(rows, columns=list(THEME_DOMINANCE_COLUMNS))


def spread_cell(voiced: int, participants: int, dominant: str, min_cell: int = 1) -> str:
    """One group's spread as outputs show it: ``3 of 5``, ``<3 of 6 *`` (a small count hidden, ``*`` one dominates).

    Example:
        >>> spread_cell(2, 3, "no"), spread_cell(1, 2, "yes", min_cell=3), spread_cell(0, 4, "", min_cell=3)
        ('2 of 3', '<3 of 2 *', '0 of 4')
    """
    return f"{count_text(voiced, min_cell)} of {participants}" + (" *" if dominant == C.YES else "")


def spread_cells(
    spread: pd.DataFrame, group_names: Mapping[str, str] | None = None, min_cell: int = 1
) -> pd.DataFrame:
    """The spread as a theme × group table of :func:`spread_cell` cells (counts under ``min_cell`` as ``<3``)."""
    import pandas as pd

    names = group_names or {}
    groups = list(dict.fromkeys(spread[C.GROUP]))
    table: dict[str, dict[str, str]] = {}
    for theme, group, voiced, n, dominant in zip(
        spread[C.TALLY_THEME], spread[C.GROUP], spread["voiced"], spread["participants"], spread["dominant"]
    ):
        table.setdefault(str(theme), {})[names.get(str(group), str(group))] = spread_cell(
            int(voiced), int(n), str(dominant), min_cell
        )
    columns = [names.get(str(g), str(g)) for g in groups]
    return pd.DataFrame(
        [[theme, *(cells.get(c, "") for c in columns)] for theme, cells in table.items()],
        columns=[C.TALLY_THEME, *columns],
    )


__all__ = [
    "DEFAULT_DOMINANT_SHARE",
    "THEME_DOMINANCE_COLUMNS",
    "gini",
    "group_balance",
    "speaker_balance",
    "spoken_words",
    "spread_cell",
    "spread_cells",
    "theme_dominance",
    "theme_spread",
]
