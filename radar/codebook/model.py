"""The codebook as data: themes, the codes under each, and the keywords that suggest them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from radar.columns import CODEBOOK_COLUMNS, CODEBOOK_TREE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

KEYWORD_SEPARATOR = ";"
"""The separator radar writes between keywords in one cell."""
CODE_SEPARATOR = ";"
"""The separator between codes in one cell of the tables, so never part of a code's name."""


def separator_problem(name: str) -> str | None:
    """Why a code cannot be called ``name`` (it holds the separator), or None when it can."""
    if CODE_SEPARATOR not in name:
        return None
    return (
        f"the code name {name!r} holds {CODE_SEPARATOR!r}, which separates the codes in a cell of "
        "the tables; write another character instead, e.g. '/' or 'and'"
    )


_KEYWORD_BREAK = re.compile(r"[,;\r\n]")


PATH_SEPARATOR = " / "
"""Between the levels of a code's path: ``Theme / Code / Sub-code``."""


@dataclass(frozen=True)
class Code:
    """One code: its name, the theme it belongs to, how to apply it, its keywords.

    ``parent`` names another code of the same theme when this one is a sub-code (trees
    of any depth, as NVivo, MAXQDA and qc keep them); ``color`` is a ``#RRGGBB`` colour
    other tools show. A sub-code is counted under its theme like any code.
    """

    name: str
    theme: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    keywords: tuple[str, ...] = ()
    parent: str = ""
    color: str = ""


@dataclass(frozen=True)
class Theme:
    """One theme with its codes; ``status`` marks e.g. an ``emerging`` theme."""

    name: str
    definition: str = ""
    status: str = ""
    codes: tuple[Code, ...] = ()
    color: str = ""


