"""Agreement between coders who coded copies of the same study's tables.

:func:`agreement` reads coders' copies of ``radar-tables.xlsx`` and reports,
per code, Cohen's kappa (Fleiss' kappa with three or more coders) on the
presence or absence of the code, the percent agreement and the number of
segments, and overall Krippendorff's alpha and kappa over every segment ×
code decision and over the Keep decisions.

A measure that cannot be computed (every coder gave every unit the same
value, so chance agreement is already perfect) is *undefined*: ``None`` from
the functions, NaN in the frames, ``undefined`` in printed tables. It is never
reported as 1 or 0.

With :meth:`AgreementResult.detail`, what holds up for rare codes beside
them (:mod:`radar.agreement.detail`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.agreement.detail import DEFAULT_MIN_POSITIVE, detail_frame, detail_table
from radar.agreement.measures import cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal, percent_agreement
from radar.agreement.stats import DEFAULT_REPLICATES, DEFAULT_SEED
from radar.codebook import Codebook, load_codebook
from radar.config import CONFIG_NAME, AgreementSettings, load_config
from radar.errors import WorkbookError
from radar.excel import open_workbook
from radar.folder import Folder
from radar.formats import text_table
from radar.reduction.readback import read_previous_work
from radar.reduction.records import Decision
from radar.reduction.tables import decisions_of

if TYPE_CHECKING:
    import pandas as pd

PER_CODE_COLUMNS = C.AGREEMENT_PER_CODE_COLUMNS
OVERALL_COLUMNS = C.AGREEMENT_OVERALL_COLUMNS
UNDEFINED = "undefined"
PRESENT, ABSENT = "present", "absent"


# Reading coders' copies ------------------------------------------------------


def coder_labels(paths: Sequence[Path]) -> list[str]:
    """A short, distinct name for each copy: its file stem, or folder/stem when stems repeat."""
    stems = [path.stem for path in paths]
    if len(set(stems)) == len(stems):
        return stems
    longer = [f"{path.parent.name}/{path.stem}" for path in paths]
    if len(set(longer)) == len(longer):
        return longer
    return [str(path) for path in paths]


def check_copies(paths: Sequence[Path], least: int = 2) -> list[Path]:
    """The copies as paths, refusing too few, repeats and files that are not radar workbooks."""
    copies = [Path(p) for p in paths]
    if len(copies) < least:
        raise WorkbookError(
            f"give at least {least} coders' copies of the tables to compare (got {len(copies)})"
        )
    seen: dict[Path, Path] = {}
    for path in copies:
        key = Path(os.path.realpath(path))
        if key in seen:
            raise WorkbookError(f"{path}: given twice; give each coder's copy once")
        seen[key] = path
    for path in copies:
        if not path.is_file():
            raise WorkbookError(f"{path}: no such file; give the coders' copies of radar-tables.xlsx")
        try:
            workbook = open_workbook(path)
        except WorkbookError:
            raise WorkbookError(
                f"{path.name}: cannot be read as an Excel workbook; "
                "give the coders' copies of radar-tables.xlsx"
            ) from None
        try:
            sheets = list(workbook.sheetnames)
        finally:
            workbook.close()
        if C.SHEET_PHASE1 not in sheets:
            raise WorkbookError(
                f"{path.name}: not a radar tables workbook (it has no sheet {C.SHEET_PHASE1!r}); "
                "give the coders' copies of radar-tables.xlsx"
            )
    return copies


def copy_codebook(path: Path) -> Codebook | None:
    """The codebook a radar workbook carries on its Codebook sheet, or None if it has none."""
    workbook = open_workbook(path)
    try:
        has_sheet = C.SHEET_CODEBOOK in workbook.sheetnames
    finally:
        workbook.close()
    return load_codebook(path) if has_sheet else None


def read_copy(path: Path, codebook: Codebook | None) -> dict[str, Decision]:
    """Each segment's Keep and codes in one coder's copy, by Segment ID."""
    return decisions_of(read_previous_work(path, codebook))


def common_segments(copies: Sequence[Mapping[str, Decision]], names: Sequence[str]) -> list[str]:
    """Segment IDs present in every copy, in the first copy's order; refuse copies with none in common."""
    shared = [sid for sid in copies[0] if all(sid in other for other in copies[1:])]
    if not shared:
        raise WorkbookError(
            f"{', '.join(names)}: no Segment ID is in every copy, so these are not copies of the "
            "same study's tables; give copies made from the same radar-tables.xlsx"
        )
    return shared


def coded_as(decision: Decision) -> tuple[str, ...]:
    """The codes a coder gave a segment: none when the coder dropped it (Keep = no)."""
    return decision.codes if decision.keep == C.YES else ()


# Agreement between workbooks --------------------------------------------------


