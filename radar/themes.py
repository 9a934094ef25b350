"""The final RADaR table: themes with their codes, counts and exemplar quotes.

One row per theme, as manuscripts print it::

    Theme | Definition | Codes | Excerpts n/N (%) | Participants n/N | Groups n/N | Exemplar quote (ID)

Exemplar quotes are the ones the analyst marked in the ``Exemplar`` column of
the coded sheet; where a theme has none, radar proposes one or two from
different participants and says so. Quotes are cited as ``(P14, fg2)``, or with
the group's name from radar.toml's ``[groups]`` (``(P14, Northside carers)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import RadarError
from radar.tally import label, percent, tally

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook
    from radar.speakers import SpeakerList

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

    def citation(self, group_names: Mapping[str, str] | None = None) -> str:
        """The quote's ID as papers print it: ``(P14, fg2)``, or the group's name from ``group_names``."""
        return f"({self.participant}, {(group_names or {}).get(self.group, self.group)})"

    def cited(self, group_names: Mapping[str, str] | None = None) -> str:
        """The quote in quotation marks with its ID."""
        return f"\u201c{self.text}\u201d {self.citation(group_names)}"


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
    group_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The manuscript's theme table, ranked by excerpts.

    Args:
        coded: the phase-3 table.
        codebook: gives definitions, codes and the themes with no excerpts.
        participants_total: N for the participants column.
        groups_total: N for the groups column.
        percent_style: decimals of the excerpt percentage.
        quotes: exemplar quotes per theme (by default :func:`exemplars`).
        group_names: Group ID -> the name quotes cite (``[groups]`` in radar.toml).
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
        cited = " ".join(q.cited(group_names) for q in quotes.get(theme, []))
        if any(q.proposed for q in quotes.get(theme, [])):
            cited += f" [{PROPOSED}]"
        rows.append(
            (
                theme_label(theme, codebook),
                definitions.get(theme, ""),
                codes,
                label(int(n), int(total), percent_style),
                f"{people_n.get(theme, 0)}/{participants_total}",
                f"{groups_n.get(theme, 0)}/{groups_total}",
                cited,
            )
        )
    return pd.DataFrame(rows, columns=list(COMBINED_COLUMNS))


def in_text(frame: pd.DataFrame) -> list[str]:
    """Tally rows as they are written in a paper's text.

    Example:
        >>> import pandas as pd
        >>> in_text(pd.DataFrame({"theme": ["Education on technology competency"],
        ...                       "label": ["43/197, 21.8%"]}))
        ['education on technology competency (43/197, 21.8%)']
    """
    name = C.TALLY_CODE if C.TALLY_CODE in frame.columns else C.TALLY_THEME
    return [f"{_lower_first(str(n))} ({lab})" for n, lab in zip(frame[name], frame[C.TALLY_LABEL])]


def _lower_first(text: str) -> str:
    """Lowercase a name's first word unless it is an acronym (EHR, HIPAA)."""
    first = text.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        return text
    return text[:1].lower() + text[1:]


def breakdown(
    coded: pd.DataFrame,
    table1: pd.DataFrame,
    codebook: Codebook,
    attribute: str,
    speakers: SpeakerList | None,
    *,
    unit: str = "excerpts",
    percent_style: str = "jmir",
) -> pd.DataFrame:
    """Each theme counted within each value of a participant attribute (or group).

    Args:
        coded: the phase-3 table.
        table1: the phase-1 table (who spoke in which group).
        codebook: the themes.
        attribute: ``group`` or a column of speakers.csv such as ``state``.
        speakers: the speakers list holding the attribute.
        unit: ``excerpts`` (N = the value's excerpts) or ``participants``
            (N = the value's participants).

    Returns:
        Long form: theme, the attribute, n, N, percent, label.
    """
    import pandas as pd

    if unit not in ("excerpts", "participants"):
        raise RadarError(f"a breakdown counts excerpts or participants, not {unit!r}")
    values = _attribute_values(table1, attribute, speakers)
    coded = coded.assign(_value=[values.get(p, "(not given)") for p in coded[C.PARTICIPANT]])
    counted = C.SEGMENT_ID if unit == "excerpts" else C.PARTICIPANT
    if unit == "excerpts":
        totals = coded[[C.SEGMENT_ID, C.THEME, "_value"]].drop_duplicates().groupby("_value").size()
    else:
        people = table1[table1[C.ROLE] == C.PARTICIPANT_ROLE][C.PARTICIPANT].unique()
        totals = pd.Series([values.get(p, "(not given)") for p in people]).value_counts()
    pairs = coded[[C.THEME, "_value", counted]].drop_duplicates().groupby([C.THEME, "_value"]).size()
    rows = []
    for theme in (t.name for t in codebook.themes):
        for value in sorted(totals.index, key=str):
            n, total = int(pairs.get((theme, value), 0)), int(totals[value])
            rows.append((theme, value, n, total, float(percent(n, total, 1)), label(n, total, percent_style)))
    return pd.DataFrame(
        rows, columns=[C.TALLY_THEME, attribute, C.TALLY_N, C.TALLY_TOTAL, C.TALLY_PERCENT, C.TALLY_LABEL]
    )


def _attribute_values(table1: pd.DataFrame, attribute: str, speakers: SpeakerList | None) -> dict[str, str]:
    """Participant ID -> the participant's value of the attribute."""
    if attribute == "group":
        pairs = table1[[C.PARTICIPANT, C.GROUP]].drop_duplicates(C.PARTICIPANT)
        return dict(zip(pairs[C.PARTICIPANT], pairs[C.GROUP]))
    if speakers is None or attribute not in speakers.attribute_names:
        known = ", ".join(("group", *(speakers.attribute_names if speakers else ())))
        raise RadarError(
            f"no participant attribute {attribute!r}; the attributes are: {known} "
            "(add a column to speakers.csv for more)"
        )
    return {
        s.participant_id: dict(s.attributes).get(attribute, "") or "(not given)" for s in speakers.speakers
    }
