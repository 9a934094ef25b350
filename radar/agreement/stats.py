"""Agreement that holds up for rare codes: AC1, PABAK, prevalence and bias, with intervals.

Cohen's kappa depends on prevalence: two coders who agree on 95% of segments
about a rare code can still get a kappa near 0 (the "kappa paradox",
Feinstein & Cicchetti 1990). Beside it this module gives:

* Gwet's AC1 (Gwet 2008; Handbook of Inter-Rater Reliability, 4th ed., 2014),
  for two coders from their contingency table and for several coders (or
  missing ratings) from the raw ratings, each with Gwet's analytic variance;
* Brennan and Prediger's coefficient, which for a yes/no code is PABAK,
  2·po − 1 (Byrt, Bishop & Carlin 1993), with its variance;
* the prevalence index (a − d)/n and the bias index (b − c)/n of a 2 × 2 table;
* Cohen's kappa with the large-sample standard error (Fleiss, Cohen & Everitt
  1969, as Gwet 2014 gives it);
* percent agreement with a Wilson interval;
* a seeded bootstrap over units for measures without an analytic interval
  (Krippendorff's alpha, Fleiss' kappa), the seed recorded in the result.

Analytic intervals use Student's t with n − 1 degrees of freedom, as Gwet's
handbook and the irrCAC package do, and stop at 1.

Example:
    >>> a, b = ["y"] * 19 + ["n"], ["y"] * 18 + ["n", "n"]
    >>> round(gwet_ac1([list(pair) for pair in zip(a, b)]).value, 3)
    0.942
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from radar.agreement.measures import Profiles, alpha_of_profiles, fleiss_of_profiles

LEVEL = 0.95
DEFAULT_SEED = 20_200_101
DEFAULT_REPLICATES = 1000

Rows = Sequence[Sequence[Hashable | None]]


@dataclass(frozen=True)
class Estimate:
    """A coefficient with its standard error and interval.

    ``method`` says how the interval was found: ``analytic`` (the formula in
    the literature), ``bootstrap`` (percentiles of ``replicates`` resamples of
    the units, drawn with ``seed``), or ``none``.
    """

    value: float
    low: float | None = None
    high: float | None = None
    se: float | None = None
    method: str = "none"
    seed: int | None = None
    replicates: int | None = None

    @property
    def width(self) -> float | None:
        """The interval's width, or None without one."""
        return None if self.low is None or self.high is None else self.high - self.low

    def shown(self, places: int = 3) -> str:
        """``0.849 [0.764, 0.935]``: the value and its interval."""
        text = f"{self.value:.{places}f}"
        if self.low is not None and self.high is not None:
            text += f" [{self.low:.{places}f}, {self.high:.{places}f}]"
        return text


# Student's t, without scipy ---------------------------------------------------


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by Lentz's continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _incomplete_beta(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return front * result / a


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom.

    Example:
        >>> round(t_cdf(2.228, 10), 3)
        0.975
    """
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection on :func:`t_cdf`).

    Example:
        >>> round(t_quantile(0.975, 10), 3), round(t_quantile(0.975, 99), 3)
        (2.228, 1.984)
    """
    if not 0 < p < 1 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    low, high = -1.0, 1.0
    while t_cdf(low, df) > p:
        low *= 2
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def _analytic(value: float, variance: float, n: int, level: float = LEVEL) -> Estimate:
    se = math.sqrt(max(variance, 0.0))
    if n < 2:
        return Estimate(value, se=se, method="none")
    spread = se * t_quantile(1 - (1 - level) / 2, n - 1)
    return Estimate(value, value - spread, min(1.0, value + spread), se, "analytic")


# Two coders: the contingency table --------------------------------------------


def _table(a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable] | None) -> tuple[
    list[Hashable], list[list[float]], int
]:  # fmt: skip
    if len(a) != len(b):
        raise ValueError(f"the coders labelled {len(a)} and {len(b)} units; give both the same units")
    labels = list(categories) if categories is not None else sorted(set(a) | set(b), key=repr)
    index = {label: number for number, label in enumerate(labels)}
    q = len(labels)
    counts = [[0.0] * q for _ in range(q)]
    for x, y in zip(a, b):
        counts[index[x]][index[y]] += 1
    return labels, counts, len(a)