@dataclass(frozen=True)
class Codebook:
    """The themes and codes of a study.

    ``path`` records where the codebook was loaded from and does not take part in
    comparisons, so the same codebook read from two files compares equal.

    Example:
        >>> book = Codebook(themes=(Theme("Feedback", codes=(
        ...     Code("Observation of calls", "Feedback", keywords=("shadowing",)),)),))
        >>> book.resolve("  observation OF calls ")
        'Observation of calls'
        >>> book.theme_of("Observation of calls")
        'Feedback'
    """

    themes: tuple[Theme, ...]
    title: str = ""
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def codes(self) -> tuple[Code, ...]:
        """All codes, theme by theme in codebook order."""
        return tuple(code for theme in self.themes for code in theme.codes)

    @property
    def code_names(self) -> tuple[str, ...]:
        """The names of all codes in codebook order."""
        return tuple(code.name for code in self.codes)

    @cached_property
    def _by_name(self) -> dict[str, Code]:
        return {code.name: code for code in self.codes}

    @cached_property
    def _by_key(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for code in self.codes:
            keys.setdefault(name_key(code.name), code.name)
        return keys

    @cached_property
    def _by_path(self) -> dict[str, str]:
        return {name_key(self.path_of(code.name)): code.name for code in self.codes}

    @property
    def shown_names(self) -> tuple[str, ...]:
        """The codes as the workbook's dropdowns list them, in codebook order.

        Their paths (``Theme / Code / Sub-code``) when the tree holds sub-codes, so
        an analyst sees where each sits; their names in a theme → code codebook.
        Either form, typed or picked, resolves to the same code (:meth:`resolve`).

        Example:
            >>> book = Codebook(themes=(Theme("Access", codes=(Code("Devices", "Access"),
            ...     Code("Laptops", "Access", parent="Devices"))),))
            >>> book.shown_names
            ('Access / Devices', 'Access / Devices / Laptops')
        """
        if self.depth() <= 2:
            return self.code_names
        return tuple(self.path_of(name) for name in self.code_names)

    def code(self, name: str) -> Code:
        """The code with exactly this name.

        Raises:
            KeyError: if no code has this name.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no code named {name!r} in the codebook") from None

    def theme_of(self, code_name: str) -> str:
        """The name of the theme a code belongs to.

        Raises:
            KeyError: if no code has this name.
        """
        return self.code(code_name).theme

    def resolve(self, name: object) -> str | None:
        """The canonical code name a cell value stands for, or None if unknown.

        An exact match wins; otherwise case and whitespace are ignored, so
        ``" video  PLATFORM skills"`` resolves to ``"Video platform skills"``;
        a code's path as the dropdowns show it (``Access / Devices / Laptops``,
        :attr:`shown_names`) resolves to the code.
        """
        if not isinstance(name, str):
            return None
        if name in self._by_name:
            return name
        key = name_key(name)
        return self._by_key.get(key) or self._by_path.get(key)  # a code's own name wins

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` code names that look like ``name``, best first, for "did you mean"."""
        matches = difflib.get_close_matches(name_key(name), list(self._by_key), n=n)
        return [self._by_key[match] for match in matches]

    def path_of(self, code_name: str) -> str:
        """A code's place in the tree, ``Theme / Code / Sub-code``.

        Raises:
            KeyError: if no code has this name.

        Example:
            >>> book = Codebook(themes=(Theme("Access", codes=(Code("Devices", "Access"),
            ...     Code("Laptops", "Access", parent="Devices"))),))
            >>> book.path_of("Laptops")
            'Access / Devices / Laptops'
        """
        return PATH_SEPARATOR.join([self.theme_of(code_name), *self.ancestors(code_name), code_name])

    def ancestors(self, code_name: str) -> tuple[str, ...]:
        """The codes above a sub-code, top first (``()`` for a code directly under its theme)."""
        chain: list[str] = []
        code = self.code(code_name)
        while code.parent and code.parent in self._by_name and code.parent not in chain:
            chain.append(code.parent)
            code = self._by_name[code.parent]
        return tuple(reversed(chain))

    def depth(self) -> int:
        """The levels of the tree: 1 for themes alone, 2 for theme → code, 3 with sub-codes..."""
        if not self.codes:
            return 1 if self.themes else 0
        return 2 + max(len(self.ancestors(code.name)) for code in self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def _repr_html_(self) -> str:
        """Themes with their codes, for Jupyter."""
        import html

        title = html.escape(self.title or (self.path.name if self.path else "Codebook"))
        rows = "".join(
            "<tr><td style='text-align:left'>{}</td><td>{}</td><td style='text-align:left'>{}</td></tr>".format(
                html.escape(theme.name + (" (emerging)" if theme.status == "emerging" else "")),
                len(theme.codes),
                html.escape(", ".join(code.name for code in theme.codes)),
            )
            for theme in self.themes
        )
        head = "<tr><th>Theme</th><th>Codes</th><th>Code names</th></tr>"
        summary = f"{len(self.themes)} themes, {len(self.codes)} codes"
        return f"<div><strong>{title}</strong> ({summary})<table>{head}{rows}</table></div>"

    def did_you_mean(self, name: str) -> str:
        """`` (did you mean 'X' or 'Y'?)`` for an unknown name, or "" when nothing is close."""
        hint = self.closest(name)
        return f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""

    def to_frame(self, *, theme_definitions: bool = False, tree: bool = False) -> pd.DataFrame:
        """The codebook in spreadsheet form, one row per code.

        Args:
            theme_definitions: also write, before each theme's codes, a row with the
                theme and its definition and no code (for themes with a definition
                or without codes), so that :func:`load_codebook` reads the themes back
                whole.
            tree: also write the Parent and Color columns (``CODEBOOK_TREE_COLUMNS``)
                when the codebook has sub-codes or colours, a theme's colour on its
                own row.

        Returns:
            A frame with the columns ``CODEBOOK_COLUMNS`` (and the tree's, when
            asked and used); keywords joined with ``"; "``.
        """
        import pandas as pd

        extra = tree and self.has_tree()
        rows: list[tuple[str, ...]] = []
        for theme in self.themes:
            if theme_definitions and (theme.definition or not theme.codes or (extra and theme.color)):
                rows.append(
                    (theme.name, "", theme.definition, "", "", "", "", *(("", theme.color) if extra else ()))
                )
            rows.extend(code_row(code) + ((code.parent, code.color) if extra else ()) for code in theme.codes)
        columns = list(CODEBOOK_COLUMNS) + (list(CODEBOOK_TREE_COLUMNS) if extra else [])
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def has_tree(self) -> bool:
        """Whether any code is a sub-code or any theme or code has a colour."""
        return any(code.parent or code.color for code in self.codes) or any(t.color for t in self.themes)


def code_row(code: Code) -> tuple[str, ...]:
    keywords = f"{KEYWORD_SEPARATOR} ".join(code.keywords)
    return (
        code.theme,
        code.name,
        code.definition,
        code.include,
        code.exclude,
        code.example,
        keywords,
    )


def name_key(name: str) -> str:
    """The form of a name used to compare names regardless of case and spacing."""
    return " ".join(name.split()).casefold()


def split_keywords(cell: str) -> tuple[str, ...]:
    """The keywords in one cell or string, stripped, empty ones and repeats dropped.

    Commas, semicolons and line breaks all separate keywords, in every codebook form,
    so a keyword phrase cannot hold a comma or a semicolon.

    Example:
        >>> split_keywords("screen sharing, Breakout room;; screen sharing \\n mute button")
        ('screen sharing', 'Breakout room', 'mute button')
    """
    return unique_keywords(_KEYWORD_BREAK.split(cell))


def unique_keywords(keywords: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for keyword in keywords:
        text = " ".join(keyword.split())
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


_STRAIGHT = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, Word's apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2032": "'",  # prime
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',  # double prime
    }
)


