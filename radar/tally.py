"""Counting codes into themes, with the unit and the denominator always shown.

Units (METHOD.md, "Counting"):

* ``excerpts`` (default): a unit is a distinct (segment, theme) pair among kept,
  coded segments; N is the number of such pairs, so percentages add up to 100.
* ``participants``: n is the number of distinct participants with an excerpt in
  the theme; N is the number of participants in the study.
* ``groups``: the same with focus groups or interviews.

By code, with ``excerpts``, n is the number of coded segments carrying the
code and N the number of coded segments (kept segments with at least one
code): "Devices 12/40" reads "12 of the 40 coded segments". A segment may carry
several codes, so these percentages do not add up to 100.

A count over nothing (0/0) is shown as ``—``, never as ``0/0, 0%``.

Small cells (radar.toml's ``[deidentify] min_cell``, 3 by default): where a
count of people or groups is shown beside a characteristic, a count from 1 to
``min_cell - 1`` singles someone out, so it is shown as ``<3`` without a
percentage (which would give it away), and so is such a denominator:
``<3/12``, ``<3/<3``. Zero is not a small cell. :func:`small_cell_rule` says
the rule in a sentence for the report.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from radar.columns import (
    CODE,
    GROUP,
    PARTICIPANT,
    SEGMENT_ID,
    TALLY_CODE,
    TALLY_LABEL,
    TALLY_N,
    TALLY_PERCENT,
    TALLY_THEME,
    TALLY_TOTAL,
    THEME,
)
from radar.config import DEFAULT_MIN_CELL
from radar.errors import RadarError

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

UNITS = ("excerpts", "participants", "groups")
BY = ("theme", "code")
PERCENT_STYLES = ("jmir", "one-decimal", "integer")


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """Round as people do (2.45 -> 2.5), not as floats do."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent_places(total: int, style: str = "jmir") -> int:
    """Decimals of a percentage of ``total``.

    JMIR's rule: no decimal under N = 100, one to N = 999, two from N = 1000.

    Example:
        >>> percent_places(59), percent_places(197), percent_places(1000)
        (0, 1, 2)
    """
    if style == "integer":
        return 0
    if style == "one-decimal":
        return 1
    if style != "jmir":
        raise RadarError(f"unknown percent style {style!r}; use one of {', '.join(PERCENT_STYLES)}")
    if total < 100:
        return 0
    return 1 if total < 1000 else 2


def percent(n: int, total: int, places: int = 1) -> Decimal:
    """100·n/N rounded half up to ``places`` decimals (0 when N is 0)."""
    if total == 0:
        return round_half_up(0, places)
    return round_half_up(Decimal(100 * n) / Decimal(total), places)


NOTHING = "\u2014"  # an em dash: the cell of a count over nothing (0/0)