def cohen_kappa_estimate(
    a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable] | None = None
) -> Estimate | None:
    """Cohen's kappa with its large-sample standard error and t interval.

    The variance is Fleiss, Cohen & Everitt's (1969), as in Gwet (2014, ch. 5)
    and irrCAC's ``kappa2.table``. None when kappa is undefined.
    """
    labels, counts, n = _table(a, b, categories)
    q = len(labels)
    if n == 0:
        return None
    p = [[cell / n for cell in row] for row in counts]
    rows = [sum(row) for row in p]
    cols = [sum(p[k][j] for k in range(q)) for j in range(q)]
    pa = sum(p[k][k] for k in range(q))
    pe = sum(rows[k] * cols[k] for k in range(q))
    if pe >= 1:
        return None
    kappa = (pa - pe) / (1 - pe)
    total = sum(
        p[k][j] * ((1.0 if k == j else 0.0) - (1 - kappa) * (cols[k] + rows[j])) ** 2
        for k in range(q)
        for j in range(q)
    )
    variance = (total - (pa - 2 * (1 - kappa) * pe) ** 2) / (n * (1 - pe) ** 2)
    return _analytic(kappa, variance, n)


def _ac1_table(counts: list[list[float]], n: int) -> Estimate | None:
    q = len(counts)
    if n == 0 or q < 2:
        return None
    p = [[cell / n for cell in row] for row in counts]
    rows = [sum(row) for row in p]
    cols = [sum(p[k][j] for k in range(q)) for j in range(q)]
    pi = [(rows[k] + cols[k]) / 2 for k in range(q)]
    pa = sum(p[k][k] for k in range(q))
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    ac1 = (pa - pe) / (1 - pe)
    total = sum(
        p[k][j] * ((1.0 if k == j else 0.0) - 2 * (1 - ac1) * (1 - (pi[k] + pi[j]) / 2) / (q - 1)) ** 2
        for k in range(q)
        for j in range(q)
    )
    variance = (total - (pa - 2 * (1 - ac1) * pe) ** 2) / (n * (1 - pe) ** 2)
    return _analytic(ac1, variance, n)


# Several coders or missing ratings: the raw ratings -----------------------------


def _raw(ratings: Rows, categories: Sequence[Hashable] | None) -> tuple[list[list[int]], int]:
    """Each unit's count of ratings per category (units with no rating left out), and q."""
    seen = {v for row in ratings for v in row if v is not None}
    labels = list(categories) if categories is not None else sorted(seen, key=repr)
    index = {label: number for number, label in enumerate(labels)}
    counts = []
    for row in ratings:
        unit = [0] * len(labels)
        for value in row:
            if value is not None:
                unit[index[value]] += 1
        if sum(unit):
            counts.append(unit)
    return counts, len(labels)


def _chance_corrected_raw(ratings: Rows, categories: Sequence[Hashable] | None, kind: str) -> Estimate | None:
    """AC1 (``kind="ac1"``) or Brennan-Prediger (``"bp"``) from raw ratings, with Gwet's variance."""
    counts, q = _raw(ratings, categories)
    n = len(counts)
    if n == 0 or q < 2:
        return None
    totals = [sum(unit) for unit in counts]
    paired = [r >= 2 for r in totals]
    n2 = sum(paired)
    if n2 == 0:
        return None
    agree = [
        sum(k * (k - 1) for k in unit) / (r * (r - 1)) if r >= 2 else 0.0 for unit, r in zip(counts, totals)
    ]
    pa = sum(agree) / n2
    pi = [sum(unit[k] / r for unit, r in zip(counts, totals)) / n for k in range(q)]
    pe = sum(x * (1 - x) for x in pi) / (q - 1) if kind == "ac1" else 1 / q
    if pe >= 1:
        return None
    value = (pa - pe) / (1 - pe)
    parts = []
    for unit, r, agreed, both in zip(counts, totals, agree, paired):
        part = (n / n2) * (agreed - (pe if both else 0.0)) / (1 - pe)
        if kind == "ac1":
            pe_unit = sum(unit[k] * (1 - pi[k]) for k in range(q)) / r / (q - 1)
            part -= 2 * (1 - value) * (pe_unit - pe) / (1 - pe)
        parts.append(part)
    variance = sum((x - value) ** 2 for x in parts) / (n * (n - 1)) if n > 1 else 0.0
    return _analytic(value, variance, n)


def _two_complete(ratings: Rows) -> bool:
    return all(len(row) == 2 and None not in row for row in ratings)


