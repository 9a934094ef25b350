"""The codebooks that ship with radar (``radar codebook list``, ``radar init --codebook``)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from radar.codebook.forms import load_codebook
from radar.errors import CodebookError

if TYPE_CHECKING:
    import pandas as pd


def shipped_codebooks_dir() -> Path:
    """Where radar's ready-made codebooks are: inside the installed package, or in a checkout."""
    package = Path(__file__).resolve().parents[1]  # radar/
    for candidate in (package / "codebooks", package.parent / "codebooks"):
        if candidate.is_dir():
            return candidate
    raise CodebookError("radar's shipped codebooks are missing from this installation; reinstall radar-qda")


def shipped_codebooks() -> dict[str, Path]:
    """The ready-made codebooks by name (the file stem), sorted."""
    folder = shipped_codebooks_dir()
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def shipped_codebook(name: str) -> Path:
    """The path of a shipped codebook, or an error listing the names."""
    books = shipped_codebooks()
    if name in books:
        return books[name]
    close = [n for n in books if name.lower() in n.lower()] or difflib.get_close_matches(
        name, list(books), n=1, cutoff=0.4
    )
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CodebookError(
        f"no shipped codebook {name!r}{hint}; `radar codebook list` shows them: {', '.join(books)}"
    )


def list_shipped_codebooks() -> pd.DataFrame:
    """Name, title, themes, codes and source of each shipped codebook."""
    import pandas as pd

    rows = []
    for name, path in shipped_codebooks().items():
        book = load_codebook(path)
        source = " ".join(book.source.split())
        cited = source if len(source) <= 60 else source[:59].rstrip() + "…"
        rows.append((name, book.title, len(book.themes), len(book.codes), cited))
    return pd.DataFrame(rows, columns=["name", "title", "themes", "codes", "source"])
