"""Time and memory of each stage of ``radar reduce`` on a study.

::

    python benchmarks/reduce_stages.py STUDY_DIR [--repeat 1] [--json FILE] [--profile DIR]

The study is copied to a scratch folder (its transcripts, codebook, speakers.csv
and radar.toml; never its workbook), so the study itself is never changed. Each
repeat makes two runs there, each in a new Python process as a user's
``radar reduce`` would be:

* run 1: no workbook yet;
* run 2: the workbook of run 1 exists, so "read analyst's work" reads it back
  and every segment is matched to its record. With --edit-share S, a share S
  of the transcripts' speech lines get one word changed (as a transcriber's
  corrections would) before run 2, so "build segments" must match changed
  turns to their old selves.

For each stage (``run_reduce(stage=hook)`` calls the hook around each one) it
reports the wall time, the CPU time of the process, the resident memory at the
start of the stage, the peak within the stage (the kernel's high-water mark,
reset at the start of each stage through /proc/self/clear_refs, and a 10 ms
sampling thread where that is not possible) and the growth (peak - start);
"workers" is the summed peak RSS of the worker processes radar starts during
the stage (the keyword matcher's pool). No tracemalloc: it slows
allocation-heavy code and would distort the times.

With --repeat N, the table shows the median of the N values of each figure
and the best (shortest) wall time, which on a shared machine is the better
estimate of the undisturbed time; --json holds every run. With --profile DIR, each run is made once more
under cProfile (not timed), writing DIR/run1.pstats and DIR/run2.pstats and
printing the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STUDY_FILES = ("codebook.yaml", "codebook.yml", "codebook.xlsx", "codebook.csv", "speakers.csv", "radar.toml")
SAMPLE_SECONDS = 0.01


# Memory ---------------------------------------------------------------------


def _status_kib(pid: int | str, field: str) -> int:
    """A ``Vm...`` field of /proc/PID/status in KiB (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            text = handle.read()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _children() -> list[str]:
    """The process IDs of this process's children (all threads)."""
    pids: list[str] = []
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError), open(f"/proc/self/task/{task}/children", encoding="ascii") as h:
            pids += h.read().split()
    return pids


def _reset_high_water_mark() -> bool:
    """Reset VmHWM of this process (Linux 4.0+); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """Samples this process's RSS and its workers' peak RSS every 10 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self.peak = 0
        self.workers: dict[str, int] = {}
        self.existing: set[str] = set()

    def run(self) -> None:
        while not self._halt.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        own = _status_kib("self", "VmRSS")
        children = {pid: _status_kib(pid, "VmHWM") for pid in _children() if pid not in self.existing}
        with self._lock:
            self.peak = max(self.peak, own)
            for pid, hwm in children.items():
                self.workers[pid] = max(self.workers.get(pid, 0), hwm)

    def restart(self) -> None:
        """Start a stage: peaks from now, counting only processes started from now."""
        with self._lock:
            self.peak = _status_kib("self", "VmRSS")
            self.workers = {}
            self.existing = set(_children())

    def stop(self) -> None:
        self._halt.set()
        self.join()


# One run (in a child process) -----------------------------------------------------


def measure_run(study_dir: Path) -> dict[str, Any]:
    """Run reduce once on ``study_dir`` in this process, measuring each stage."""
    began = time.perf_counter()
    import_rss = _status_kib("self", "VmRSS")
    from radar.folder import Folder
    from radar.reduction.run import run_reduce

    stages: list[dict[str, Any]] = []
    sampler = Sampler()
    sampler.start()

    @contextlib.contextmanager
    def hook(name: str) -> Iterator[None]:
        sampler.sample()
        start_rss = _status_kib("self", "VmRSS")
        exact = _reset_high_water_mark()
        sampler.restart()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        try:
            yield
        finally:
            wall = time.perf_counter() - wall0
            cpu = time.process_time() - cpu0
            sampler.sample()
            peak = max(sampler.peak, _status_kib("self", "VmHWM") if exact else 0)
            stages.append(
                {
                    "stage": name,
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "rss_start_mib": start_rss / 1024,
                    "rss_peak_mib": peak / 1024,
                    "rss_growth_mib": (peak - start_rss) / 1024,
                    "workers": len(sampler.workers),
                    "workers_peak_mib": sum(sampler.workers.values()) / 1024,
                }
            )

    had_workbook = (study_dir / "radar-tables.xlsx").exists()
    reduce_began = time.perf_counter()
    result = run_reduce(Folder(study_dir), progress=False, stage=hook)
    reduce_wall = time.perf_counter() - reduce_began
    sampler.stop()

    import radar.columns as C

    table1 = result.tables.phase1
    coded_rows = (table1[C.ROLE] == C.PARTICIPANT_ROLE) & (table1[C.REASON] != C.REASON_NON_SPEECH)
    return {
        "had_workbook": had_workbook,
        "stages": stages,
        "reduce_wall_s": reduce_wall,
        "process_wall_s": time.perf_counter() - began,
        "rss_before_import_mib": import_rss / 1024,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "words": sum(len(text.split()) for text in table1[C.TEXT]),
        "suggest_words": sum(len(text.split()) for text in table1.loc[coded_rows, C.TEXT]),
        "turns": len(table1),
        "suggested_turns": int(coded_rows.sum()),
        "flow": {
            "turns": result.flow.turns,
            "kept": result.flow.kept,
            "coded": result.flow.coded,
            "excerpts": result.flow.excerpts,
            "themes": result.flow.themes,
        },
    }


