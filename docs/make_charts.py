"""Draw the README's charts from the shipped example study.

::

    python docs/make_charts.py            # writes docs/chart-*.png

The example folder is copied to a temporary folder and reduced there, so
neither ``radar-tables.xlsx`` nor ``.radar/`` is left in ``examples/``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from radar.charts import chart, save_figure
from radar.study import Study

DOCS = Path(__file__).resolve().parent
EXAMPLE = DOCS.parent / "examples" / "digital-peer-support"
CHARTS = {
    "themes": "chart-themes.png",
    "heatmap": "chart-heatmap.png",
    "cooccurrence": "chart-cooccurrence.png",
    "flow": "chart-flow.png",
}
DPI = 150  # enough on screen, and each file stays small


def make_charts(example: Path = EXAMPLE, out: Path = DOCS) -> list[Path]:
    """Reduce a copy of ``example`` and write each chart as a PNG in ``out``."""
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / example.name
        shutil.copytree(example, copy, ignore=shutil.ignore_patterns("radar-tables.xlsx", ".radar"))
        study = Study(copy)
        study.reduce()
        return [
            save_figure(chart(study, kind), out / name, dpi=DPI, force=True) for kind, name in CHARTS.items()
        ]


def main() -> int:
    for path in make_charts():
        print(f"wrote {path.relative_to(DOCS.parent)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