def gwet_ac1(ratings: Rows, categories: Sequence[Hashable] | None = None) -> Estimate | None:
    """Gwet's AC1 with its analytic variance and t interval.

    Two coders with every unit rated by both: the contingency-table formulas
    (Gwet 2014, ch. 5; irrCAC's ``gwet.ac1.table``); otherwise the raw-ratings
    formulas for any number of coders and missing ratings (Gwet 2014, ch. 6;
    ``gwet.ac1.raw``). Chance agreement is Σ π_k(1 − π_k)/(q − 1), π_k the
    mean share of ratings in category k; for a yes/no code 2π(1 − π).

    Args:
        ratings: one row per unit, each coder's label (None where missing).
        categories: the possible labels (give both ``present`` and ``absent``
            for a code, so a code nobody used still has q = 2); by default
            those used.

    Returns:
        The estimate, or None with no units or fewer than two categories.
    """
    if not ratings:
        return None
    if _two_complete(ratings):
        _labels, counts, n = _table([r[0] for r in ratings], [r[1] for r in ratings], categories)
        return _ac1_table(counts, n)
    return _chance_corrected_raw(ratings, categories, "ac1")


def brennan_prediger(ratings: Rows, categories: Sequence[Hashable] | None = None) -> Estimate | None:
    """Brennan and Prediger's coefficient (po − 1/q)/(1 − 1/q); for a yes/no code, PABAK = 2·po − 1.

    Two complete coders: variance po(1 − po)/(n(1 − 1/q)²) (Gwet 2014,
    ``bp2.table``); otherwise the raw-ratings variance (``bp.coeff.raw``).
    """
    if not ratings:
        return None
    if _two_complete(ratings):
        labels, counts, n = _table([r[0] for r in ratings], [r[1] for r in ratings], categories)
        q = len(labels)
        if q < 2:
            return None
        pa = sum(counts[k][k] for k in range(q)) / n
        pe = 1 / q
        return _analytic((pa - pe) / (1 - pe), (pa - pa * pa) / (n * (1 - pe) ** 2), n)
    return _chance_corrected_raw(ratings, categories, "bp")


