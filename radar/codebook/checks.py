"""What in a codebook is legal but probably a mistake, and the summary ``radar codebook check`` prints."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from radar.codebook.model import Code, Codebook, KeywordTerm, parse_keyword
from radar.errors import CodebookError

_WORD = re.compile(r"\w+|[^\w\s]")


def codebook_warnings(codebook: Codebook) -> list[str]:
    """What in a codebook is legal but probably a mistake.

    Themes without codes, codes without keywords (radar never suggests them; one
    warning lists them all), and keywords that would suggest two codes at once: the
    same keyword under two codes, or one code's keyword inside another code's
    keyword phrase.
    """
    found = [f"theme {t.name!r} has no codes." for t in codebook.themes if not t.codes]
    bare = [code.name for code in codebook.codes if not code.keywords]
    if len(bare) == 1:
        found.append(f"code {bare[0]!r} has no keywords, so radar will never suggest it.")
    elif bare:
        listed = ", ".join(repr(name) for name in bare)
        found.append(f"{len(bare)} codes have no keywords, so radar will never suggest them: {listed}.")
    only_out = [code.name for code in codebook.codes if code.keywords and not _positive(code)]
    found += [
        f"code {name!r} has exclusions but no keyword to suggest it, so radar will never suggest it."
        for name in only_out
    ]
    return found + _keyword_warnings(codebook.codes)


def keyword_problems(codebook: Codebook) -> list[str]:
    """Every keyword that breaks the keyword syntax, each with its theme, code and text.

    Example:
        >>> from radar.codebook import Code, Codebook, Theme
        >>> book = Codebook(themes=(Theme("Care", codes=(Code("Aids", "Care", keywords=('="hearing',)),)),))
        >>> print(keyword_problems(book)[0][:57])
        theme 'Care', code 'Aids', keyword '="hearing': the quote
    """
    found = []
    for code in codebook.codes:
        for keyword in code.keywords:
            try:
                parse_keyword(keyword)
            except ValueError as error:
                found.append(f"theme {code.theme!r}, code {code.name!r}, keyword {keyword!r}: {error}")
    return found


def check_keywords(codebook: Codebook) -> None:
    """Raise a :class:`~radar.errors.CodebookError` naming the first keyword that breaks the syntax."""
    found = keyword_problems(codebook)
    if not found:
        return
    where = f"{codebook.path}: " if codebook.path is not None else ""
    more = f" ({len(found) - 1} more keyword(s) break the syntax too)" if len(found) > 1 else ""
    raise CodebookError(f"{where}{found[0]}{more}.", path=str(codebook.path) if codebook.path else None)


def keyword_terms(codebook: Codebook) -> list[KeywordTerm]:
    """Every well-formed keyword of the codebook, read by the keyword syntax."""
    return [term for code in codebook.codes for term in _terms(code)]


def _terms(code: Code) -> list[KeywordTerm]:
    terms = []
    for keyword in code.keywords:
        try:
            terms.append(parse_keyword(keyword))
        except ValueError:
            continue
    return terms


def _positive(code: Code) -> bool:
    terms = _terms(code)
    return any(not term.exclude for term in terms) or len(terms) < len(code.keywords)


def _keyword_warnings(codes: Sequence[Code]) -> list[str]:
    owners: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for code in codes:
        for term in _terms(code):
            if not term.exclude:
                owners.setdefault(keyword_words(term.words), []).append((code.name, term.text))
    found = []
    for words, holders in owners.items():
        names = list(dict.fromkeys(name for name, _ in holders))
        if len(names) > 1:
            listed = " and ".join(repr(name) for name in names)
            found.append(
                f"keyword {holders[0][1]!r} belongs to codes {listed}: a segment containing it "
                "is suggested for all of them."
            )
        found += _inside_warnings(words, holders[0], owners)
    return found


def _inside_warnings(
    words: tuple[str, ...],
    holder: tuple[str, str],
    owners: Mapping[tuple[str, ...], list[tuple[str, str]]],
) -> list[str]:
    found = []
    for other, others in owners.items():
        if other == words or not _contains(other, words):
            continue
        for name, keyword in others:
            if name != holder[0]:
                found.append(
                    f"keyword {holder[1]!r} of code {holder[0]!r} is part of keyword {keyword!r} "
                    f"of code {name!r}: a segment containing {keyword!r} is suggested for both."
                )
    return found


def keyword_words(keyword: str) -> tuple[str, ...]:
    """A keyword's words and punctuation marks, lowercased, as a tokeniser splits them.

    Example:
        >>> keyword_words("Two-factor  authentication")
        ('two', '-', 'factor', 'authentication')
    """
    return tuple(_WORD.findall(keyword.casefold()))


def _contains(phrase: Sequence[str], part: Sequence[str]) -> bool:
    size = len(part)
    return any(tuple(phrase[i : i + size]) == tuple(part) for i in range(len(phrase) - size + 1))


def describe_codebook(codebook: Codebook, notes: Sequence[str] = (), more: Sequence[str] = ()) -> str:
    """A multi-line summary of a codebook and its warnings, as ``radar codebook check`` shows it.

    Args:
        codebook: the codebook.
        notes: what reading the file changed (as :func:`~radar.codebook.read_codebook_file`
            returns them), listed before the warnings.
        more: further warnings, listed after the codebook's own (the keyword matcher's).
    """
    codes = codebook.codes
    keywords = sum(len(code.keywords) for code in codes)
    lines = []
    if codebook.title:
        lines.append(codebook.title)
    if codebook.path is not None:
        lines.append(f"File: {codebook.path}")
    lines.append(
        f"{_count(len(codebook.themes), 'theme')}, {_count(len(codes), 'code')}, "
        f"{_count(keywords, 'keyword')}"
    )
    for theme in codebook.themes:
        status = f" ({theme.status})" if theme.status else ""
        lines.append(f"  {theme.name}{status}: {_count(len(theme.codes), 'code')}")
    if notes:
        lines.append(f"{_count(len(notes), 'note')} on reading the file:")
        lines += [f"  - {note}" for note in notes]
    found = codebook_warnings(codebook) + list(more)
    if found:
        lines.append(f"{_count(len(found), 'warning')}:")
        lines += [f"  - {warning}" for warning in found]
    else:
        lines.append("No warnings.")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