def profile_run(study_dir: Path, out: Path) -> None:
    """Run reduce once under cProfile, writing the stats to ``out``."""
    import cProfile

    from radar.folder import Folder
    from radar.reduction.run import run_reduce

    profiler = cProfile.Profile()
    profiler.enable()
    run_reduce(Folder(study_dir), progress=False)
    profiler.disable()
    profiler.dump_stats(out)


def _child(argv: Sequence[str]) -> None:
    mode, study, out = argv
    if mode == "measure":
        Path(out).write_text(json.dumps(measure_run(Path(study))), encoding="utf-8")
    else:
        profile_run(Path(study), Path(out))


def _spawn(mode: str, study: Path, out: Path) -> None:
    command = [sys.executable, __file__, "--child", mode, str(study), str(out)]
    subprocess.run(command, check=True)


# The driver ---------------------------------------------------------------------


def copy_study(source: Path, target: Path) -> None:
    """Copy what reduce reads (never the workbook or .radar) into an empty ``target``."""
    if not (source / "transcripts").is_dir():
        raise SystemExit(f"Error: {source} has no transcripts/ folder; give a study folder")
    shutil.copytree(source / "transcripts", target / "transcripts")
    for name in STUDY_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, target / name)


def radar_source() -> str:
    """The commit of the radar checkout measured, with ``+dirty`` when radar/ has edits."""
    import radar

    root = Path(radar.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "radar"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def edit_transcripts(study: Path, share: float, seed: int = 1) -> int:
    """Change one word (add an "s") in a share of the speech lines; return how many."""
    import random

    rng = random.Random(seed)
    edited = 0
    for path in sorted((study / "transcripts").iterdir()):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            label, colon, text = line.partition(": ")
            words = text.split(" ")
            alpha = [j for j, w in enumerate(words) if w.isalpha()]
            if colon and "-->" not in line and alpha and rng.random() < share:
                j = rng.choice(alpha)
                words[j] += "s"
                lines[i] = label + colon + " ".join(words)
                edited += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return edited


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import importlib.metadata as md

    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    versions = {}
    for name in ("radar-qda", "spacy", "spacy-lookups-data", "pandas", "openpyxl"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions[name] = md.version(name)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "radar_source": radar_source(),
        "versions": versions,
    }


def median_stages(runs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per stage, the median of each figure over the repeats."""
    rows = []
    for index, first in enumerate(runs[0]["stages"]):
        values = [run["stages"][index] for run in runs]
        row: dict[str, Any] = {"stage": first["stage"]}
        for key in first:
            if key != "stage":
                row[key] = statistics.median(v[key] for v in values)
        row["best_wall_s"] = min(v["wall_s"] for v in values)
        rows.append(row)
    return rows


def format_table(title: str, runs: Sequence[dict[str, Any]]) -> str:
    rows = median_stages(runs)
    header = f"{'stage':<22}{'wall s':>9}{'best':>7}{'cpu s':>8}{'RSS start':>11}{'peak':>9}{'growth':>9}{'workers peak':>14}"
    lines = [title, header, "-" * len(header)]
    for row in rows:
        workers = f"{row['workers_peak_mib']:.0f} ({row['workers']:.0f})" if row["workers"] else ""
        lines.append(
            f"{row['stage']:<22}{row['wall_s']:>9.2f}{row['best_wall_s']:>7.2f}{row['cpu_s']:>8.2f}{row['rss_start_mib']:>11.0f}"
            f"{row['rss_peak_mib']:>9.0f}{row['rss_growth_mib']:>9.0f}{workers:>14}"
        )
    reduce_wall = statistics.median(r["reduce_wall_s"] for r in runs)
    reduce_best = min(r["reduce_wall_s"] for r in runs)
    process_wall = statistics.median(r["process_wall_s"] for r in runs)
    max_rss = statistics.median(r["max_rss_mib"] for r in runs)
    lines.append("-" * len(header))
    lines.append(
        f"{'total (run_reduce)':<22}{reduce_wall:>9.2f}{reduce_best:>7.2f}{'':>8}{'':>11}{max_rss:>9.0f}"
        "   (peak: the process's max RSS)"
    )
    lines.append(f"{'process (with imports)':<22}{process_wall:>9.2f}")
    suggest = next(r for r in rows if r["stage"] == "suggest codes")
    words = runs[0]["suggest_words"]
    lines.append(
        f"suggest codes: {words:,} words in {runs[0]['suggested_turns']:,} participant turns, "
        f"{words / suggest['wall_s']:,.0f} words/s (best {words / suggest['best_wall_s']:,.0f})"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        _child(argv[1:])
        return
    parser = argparse.ArgumentParser(description="Time and peak memory of each stage of radar reduce.")
    parser.add_argument("study", type=Path, help="the study folder (it is copied, never changed)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="pairs of runs to make; the table shows medians"
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--profile", type=Path, help="also profile each run (untimed) into this folder")
    parser.add_argument(
        "--edit-share", type=float, default=0.0,
        help="share of speech lines to edit between run 1 and run 2 (default 0: none)",
    )  # fmt: skip
    parser.add_argument("--scratch", type=Path, help="where to copy the study (default: a temporary folder)")
    args = parser.parse_args(argv)

    info = machine()  # the load average before the runs
    scratch_root = Path(tempfile.mkdtemp(prefix="radar-bench-", dir=args.scratch))
    edited = 0
    first_runs: list[dict[str, Any]] = []
    second_runs: list[dict[str, Any]] = []
    try:
        for repeat in range(args.repeat):
            work = scratch_root / f"study-{repeat + 1}"
            copy_study(args.study, work)
            for runs in (first_runs, second_runs):
                if runs is second_runs and args.edit_share:
                    edited = edit_transcripts(work, args.edit_share)
                out = scratch_root / f"run-{repeat + 1}-{len(runs) + 1}.json"
                _spawn("measure", work, out)
                runs.append(json.loads(out.read_text(encoding="utf-8")))
            print(
                f"repeat {repeat + 1}: run 1 {first_runs[-1]['reduce_wall_s']:.1f} s, "
                f"run 2 {second_runs[-1]['reduce_wall_s']:.1f} s",
                file=sys.stderr,
            )
        profiles = []
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            work = scratch_root / "profiled"
            copy_study(args.study, work)
            for n in (1, 2):
                stats = args.profile / f"run{n}.pstats"
                _spawn("profile", work, stats)
                profiles.append(stats)
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)

    first = first_runs[0]
    print(
        f"{args.study}: {first['words']:,} words, {first['turns']:,} turns; "
        f"{info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']}, "
        f"load average {info['load_average'][0]:.2f}; radar {info['radar_source']}; "
        f"median of {args.repeat} repeat(s); times in s, memory in MiB"
    )
    print()
    print(format_table("Run 1: no workbook yet", first_runs))
    print()
    title = "Run 2: the workbook of run 1 exists"
    if args.edit_share:
        title += f"; {edited:,} transcript lines edited since run 1"
    print(format_table(title, second_runs))
    for stats in profiles:
        import pstats

        print(f"\ncProfile of {stats.stem} (untimed run), top 25 by cumulative time:")
        pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(25)
    if args.json:
        manifest = args.study / "generated.json"
        report = {
            "study": str(args.study),
            "generated": json.loads(manifest.read_text()) if manifest.exists() else None,
            "machine": info,
            "repeat": args.repeat,
            "edit_share": args.edit_share,
            "edited_lines": edited,
            "run1": first_runs,
            "run2": second_runs,
            "run1_median": median_stages(first_runs),
            "run2_median": median_stages(second_runs),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