def pabak(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """The prevalence- and bias-adjusted kappa of two coders: 2·po − 1.

    Example:
        >>> pabak(["y", "y", "n", "n"], ["y", "n", "n", "n"])
        0.5
    """
    if len(a) != len(b):
        raise ValueError(f"the coders labelled {len(a)} and {len(b)} units; give both the same units")
    if not a:
        return None
    return 2 * sum(x == y for x, y in zip(a, b)) / len(a) - 1


def prevalence_index(a: Sequence[Hashable], b: Sequence[Hashable], positive: Hashable) -> float | None:
    """Byrt et al.'s prevalence index (a − d)/n: both positive minus both negative, over the units.

    Example:
        >>> prevalence_index(["y", "n", "n", "n"], ["y", "y", "n", "n"], "y")
        -0.25
    """
    if not a:
        return None
    both = sum(x == positive and y == positive for x, y in zip(a, b))
    neither = sum(x != positive and y != positive for x, y in zip(a, b))
    return (both - neither) / len(a)


def bias_index(a: Sequence[Hashable], b: Sequence[Hashable], positive: Hashable) -> float | None:
    """Byrt et al.'s bias index (b − c)/n: A-only positives minus B-only positives, over the units.

    Example:
        >>> bias_index(["y", "n", "n", "n"], ["y", "y", "n", "n"], "y")
        -0.25
    """
    if not a:
        return None
    only_a = sum(x == positive and y != positive for x, y in zip(a, b))
    only_b = sum(x != positive and y == positive for x, y in zip(a, b))
    return (only_a - only_b) / len(a)


def percent_estimate(ratings: Rows, level: float = LEVEL) -> Estimate | None:
    """Percent agreement (every coder gave the unit the same label), with a Wilson score interval.

    Example:
        >>> percent_estimate([["y", "y"]] * 9 + [["y", "n"]]).shown(1)
        '90.0 [59.6, 98.2]'
    """
    n = len(ratings)
    if n == 0:
        return None
    agreed = sum(len({v for v in row}) <= 1 for row in ratings)
    p = agreed / n
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(100 * p, 100 * (centre - spread), 100 * (centre + spread), None, "analytic")


# The bootstrap over units -------------------------------------------------------


def _profile(row: Sequence[Hashable | None]) -> tuple[tuple[Hashable, int], ...]:
    return tuple(sorted(Counter(v for v in row if v is not None).items(), key=lambda item: repr(item[0])))


def bootstrap(
    statistic: Callable[[Profiles], float | None],
    ratings: Rows,
    *,
    seed: int = DEFAULT_SEED,
    replicates: int = DEFAULT_REPLICATES,
    level: float = LEVEL,
) -> Estimate | None:
    """A statistic with a percentile interval from resampling the units with replacement.

    The statistic takes the units' profiles (how many units share each
    ``((label, count), ...)``; missing ratings left out), as the measures
    depend on nothing else, so each replicate draws the profiles' counts from
    one multinomial: the same as drawing units, and fast. Replicates on which
    the statistic is undefined are left out. The ``seed`` is kept in the
    estimate so the interval can be reproduced.

    Returns:
        None when the statistic is undefined on the data.
    """
    import numpy as np

    groups = Counter(_profile(row) for row in ratings)
    value = statistic(groups)
    if value is None:
        return None
    profiles = list(groups)
    n = len(ratings)
    shares = np.array([groups[p] / n for p in profiles])
    draws = np.random.default_rng(seed).multinomial(n, shares, size=replicates)
    values: list[float] = []
    cache: dict[tuple[int, ...], float | None] = {}
    for draw in draws:
        key = tuple(int(k) for k in draw)
        if key not in cache:
            cache[key] = statistic(Counter({p: k for p, k in zip(profiles, key) if k}))
        found = cache[key]
        if found is not None:
            values.append(found)
    if len(values) < 2:
        return Estimate(value, method="none", seed=seed, replicates=replicates)
    ordered = np.sort(np.array(values))
    low = float(np.quantile(ordered, (1 - level) / 2))
    high = float(np.quantile(ordered, 1 - (1 - level) / 2))
    return Estimate(value, low, high, float(np.std(ordered, ddof=1)), "bootstrap", seed, replicates)


def _pairable_alpha(profiles: Profiles) -> float | None:
    return alpha_of_profiles(Counter({p: k for p, k in profiles.items() if sum(c for _, c in p) >= 2}))


def alpha_estimate(
    ratings: Rows, *, seed: int = DEFAULT_SEED, replicates: int = DEFAULT_REPLICATES
) -> Estimate | None:
    """Krippendorff's alpha (nominal) with a seeded bootstrap interval over the units."""
    return bootstrap(_pairable_alpha, ratings, seed=seed, replicates=replicates)


def fleiss_estimate(
    ratings: Rows, *, seed: int = DEFAULT_SEED, replicates: int = DEFAULT_REPLICATES
) -> Estimate | None:
    """Fleiss' kappa with a seeded bootstrap interval over the units (every unit rated by every coder)."""
    if any(None in row for row in ratings) or len({len(row) for row in ratings}) > 1:
        raise ValueError("Fleiss' kappa needs every unit rated by every coder")
    return bootstrap(fleiss_of_profiles, ratings, seed=seed, replicates=replicates)


# Planning: how many segments to double-code ---------------------------------------


def segments_for_width(width: float, agreement: float = 0.9, level: float = LEVEL) -> int:
    """Segments to double-code so PABAK's interval is at most ``width`` wide, before any pilot.

    PABAK's variance is 4·po(1 − po)/n for a yes/no code, so the interval's
    width is 2·z·2·sqrt(po(1 − po)/n); this solves for n with the expected
    percent agreement ``agreement`` (as a share). The t quantile is taken at
    n − 1 degrees of freedom, so the answer is found by counting up.

    Example:
        >>> segments_for_width(0.2, 0.9)
        141
    """
    if not 0 < width < 2:
        raise ValueError("the interval's width must be above 0 and below 2")
    if not 0 < agreement < 1:
        raise ValueError("the expected agreement must be a share above 0 and below 1")
    spread = 4 * math.sqrt(agreement * (1 - agreement))
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    n = max(2, math.ceil((z * spread / width) ** 2))
    while t_quantile(1 - (1 - level) / 2, n - 1) * spread / math.sqrt(n) > width:
        n += 1
    return n


def scaled_segments(current: int, current_width: float, width: float) -> int:
    """Segments needed for ``width`` given a pilot of ``current`` segments whose interval is ``current_width``.

    An interval's width shrinks with the square root of the segments, so
    n = current × (current_width / width)², rounded up.

    Example:
        >>> scaled_segments(50, 0.4, 0.2)
        200
    """
    if width <= 0:
        raise ValueError("the interval's width must be above 0")
    return max(current, math.ceil(current * (current_width / width) ** 2 - 1e-9))


__all__ = [
    "DEFAULT_REPLICATES",
    "DEFAULT_SEED",
    "Estimate",
    "alpha_estimate",
    "bias_index",
    "bootstrap",
    "brennan_prediger",
    "cohen_kappa_estimate",
    "fleiss_estimate",
    "gwet_ac1",
    "pabak",
    "percent_estimate",
    "prevalence_index",
    "scaled_segments",
    "segments_for_width",
    "t_cdf",
    "t_quantile",
]
