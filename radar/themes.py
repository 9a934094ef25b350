"""The final RADaR table: themes with their codes, counts and exemplar quotes.

One row per theme, as manuscripts print it::

    Theme | Definition | Codes | Excerpts n/N (%) | Participants n/N | Groups n/N | Exemplar quote (ID)

Exemplar quotes are the ones the analyst marked in the ``Exemplar`` column of
the coded sheet; where a theme has none, radar proposes one or two from
different participants and says so (the rules are in :mod:`radar.quotes`).
Quotes are cited as ``(P14, fg2)``, or with the group's name from radar.toml's
``[groups]`` (``(P14, Northside carers)``).

The participants and groups columns follow the small-cell rule
(:mod:`radar.tally`): ``<3/12`` where one or two participants voiced a theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.config import DEFAULT_MIN_CELL
from radar.quotes import NO_QUOTE, PROPOSED
from radar.quotes import Quote as Quote
from radar.quotes import exemplars as exemplars
from radar.tally import fraction, label, tally

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook

COMBINED_COLUMNS = C.COMBINED_COLUMNS


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
    turns: pd.DataFrame | None = None,
    group_names: Mapping[str, str] | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> pd.DataFrame:
    """The manuscript's theme table, ranked by excerpts.

    Args:
        coded: the phase-3 table.
        codebook: gives definitions, codes and the themes with no excerpts.
        participants_total: N for the participants column.
        groups_total: N for the groups column.
        percent_style: decimals of the excerpt percentage.
        quotes: exemplar quotes per theme (by default :func:`exemplars`).
        turns: the phase-1 table, for :func:`exemplars` to leave out the
            turns no quote should come from.
        group_names: Group ID -> the name quotes cite (``[groups]`` in radar.toml).
        min_cell: participants and groups counts from 1 to ``min_cell - 1`` are shown as
            ``<3`` (radar.toml's ``[deidentify] min_cell``; 1 shows every count).
    """
    import pandas as pd

    excerpts = tally(coded, codebook, percent_style=percent_style)
    people = tally(coded, codebook, unit="participants", participants_total=participants_total)
    groups = tally(coded, codebook, unit="groups", groups_total=groups_total)
    code_counts = tally(coded, codebook, by="code")
    quotes = exemplars(coded, turns=turns) if quotes is None else quotes
    definitions = {theme.name: theme.definition for theme in codebook.themes}
    people_n = dict(zip(people[C.TALLY_THEME], people[C.TALLY_N]))
    groups_n = dict(zip(groups[C.TALLY_THEME], groups[C.TALLY_N]))
    rows = []
    for theme, n, total in zip(excerpts[C.TALLY_THEME], excerpts[C.TALLY_N], excerpts[C.TALLY_TOTAL]):
        in_theme = code_counts[(code_counts[C.TALLY_THEME] == theme) & (code_counts[C.TALLY_N] > 0)]
        codes = "; ".join(f"{c} ({k})" for c, k in zip(in_theme[C.TALLY_CODE], in_theme[C.TALLY_N]))
        cited = " ".join(q.cited(group_names) for q in quotes.get(theme, []))
        if any(q.proposed for q in quotes.get(theme, [])):
            cited += f" [{PROPOSED}]"
        elif not cited and int(n) > 0:
            cited = f"[{NO_QUOTE}]"
        rows.append(
            (
                theme_label(theme, codebook),
                definitions.get(theme, ""),
                codes,
                label(int(n), int(total), percent_style),
                fraction(people_n.get(theme, 0), participants_total, min_cell, small_total=False),
                fraction(groups_n.get(theme, 0), groups_total, min_cell, small_total=False),
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
