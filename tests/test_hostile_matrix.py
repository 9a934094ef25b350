"""The hostile-input matrix (issue 13's "Done means", issue 19): every file type radar reads, spoilt.

Each case puts one hostile or clumsy file where radar reads it — a transcript of each shape, a
codebook of each form, the tables workbook, speakers.csv, radar.toml, a returned member-check
packet, a .qdpx project, a coder's copy and a reconciled copy — and runs the command that reads it
as a real ``radar`` process, under a 2 GiB address-space limit and 30 s of CPU (see
tests/hostile_support.py, which builds the files and runs the commands). Every file and folder of
the case is hashed before and after. A case is *handled* when radar either

- exits 1 with one ``Error:`` line naming the file (several problems found in one pass are one line
  each, as radar/cli/options.py prints them, and each names it), no traceback, and the folder byte
  for byte as it was; or
- exits 0 without a traceback, every input of the study untouched, and the analyst's memo and
  added code still in the workbook (a command that only reads changes nothing at all);

otherwise it is a traceback, a hang, lost work, an injection (an external entity's file read, a
formula cell written, a file written outside the study) or unclear (exit 1 without one clear line).

``python tests/test_hostile_matrix.py --count`` prints how many cases there are of each file type;
``--summary MATRIX_FOLDER`` the outcomes of a run (run pytest with ``--basetemp=DIR``: the folder is
DIR/matrix0), "N tried, M handled" and every case not handled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hostile_support import (
    MEMO,
    OUTCOMES,
    SECRET,
    WALL_TIMEOUT,
    WORKERS,
    Case,
    all_cases,
    build_base,
    build_case,
    hostile_cases,
    judge,
)

CASES = all_cases()
AS_ROOT = os.geteuid() == 0

# Cases that fail in files this suite's author does not own: case id -> "owner: NAME — what fails".
# Empty since the merge of the round's fixes (the unclosed <v tags, non-UTF-8 file names, LibreOffice's
# lock file); a new entry is a strict xfail, so a fix that lands makes the suite say so.
XFAIL: dict[str, str] = {}


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case.unreadable and AS_ROOT:
            marks.append(pytest.mark.skip(reason="running as root: chmod 000 does not stop root reading"))
        if case.id in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[case.id]))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


class Matrix:
    """The cases' folders and what the runner saw of each."""

    def __init__(self, root: Path, results: dict[str, Any]) -> None:
        self.root = root
        self.results = results

    def folder(self, case: Case) -> Path:
        return self.root / "cases" / case.id


@pytest.fixture(scope="module")
def matrix(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """Build the selected cases and run them all in one runner process."""
    wanted = {
        item.callspec.params["case"].id
        for item in request.session.items
        if getattr(item, "module", None) is request.module
        and hasattr(item, "callspec")
        and "case" in item.callspec.params
        and not item.get_closest_marker("skip")
    }
    root = tmp_path_factory.mktemp("matrix")
    secret = root / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    base = build_base(root)
    jobs = []
    for case in CASES:
        if case.id in wanted:
            folder = build_case(case, base, root / "cases", secret)
            jobs.append({"id": case.id, "argv": case.argv(folder), "folder": str(folder)})
    (root / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    import radar

    env = {**os.environ, "PYTHONPATH": str(Path(radar.__file__).resolve().parents[1]), "COLUMNS": "200"}
    support = Path(__file__).with_name("hostile_support.py")
    subprocess.run(
        [sys.executable, str(support), str(root / "jobs.json"), str(root / "results.json")],
        env=env,
        check=True,
        timeout=WALL_TIMEOUT * len(jobs) / WORKERS + 120,
    )
    return Matrix(root, json.loads((root / "results.json").read_text(encoding="utf-8")))


@pytest.mark.slow  # about four minutes on two loaded cores (the cases run two at a time)
@pytest.mark.parametrize("case", _params())
def test_hostile_input_is_handled(case: Case, matrix: Matrix) -> None:
    verdict = judge(case, matrix.folder(case), matrix.results[case.id])
    assert verdict.outcome == "handled", f"{verdict.outcome}: {verdict.why}"


# ------------------------------------------------------------------------ the judge itself can fail


def _result(code: int | None = 0, stderr: str = "", **changes: Any) -> dict[str, Any]:
    before = {"study": "dir", "study/radar-tables.xlsx": "a", "study/codebook.yaml": "b"}
    return {
        "code": code,
        "signal": 0,
        "timed_out": False,
        "seconds": 0.1,
        "stdout": "",
        "stderr": stderr,
        "before": before,
        "after": {**before, **changes.pop("after", {})},
        **changes,
    }


READ = next(case for case in CASES if case.id == "codebook-yaml-empty-check")


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (_result(1, "Error: study/codebook.yaml: the file is empty\n"), "handled"),
        (_result(1, "Error: something went wrong\n"), "unclear"),
        (_result(1, "Error: codebook.yaml: one\nError: codebook.yaml: two\n"), "handled"),
        (_result(1, "Error: codebook.yaml: one\nError: radar-tables.xlsx: two\n"), "unclear"),
        (_result(1, "Warning: codebook.yaml: odd\n"), "unclear"),
        (_result(1, "Traceback (most recent call last):\n  ...\nRecursionError: too deep\n"), "traceback"),
        (
            _result(1, "Error: codebook.yaml: empty\n", after={"study/radar-tables.xlsx": "changed"}),
            "lost work",
        ),
        (_result(0, after={"study/codebook.yaml": "changed"}), "lost work"),
        (_result(None, timed_out=True), "hang"),
        (_result(0, stdout=f"title: {SECRET}"), "injection"),
        (_result(0, after={"evil.txt": "x"}), "injection"),
        (_result(2, "Usage: radar ...\nError: No such option\n"), "unclear"),
        (_result(0), "handled"),
    ],
)
def test_the_judge_tells_each_outcome_apart(result: dict[str, Any], outcome: str, tmp_path: Path) -> None:
    assert outcome in OUTCOMES
    assert judge(READ, tmp_path, result).outcome == outcome


