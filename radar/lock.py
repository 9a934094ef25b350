"""One writer at a time: the study's lock, held by every command that writes into the study.

A double-click, two terminals or a sync client can start two runs on one study;
both would read the same run number and write over each other's workbook. The
lock is a file, ``.radar/lock``, created exclusively with the holder's process,
host and start time; it is removed on any exit. A lock whose process is gone
(on this machine), or older than :data:`STALE_AFTER` seconds, is taken over.
Holding the lock, a run first removes the temporary files a killed run left
(a half-written snapshot in ``.radar/history``, a workbook never renamed).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from radar.errors import StudyError
from radar.files import now_utc, remove_stale_temporaries
from radar.folder import StudyPaths

LOCK_NAME = "lock"
STALE_AFTER = 6 * 3600  # seconds: a run never takes this long


def check_writable(paths: StudyPaths) -> None:
    """Refuse, before anything is written, a study radar cannot keep its records in."""
    if paths.records.exists() and not paths.records.is_dir():
        raise StudyError(
            f"{paths.records}: is a file, but radar keeps the study's records (history, audit trail) "
            "in a folder of that name; rename the file, then run again",
            path=str(paths.records),
        )
    if not os.access(paths.root, os.W_OK) or (
        paths.records.is_dir() and not os.access(paths.records, os.W_OK)
    ):
        raise StudyError(
            f"{paths.root}: radar cannot write in this folder (read-only); copy the study to a folder "
            "you can write in, or change its permissions",
            path=str(paths.root),
        )


@contextmanager
def study_lock(paths: StudyPaths) -> Iterator[None]:
    """Hold the study while a command writes into it; refuse if another radar holds it.

    Raises:
        StudyError: the study cannot be written, or another run holds it (the
            message names its process, host and start time).
    """
    check_writable(paths)
    made = not paths.records.exists()
    paths.records.mkdir(exist_ok=True)
    lock = paths.records / LOCK_NAME
    for _ in range(2):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _live_holder(lock)
            if holder is None:
                lock.unlink(missing_ok=True)  # its run is gone: take the study over
                continue
            raise StudyError(
                f"{paths.root}: another radar run is writing this study ({holder}); wait for it to "
                f"finish and run again (if none is running, delete {lock})",
                path=str(lock),
            ) from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {socket.gethostname()} {now_utc()}\n")
        break
    _clean_temporaries(paths)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        if made and not any(paths.records.iterdir()):
            paths.records.rmdir()  # a refused first run leaves the folder as it found it


def _clean_temporaries(paths: StudyPaths) -> None:
    """Remove the temporary files a killed run left in the study, its records and their folders.

    Called with the lock held, so no other run of radar is writing them.
    """
    folders = [paths.root, paths.records]
    folders += [child for child in paths.records.iterdir() if child.is_dir() and not child.is_symlink()]
    for folder in folders:
        remove_stale_temporaries(folder)


def _live_holder(lock: Path) -> str | None:
    """Who holds a lock, in words, or None when the lock is stale."""
    try:
        text = lock.read_bytes().decode("utf-8", errors="replace")
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return None
    parts = text.split()
    if age > STALE_AFTER or len(parts) < 3 or not parts[0].isdigit():
        return None
    pid, host, since = int(parts[0]), parts[1], parts[2]
    if host == socket.gethostname():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, another user's
    return f"process {pid} on {host}, since {since}"


__all__ = ["LOCK_NAME", "check_writable", "study_lock"]
