"""Per code and overall, every coefficient a methods reviewer asks for, with intervals and the rare-code flag.

:func:`detail_frame` takes each code's ratings (one row per compared segment,
each coder's ``present``/``absent``) and gives one row per code and one per
overall measure: the positive segments (marked by at least one coder),
percent agreement, Cohen's kappa (Fleiss' with three or more coders), Gwet's
AC1, PABAK, Krippendorff's alpha, and with two coders the prevalence and bias
indices. A code with fewer than ``min_positive`` positive segments is
``too rare to assess``: its coefficients are left empty rather than shown as
numbers that look exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.agreement.stats import (
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    Estimate,
    alpha_estimate,
    bias_index,
    brennan_prediger,
    cohen_kappa_estimate,
    fleiss_estimate,
    gwet_ac1,
    percent_estimate,
    prevalence_index,
    scaled_segments,
    segments_for_width,
)
from radar.formats import text_table

if TYPE_CHECKING:
    import pandas as pd

PRESENT, ABSENT = "present", "absent"
DEFAULT_MIN_POSITIVE = 5
ASSESSED = "yes"
UNDEFINED = "undefined"


def _estimates(
    rows: Sequence[Sequence[str]], *, seed: int, replicates: int, categories: Sequence[str]
) -> dict[str, Estimate | None]:
    many = bool(rows) and len(rows[0]) > 2
    if many:
        kappa = fleiss_estimate(rows, seed=seed, replicates=replicates)
    else:
        kappa = cohen_kappa_estimate([r[0] for r in rows], [r[1] for r in rows], categories) if rows else None
    return {
        "percent": percent_estimate(rows),
        "kappa": kappa,
        "ac1": gwet_ac1(rows, categories),
        "pabak": brennan_prediger(rows, categories),
        "alpha": alpha_estimate(rows, seed=seed, replicates=replicates),
    }


def _cells(estimate: Estimate | None) -> tuple[float, float, float]:
    nan = float("nan")
    if estimate is None:
        return nan, nan, nan
    low = nan if estimate.low is None else estimate.low
    high = nan if estimate.high is None else estimate.high
    return estimate.value, low, high


def detail_row(
    name: str,
    theme: str,
    rows: Sequence[Sequence[str]],
    *,
    positive: str = PRESENT,
    categories: Sequence[str] = (PRESENT, ABSENT),
    min_positive: int = DEFAULT_MIN_POSITIVE,
    seed: int = DEFAULT_SEED,
    replicates: int = DEFAULT_REPLICATES,
) -> tuple[object, ...]:
    """One row of :data:`radar.columns.AGREEMENT_DETAIL_COLUMNS` for one code (or overall measure)."""
    nan = float("nan")
    marked = sum(any(v == positive for v in row) for row in rows)
    rare = marked < min_positive
    found = _estimates(rows, seed=seed, replicates=replicates, categories=categories)
    percent = _cells(found["percent"])
    if rare:
        coefficients: list[float] = [nan] * 12
        assessed = C.TOO_RARE
    else:
        coefficients = [x for key in ("kappa", "ac1", "pabak", "alpha") for x in _cells(found[key])]
        assessed = ASSESSED
    two = bool(rows) and len(rows[0]) == 2
    a, b = [r[0] for r in rows], [r[1] for r in rows]
    pi = prevalence_index(a, b, positive) if two and not rare else None
    bi = bias_index(a, b, positive) if two and not rare else None
    return (
        name,
        theme,
        len(rows),
        marked,
        assessed,
        *percent,
        *coefficients,
        nan if pi is None else pi,
        nan if bi is None else bi,
    )


def detail_frame(
    per_code: Mapping[str, Sequence[Sequence[str]]],
    themes: Mapping[str, str],
    overall: Mapping[str, tuple[Sequence[Sequence[str]], str, Sequence[str]]],
    *,
    min_positive: int = DEFAULT_MIN_POSITIVE,
    seed: int = DEFAULT_SEED,
    replicates: int = DEFAULT_REPLICATES,
) -> pd.DataFrame:
    """The detail table: one row per code, then one per overall measure.

    Args:
        per_code: each code's ratings (segments × coders, ``present``/``absent``).
        themes: each code's theme.
        overall: name -> (ratings, the positive label, the labels), such as
            ``"All codes": (units, "present", ("present", "absent"))``.
        min_positive: codes with fewer positive segments are too rare to assess.
        seed, replicates: the bootstrap of alpha (and of Fleiss' kappa).
    """
    import pandas as pd

    if min_positive < 0:
        raise ValueError("min_positive must be 0 or more")
    rows = [
        detail_row(
            code, themes.get(code, ""), ratings, min_positive=min_positive, seed=seed, replicates=replicates
        )
        for code, ratings in per_code.items()
    ]
    for name, (ratings, positive, labels) in overall.items():
        rows.append(
            detail_row(
                name,
                "",
                ratings,
                positive=positive,
                categories=labels,
                min_positive=min_positive,
                seed=seed,
                replicates=replicates,
            )
        )
    return pd.DataFrame(rows, columns=list(C.AGREEMENT_DETAIL_COLUMNS))


def _interval(frame: pd.DataFrame, name: str, places: int) -> list[str]:
    shown = []
    for value, low, high, assessed in zip(
        frame[name], frame[f"{name}_low"], frame[f"{name}_high"], frame["assessed"]
    ):
        if assessed != ASSESSED and name != "percent":
            shown.append(C.TOO_RARE)
        elif math.isnan(value):
            shown.append(UNDEFINED)
        elif math.isnan(low) or math.isnan(high):
            shown.append(f"{value:.{places}f}")
        else:
            shown.append(f"{value:.{places}f} [{low:.{places}f}, {high:.{places}f}]")
    return shown


def detail_table(frame: pd.DataFrame, kappa_name: str = "kappa") -> pd.DataFrame:
    """The detail frame as printed: each coefficient with its 95% interval, ``too rare to assess``."""
    import pandas as pd

    shown = pd.DataFrame(
        {
            "code": frame[C.TALLY_CODE],
            "n": frame["n"],
            "positive": frame["positive"],
            "% agreement": _interval(frame.rename(columns=_percent_names()), "percent", 1),
            kappa_name: _interval(frame, "kappa", 3),
            "AC1": _interval(frame, "ac1", 3),
            "PABAK": _interval(frame, "pabak", 3),
            "alpha": _interval(frame, "alpha", 3),
        }
    )
    for name, column in (("PI", "prevalence_index"), ("BI", "bias_index")):
        shown[name] = ["" if math.isnan(v) else f"{v:.3f}" for v in frame[column]]
    return shown


def _percent_names() -> dict[str, str]:
    return {"percent_agreement": "percent", "percent_low": "percent_low", "percent_high": "percent_high"}


def plan_frame(detail: pd.DataFrame, width: float) -> pd.DataFrame:
    """Per assessable code (and overall), the segments to double-code for an AC1 interval ``width`` wide.

    The pilot's interval narrows with the square root of the segments, so a
    code whose AC1 interval is w wide on n segments needs n × (w / width)².
    """
    import pandas as pd

    rows = []
    for code, n, marked, assessed, low, high in zip(
        detail[C.TALLY_CODE],
        detail["n"],
        detail["positive"],
        detail["assessed"],
        detail["ac1_low"],
        detail["ac1_high"],
    ):
        if assessed != ASSESSED or math.isnan(low) or math.isnan(high) or high - low <= 0:
            rows.append((code, int(n), int(marked), float("nan"), float("nan")))
            continue
        rows.append(
            (code, int(n), int(marked), high - low, float(scaled_segments(int(n), high - low, width)))
        )
    return pd.DataFrame(rows, columns=list(C.AGREEMENT_PLAN_COLUMNS))


def plan_text(width: float, expected: float, detail: pd.DataFrame | None = None) -> str:
    """How many segments to double-code, in words: from the pilot copies if given, else from ``expected``."""
    ahead = segments_for_width(width, expected)
    lines = [
        f"Before a pilot: expecting {expected:.0%} agreement on a code, double-code {ahead} segments "
        f"for PABAK's 95% interval to be at most {width:g} wide (PABAK's variance 4·po(1 − po)/n).",
    ]
    if detail is not None:
        plan = plan_frame(detail, width)
        needed = [v for code, v in zip(plan[C.TALLY_CODE], plan["segments_needed"]) if not math.isnan(v)]
        shown = plan.copy()
        shown["ac1_width"] = ["" if math.isnan(v) else f"{v:.3f}" for v in shown["ac1_width"]]
        shown["segments_needed"] = [
            C.TOO_RARE if math.isnan(v) else str(int(v)) for v in shown["segments_needed"]
        ]
        lines += [
            "",
            f"From these copies: each code's AC1 interval now, and the segments it needs for a width of {width:g}:",
            "",
            text_table(shown).rstrip("\n"),
        ]
        if needed:
            lines += [
                "",
                f"Double-code at least {int(max(needed))} segments for every assessable code to reach it.",
            ]
    return "\n".join(lines) + "\n"


__all__ = [
    "DEFAULT_MIN_POSITIVE",
    "detail_frame",
    "detail_row",
    "detail_table",
    "plan_frame",
    "plan_text",
]
