"""Rules every codebook form keeps: UTF-8 text, and code names unique across the codebook."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from radar.codebook.model import Code, name_key
from radar.errors import CodebookError

MAX_CODEBOOK_BYTES = 5_000_000
"""The largest text codebook radar reads (a codebook of 500 codes is about 200 kB)."""


def read_text(file: Path) -> str:
    try:
        if file.stat().st_size > MAX_CODEBOOK_BYTES:
            raise CodebookError(
                f"{file}: is over {MAX_CODEBOOK_BYTES // 1_000_000} MB, far larger than any codebook "
                "(the wrong file?); give the codebook itself.",
                path=str(file),
            )
        data = file.read_bytes()
    except OSError as error:
        raise CodebookError(f"{file}: cannot be read ({error.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CodebookError(
            f"{file}: is not UTF-8 text (byte {error.start + 1}); save it with UTF-8 encoding "
            "(in Excel: 'CSV UTF-8 (Comma delimited)')."
        ) from None


def check_unique_codes(where: str, placed: Iterable[tuple[Code, str]]) -> None:
    """Raise if two codes share a name regardless of case and spacing."""
    seen: dict[str, str] = {}
    for code, place in placed:
        first = seen.setdefault(name_key(code.name), place)
        if first != place:
            raise CodebookError(
                f"{where}: {first} and {place} have the same code name (ignoring case); "
                "code names must be unique across the codebook: rename or merge one of them."
            )
