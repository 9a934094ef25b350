"""Progress bars for long work, in a terminal and in Jupyter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def progress_bar(iterable: Iterable[Any] | None = None, **options: Any) -> Any:
    """tqdm's bar: Jupyter's widget where ipywidgets is installed, else the text bar.

    ``tqdm.auto`` warns (``TqdmWarning: IProgress not found``) in a notebook
    without ipywidgets, even for a bar that is never shown; the text bar never
    does. ``options`` are tqdm's (``desc``, ``total``, ``disable``, ``delay`` ...).
    """
    import importlib.util

    if importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm as widget_or_text

        return widget_or_text(iterable, **options)
    from tqdm.std import tqdm as text

    return text(iterable, **options)
