"""The methods report's section on the rapid analysis: domains, templates completed, calibration.

:func:`rapid_section` adds it when the study did a rapid analysis (it has a
summary template or a recorded calibration) or holds open-ended survey answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Protocol

from radar import columns as C
from radar.config import StudyConfig
from radar.errors import RadarError
from radar.files import long_date
from radar.folder import Folder
from radar.rapid.calibrate import CALIBRATION_ACTION
from radar.rapid.domains import study_domains
from radar.rapid.survey import survey_lines
from radar.rapid.template import Template, read_template
from radar.reduction.history import read_audit


class Writer(Protocol):
    def heading(self, text: str, level: int = 1) -> None: ...
    def paragraph(self, text: str, keep: bool = False) -> None: ...
    def bullets(self, items: Sequence[str]) -> None: ...


def calibrations(study: Folder) -> list[dict[str, Any]]:
    """The calibrations recorded in the study's audit trail, oldest first."""
    return [entry for entry in read_audit(study.paths) if entry.get("action") == CALIBRATION_ACTION]


def completed(template: Template, groups: Sequence[str], domains: Sequence[str]) -> tuple[int, int]:
    """Templates with every domain filled (a summary or a quote), and with at least one: (full, started)."""
    full = sum(all(template.row(g, d).filled() for d in domains) for g in groups)
    started = sum(any(template.row(g, d).filled() for d in domains) for g in groups)
    return full, started


def rapid_lines(study: Folder, config: StudyConfig, groups: Sequence[str]) -> list[str]:
    """The section's paragraphs; empty when there was no rapid analysis and no survey."""
    lines: list[str] = []
    path = study.root / C.RAPID_TEMPLATE_NAME
    records = calibrations(study)
    if path.exists() or records:
        try:
            domains = [d.name for d in study_domains(config)]
        except RadarError:
            domains = []
        if domains:
            lines.append(
                f"Rapid qualitative analysis (summary template and matrix) used {len(domains)} domains: "
                f"{', '.join(domains)}."
            )
        if path.exists():
            template = read_template(path)
            shown = [g for g in groups if g in template.sheets] or template.groups()
            full, started = completed(template, shown, domains)
            lines.append(
                f"Summary templates completed (every domain summarised): {full}/{len(shown)}; "
                f"started (at least one domain): {started}/{len(shown)}."
            )
        for entry in records:
            analysts = " and ".join(str(a) for a in entry.get("analysts", [])) or "two analysts"
            when = str(entry.get("time", ""))[:10]
            with contextlib.suppress(ValueError, TypeError):
                when = long_date(when) if when else "an unrecorded date"
            transcripts = ", ".join(str(t) for t in entry.get("transcripts", []))
            lines.append(
                f"Calibration: {analysts} summarised the same transcript(s) ({transcripts}) on {when} and "
                f"compared them domain by domain before the rest were split; both filled "
                f"{entry.get('both_filled', 0)} of {entry.get('cells', 0)} domain cells."
            )
    lines += survey_lines(study)
    return lines


def rapid_section(report: Writer, study: Folder, config: StudyConfig, groups: Sequence[str]) -> None:
    """Add the rapid-analysis section to a report, when there is something to say."""
    lines = rapid_lines(study, config, groups)
    if lines:
        report.heading("Rapid analysis", 1)
        for line in lines:
            report.paragraph(line)


__all__ = ["calibrations", "completed", "rapid_lines", "rapid_section"]
