"""How much more than one read of the workbook `radar tally` and a no-change `radar reduce` cost.

Side by side in one run, so a shared, noisy machine slows both alike:

* ``radar tally STUDY`` against reading every sheet of the same workbook once
  with python-calamine (the floor: values only, as fast as Python reads xlsx);
* a no-change re-run of ``radar reduce STUDY`` against that read plus an
  xlsxwriter write of the same cells (the floor for reading and writing it).

Each is a fresh process, as a user runs it; the figures are medians of
``--repeat`` rounds, with each command's peak memory. Usage::

    python benchmarks/generate.py benchmarks/out/study-300k --transcripts 60 --words 300000 --keywords 300
    python benchmarks/read_once.py benchmarks/out/study-300k --repeat 3

Needs python-calamine and xlsxwriter (``pip install python-calamine xlsxwriter``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RADAR = [str(Path(sys.executable).with_name("radar"))]
READ_ALL = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
print(cells)
"""
READ_AND_WRITE = """
import sys
import xlsxwriter
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
out = xlsxwriter.Workbook(sys.argv[2])
for name, rows in sheets.items():
    sheet = out.add_worksheet(name[:31])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write(r, c, value)
out.close()
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed with exit status {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workbook = args.study / "radar-tables.xlsx"
    if not workbook.exists():
        seconds, peak = timed([*RADAR, "reduce", str(args.study), "-q"])
        print(f"{'radar reduce (first run)':<34} {seconds:7.2f} s  {peak:6.0f} MiB")
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        copy = str(Path(scratch) / "copy.xlsx")
        commands = {
            "radar tally": [*RADAR, "tally", str(args.study)],
            "calamine read": [sys.executable, "-c", READ_ALL, str(workbook)],
            "radar reduce (no change)": [*RADAR, "reduce", str(args.study), "-q"],
            "calamine read + xlsxwriter write": [sys.executable, "-c", READ_AND_WRITE, str(workbook), copy],
        }
        for _ in range(args.repeat):
            for name, command in commands.items():
                results.setdefault(name, []).append(timed(command))
    median = {name: statistics.median(t for t, _ in runs) for name, runs in results.items()}
    for name, seconds in median.items():
        peak = max(m for _, m in results[name])
        print(f"{name:<34} {seconds:7.2f} s  {peak:6.0f} MiB")
    print(
        f"tally / read:                      {median['radar tally'] / median['calamine read']:7.1f}x  (target < 3)"
    )
    ratio = median["radar reduce (no change)"] / median["calamine read + xlsxwriter write"]
    print(f"re-run / (read + write):           {ratio:7.1f}x  (target < 2)")


if __name__ == "__main__":
    main()
