"""The agreement measures on plain data: Cohen's and Fleiss' kappa, Krippendorff's alpha, percent agreement.

A measure that cannot be computed (every coder gave every unit the same
value, so chance agreement is already perfect) is *undefined*: ``None``.

Example:
    >>> cohen_kappa(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"])
    0.5
    >>> cohen_kappa([False, False], [False, False]) is None
    True
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from fractions import Fraction

# The measures ----------------------------------------------------------------


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa between two coders' labels of the same units.

    kappa = (po - pe) / (1 - pe), with po the share of units given the same
    label and pe the agreement expected by chance from each coder's own
    label frequencies.

    Args:
        a: coder A's label for each unit (``True``/``False``, ``"yes"``/``"no"``...).
        b: coder B's labels, in the same order.

    Returns:
        The kappa, or None when it is undefined: no units, or pe = 1 (both
        coders gave every unit one and the same label).

    Raises:
        ValueError: if the two sequences differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"the coders labelled {len(a)} and {len(b)} units; give both the same units")
    n = len(a)
    if n == 0:
        return None
    observed = Fraction(sum(x == y for x, y in zip(a, b)), n)
    count_a, count_b = Counter(a), Counter(b)
    expected = sum((Fraction(count_a[label] * count_b[label], n * n) for label in count_a), Fraction(0))
    if expected == 1:
        return None
    return float((observed - expected) / (1 - expected))


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa for any number of raters, nominal labels.

    Args:
        ratings: one row per subject, each holding every rater's label
            (subjects × raters); every row must have the same number of
            labels, at least two.

    Returns:
        The kappa, or None when it is undefined: no subjects, or every label
        given is the same (chance agreement Pe = 1).

    Raises:
        ValueError: if the rows differ in length or have fewer than two labels.
    """
    if not ratings:
        return None
    raters = {len(row) for row in ratings}
    if len(raters) != 1:
        raise ValueError("every subject needs a label from every rater; the rows differ in length")
    (m,) = raters
    if m < 2:
        raise ValueError("Fleiss' kappa needs at least two raters per subject")
    return fleiss_of_profiles(_profiles(ratings))


Profiles = Counter[tuple[tuple[Hashable, int], ...]]


def fleiss_of_profiles(profiles: Profiles) -> float | None:
    """Fleiss' kappa from how many subjects share each label profile (every subject with m labels)."""
    subjects = sum(profiles.values())
    if not subjects:
        return None
    m = sum(k for _, k in next(iter(profiles)))
    totals: Counter[Hashable] = Counter()
    agreement_sum = 0  # sum over subjects of sum_j n_ij (n_ij - 1)
    for profile, count in profiles.items():
        agreement_sum += count * sum(k * (k - 1) for _, k in profile)
        for label, k in profile:
            totals[label] += count * k
    p_bar = Fraction(agreement_sum, subjects * m * (m - 1))
    p_e = sum((Fraction(t, subjects * m) ** 2 for t in totals.values()), Fraction(0))
    if p_e == 1:
        return None
    return float((p_bar - p_e) / (1 - p_e))


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data, missing values allowed.

    alpha = 1 - Do / De, computed from the coincidence matrix: a unit with
    m_u values contributes each ordered pair of its values with weight
    1 / (m_u - 1); units with fewer than two values are not pairable and
    are left out.

    Args:
        units: one row per unit, each holding every coder's value or None
            where that coder gave none (units × coders).

    Returns:
        The alpha, or None when it is undefined: no pairable values, or only
        one value used throughout (De = 0).
    """
    pairable = [[v for v in unit if v is not None] for unit in units]
    return alpha_of_profiles(_profiles([u for u in pairable if len(u) >= 2]))


def alpha_of_profiles(profiles: Profiles) -> float | None:
    """Krippendorff's alpha (nominal) from how many pairable units share each value profile."""
    coincidences: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for profile, count in profiles.items():
        m_u = sum(k for _, k in profile)
        for c, k_c in profile:
            for k, k_k in profile:
                pairs = k_c * (k_c - 1) if c == k else k_c * k_k
                coincidences[c, k] += Fraction(count * pairs, m_u - 1)
    margins: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _), o in coincidences.items():
        margins[c] += o
    n = sum(margins.values(), Fraction(0))
    disagreement = sum((o for (c, k), o in coincidences.items() if c != k), Fraction(0))
    expected = sum((margins[c] * margins[k] for c in margins for k in margins if c != k), Fraction(0))
    if n == 0 or expected == 0:
        return None
    return float(1 - (n - 1) * disagreement / expected)


def percent_agreement(ratings: Sequence[Sequence[Hashable]]) -> float | None:
    """The percentage of subjects on which every rater gave the same label.

    Args:
        ratings: one row per subject, each holding every rater's label.

    Returns:
        A percentage from 0 to 100 (not rounded), or None for no subjects.
    """
    if not ratings:
        return None
    agreed = sum(len(set(row)) <= 1 for row in ratings)
    return float(Fraction(100 * agreed, len(ratings)))


def _profiles(rows: Sequence[Sequence[Hashable]]) -> Counter[tuple[tuple[Hashable, int], ...]]:
    """How many rows share each label profile (label, count) — the measures depend only on these."""
    found: Counter[tuple[tuple[Hashable, int], ...]] = Counter()
    for row in rows:
        found[tuple(sorted(Counter(row).items(), key=lambda item: repr(item[0])))] += 1
    return found
