"""Themes by a participant attribute: the matrix NVivo's matrix coding query and MAXQDA's code matrix give.

One row per theme (in the tally's order), one column per value of the
attribute (a group, or a speakers.csv column such as ``state``), cells
``n/N, %`` where N is that value's excerpts, participants or groups, and a
last column ``All`` that is the plain tally::

    Theme      NH          VT          All
    Access     2/4, 50%    1/3, 33%    3/7, 43%

Values are sorted naturally (``fg2`` before ``fg10``), with ``(not given)``
last for participants without a value. :func:`cell` is the one place a cell's
text is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from radar import columns as C
from radar.config import DEFAULT_MIN_CELL
from radar.errors import RadarError
from radar.identifiers import refuse_identifying, shown_attributes
from radar.tally import label, percent, tally

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook
    from radar.speakers import SpeakerList

NOT_GIVEN = "(not given)"
ALL = "All"
UNITS = ("excerpts", "participants", "groups")
SHAPES = ("matrix", "long")
_DIGITS = re.compile(r"(\d+)")


def cell(n: int, total: int, percent_style: str = "jmir", min_cell: int = DEFAULT_MIN_CELL) -> str:
    """A matrix cell's text: ``n/N, %``, ``—`` where the value has nothing to count, ``<3/N`` for a small cell.

    Every cell of the matrix is made here, so the rule for small cells (:mod:`radar.tally`) has one place.
    """
    return label(n, total, percent_style, min_cell)


def caption(attribute: str, unit: str = "excerpts") -> str:
    """What a matrix's N is, in words, for under the table.

    Example:
        >>> caption("state", "participants")
        'Each column: n/N of the participants with that state; All: of all participants.'
    """
    whose = {
        "excerpts": f"the excerpts of participants with that {attribute}",
        "participants": f"the participants with that {attribute}",
        "groups": f"the groups in which a participant with that {attribute} spoke",
    }[unit]
    return f"Each column: n/N of {whose}; All: of all {unit}."


def natural_key(value: str) -> tuple[object, ...]:
    """Sort values as people do: ``fg2`` before ``fg10``, ``(not given)`` last.

    Example:
        >>> sorted(["fg10", "(not given)", "fg2", "Fg1"], key=natural_key)
        ['Fg1', 'fg2', 'fg10', '(not given)']
    """
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in _DIGITS.split(value) if p)
    return (value == NOT_GIVEN, parts, value)


def breakdown(
    coded: pd.DataFrame,
    table1: pd.DataFrame,
    codebook: Codebook,
    attribute: str,
    speakers: SpeakerList | None,
    *,
    unit: str = "excerpts",
    percent_style: str = "jmir",
    shape: str = "matrix",
    min_cell: int = DEFAULT_MIN_CELL,
) -> pd.DataFrame:
    """Each theme counted within each value of a participant attribute (or group).

    Args:
        coded: the phase-3 table.
        table1: the phase-1 table (who spoke in which group).
        codebook: the themes.
        attribute: ``group`` or a column of speakers.csv such as ``state``.
        speakers: the speakers list holding the attribute.
        unit: ``excerpts`` (N = the value's excerpts), ``participants`` (N = the
            value's participants: those who spoke and those listed) or ``groups``
            (N = the groups in which a participant with the value spoke).
        percent_style: decimals of the cells' percentages.
        shape: ``matrix`` (a row per theme, a column per value) or ``long``
            (a row per theme and value: theme, the attribute, n, N, percent, label).
        min_cell: counts from 1 to ``min_cell - 1`` (cells and denominators) are
            shown as ``<3``; in the long shape the label is, and n, N and percent
            are left for the team's own use.

    Raises:
        SpeakersError: the attribute is a column that identifies a person (names,
            emails, phone numbers... see :mod:`radar.identifiers`).
    """
    import pandas as pd

    if unit not in UNITS:
        raise RadarError(f"a breakdown counts {', '.join(UNITS)}, not {unit!r}")
    if shape not in SHAPES:
        raise RadarError(f"a breakdown's shape is matrix or long, not {shape!r}")
    values = attribute_values(table1, attribute, speakers)
    coded = coded.assign(_value=[values.get(p, NOT_GIVEN) for p in coded[C.PARTICIPANT]])
    counted = {"excerpts": C.SEGMENT_ID, "participants": C.PARTICIPANT, "groups": C.GROUP}[unit]
    totals = _totals(coded, table1, values, speakers, unit)
    pairs = coded[[C.THEME, "_value", counted]].drop_duplicates().groupby([C.THEME, "_value"]).size()
    everyone = tally(
        coded, codebook, unit=unit, percent_style=percent_style,
        participants_total=sum(totals.values()), groups_total=int(table1[C.GROUP].nunique()),
    )  # fmt: skip
    order = sorted(totals, key=natural_key)
    long = [
        (theme, value, int(pairs.get((theme, value), 0)), totals[value])
        for theme in everyone[C.TALLY_THEME]
        for value in order
    ]
    if shape == "long":
        rows = [
            (t, v, n, N, float(percent(n, N, 1)), label(n, N, percent_style, min_cell)) for t, v, n, N in long
        ]
        names = [C.TALLY_THEME, attribute, C.TALLY_N, C.TALLY_TOTAL, C.TALLY_PERCENT, C.TALLY_LABEL]
        return pd.DataFrame(rows, columns=names)
    cells = {(t, v): cell(n, N, percent_style, min_cell) for t, v, n, N in long}
    matrix = [
        (
            theme,
            *(cells[(theme, value)] for value in order),
            label(int(n), int(N), percent_style, min_cell, small_total=False),  # All: N is the study's
        )
        for theme, n, N in zip(everyone[C.TALLY_THEME], everyone[C.TALLY_N], everyone[C.TALLY_TOTAL])
    ]
    return pd.DataFrame(matrix, columns=[C.THEME, *order, ALL])


def _totals(
    coded: pd.DataFrame,
    table1: pd.DataFrame,
    values: dict[str, str],
    speakers: SpeakerList | None,
    unit: str,
) -> dict[str, int]:
    """Each value's N in the unit; every value a participant has gets one, if only 0."""
    spoke = table1[table1[C.ROLE] == C.PARTICIPANT_ROLE]
    listed = [s.participant_id for s in speakers.participants()] if speakers else []
    found: dict[str, set[object]] = {}
    for person in dict.fromkeys([*spoke[C.PARTICIPANT], *listed]):
        found.setdefault(values.get(person, NOT_GIVEN), set())
    members: Iterable[tuple[str, object]]
    if unit == "excerpts":
        members = zip(coded["_value"], zip(coded[C.SEGMENT_ID], coded[C.THEME]))
    elif unit == "participants":
        members = ((values.get(p, NOT_GIVEN), p) for p in dict.fromkeys([*spoke[C.PARTICIPANT], *listed]))
    else:
        members = ((values.get(p, NOT_GIVEN), g) for p, g in zip(spoke[C.PARTICIPANT], spoke[C.GROUP]))
    for value, member in members:
        found.setdefault(str(value), set()).add(member)
    return {value: len(counted) for value, counted in found.items()}


def attribute_values(table1: pd.DataFrame, attribute: str, speakers: SpeakerList | None) -> dict[str, str]:
    """Participant ID -> the participant's value of the attribute (``group`` or a speakers.csv column)."""
    if attribute == "group":
        pairs = table1[[C.PARTICIPANT, C.GROUP]].drop_duplicates(C.PARTICIPANT)
        listed = {s.participant_id: s.group for s in speakers.participants() if s.group} if speakers else {}
        return {**listed, **dict(zip(pairs[C.PARTICIPANT], pairs[C.GROUP]))}
    refuse_identifying(attribute, speakers)
    if speakers is None or attribute not in speakers.attribute_names:
        known = ", ".join(("group", *shown_attributes(speakers)))
        raise RadarError(
            f"no participant attribute {attribute!r}; the attributes are: {known} "
            "(add a column to speakers.csv for more)"
        )
    return {s.participant_id: dict(s.attributes).get(attribute, "") or NOT_GIVEN for s in speakers.speakers}
