"""Agreement between coders: the measures on plain data, and coders' copies of the tables compared.

* :mod:`radar.agreement.measures`: Cohen's and Fleiss' kappa, Krippendorff's
  alpha and percent agreement on plain data;
* :mod:`radar.agreement.stats`: what holds up for rare codes — Gwet's AC1,
  PABAK (Brennan-Prediger), the prevalence and bias indices — with analytic
  or seeded bootstrap intervals, and how many segments to double-code;
* :mod:`radar.agreement.copies`: coders' copies of ``radar-tables.xlsx`` read
  and compared (:func:`agreement`), per code and overall.

Every name is importable from :mod:`radar.agreement`.

Example:
    >>> cohen_kappa(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"])
    0.5
    >>> cohen_kappa([False, False], [False, False]) is None
    True
"""

from __future__ import annotations

from radar.agreement.copies import (
    ABSENT,
    OVERALL_COLUMNS,
    PER_CODE_COLUMNS,
    PRESENT,
    UNDEFINED,
    AgreementResult,
    agreement,
    agreement_with,
    check_copies,
    coded_as,
    coder_labels,
    common_segments,
    copy_codebook,
    read_copy,
)
from radar.agreement.measures import cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal, percent_agreement
from radar.agreement.stats import (
    Estimate,
    bias_index,
    brennan_prediger,
    cohen_kappa_estimate,
    gwet_ac1,
    pabak,
    prevalence_index,
    segments_for_width,
)

__all__ = [
    "ABSENT",
    "OVERALL_COLUMNS",
    "PER_CODE_COLUMNS",
    "PRESENT",
    "UNDEFINED",
    "AgreementResult",
    "Estimate",
    "agreement",
    "agreement_with",
    "bias_index",
    "brennan_prediger",
    "check_copies",
    "coded_as",
    "coder_labels",
    "cohen_kappa",
    "cohen_kappa_estimate",
    "common_segments",
    "copy_codebook",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha_nominal",
    "pabak",
    "percent_agreement",
    "prevalence_index",
    "read_copy",
    "segments_for_width",
]