def test_a_run_that_loses_the_memo_is_lost_work(tmp_path: Path) -> None:
    import openpyxl

    reduce = next(case for case in CASES if case.id == "codebook-yaml-empty-reduce")
    (tmp_path / "study").mkdir()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "2 Relevant"
    sheet.append(["Segment ID", "Memo", "Code 1", "Code 2"])
    sheet.append(["fg1-002", "", "Devices", ""])
    sheet.append(["fg1-003", "", "Data plans", "Passwords"])
    workbook.save(tmp_path / "study" / "radar-tables.xlsx")
    verdict = judge(reduce, tmp_path, _result(0, after={"study/radar-tables.xlsx": "new"}))
    assert (verdict.outcome, verdict.why) == ("lost work", "succeeded but lost ['the memo on fg1-002']")
    sheet["B2"] = MEMO
    workbook.save(tmp_path / "study" / "radar-tables.xlsx")
    assert judge(reduce, tmp_path, _result(0, after={"study/radar-tables.xlsx": "new"})).outcome == "handled"


def counts() -> str:
    hostile = hostile_cases()
    by_kind = Counter(case.kind for case in hostile)
    lines = [f"{n:4d}  {kind}" for kind, n in sorted(by_kind.items())]
    unreadable = sum(case.unreadable for case in hostile)
    lines.append(f"{len(hostile):4d}  hostile cases in all ({unreadable} need a non-root user)")
    lines.append(f"{len(CASES) - len(hostile):4d}  controls (the good file of each type)")
    return "\n".join(lines)


def summary(root: Path) -> str:
    """The outcomes of a run, from the matrix folder a test run left (its results.json), by outcome."""
    results = json.loads((root / "results.json").read_text(encoding="utf-8"))
    hostile = {case.id for case in hostile_cases()}
    verdicts = {
        case.id: judge(case, root / "cases" / case.id, results[case.id])
        for case in CASES
        if case.id in results
    }
    tried = [i for i in verdicts if i in hostile]
    tally = Counter(verdicts[i].outcome for i in tried)
    lines = [f"{len(tried)} hostile cases tried, {tally['handled']} handled as promised"]
    lines += [f"  {outcome}: {tally[outcome]}" for outcome in OUTCOMES if outcome != "handled"]
    lines += [
        f"  {i}: {v.outcome}: {v.why[:160]}" for i, v in sorted(verdicts.items()) if v.outcome != "handled"
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--count"]:
        print(counts())
    elif len(sys.argv) == 3 and sys.argv[1] == "--summary":
        print(summary(Path(sys.argv[2])))
    else:
        sys.exit(
            "usage: python tests/test_hostile_matrix.py --count\n"
            "       python tests/test_hostile_matrix.py --summary MATRIX_FOLDER  (a run's matrix0, with results.json)"
        )
