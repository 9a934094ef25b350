"""Saturation by Guest, Namey & Chen's method (PLOS ONE 2020): new codes per transcript, in the order held.

The transcripts are put in the order they were held: by their ``date`` in
radar.toml (``[groups.fg1] date = 2026-05-03``) where every group has one,
else by file name (``fg2`` before ``fg10``). Then:

* the **base** is the first ``base`` transcripts (default 4); its distinct
  codes are the denominator;
* a **run** is ``run`` consecutive transcripts (default 2) after the base;
  the runs roll on one transcript at a time (transcripts 5–6, then 6–7, …);
* a run's **new information** is the codes first seen in the run (in no
  earlier transcript) as a percentage of the base's codes;
* saturation is **met** at the first run whose new information is at or
  below the **threshold** (default 5%).

With ``unit="themes"`` the same is done with themes instead of codes.

Example:
    >>> result = saturation(["t1", "t2", "t3"], {"t1": {"a", "b"}, "t2": {"b", "c"}, "t3": {"a"}},
    ...                     base=2, run=1, threshold=5)
    >>> result.base_items, result.met_at
    (3, 't3')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar import columns as C
from radar.config import StudyConfig
from radar.errors import RadarError
from radar.matrix import natural_key

if TYPE_CHECKING:
    import pandas as pd

SATURATION_UNITS = ("codes", "themes")


@dataclass(frozen=True, eq=False)
class SaturationResult:
    """The saturation table and what it shows.

    ``table`` has the columns of :data:`radar.columns.SATURATION_COLUMNS`: one
    row per transcript in the order held, its new codes (``new``, and their
    names in ``new_items``), the running total, and for each transcript that
    ends a run, the run's number (``step``), its new codes (``run_new``), the
    new information as a percentage of the base (``new_information``) and
    whether it is at or below the threshold (``met``).
    """

    table: pd.DataFrame
    unit: str
    base: int
    run: int
    threshold: float
    base_items: int
    order_by: str  # "date" or "name"
    met_at: str | None  # the Group ID ending the first run at or below the threshold
    notes: tuple[str, ...] = ()

    @property
    def assessable(self) -> bool:
        """Whether there are transcripts for at least one run after the base."""
        return len(self.table) >= self.base + self.run and self.base_items > 0

    def paragraph(self, group_names: Mapping[str, str] | None = None) -> str:
        """The methods report's paragraph, in words, with the base, run, threshold and the outcome."""
        names = group_names or {}
        count = len(self.table)
        singular = self.unit[:-1]
        order = "the date each was held" if self.order_by == "date" else "file name"
        opening = (
            f"Saturation was assessed with Guest, Namey and Chen's (2020) method over the {count} transcripts "
            f"in the order they were held (by {order}), counting distinct {self.unit}: a base of the first "
            f"{self.base} transcripts, runs of {self.run} transcript{'s' if self.run != 1 else ''} rolling on "
            f"one at a time, and a new-information threshold of {self.threshold:g}% of the base's {self.unit}."
        )
        if not self.assessable:
            need = self.base + self.run
            return (
                f"{opening} With {count} transcript{'s' if count != 1 else ''} "
                f"(at least {need} are needed) and {self.base_items} {self.unit} in the base, saturation "
                "could not be assessed."
            )
        runs = self.table[self.table["step"].notna()]
        steps = "; ".join(
            f"run {int(step)} (to {names.get(str(group), str(group))}): {int(new)} new, {_percent(share)}"
            for step, group, new, share in zip(
                runs["step"], runs[C.GROUP], runs["run_new"], runs["new_information"]
            )
        )
        base_text = f"The base held {self.base_items} {self.unit if self.base_items != 1 else singular}."
        if self.met_at is None:
            outcome = (
                f"No run reached the threshold, so saturation was not met with these {count} transcripts."
            )
        else:
            outcome = (
                f"Saturation was met at the run ending with {names.get(self.met_at, self.met_at)}, "
                f"the first whose new information was at or below {self.threshold:g}%."
            )
        return f"{opening} {base_text} New {self.unit} per run: {steps}. {outcome}"


def _percent(share: float) -> str:
    return f"{share:.1f}%"