def straight_quotes(text: str) -> str:
    """``text`` with curly apostrophes and quotation marks made straight, one character for one.

    Word, Otter and cp1252 files write ``wouldn’t`` and ``“…”``; analysts type
    ``wouldn't`` and ``"…"``. Every position in the text stays where it was.

    Example:
        >>> straight_quotes("I wouldn\u2019t say \u201cnever\u201d")
        'I wouldn\\'t say "never"'
    """
    return text.translate(_STRAIGHT)


KEYWORD_EXACT = "="
"""Before a keyword: match this form only, never its lemma (``="hearing"`` does not match "heard")."""
KEYWORD_EXCLUDE = "-"
"""Before a keyword: a hit of the code's keywords inside this phrase is not a suggestion."""


@dataclass(frozen=True)
class KeywordTerm:
    """One keyword as the codebook's keyword syntax reads it.

    ``text`` is the keyword as written; ``words`` the word or phrase to find, without
    its signs and quotes; ``exact`` when it matches its own form only (``="hearing"``),
    ``exclude`` when it is an exclusion (``-"to be honest"``).
    """

    text: str
    words: str
    exact: bool = False
    exclude: bool = False


def keyword_problem(keyword: str) -> str | None:
    """Why ``keyword`` breaks the keyword syntax, or None when it is well formed.

    Example:
        >>> keyword_problem('"hearing aid"') is None
        True
        >>> print(keyword_problem('="hearing'))  # doctest: +ELLIPSIS
        the quote opened in '="hearing' is never closed: ...
    """
    try:
        parse_keyword(keyword)
    except ValueError as error:
        return str(error)
    return None


def parse_keyword(keyword: str) -> KeywordTerm:
    """Read one keyword: a word or phrase, ``"a quoted phrase"``, ``="exact form"``, ``-"exclusion"``.

    Raises:
        ValueError: the keyword breaks the syntax; the message says how to write it.

    Example:
        >>> parse_keyword('-"to be honest"')
        KeywordTerm(text='-"to be honest"', words='to be honest', exact=False, exclude=True)
    """
    text = " ".join(keyword.split())
    rest = straight_quotes(text)
    exclude = rest.startswith(KEYWORD_EXCLUDE)
    if exclude:
        rest = rest[1:].lstrip()
    exact = rest.startswith(KEYWORD_EXACT)
    if exact:
        rest = rest[1:].lstrip()
    if rest[:1] in (KEYWORD_EXCLUDE, KEYWORD_EXACT):
        raise ValueError(
            f"{text!r} has a sign too many: write at most one '-' (an exclusion) and then one '=' "
            '(an exact form), e.g. -="hearing"'
        )
    if rest.startswith('"'):
        if rest.count('"') == 1:
            raise ValueError(
                f"the quote opened in {text!r} is never closed: write the phrase between two quotes, "
                'e.g. ="hearing aid" (commas and semicolons separate keywords, even inside quotes)'
            )
        if rest.count('"') == 2 and rest.endswith('"'):
            rest = rest[1:-1].strip()
    if '"' in rest:
        raise ValueError(
            f"{text!r} has a quote inside it: put quotes around the whole word or phrase only, "
            'e.g. "hearing aid" or ="hearing"'
        )
    if not any(char.isalnum() for char in rest):
        raise ValueError(
            f"{text!r} has no word to match: write a word or phrase after the sign, "
            'e.g. ="hearing" or -"to be honest"'
        )
    return KeywordTerm(text, rest, exact=exact, exclude=exclude)
