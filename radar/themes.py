"""The final RADaR table: themes with their codes, counts and exemplar quotes.

One row per theme, as manuscripts print it::

    Theme | Definition | Codes | Excerpts n/N (%) | Participants n/N | Groups n/N | Exemplar quote (ID)

Exemplar quotes are the ones the analyst marked in the ``Exemplar`` column of
the coded sheet; where a theme has none, radar proposes one or two from
different participants and says so. Quotes are cited as ``(P14, fg2)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.tally import fraction, label, tally

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

COMBINED_COLUMNS = C.COMBINED_COLUMNS
QUOTES_PER_THEME = 2
IDEAL_QUOTE_WORDS = 30
PROPOSED = "proposed by radar"


@dataclass(frozen=True)
class Quote:
    """An exemplar quote and where it comes from."""

    segment: str
    participant: str
    group: str
    theme: str
    code: str
    text: str
    proposed: bool = False

    def citation(self) -> str:
        """The quote's ID as papers print it: ``(P14, fg2)``."""
        return f"({self.participant}, {self.group})"

    def cited(self) -> str:
        """The quote in quotation marks with its ID."""
        return f"\u201c{self.text}\u201d {self.citation()}"


def exemplars(coded: pd.DataFrame, per_theme: int = QUOTES_PER_THEME) -> dict[str, list[Quote]]:
    """The exemplar quotes of each theme.

    The analyst's marks win; a theme without any gets up to ``per_theme``
    proposals from different participants, preferring quotes of about 30
    words, marked ``proposed``.
    """
    chosen: dict[str, list[Quote]] = {}
    for theme, rows in coded.groupby(C.THEME, sort=False):
        marked = rows[rows[C.EXEMPLAR].astype(str).str.strip() != ""]
        if len(marked):
            chosen[str(theme)] = [
                _quote(r, False) for r in marked.drop_duplicates(C.SEGMENT_ID).to_dict("records")
            ]
        else:
            chosen[str(theme)] = _propose(rows, per_theme)
    return chosen


def _quote(row: Mapping[Any, object], proposed: bool) -> Quote:
    return Quote(
        str(row[C.SEGMENT_ID]),
        str(row[C.PARTICIPANT]),
        str(row[C.GROUP]),
        str(row[C.THEME]),
        str(row[C.CODE]),
        str(row[C.TEXT]),
        proposed,
    )


def _propose(rows: pd.DataFrame, per_theme: int) -> list[Quote]:
    candidates = rows.drop_duplicates(C.SEGMENT_ID).to_dict("records")
    candidates.sort(
        key=lambda r: (abs(len(str(r[C.TEXT]).split()) - IDEAL_QUOTE_WORDS), str(r[C.SEGMENT_ID]))
    )
    picked: list[Quote] = []
    voices: set[str] = set()
    for row in candidates:
        if row[C.PARTICIPANT] in voices:
            continue
        picked.append(_quote(row, True))
        voices.add(str(row[C.PARTICIPANT]))
        if len(picked) == per_theme:
            break
    return picked


def theme_label(name: str, codebook: Codebook) -> str:
    """A theme's name as printed, with ``(emerging)`` where the codebook says so."""
    for theme in codebook.themes:
        if theme.name == name and theme.status.strip().lower() == "emerging":
            return f"{name} (emerging)"
    return name


def combined_table(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    participants_total: int,
    groups_total: int,
    percent_style: str = "jmir",
    quotes: Mapping[str, Sequence[Quote]] | None = None,
) -> pd.DataFrame:
    """The manuscript's theme table, ranked by excerpts.

    Args:
        coded: the phase-3 table.
        codebook: gives definitions, codes and the themes with no excerpts.
        participants_total: N for the participants column.
        groups_total: N for the groups column.
        percent_style: decimals of the excerpt percentage.
        quotes: exemplar quotes per theme (by default :func:`exemplars`).
    """
    import pandas as pd

    excerpts = tally(coded, codebook, percent_style=percent_style)
    people = tally(coded, codebook, unit="participants", participants_total=participants_total)
    groups = tally(coded, codebook, unit="groups", groups_total=groups_total)
    code_counts = tally(coded, codebook, by="code")
    quotes = exemplars(coded) if quotes is None else quotes
    definitions = {theme.name: theme.definition for theme in codebook.themes}
    people_n = dict(zip(people[C.TALLY_THEME], people[C.TALLY_N]))
    groups_n = dict(zip(groups[C.TALLY_THEME], groups[C.TALLY_N]))
    rows = []
    for theme, n, total in zip(excerpts[C.TALLY_THEME], excerpts[C.TALLY_N], excerpts[C.TALLY_TOTAL]):
        in_theme = code_counts[(code_counts[C.TALLY_THEME] == theme) & (code_counts[C.TALLY_N] > 0)]
        codes = "; ".join(f"{c} ({k})" for c, k in zip(in_theme[C.TALLY_CODE], in_theme[C.TALLY_N]))
        cited = " ".join(q.cited() for q in quotes.get(theme, []))
        if any(q.proposed for q in quotes.get(theme, [])):
            cited += f" [{PROPOSED}]"
        rows.append(
            (
                theme_label(theme, codebook),
                definitions.get(theme, ""),
                codes,
                label(int(n), int(total), percent_style),
                fraction(people_n.get(theme, 0), participants_total),
                fraction(groups_n.get(theme, 0), groups_total),
                cited,
            )
        )
    return pd.DataFrame(rows, columns=list(COMBINED_COLUMNS))


def in_text(frame: pd.DataFrame) -> list[str]:
    """Tally rows as they are written in a paper's text, each name as the codebook writes it.

    Example:
        >>> import pandas as pd
        >>> in_text(pd.DataFrame({"theme": ["Education on technology competency"],
        ...                       "label": ["43/197, 21.8%"]}))
        ['Education on technology competency (43/197, 21.8%)']
    """
    name = C.TALLY_CODE if C.TALLY_CODE in frame.columns else C.TALLY_THEME
    return [f"{n} ({lab})" for n, lab in zip(frame[name], frame[C.TALLY_LABEL])]