def transcript_order(groups: Sequence[str], config: StudyConfig) -> tuple[list[str], str, list[str]]:
    """The groups in the order held: by radar.toml's dates when every group has one, else by name.

    Returns:
        The order, ``"date"`` or ``"name"``, and notes (groups without a date
        when only some have one).
    """
    dates = config.group_dates()
    by_name = sorted(groups, key=natural_key)
    dated = [g for g in groups if g in dates]
    if dated and len(dated) == len(groups):
        return sorted(by_name, key=lambda g: dates[g]), "date", []
    notes = []
    if dated:
        missing = [g for g in by_name if g not in dates]
        notes.append(
            f"radar.toml gives a date for {len(dated)} of {len(groups)} groups, so saturation orders them "
            f"by file name; add date = YYYY-MM-DD under [groups.{missing[0]}]"
            + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
        )
    return by_name, "name", notes


def saturation(
    order: Sequence[str],
    items: Mapping[str, set[str] | frozenset[str]],
    *,
    base: int = 4,
    run: int = 2,
    threshold: float = 5.0,
    unit: str = "codes",
    dates: Mapping[str, str] | None = None,
    order_by: str = "name",
    notes: Sequence[str] = (),
) -> SaturationResult:
    """Guest, Namey & Chen's saturation table over transcripts in ``order``.

    Args:
        order: the transcripts (Group IDs) in the order held.
        items: each transcript's distinct codes (or themes); a transcript with
            none may be left out.
        base, run, threshold: the base size, the run length and the
            new-information threshold (a percentage of the base's items).
        unit: ``codes`` or ``themes``, for the words.
        dates: each transcript's date, for the table.
        order_by: how ``order`` was found, ``date`` or ``name``.
        notes: notes to carry (such as groups without a date).
    """
    import pandas as pd

    if unit not in SATURATION_UNITS:
        raise RadarError(f"unknown saturation unit {unit!r}; use codes or themes")
    if base < 1 or run < 1:
        raise RadarError("the saturation base and run must each be at least 1 transcript")
    if not 0 < threshold <= 100:
        raise RadarError("the new-information threshold is a percentage above 0 and at most 100")
    seen: set[str] = set()
    first_seen: list[set[str]] = []
    for group in order:
        found = set(items.get(group, set()))
        first_seen.append(found - seen)
        seen |= found
    base_items = len(set().union(*first_seen[:base])) if first_seen else 0
    rows = []
    met_at = None
    total = 0
    step = 0
    for index, group in enumerate(order):
        total += len(first_seen[index])
        row: list[object] = [
            index + 1,
            group,
            (dates or {}).get(group, ""),
            len(first_seen[index]),
            ", ".join(sorted(first_seen[index], key=natural_key)),
            total,
        ]
        if index + 1 >= base + run and base_items:
            step += 1
            new = len(set().union(*first_seen[index + 1 - run : index + 1]))
            share = 100 * new / base_items
            met = share <= threshold + 1e-9
            if met and met_at is None:
                met_at = group
            row += [step, new, share, C.YES if met else C.NO]
        else:
            row += [None, None, None, ""]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(C.SATURATION_COLUMNS))
    frame["step"] = frame["step"].astype("Int64")
    frame["run_new"] = frame["run_new"].astype("Int64")
    frame["new_information"] = frame["new_information"].astype("Float64")
    return SaturationResult(frame, unit, base, run, threshold, base_items, order_by, met_at, tuple(notes))


def saturation_of(
    coded: pd.DataFrame,
    groups: Sequence[str],
    config: StudyConfig,
    *,
    unit: str = "codes",
    base: int | None = None,
    run: int | None = None,
    threshold: float | None = None,
) -> SaturationResult:
    """Saturation of a study from its phase-3 table (one row per segment and code) and its groups.

    The base, run and threshold default to radar.toml's ``[saturation]``.
    """
    if unit not in SATURATION_UNITS:
        raise RadarError(f"unknown saturation unit {unit!r}; use codes or themes")
    column = C.CODE if unit == "codes" else C.THEME
    items: dict[str, set[str]] = {}
    for group, value in zip(coded[C.GROUP], coded[column]):
        if isinstance(value, str) and value.strip():
            items.setdefault(str(group), set()).add(value)
    order, order_by, notes = transcript_order([str(g) for g in groups], config)
    settings = config.saturation
    return saturation(
        order,
        items,
        base=settings.base if base is None else base,
        run=settings.run if run is None else run,
        threshold=settings.threshold if threshold is None else threshold,
        unit=unit,
        dates=config.group_dates(),
        order_by=order_by,
        notes=notes,
    )


__all__ = ["SATURATION_UNITS", "SaturationResult", "saturation", "saturation_of", "transcript_order"]
