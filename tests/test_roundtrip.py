"""The workbook belongs to the analyst: edits survive every re-run, by Segment ID."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from radar import columns as C
from radar.cli import main
from radar.errors import CodebookError, RadarWarning, WorkbookError
from radar.study import Study

TABLES = "radar-tables.xlsx"


def rows_of(path: Path, title: str) -> tuple[list[str], dict[str, dict[str, object]]]:
    ws = openpyxl.load_workbook(path)[title]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, {str(r[0]): dict(zip(header, r)) for r in rows[1:] if r[0]}


def codes(row: dict[str, object]) -> list[str]:
    found: list[str] = []
    for key, value in row.items():
        if C.is_code_column(key) and value:
            found += [v.strip() for v in str(value).split(";") if v.strip()]
    return found


def edit(path: Path, title: str, sid: str, **cells: object) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[title]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == sid:
            for column, value in cells.items():
                row[header.index(column.replace("_", " "))].value = value
    book.save(path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Suggestions never overrule the analyst ---------------------------------------


def add_keyword(root: Path, code_line: str, keyword: str) -> None:
    """Give a code one more keyword in the study's YAML codebook."""
    path = root / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    old = text.split(code_line, 1)[1].split("keywords: [", 1)
    text = text.replace(code_line + old[0] + "keywords: [", code_line + old[0] + f"keywords: [{keyword}, ", 1)
    path.write_text(text, encoding="utf-8")


