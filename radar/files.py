"""Files: safe writes, a file's hash and the time of a run.

A write goes to a temporary file beside the target, then a rename: an
interrupted run never leaves a half-written file in place of a good one, and
the new file gets the permissions the old one had (or the user's umask). A
symbolic link is written through: the file it names is replaced, the link stays.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from radar.errors import OutputExistsError, RadarError

TEMPORARY_PREFIX = ".~radar-"


# A study's inputs, by name in the study folder (the folder that holds transcripts/).
STUDY_INPUTS = frozenset({"radar-tables.xlsx", "speakers.csv", "radar.toml"})


def study_input(path: Path) -> str | None:
    """What ``path`` is, if it is one of a study's inputs or records (else None).

    The study's workbook, speakers list, settings and codebook (files in a
    folder that holds ``transcripts/``), a transcript, and radar's own
    records in ``.radar/``.
    """
    folder = path.parent
    if (folder / "transcripts").is_dir() and (path.name in STUDY_INPUTS or path.name.startswith("codebook.")):
        return f"the study's {path.name}"
    if folder.name == "transcripts" and (
        (folder.parent / "radar.toml").exists() or any(folder.parent.glob("codebook.*"))
    ):
        return "one of the study's transcripts"
    if folder.name == ".radar" and (folder.parent / "transcripts").is_dir():
        return "one of radar's records of the study"
    return None


def check_overwrite(path: str | os.PathLike[str], force: bool, *, replaces_input: bool = False) -> Path:
    """Refuse to replace an existing file the user named as an output, unless ``force``.

    The one overwrite rule of every writer the user points somewhere (``--out``,
    ``-o``, ``OUT``): an existing file is replaced only with ``force``, and an
    input of a study (:func:`study_input`) never, not even with ``force``. The
    files radar names itself in the study folder (``radar-tables.xlsx``, whose
    every version goes to ``.radar/history``, ``radar-report.docx``,
    ``.radar/``) are radar's to rewrite.

    Args:
        path: the output.
        force: replace an existing file.
        replaces_input: the writer makes this very input (``radar speakers
            --write`` makes speakers.csv), so ``force`` may replace it.

    Returns:
        The path, for chaining.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false, or it is a
            study's input (``error.path`` is the file).
    """
    target = Path(path)
    what = None
    if target.exists() and not replaces_input:  # a link is written through: what it names counts too
        what = study_input(target) or (study_input(target.resolve()) if target.is_symlink() else None)
    if what is not None:
        raise OutputExistsError(
            f"{target}: is {what}; radar never writes an output over a study's input, "
            "not even with --force; give another name",
            path=str(target),
        )
    if not force and (target.exists() or target.is_symlink()):
        raise OutputExistsError(
            f"{target}: already exists; give another name, or use --force to replace it",
            path=str(target),
        )
    return target


# ------------------------------------------------------------------------ paths the user names

PATH_KINDS = ("file", "folder", "output", "new-folder")


def check_path(path: str | os.PathLike[str], kind: str) -> Path:
    """Check a path the user named for what the command will do with it, before anything is read or written.

    Args:
        path: the path as the user gave it.
        kind: ``file`` (an existing file to read), ``folder`` (an existing
            folder to read), ``output`` (a file to write: not a folder; its
            folder need not exist yet) or ``new-folder`` (a folder to write
            into or create: not a file).

    Returns:
        The path.

    Raises:
        RadarError: one line naming the path and what to do.

    Example:
        >>> check_path("no-such-file.qdpx", "file")
        Traceback (most recent call last):
        ...
        radar.errors.RadarError: no-such-file.qdpx: no such file; check the name and the folder
    """
    target = Path(path)
    shown = str(path)
    if kind == "file":
        if target.is_dir():
            raise RadarError(f"{shown}: is a folder; give the file inside it", path=shown)
        if not target.exists():
            raise RadarError(f"{shown}: no such file; check the name and the folder", path=shown)
    elif kind == "folder":
        if target.is_file():
            raise RadarError(f"{shown}: is a file; give the folder that holds it", path=shown)
        if not target.exists():
            raise RadarError(f"{shown}: no such folder; check the name", path=shown)
    elif kind == "output":
        if target.is_dir():
            raise RadarError(f"{shown}: is a folder; give the name of the file to write in it", path=shown)
    elif kind == "new-folder":
        if target.exists() and not target.is_dir():
            raise RadarError(f"{shown}: is a file; give a folder (a new one is made)", path=shown)
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown path kind {kind!r}; one of {PATH_KINDS}")
    return target


def write_atomic(path: Path, write: Callable[[str], object], suffix: str = "") -> Path:
    """Call ``write(temporary_path)``, then move the result over ``path``.

    Args:
        path: the file to (re)write.
        write: writes the complete file at the path it is given.
        suffix: the temporary file's suffix (some writers check it).

    Raises:
        FileNotFoundError: ``path`` is a symbolic link to nothing (or to itself).
    """
    path = through_link(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=suffix, dir=path.parent)
    except OSError as err:  # name the file asked for, not radar's temporary one
        raise type(err)(err.errno, err.strerror, str(path)) from None
    os.close(fd)
    try:
        write(temporary)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def through_link(path: Path) -> Path:
    """The file a symbolic link names, so that writing replaces it and keeps the link; else ``path``.

    Raises:
        FileNotFoundError: the link names nothing that exists (or loops).
    """
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        raise FileNotFoundError(
            errno.ENOENT, "it is a symbolic link to a file that does not exist", str(path)
        ) from None
    return target


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write bytes through a temporary file and a rename."""
    return write_atomic(path, lambda temporary: Path(temporary).write_bytes(data))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text through a temporary file and a rename."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed run left behind."""
    for stale in folder.glob(f"{TEMPORARY_PREFIX}*"):
        stale.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def file_hash(path: Path) -> str:
    """The SHA-256 of a file, for the Log sheet and the audit trail."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now_utc() -> str:
    """The time of a run, ISO 8601 in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def long_date(moment: str | date) -> str:
    """A date as prose writes it, ``1 December 2026``, from a date or an ISO 8601 date or time.

    Example:
        >>> long_date("2026-12-01T09:30:00+00:00"), long_date(date(2026, 6, 30))
        ('1 December 2026', '30 June 2026')
    """
    day = date.fromisoformat(moment[:10]) if isinstance(moment, str) else moment
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = (  # English whatever the locale: the report is written in English
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