def is_small(n: int, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """Whether a count is a small cell: more than zero and under ``min_cell``.

    Example:
        >>> is_small(0), is_small(1), is_small(2), is_small(3), is_small(2, min_cell=1)
        (False, True, True, False, False)
    """
    return 0 < n < min_cell


def count_text(n: int, min_cell: int = 1) -> str:
    """A count as a table shows it: ``<3`` for a small cell, else the number.

    Example:
        >>> count_text(2, 3), count_text(0, 3), count_text(7, 3), count_text(2)
        ('<3', '0', '7', '2')
    """
    return f"<{min_cell}" if is_small(n, min_cell) else str(n)


def label(n: int, total: int, style: str = "jmir", min_cell: int = 1, *, small_total: bool = True) -> str:
    """The label papers print; a count over nothing is ``—``; a small cell is ``<3/N`` (see the module).

    ``min_cell`` is 1 (every count shown) unless the caller counts people or
    groups. ``small_total``: the denominator is itself a count that may be
    small (a breakdown's value: the participants from one state), so it follows
    the rule too; when it is the study's N (False), it is always shown, and so
    is a count equal to it (all of the study's participants single no one out).

    Example:
        >>> label(43, 197), label(6, 197, "integer"), label(3, 40), label(0, 0)
        ('43/197, 21.8%', '6/197, 3%', '3/40, 8%', '—')
        >>> label(2, 12, min_cell=3), label(1, 1, min_cell=3), label(0, 12, min_cell=3)
        ('<3/12', '<3/<3', '0/12, 0%')
        >>> label(2, 2, min_cell=3, small_total=False), label(1, 2, min_cell=3, small_total=False)
        ('2/2, 100%', '<3/2')
    """
    if total == 0:
        return NOTHING
    shown = _shown_parts(n, total, min_cell, small_total)
    if shown is not None:
        return shown
    return f"{n}/{total}, {percent(n, total, percent_places(total, style))}%"


def fraction(n: int, total: int, min_cell: int = 1, *, small_total: bool = True) -> str:
    """``n/N`` without a percentage; a count over nothing is ``—``; a small count is ``<3`` (see :func:`label`).

    Example:
        >>> fraction(3, 5), fraction(0, 0), fraction(2, 12, min_cell=3), fraction(2, 2, 3, small_total=False)
        ('3/5', '—', '<3/12', '2/2')
    """
    if total == 0:
        return NOTHING
    return _shown_parts(n, total, min_cell, small_total) or f"{n}/{total}"


def _shown_parts(n: int, total: int, min_cell: int, small_total: bool) -> str | None:
    """``<3/N`` (or ``<3/<3``) where a small cell hides a count, else None."""
    if small_total:
        if is_small(n, min_cell) or is_small(total, min_cell):
            return f"{count_text(n, min_cell)}/{count_text(total, min_cell)}"
        return None
    if is_small(n, min_cell) and n != total:
        return f"{count_text(n, min_cell)}/{total}"
    return None


def hide_small_counts(frame: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """A tally of participants or groups with its small cells hidden, for output that leaves the team.

    A count from 1 to ``min_cell - 1`` shows ``<3`` in ``n`` and in the label
    (``<3/12``) and no percentage; N is the study's, which singles no one out,
    and so does a count of all of them (2/2 groups).
    The frame's rows and order are kept; :func:`tally` itself keeps the counts.

    Example:
        >>> import pandas as pd
        >>> small = hide_small_counts(pd.DataFrame({"theme": ["A", "B"], "n": [5, 1], "N": [6, 6],
        ...                                         "percent": [83.3, 16.7], "label": ["5/6, 83%", "1/6, 17%"]}))
        >>> small["n"].tolist(), small["label"].tolist(), small["percent"].tolist()
        ([5, '<3'], ['5/6, 83%', '<3/6'], [83.3, None])
    """
    small = [is_small(int(n), min_cell) and n != t for n, t in zip(frame[TALLY_N], frame[TALLY_TOTAL])]
    if not any(small):
        return frame
    rows = zip(small, frame[TALLY_N], frame[TALLY_TOTAL], frame[TALLY_PERCENT], frame[TALLY_LABEL])
    n, pct, lab = zip(
        *(
            (count_text(int(c), min_cell), None, fraction(int(c), int(t), min_cell, small_total=False))
            if hide
            else (int(c), float(p), str(label_))
            for hide, c, t, p, label_ in rows
        )
    )
    import pandas as pd

    shown = frame.copy()
    shown[TALLY_N] = pd.Series(n, index=frame.index, dtype=object)
    shown[TALLY_PERCENT] = pd.Series(pct, index=frame.index, dtype=object)
    shown[TALLY_LABEL] = list(lab)
    return shown


def small_cell_rule(min_cell: int = DEFAULT_MIN_CELL) -> str:
    """The small-cell rule in one sentence, for the methods report (empty when every count is shown).

    Example:
        >>> small_cell_rule(3)[:56]
        "To protect participants, in the theme table's participan"
    """
    if min_cell <= 1:
        return ""
    low = "of 1" if min_cell == 2 else f"from 1 to {min_cell - 1}"
    return (
        "To protect participants, in the theme table's participant and group counts, the participant "
        f"characteristics and breakdowns by group or characteristic, counts {low} are shown as "
        f"\u201c<{min_cell}\u201d without a percentage; "
        "zero is shown as it is."
    )


def denominator(unit: str = "excerpts", by: str = "theme") -> str:
    """What N counts, in words, for a caption or a title.

    Example:
        >>> denominator("excerpts", "code")
        'N = coded segments (kept segments with at least one code)'
    """
    _check_choice("unit", unit, UNITS)
    _check_choice("by", by, BY)
    if unit == "participants":
        return "N = participants (those who spoke and those listed in speakers.csv)"
    if unit == "groups":
        return "N = focus groups or interviews"
    if by == "code":
        return "N = coded segments (kept segments with at least one code)"
    return "N = excerpts (segment-theme pairs)"


def tally(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    unit: str = "excerpts",
    by: str = "theme",
    participants_total: int | None = None,
    groups_total: int | None = None,
    percent_style: str = "jmir",
) -> pd.DataFrame:
    """Count coded segments into themes (or codes).

    Args:
        coded: the phase-3 table, one row per (segment, code) with columns
            Segment ID, Group, Participant, Code, Theme.
        codebook: gives every theme (and code) a row, zero where unused.
        unit: ``excerpts``, ``participants`` or ``groups``.
        by: ``theme`` or ``code`` (with ``excerpts``, N is then the coded segments).
        participants_total: N for ``participants`` (the study's participants).
        groups_total: N for ``groups`` (the study's groups).
        percent_style: ``jmir``, ``one-decimal`` or ``integer`` for the label.

    Returns:
        A frame with columns ``theme,n,N,percent,label`` (by code:
        ``code,theme,n,N,percent,label``), rows by n descending, then name.
    """
    import pandas as pd

    _check_choice("unit", unit, UNITS)
    _check_choice("by", by, BY)
    key = [THEME] if by == "theme" else [CODE, THEME]
    counted = {
        "excerpts": SEGMENT_ID,
        "participants": PARTICIPANT,
        "groups": GROUP,
    }[unit]
    pairs = coded[[*key, counted]].drop_duplicates()
    counts = pairs.groupby(key).size()
    total = _denominator(coded, unit, by, participants_total, groups_total)
    rows = []
    for names in _universe(codebook, by):
        n = int(counts.get(names if by == "code" else names[0], 0))
        rows.append((*names, n))
    headers = [TALLY_THEME] if by == "theme" else [TALLY_CODE, TALLY_THEME]
    frame = pd.DataFrame(rows, columns=[*headers, TALLY_N])
    frame[TALLY_TOTAL] = total
    frame[TALLY_PERCENT] = [float(percent(n, total, 1)) for n in frame[TALLY_N]]
    frame[TALLY_LABEL] = [label(n, total, percent_style) for n in frame[TALLY_N]]
    frame = frame.sort_values([TALLY_N, headers[0]], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)


def _universe(codebook: Codebook, by: str) -> list[tuple[str, ...]]:
    if by == "theme":
        return [(theme.name,) for theme in codebook.themes]
    return [(code.name, code.theme) for code in codebook.codes]


def _denominator(
    coded: pd.DataFrame,
    unit: str,
    by: str,
    participants_total: int | None,
    groups_total: int | None,
) -> int:
    if unit == "excerpts":
        if by == "code":
            return int(coded[SEGMENT_ID].nunique())
        return len(coded[[SEGMENT_ID, THEME]].drop_duplicates())
    if unit == "participants":
        if participants_total is None:
            return int(coded[PARTICIPANT].nunique())
        return participants_total
    if groups_total is None:
        return int(coded[GROUP].nunique())
    return groups_total


def _check_choice(what: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise RadarError(f"unknown {what} {value!r}; use one of {', '.join(choices)}")
