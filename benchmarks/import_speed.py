"""How much more `radar import qdpx` costs than the first `radar reduce` of the same transcripts.

An import reads the project, writes its sources as transcripts and reduces them (once
without keyword suggestions, once more to read the other tool's codes back as the
analyst's). Its floor is a first ``radar reduce`` of the same transcripts and codebook,
run side by side in the same round, so a shared, noisy machine slows both alike.

Each is a fresh process, as a user runs it; the figures are medians of ``--repeat``
rounds, with each command's peak memory. Usage::

    python benchmarks/generate.py benchmarks/out/one-600k --transcripts 1 --words 100000 --keywords 300
    python benchmarks/import_speed.py benchmarks/out/one-600k --repeat 3

The study is reduced and exported (``radar export qdpx``) into a scratch folder first;
the study itself is not changed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_once import RADAR, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        source = root / "source"
        shutil.copytree(args.study / "transcripts", source / "transcripts")
        shutil.copy(args.study / "codebook.yaml", source / "codebook.yaml")
        timed([*RADAR, "reduce", str(source), "-q"])
        project = root / "project.qdpx"
        timed([*RADAR, "export", "qdpx", str(source), str(project)])
        chars = sum(len(p.read_text(encoding="utf-8")) for p in (source / "transcripts").iterdir())
        print(f"{args.study}: {chars:,} characters of text in the exported project")
        for round_ in range(args.repeat):
            fresh = root / f"fresh-{round_}"
            shutil.copytree(source / "transcripts", fresh / "transcripts")
            shutil.copy(source / "codebook.yaml", fresh / "codebook.yaml")
            results.setdefault("radar reduce (first run)", []).append(
                timed([*RADAR, "reduce", str(fresh), "-q"])
            )
            results.setdefault("radar import qdpx", []).append(
                timed([*RADAR, "import", "qdpx", str(project), str(root / f"imported-{round_}")])
            )
    median = {name: statistics.median(t for t, _ in runs) for name, runs in results.items()}
    for name, seconds in median.items():
        peak = max(m for _, m in results[name])
        print(f"{name:<34} {seconds:7.2f} s  {peak:6.0f} MiB")
    ratio = median["radar import qdpx"] / median["radar reduce (first run)"]
    print(f"import / first reduce:             {ratio:7.1f}x  (target < 2)")


if __name__ == "__main__":
    main()