def test_a_new_keyword_reaches_only_untouched_rows(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    # fg1-003 "...hotspot from my phone..." is untouched; fg2-002 "...tablet..." the analyst recodes.
    edit(path, C.SHEET_PHASE2, "fg2-002", Code_1="Burnout", Code_2=None)
    add_keyword(study_dir, "- name: Devices", "phone")
    add_keyword(study_dir, "- name: Burnout", "tablet")
    study.reduce()
    _, p2 = rows_of(path, C.SHEET_PHASE2)
    assert codes(p2["fg1-003"]) == ["Devices", "Data plans"]  # gained the new suggestion
    assert codes(p2["fg2-002"]) == ["Burnout"]  # the analyst's choice stands


def test_analyst_columns_and_values_are_kept(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    book = openpyxl.load_workbook(path)
    for title in (C.SHEET_PHASE1, C.SHEET_PHASE2):
        ws = book[title]
        ws.cell(row=1, column=ws.max_column + 1, value="Second coder")
        for row in ws.iter_rows(min_row=2):
            row[0].font = Font(italic=True)
        ws.cell(row=3, column=ws.max_column, value=f"checked {title}")
        ws.auto_filter.ref = None
    book.save(path)
    _header1, before1 = rows_of(path, C.SHEET_PHASE1)
    _header2, before2 = rows_of(path, C.SHEET_PHASE2)
    study.reduce()
    after1 = rows_of(path, C.SHEET_PHASE1)
    after2 = rows_of(path, C.SHEET_PHASE2)
    assert after1[0][-1] == "Second coder" and after2[0][-1] == "Second coder"
    sid1 = next(s for s, r in before1.items() if r["Second coder"])
    sid2 = next(s for s, r in before2.items() if r["Second coder"])
    assert after1[1][sid1]["Second coder"] == "checked 1 All data"
    assert after2[1][sid2]["Second coder"] == "checked 2 Relevant"


def test_the_analysts_own_sheets_are_kept(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("Team notes")
    notes.append(["Date", "Note"])
    notes.append(["2026-11-20", "Agreed to merge two codes"])
    notes.append([3, None])
    book.save(path)
    study.reduce()
    study.reduce()
    sheet = openpyxl.load_workbook(path)["Team notes"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Date", "Note"],
        ["2026-11-20", "Agreed to merge two codes"],
        [3, None],
    ]


# Codebook changes --------------------------------------------------------------


def test_a_code_removed_from_the_codebook_stops_the_run(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    text = (study_dir / "codebook.yaml").read_text(encoding="utf-8")
    text = text.replace("      - name: Data plans\n        keywords: [data plan, hotspot]\n", "")
    (study_dir / "codebook.yaml").write_text(text, encoding="utf-8")
    before = sha(path)
    with pytest.raises(WorkbookError) as caught:
        study.reduce()
    message = str(caught.value)
    assert "sheet '2 Relevant'" in message and "Segment ID fg1-003" in message
    assert "'Data plans' is not a code" in message
    assert sha(path) == before


def test_rename_changes_the_codebook_and_every_cell(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    code, out = (lambda r: (r.exit_code, r.stdout))(
        CliRunner().invoke(main, ["codebook", "rename", str(study_dir), "Passwords", "Password hygiene"])
    )
    assert code == 0, out
    yaml_text = (study_dir / "codebook.yaml").read_text(encoding="utf-8")
    assert '- name: "Password hygiene"' in yaml_text and "Passwords" not in yaml_text
    _, p2 = rows_of(path, C.SHEET_PHASE2)
    assert codes(p2["fg1-006"]) == ["Password hygiene"]
    study.reduce()  # the renamed workbook is valid input
    _, p2 = rows_of(path, C.SHEET_PHASE2)
    assert codes(p2["fg2-003"]) == ["Password hygiene"]
    audit = [json.loads(line) for line in (study_dir / ".radar" / "audit.jsonl").read_text().splitlines()]
    assert any(e.get("rename") == {"old": "Passwords", "new": "Password hygiene", "cells": 9} for e in audit)
    # 2 Code cells + 2 coded-sheet rows + 1 dropdown entry + 2 suggested + 2 recorded in the state sheet.


def test_rename_refuses_an_existing_name(study_dir: Path) -> None:
    Study(study_dir).reduce()
    before = sha(study_dir / TABLES), sha(study_dir / "codebook.yaml")
    with pytest.raises(CodebookError, match="already exists"):
        Study(study_dir).rename_code("Passwords", "burnout")
    assert (sha(study_dir / TABLES), sha(study_dir / "codebook.yaml")) == before


# Transcripts edited after coding -------------------------------------------------


def test_a_fixed_typo_keeps_the_work_and_is_flagged(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / TABLES
    edit(path, C.SHEET_PHASE2, "fg1-007", Memo="tired", Code_2="Passwords")
    fg1 = study_dir / "transcripts" / "fg1.txt"
    text = fg1.read_text(encoding="utf-8")
    text = text.replace("Honestly I am exhausted", "Honestly, I am exhausted")  # a typo fixed
    text = text.replace("P1: I never reuse a password.\n", "P1: I never reuse a password.\nP3: Same.\n")
    text = text.replace("P3: Nothing to add really.\n", "")  # a turn removed
    fg1.write_text(text, encoding="utf-8")
    result = study.reduce()
    _header, p1 = rows_of(path, C.SHEET_PHASE1)
    _, p2 = rows_of(path, C.SHEET_PHASE2)
    assert p1["fg1-007"]["Text"] == "Honestly, I am exhausted by the end of the day."
    assert codes(p2["fg1-007"]) == ["Burnout", "Passwords"] and p2["fg1-007"]["Memo"] == "tired"
    assert "text changed" in str(p1["fg1-007"]["Review"])
    assert p1["fg1-009"]["Text"] == "Same."  # the new turn takes the next free number
    assert "fg1-008" not in p1
    order = [sid for sid in p1 if sid.startswith("fg1")]
    assert order == ["fg1-001", "fg1-002", "fg1-003", "fg1-004", "fg1-005", "fg1-006", "fg1-009", "fg1-007"]
    assert any("fg1-007" in note and "review" in note for note in result.notes)


def test_a_removed_turn_with_work_is_reported(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    edit(study_dir / TABLES, C.SHEET_PHASE2, "fg1-008", Memo="keep this thought")
    fg1 = study_dir / "transcripts" / "fg1.txt"
    fg1.write_text(
        fg1.read_text(encoding="utf-8").replace("P3: Nothing to add really.\n", ""), encoding="utf-8"
    )
    result = study.reduce()
    assert any("fg1-008" in note and "no longer in the transcripts" in note for note in result.notes)
    state = openpyxl.load_workbook(study_dir / TABLES)[C.SHEET_STATE]
    memos = {r[0]: r[7] for r in state.iter_rows(min_row=2, values_only=True)}
    assert memos["fg1-008"] == "keep this thought"


# Safe writes ---------------------------------------------------------------------


def test_history_keeps_a_bounded_number_of_versions(study_dir: Path) -> None:
    (study_dir / "radar.toml").write_text("[history]\nkeep = 2\n", encoding="utf-8")
    study = Study(study_dir)
    for _ in range(4):
        study.reduce()
    kept = sorted(p.name for p in (study_dir / ".radar" / "history").iterdir())
    assert kept == ["radar-tables.before-run-0003.xlsx", "radar-tables.before-run-0004.xlsx"]


def test_text_that_looks_like_a_formula_stays_text(study_dir: Path) -> None:
    fg2 = study_dir / "transcripts" / "fg2.txt"
    fg2.write_text(
        fg2.read_text(encoding="utf-8") + 'Moderator: More?\nP2: =HYPERLINK("x") +1 -2 @me\n',
        encoding="utf-8",
    )
    Study(study_dir).reduce()
    ws = openpyxl.load_workbook(study_dir / TABLES)[C.SHEET_PHASE1]
    cell = next(r[6] for r in ws.iter_rows(min_row=2) if r[0].value == "fg2-005")
    assert cell.value == '=HYPERLINK("x") +1 -2 @me'
    assert cell.data_type == "s"


KILLER = """
import sys, time, xlsxwriter
from radar.study import Study
def slow_close(self):
    with open(self.filename, "wb") as handle:
        handle.write(b"PK half a workbook")
    print("WRITING", flush=True)
    time.sleep(60)
xlsxwriter.Workbook.close = slow_close
Study(sys.argv[1]).reduce()
"""


def test_a_killed_run_leaves_the_previous_workbook_whole(study_dir: Path) -> None:
    Study(study_dir).reduce()
    path = study_dir / TABLES
    before = sha(path)
    with subprocess.Popen(
        [sys.executable, "-c", KILLER, str(study_dir)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "WRITING"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert list(study_dir.glob(".~radar-*"))  # the killed run did get as far as a half-written file
    assert sha(path) == before
    openpyxl.load_workbook(path)  # still a whole workbook
    Study(study_dir).reduce()  # and the next run cleans up after the killed one
    assert not list(study_dir.glob(".~radar-*"))


# Audit trail -------------------------------------------------------------------


def test_every_run_is_audited_with_the_analysts_changes(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    edit(study_dir / TABLES, C.SHEET_PHASE1, "fg1-008", Keep="no", Reason="off topic")
    study.reduce()
    lines = (study_dir / ".radar" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["run"] for e in entries] == [1, 2]
    assert entries[1]["changes"] == [
        {"segment": "fg1-008", "column": "Keep", "old": "yes", "new": "no"},
        {"segment": "fg1-008", "column": "Reason", "old": "", "new": "off topic"},
    ]
    assert entries[1]["counts"]["kept"] == entries[0]["counts"]["kept"] - 1
    assert set(entries[0]["inputs"]) == {"codebook.yaml", "transcripts/fg1.txt", "transcripts/fg2.txt"}
    log = openpyxl.load_workbook(study_dir / TABLES)["Log"]
    values = [r for r in log.iter_rows(min_row=2, values_only=True)]
    assert ("Dropped in phase 1", "off topic", 1) in values  # a count, as a number
    assert ("Analyst change", "fg1-008", "fg1-008: Keep 'yes' -> 'no'") in values
    result = CliRunner().invoke(main, ["diff", str(study_dir), "1"])
    assert "fg1-008 dropped (reason: off topic)" in result.stdout
    result = CliRunner().invoke(main, ["history", str(study_dir)])
    assert result.stdout.splitlines()[3].split()[0] == "2"


# The property: any sequence of analyst edits survives re-runs ---------------------

CODE_NAMES = ["Devices", "Data plans", "Passwords", "Burnout"]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";"), max_size=20
).map(str.strip)
EDIT = st.one_of(
    st.tuples(st.just("keep"), st.integers(0, 10), st.sampled_from(["yes", "no", "Y", "n"])),
    st.tuples(
        st.just("codes"), st.integers(0, 10), st.lists(st.sampled_from(CODE_NAMES), max_size=3, unique=True)
    ),
    st.tuples(st.just("memo"), st.integers(0, 10), TEXT),
    st.tuples(st.just("own"), st.integers(0, 10), TEXT),
    st.tuples(st.just("delete"), st.integers(0, 10), st.sampled_from([C.SHEET_PHASE1, C.SHEET_PHASE2])),
    st.tuples(st.just("copy"), st.integers(0, 10), st.sampled_from([C.SHEET_PHASE1, C.SHEET_PHASE2])),
    st.tuples(st.just("drop column"), st.integers(0, 10), st.sampled_from([C.MEMO, "Code 3", C.REVIEW])),
    st.tuples(st.just("merge"), st.integers(0, 10), st.just(C.MEMO)),
)
ROUNDS = st.lists(st.tuples(st.lists(EDIT, max_size=6), st.booleans()), min_size=1, max_size=3)
SHEET_OF = {"keep": C.SHEET_PHASE1, "own": C.SHEET_PHASE1, "memo": C.SHEET_PHASE2, "codes": C.SHEET_PHASE2}


def play(
    path: Path, edits: list[tuple[str, int, object]], reverse: bool, model: dict[str, dict[str, object]]
) -> str:
    """Apply edits to the workbook as an analyst would, and to the model.

    Returns what the next run must do: ``"keep"`` every decision, ``"refuse"``
    (merged cells; a column deleted that the last run wrote something in), or
    ``"either"`` (a copied row edited again after an earlier edit: its copies
    may disagree).
    """
    book = openpyxl.load_workbook(path)
    ws1, ws2 = book[C.SHEET_PHASE1], book[C.SHEET_PHASE2]
    ids1 = [r[0].value for r in ws1.iter_rows(min_row=2)]
    as_written = {sid: dict(cells) for sid, cells in model.items()}  # what the last run wrote
    deleted: set[str] = set()
    copied: set[tuple[str, str]] = set()  # (sheet, Segment ID) of the rows copied this round
    edited: set[tuple[str, str]] = set()  # (sheet, Segment ID) of the rows edited this round
    outcome = "keep"
    merges: list[str] = []
    for kind, index, value in edits:
        sid = ids1[index]
        if sid in deleted:
            continue  # the row is gone: no more edits to it this round
        if kind == "drop column":
            # Excel's "Delete column": this round's edits in it go with it; the run refuses if the last
            # run wrote anything in it, else writes it again empty.
            sheet = ws2 if value in (C.MEMO, "Code 3") else ws1
            header = [c.value for c in sheet[1]]
            if value not in header:
                continue
            position = header.index(value) + 1
            held = any(
                (row[position - 1] or "") != ""
                for row in openpyxl.load_workbook(path)[sheet.title].iter_rows(min_row=2, values_only=True)
            )
            sheet.delete_cols(position)
            if held:
                outcome = "refuse"
            lost = {C.MEMO: ("memo",), "Code 3": (), C.REVIEW: ()}[str(value)]
            for sid_, cells in model.items():
                for name in lost:
                    cells.pop(name, None)
                    if name in as_written.get(sid_, {}):
                        cells[name] = as_written[sid_][name]
            break  # the analyst stops here for this round
        if kind == "merge":
            merges.append(sid)
            continue
        if kind == "copy":
            sheet = ws1 if value == C.SHEET_PHASE1 else ws2
            row = next((r for r in sheet.iter_rows(min_row=2) if r[0].value == sid), None)
            if row is not None and (sheet.title, sid) not in copied:
                cells = [c.value for c in row]
                sheet.insert_rows(row[0].row + 1)
                for column, cell in enumerate(cells, start=1):
                    sheet.cell(row[0].row + 1, column, cell)
                copied.add((sheet.title, sid))
            continue
        if kind == "delete":
            # Excel's "Delete row": this round's edits in the row go with it; the run restores the row
            # as radar last wrote it.
            if (str(value), sid) in copied:
                continue  # its copy would stand in for it
            sheet = ws1 if value == C.SHEET_PHASE1 else ws2
            row = next((r for r in sheet.iter_rows(min_row=2) if r[0].value == sid), None)
            if row is not None:
                sheet.delete_rows(row[0].row)
                lost = ("keep", "own") if value == C.SHEET_PHASE1 else ("memo", "codes")
                cells = model.setdefault(sid, {})
                for name in lost:
                    cells.pop(name, None)
                    if name in as_written.get(sid, {}):
                        cells[name] = as_written[sid][name]
                deleted.add(sid)
            continue
        where = (SHEET_OF[kind], sid)
        if where in copied and where in edited and outcome == "keep":
            outcome = "either"  # both copies now differ from what radar wrote, maybe from each other
        if kind == "keep":
            set_by_id(ws1, sid, C.KEEP, value)
            model.setdefault(sid, {})["keep"] = "yes" if str(value).lower() in ("yes", "y") else "no"
            edited.add(where)
        elif kind == "own":
            set_by_id(ws1, sid, "Mine", value or None)
            model.setdefault(sid, {})["own"] = value
            edited.add(where)
        elif any(r[0].value == sid for r in ws2.iter_rows(min_row=2)):
            edited.add(where)
            if kind == "memo":
                set_by_id(ws2, sid, C.MEMO, value or None)
                model.setdefault(sid, {})["memo"] = value
            else:
                names = list(value)  # type: ignore[call-overload]
                current = next(
                    codes(dict(zip([c.value for c in ws2[1]], [c.value for c in r])))
                    for r in ws2.iter_rows(min_row=2)
                    if r[0].value == sid
                )
                if set(names) != set(current) or "codes" in model.get(sid, {}):
                    model.setdefault(sid, {})["codes"] = names  # a no-op edit is no decision
                set_by_id(ws2, sid, "Code 1", "; ".join(names) or None)
                for extra in ("Code 2", "Code 3"):
                    set_by_id(ws2, sid, extra, None)
    for ws in (ws1, ws2):
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        if reverse:
            rows.reverse()
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append(row)
    header2 = [c.value for c in ws2[1]]
    for sid in merges:  # a segment's Memo cell merged with the one below it
        row = next((r for r in ws2.iter_rows(min_row=2) if r[0].value == sid), None)
        if row is not None and C.MEMO in header2 and row[0].row < ws2.max_row:
            letter = openpyxl.utils.get_column_letter(header2.index(C.MEMO) + 1)
            ws2.merge_cells(f"{letter}{row[0].row}:{letter}{row[0].row + 1}")
            outcome = "refuse"
    book.save(path)
    return outcome


def set_by_id(ws: object, sid: str, column: str, value: object) -> None:
    """Type a value in a segment's row (the first, if the row was copied)."""
    header = [c.value for c in ws[1]]  # type: ignore[index]
    if column not in header:
        ws.cell(row=1, column=len(header) + 1, value=column)  # type: ignore[attr-defined]
        header.append(column)
    for row in ws.iter_rows(min_row=2):  # type: ignore[attr-defined]
        if row[0].value == sid:
            ws.cell(row=row[0].row, column=header.index(column) + 1).value = value  # type: ignore[attr-defined]
            return


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=ROUNDS)
def test_any_edits_survive_reruns(tmp_path_factory: pytest.TempPathFactory, rounds: list) -> None:
    """Every analyst decision survives the next run, or the run is refused and changes nothing.

    Besides cell edits: rows deleted and copied (the copy edited), a column of radar's deleted
    (refused if the last run wrote anything in it) and Memo cells merged (refused).
    """
    import copy

    from tests_support import write_study_copy

    root = write_study_copy(tmp_path_factory.mktemp("prop"))
    study = Study(root)
    study.reduce()
    path = root / TABLES
    model: dict[str, dict[str, object]] = {}
    ids = list(rows_of(path, C.SHEET_PHASE1)[1])
    for number, (edits, reverse) in enumerate(rounds):
        before_round, model_before = path.read_bytes(), copy.deepcopy(model)
        outcome = play(path, edits, reverse, model)
        if number == 1:
            add_keyword(root, "- name: Devices", "phone")  # a codebook change mid-way
        files = files_of(root)
        try:
            study.reduce()
        except WorkbookError:
            assert outcome != "keep", "a run that could keep every decision was refused"
            assert files_of(root) == files  # a refused run changes nothing
            path.write_bytes(before_round)  # the analyst undoes the round
            model.clear()
            model.update(model_before)
            continue
        assert outcome != "refuse", "the run should have been refused"
        _, p1 = rows_of(path, C.SHEET_PHASE1)
        _, p2 = rows_of(path, C.SHEET_PHASE2)
        assert sorted(p1) == sorted(ids)  # deleted rows come back under their IDs; no ID is new
        assert len(list(openpyxl.load_workbook(path)[C.SHEET_PHASE1].iter_rows(min_row=2))) == len(ids)
        for sid, expected in model.items():
            if "keep" in expected:
                assert p1[sid][C.KEEP] == expected["keep"]
            if "own" in expected:
                assert (p1[sid].get("Mine") or "") == expected["own"]
            kept = p1[sid][C.KEEP] == "yes"
            if kept and "codes" in expected:
                assert codes(p2[sid]) == expected["codes"]
            if kept and "memo" in expected:
                assert (p2[sid][C.MEMO] or "") == expected["memo"]


# Deleting a row in Excel loses nothing (issue 12 items 1 and 5) -----------------------


def delete_row(path: Path, title: str, sid: str) -> None:
    """Delete a segment's row from a sheet, as Excel's "Delete row" does (the rows below move up)."""
    book = openpyxl.load_workbook(path)
    ws = book[title]
    number = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == sid)
    ws.delete_rows(number)
    book.save(path)


def test_a_deleted_row_comes_back_under_its_id_with_all_its_work(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    _, before = rows_of(path, C.SHEET_PHASE1)
    book = openpyxl.load_workbook(path)
    set_by_id(book[C.SHEET_PHASE1], "fg1-002", "Mine", "a note of mine")  # an own column
    book.save(path)
    edit(path, C.SHEET_PHASE2, "fg1-002", Memo="ancient laptops")
    Study(study_dir).reduce()
    delete_row(path, C.SHEET_PHASE1, "fg1-002")  # a row with work
    delete_row(path, C.SHEET_PHASE1, "fg1-008")  # a row without any
    with pytest.warns(RadarWarning) as caught:
        Study(study_dir).reduce()
    _, after = rows_of(path, C.SHEET_PHASE1)
    assert list(after) == list(before)  # the same 11 IDs in the same order, none new
    assert after["fg1-002"]["Mine"] == "a note of mine"
    assert rows_of(path, C.SHEET_PHASE2)[1]["fg1-002"][C.MEMO] == "ancient laptops"
    said = [str(w.message) for w in caught]
    assert (
        "2 rows were deleted from '1 All data' and are restored with their work (fg1-002, fg1-008); "
        "set Keep = no to drop a turn"
    ) in said
    log = [
        row
        for row in openpyxl.load_workbook(path)[C.SHEET_LOG].iter_rows(values_only=True)
        if row[0] == "Note"
    ]
    assert any("deleted from '1 All data'" in str(row[2]) for row in log)


def test_a_deleted_row_keeps_the_analysts_keep_decision(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    edit(path, C.SHEET_PHASE1, "fg1-006", Keep="no", Reason="off topic")
    Study(study_dir).reduce()
    delete_row(path, C.SHEET_PHASE1, "fg1-006")
    Study(study_dir).reduce()
    _, after = rows_of(path, C.SHEET_PHASE1)
    assert (after["fg1-006"][C.KEEP], after["fg1-006"][C.REASON]) == ("no", "off topic")


def test_a_row_deleted_from_the_relevant_sheet_comes_back_with_its_codes(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    edit(path, C.SHEET_PHASE2, "fg1-003", Code_1="Devices", Memo="hotspot on a phone")
    Study(study_dir).reduce()
    delete_row(path, C.SHEET_PHASE2, "fg1-003")
    with pytest.warns(RadarWarning, match=r"row fg1-003 was deleted from '2 Relevant' and is restored"):
        Study(study_dir).reduce()
    row = rows_of(path, C.SHEET_PHASE2)[1]["fg1-003"]
    assert (codes(row), row[C.MEMO]) == (["Devices"], "hotspot on a phone")


def test_new_turns_never_take_the_number_of_a_deleted_row(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    delete_row(path, C.SHEET_PHASE1, "fg2-002")
    (study_dir / "transcripts" / "fg2.txt").write_text(
        (study_dir / "transcripts" / "fg2.txt").read_text(encoding="utf-8") + "P3: A new turn at the end.\n",
        encoding="utf-8",
    )
    Study(study_dir).reduce()
    _, after = rows_of(path, C.SHEET_PHASE1)
    assert after["fg2-002"][C.TEXT] == "My tablet works fine, but burnout is real."
    assert after["fg2-004"][C.TEXT] == "A new turn at the end."
    assert len(after) == 12


def test_changing_the_masking_flags_no_unchanged_turn_for_review(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    (study_dir / "radar.toml").write_text(
        '[deidentify]\nner = false\nnames = ["Honestly"]\n', encoding="utf-8"
    )
    Study(study_dir).reduce()
    _, after = rows_of(path, C.SHEET_PHASE1)
    assert str(after["fg1-007"][C.TEXT]).startswith("[name 1] I am")  # the masking did change the text...
    assert [sid for sid, row in after.items() if row[C.REVIEW]] == []  # ...but not the transcript
    fg1 = study_dir / "transcripts" / "fg1.txt"
    fg1.write_text(fg1.read_text(encoding="utf-8").replace("ancient", "very old"), encoding="utf-8")
    Study(study_dir).reduce()
    _, edited = rows_of(path, C.SHEET_PHASE1)
    assert [sid for sid, row in edited.items() if row[C.REVIEW]] == ["fg1-002"]


def test_diff_names_a_deleted_row_before_the_next_run(study_dir: Path) -> None:
    Study(study_dir).reduce()
    delete_row(study_dir / TABLES, C.SHEET_PHASE1, "fg1-003")
    result = CliRunner().invoke(main, ["diff", str(study_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "1 row(s) deleted from '1 All data': fg1-003; the next `radar reduce` restores them with their work "
        "(set Keep = no to drop a turn)"
    )


def test_a_drop_without_a_reason_gets_a_note_and_reduce_counts_the_kept_changes(study_dir: Path) -> None:
    path = study_dir / TABLES
    Study(study_dir).reduce()
    edit(path, C.SHEET_PHASE1, "fg1-003", Keep="no", Reason=None)
    edit(path, C.SHEET_PHASE2, "fg1-002", Memo="old laptop")
    result = CliRunner().invoke(main, ["reduce", str(study_dir)])
    assert result.exit_code == 0, result.output
    assert (
        "Warning: 1 row(s) set Keep = no without a Reason (fg1-003): give each a reason in '1 All data' "
        "(the report and the flow diagram count dropped turns by reason)"
    ) in result.stderr.splitlines()
    assert "Kept your 2 change(s) to the tables since the last run (`radar diff` lists them)" in result.stdout


def test_front_matter_is_one_note_for_all_transcripts(study_dir: Path) -> None:
    (study_dir / "transcripts" / "fg3.txt").write_text(
        "Focus group 3\n\nModerator: Hello?\nP1: Hi there.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["reduce", str(study_dir)])
    notes = [line for line in result.stderr.splitlines() if "front matter" in line]
    assert notes == [
        "Note: fg1.txt (2), fg3.txt (1): the line(s) before the first speaker were read as front matter, "
        "not turns (lines per transcript in brackets; `radar read` shows them)"
    ]
