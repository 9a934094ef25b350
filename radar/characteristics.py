"""The participant characteristics table every health-sciences paper prints, from speakers.csv.

One block of rows per attribute column of speakers.csv, N = the study's
participants (those who spoke and those listed, the N of the tally's
participants unit)::

    Characteristic   Value            Participants (N = 5)
    state, n (%)     NH               2 (40%)
                     VT               3 (60%)
    age              Mean (SD)        44.2 (12.1)
                     Median (range)   43 (25–67)

A column whose every given value is a number (age, years in post) is
summarised by its mean (SD) and median (range); any other column is counted
value by value, sorted naturally, ``(not given)`` last.

Columns that identify a person (names, emails, phone numbers, addresses, dates
of birth: :mod:`radar.identifiers`) are never shown. Small cells follow
radar.toml's ``[deidentify] min_cell`` (3 by default): a count of 1 or 2 is
shown as ``<3`` without a percentage, and a number column with fewer given
values than that shows no mean, median or range (they would give a person's
value away).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from radar import columns as C
from radar.config import DEFAULT_MIN_CELL
from radar.errors import SpeakersError
from radar.identifiers import shown_attributes
from radar.matrix import NOT_GIVEN, natural_key
from radar.tally import count_text, is_small, percent, percent_places, round_half_up

if TYPE_CHECKING:
    import pandas as pd

    from radar.speakers import SpeakerList

SPEAKERS_FILE = "speakers.csv"
MEAN_SD = "Mean (SD)"
MEDIAN_RANGE = "Median (range)"
TOO_FEW = "not shown (fewer than {min_cell} values)"


def characteristics(
    table1: pd.DataFrame,
    speakers: SpeakerList | None,
    *,
    percent_style: str = "jmir",
    where: str = "",
    min_cell: int = DEFAULT_MIN_CELL,
) -> pd.DataFrame:
    """The participant characteristics table.

    Args:
        table1: the phase-1 table (who spoke), with Participant and Role.
        speakers: the study's speakers list.
        percent_style: decimals of the percentages (JMIR's rule by N by default).
        where: the study folder, for the error message.
        min_cell: counts from 1 to ``min_cell - 1`` are shown as ``<3`` (1 shows every count).

    Raises:
        SpeakersError: there is no speakers list, or it has no attribute columns
            (or only columns that identify a person).
    """
    import pandas as pd

    speakers = require_attributes(speakers, where)
    people = participants(table1, speakers)
    attributes = {s.participant_id: dict(s.attributes) for s in speakers.participants()}
    total = len(people)
    rows: list[tuple[str, str, str]] = []
    for name in shown_attributes(speakers):
        values = [attributes.get(p, {}).get(name, "").strip() for p in people]
        block = _numeric_rows(name, values, total, percent_style, min_cell)
        if block is None:
            block = _count_rows(f"{name}, n (%)", values, total, percent_style, min_cell)
        rows += [(head if i == 0 else "", value, text) for i, (head, value, text) in enumerate(block)]
    return pd.DataFrame(rows, columns=[C.CHARACTERISTIC, C.CHARACTERISTIC_VALUE, participants_header(total)])


def require_attributes(speakers: SpeakerList | None, where: str = "") -> SpeakerList:
    """The speakers list, or an error saying what to add when it is missing or has no attribute columns."""
    if speakers is None:
        raise SpeakersError(
            f"{SPEAKERS_FILE}: not found in {where or 'the study folder'}; add it with a row per "
            "participant and a column per characteristic (age, state...) after "
            "speaker,participant_id,role (`radar speakers --write` starts one)",
            path=SPEAKERS_FILE,
        )
    if not speakers.attribute_names:
        raise SpeakersError(
            f"{SPEAKERS_FILE}: no participant characteristics; add a column per characteristic "
            "(age, state...) after speaker,participant_id,role",
            path=SPEAKERS_FILE,
        )
    if not shown_attributes(speakers):
        raise SpeakersError(
            f"{SPEAKERS_FILE}: its columns after speaker,participant_id,role "
            f"({', '.join(speakers.attribute_names)}) all identify a person (names, emails, phone "
            "numbers...), which radar never shows; add a column per characteristic (age, state...)",
            path=SPEAKERS_FILE,
        )
    return speakers


def participants_header(total: int) -> str:
    """The header of the table's counts: ``Participants (N = 5)``."""
    return f"Participants (N = {total})"


def participants(table1: pd.DataFrame, speakers: SpeakerList) -> list[str]:
    """The participants' IDs: those who spoke, then those listed who did not."""
    spoke = table1.loc[table1[C.ROLE] == C.PARTICIPANT_ROLE, C.PARTICIPANT]
    listed = [s.participant_id for s in speakers.participants()]
    return list(dict.fromkeys([*spoke, *listed]))


def _count(n: int, total: int, percent_style: str, min_cell: int = 1) -> str:
    if is_small(n, min_cell):
        return count_text(n, min_cell)
    return f"{n} ({percent(n, total, percent_places(total, percent_style))}%)"


def _count_rows(
    head: str, values: Sequence[str], total: int, percent_style: str, min_cell: int
) -> list[tuple[str, str, str]]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value or NOT_GIVEN] = counts.get(value or NOT_GIVEN, 0) + 1
    return [
        (head, v, _count(counts[v], total, percent_style, min_cell)) for v in sorted(counts, key=natural_key)
    ]


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _numeric_rows(
    name: str, values: Sequence[str], total: int, percent_style: str, min_cell: int = 1
) -> list[tuple[str, str, str]] | None:
    """Mean (SD) and median (range) of a column whose every given value is a number, else None."""
    given = [v for v in values if v]
    numbers = [_number(v) for v in given]
    if not given or any(n is None for n in numbers):
        return None
    found = [n for n in numbers if n is not None]
    missing = len(values) - len(given)
    if is_small(len(found), min_cell):
        rows = [(name, MEAN_SD, TOO_FEW.format(min_cell=min_cell))]
        if missing:
            rows.append((name, NOT_GIVEN, _count(missing, total, percent_style, min_cell)))
        return rows
    mean = statistics.mean(found)
    sd = f" ({_plain(statistics.stdev(found), 1)})" if len(found) > 1 else ""
    rows = [
        (name, MEAN_SD, f"{_plain(mean, 1)}{sd}"),
        (
            name,
            MEDIAN_RANGE,
            f"{_plain(statistics.median(found))} ({_plain(min(found))}\u2013{_plain(max(found))})",
        ),
    ]
    if missing:
        rows.append((name, NOT_GIVEN, _count(missing, total, percent_style, min_cell)))
    return rows


def _plain(number: Decimal, places: int | None = None) -> str:
    """A number as a table prints it: whole numbers without decimals, else ``places`` (or as given)."""
    if places is not None:
        return str(round_half_up(number, places))
    return (
        str(number.to_integral_value()) if number == number.to_integral_value() else str(number.normalize())
    )
