"""Rapid qualitative analysis (RQA) beside RADaR: domains, summary templates, the matrix, calibration.

* :mod:`~radar.rapid.domains` — the template's rows, from radar.toml;
* :mod:`~radar.rapid.template` — ``radar-rapid.xlsx``, one sheet per transcript,
  written and read back without ever overwriting the analyst's cells;
* :mod:`~radar.rapid.matrix` — transcripts (participants, sites) × domains;
* :mod:`~radar.rapid.calibrate` — two analysts' templates compared.
"""

from __future__ import annotations

from radar.rapid.calibrate import Calibration, calibrate, overlap, record_calibration, write_calibration
from radar.rapid.domains import Domain, example_domains_toml, study_domains
from radar.rapid.matrix import Matrix, build_matrix, write_matrix
from radar.rapid.template import (
    Template,
    TemplateResult,
    cited_ids,
    read_template,
    write_template,
    write_template_docx,
)

__all__ = [
    "Calibration",
    "Domain",
    "Matrix",
    "Template",
    "TemplateResult",
    "build_matrix",
    "calibrate",
    "cited_ids",
    "example_domains_toml",
    "overlap",
    "read_template",
    "record_calibration",
    "study_domains",
    "write_calibration",
    "write_matrix",
    "write_template",
    "write_template_docx",
]