@dataclass(frozen=True, eq=False)
class AgreementResult:
    """Agreement between coders' copies of the tables.

    ``per_code`` has the columns ``code, theme, kappa, percent_agreement, n``
    (kappa NaN where undefined); ``overall`` has ``measure, value, n``.
    ``segments`` counts the segments in every copy (compared on Keep),
    ``kept`` those kept in every copy (compared on codes); ``notes`` are
    warnings, such as segments missing from a copy. ``ratings`` holds each
    code's ratings (compared segments × coders, ``present``/``absent``) and
    ``keeps`` the Keep decisions, for :meth:`detail`.
    """

    coders: tuple[str, ...]
    per_code: pd.DataFrame
    overall: pd.DataFrame
    segments: int
    kept: int
    notes: tuple[str, ...] = ()
    ratings: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    themes: Mapping[str, str] = field(default_factory=dict)
    keeps: tuple[tuple[str, ...], ...] = ()

    def detail(
        self,
        min_positive: int = DEFAULT_MIN_POSITIVE,
        *,
        seed: int = DEFAULT_SEED,
        replicates: int = DEFAULT_REPLICATES,
    ) -> pd.DataFrame:
        """Per code and overall: percent agreement, kappa, AC1, PABAK, alpha with 95% intervals, PI and BI.

        Kappa, AC1, PABAK and percent agreement have analytic intervals; alpha
        (and Fleiss' kappa with three or more coders) a bootstrap over
        segments drawn with ``seed``. A code with fewer than ``min_positive``
        segments marked by any coder is ``too rare to assess``. See
        :mod:`radar.agreement.detail`.
        """
        units = tuple(row for rows in self.ratings.values() for row in rows)
        overall = {
            "All codes": (units, PRESENT, (PRESENT, ABSENT)),
            "Keep": (self.keeps, C.YES, (C.YES, C.NO)),
        }
        return detail_frame(
            self.ratings, self.themes, overall, min_positive=min_positive, seed=seed, replicates=replicates
        )

    def detail_summary(
        self,
        min_positive: int = DEFAULT_MIN_POSITIVE,
        *,
        seed: int = DEFAULT_SEED,
        replicates: int = DEFAULT_REPLICATES,
    ) -> str:
        """The detail table as text, with how its intervals were found."""
        many = len(self.coders) > 2
        kappa = "Fleiss' kappa" if many else "Cohen's kappa"
        frame = self.detail(min_positive, seed=seed, replicates=replicates)
        lines = [
            f"Agreement between {len(self.coders)} coders: {', '.join(self.coders)}",
            f"Codes on the {self.kept} segment(s) kept in every copy; Keep on the {self.segments} in every copy.",
            "",
            text_table(detail_table(frame, kappa)).rstrip("\n"),
            "",
            "95% intervals: "
            + ("Cohen's kappa (Fleiss, Cohen & Everitt 1969), " if not many else "")
            + "AC1 and PABAK analytic (Gwet 2014, t with n - 1 df); percent agreement Wilson; "
            + ("Fleiss' kappa and " if many else "")
            + f"alpha a bootstrap over segments, seed {seed}, {replicates} replicates.",
            f"positive = segments any coder marked; fewer than {min_positive}: {C.TOO_RARE}. "
            "PI = prevalence index (a - d)/n, BI = bias index (b - c)/n (two coders).",
        ]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def per_code_table(self) -> pd.DataFrame:
        """``per_code`` as printed (table, CSV): kappa to three decimals, ``undefined`` where undefined."""
        frame = self.per_code.copy()
        frame["kappa"] = [_shown(v, 3) for v in frame["kappa"]]
        frame["percent_agreement"] = [_shown(v, 1) for v in frame["percent_agreement"]]
        return frame

    def overall_table(self) -> pd.DataFrame:
        """``overall`` for printing: three decimals (percentages one), ``undefined`` where undefined."""
        frame = self.overall.copy()
        frame["value"] = [
            _shown(v, 1 if "percent" in m else 3) for m, v in zip(frame["measure"], frame["value"])
        ]
        return frame

    def summary(self) -> str:
        """The per-code and overall tables as text, with the notes."""
        kappa = "Fleiss' kappa" if len(self.coders) > 2 else "Cohen's kappa"
        dropped = self.segments - self.kept
        lines = [
            f"Agreement between {len(self.coders)} coders: {', '.join(self.coders)}",
            f"Keep: {self.segments} segment(s) in every copy.",
            f"Codes: the {self.kept} kept in every copy ({dropped} dropped by at least one "
            + f"coder are compared on Keep only); kappa is {kappa} on each code's presence.",
            "",
            text_table(self.per_code_table()).rstrip("\n"),
            "",
            text_table(self.overall_table()).rstrip("\n"),
        ]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def _shown(value: object, places: int) -> str:
    """A value as printed: fixed decimals, or ``undefined``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNDEFINED
    return f"{float(value):.{places}f}"  # type: ignore[arg-type]


def agreement(paths: Sequence[str | os.PathLike[str]], codebook: Codebook | None = None) -> AgreementResult:
    """Compare coders' copies of the same study's tables.

    The segments compared for codes are those kept (Keep = yes) in every
    copy; the Keep decisions are compared over the segments present in every
    copy. Per code: with two coders, Cohen's kappa on the code's presence or
    absence; with three or more, the ``kappa`` column holds Fleiss' kappa.
    ``percent_agreement`` is the share of compared segments on which all
    coders agree about the code, one decimal; ``n`` the compared segments. A
    code no coder used has an undefined kappa (NaN), never 1.

    Overall, every (segment, code) pair over all codes is one unit, present or
    absent: Krippendorff's alpha (nominal), Cohen's kappa (two coders) or
    Fleiss' kappa (three or more) and percent agreement; the same for Keep.

    Args:
        paths: two or more coders' copies of ``radar-tables.xlsx``.
        codebook: resolves code names and gives each code's theme; by default
            the codebook on the first copy's Codebook sheet.

    Raises:
        WorkbookError: fewer than two copies, a file that is not a radar
            workbook, an unreadable cell, or copies with no segment in common.
    """
    import pandas as pd

    copies = check_copies([Path(p) for p in paths])
    names = coder_labels(copies)
    book = codebook if codebook is not None else copy_codebook(copies[0])
    coded = [read_copy(path, book) for path in copies]
    shared = common_segments(coded, [p.name for p in copies])
    kept = [sid for sid in shared if all(c[sid].keep == C.YES for c in coded)]
    codes = _codes(book, coded, kept)
    many = len(coded) > 2
    kappa_name = "Fleiss' kappa" if many else "Cohen's kappa"

    def measure(rows: Sequence[Sequence[str]]) -> float | None:
        if many:
            return fleiss_kappa(rows)
        return cohen_kappa([r[0] for r in rows], [r[1] for r in rows])

    per_code = []
    units: list[tuple[str, ...]] = []
    ratings: dict[str, tuple[tuple[str, ...], ...]] = {}
    for code in codes:
        rows = [tuple(PRESENT if code in coded_as(c[sid]) else ABSENT for c in coded) for sid in kept]
        units += rows
        ratings[code] = tuple(rows)
        kappa = measure(rows)
        percent = percent_agreement(rows)
        per_code.append(
            (
                code,
                _theme(book, code),
                float("nan") if kappa is None else kappa,
                float("nan") if percent is None else round(percent, 1),
                len(kept),
            )
        )
    keeps = [tuple(c[sid].keep for c in coded) for sid in shared]
    overall = [
        ("Codes: Krippendorff's alpha", krippendorff_alpha_nominal(units), len(units)),
        (f"Codes: {kappa_name}", measure(units), len(units)),
        ("Codes: percent agreement", _percent(units), len(units)),
        ("Keep: Krippendorff's alpha", krippendorff_alpha_nominal(keeps), len(keeps)),
        (f"Keep: {kappa_name}", measure(keeps), len(keeps)),
        ("Keep: percent agreement", _percent(keeps), len(keeps)),
    ]
    return AgreementResult(
        tuple(names),
        pd.DataFrame(per_code, columns=list(PER_CODE_COLUMNS)),
        pd.DataFrame(
            [(m, float("nan") if v is None else v, n) for m, v, n in overall],
            columns=list(OVERALL_COLUMNS),
        ),
        len(shared),
        len(kept),
        tuple(_notes(coded, names, shared, kept)),
        ratings,
        {code: _theme(book, code) for code in codes},
        tuple(keeps),
    )


def agreement_settings(first_copy: str | os.PathLike[str]) -> AgreementSettings:
    """``[agreement]`` of the radar.toml beside the first copy (a study's own tables), else the defaults."""
    config, _ = load_config(Path(first_copy).parent / CONFIG_NAME)
    return config.agreement


def agreement_with(folder: Folder, others: Sequence[str | os.PathLike[str]]) -> AgreementResult:
    """Agreement between a study's tables and other coders' copies, with the study's codebook."""
    return agreement([folder.require_tables(), *(Path(o) for o in others)], folder.codebook())


def _percent(rows: Sequence[Sequence[str]]) -> float | None:
    value = percent_agreement(rows)
    return None if value is None else round(value, 1)


def _codes(
    codebook: Codebook | None, coded: Sequence[Mapping[str, Decision]], kept: Sequence[str]
) -> list[str]:
    """The codebook's codes in its order, then any other code seen on a compared segment."""
    codes = list(codebook.code_names) if codebook is not None else []
    seen = sorted({code for c in coded for sid in kept for code in coded_as(c[sid])} - set(codes))
    return codes + seen


def _theme(codebook: Codebook | None, code: str) -> str:
    if codebook is None or codebook.resolve(code) is None:
        return ""
    return codebook.theme_of(code)


def _notes(
    coded: Sequence[Mapping[str, Decision]],
    names: Sequence[str],
    shared: Sequence[str],
    kept: Sequence[str],
) -> list[str]:
    notes = []
    for copy, name in zip(coded, names):
        missing = len(set(copy) - set(shared))
        if missing:
            notes.append(f"{missing} segment(s) of {name} are not in every copy and are not compared")
    if not kept:
        notes.append("no segment is kept in every copy, so no code can be compared")
    return notes


__all__ = [
    "AgreementResult",
    "agreement",
    "agreement_with",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "percent_agreement",
]
