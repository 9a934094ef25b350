"""Hostile input, the rest (issue 19 items 6 and 8): Markdown that runs nothing, YAML keys given twice.

A theme named ``<script>…</script>``, a code whose definition holds a ``javascript:`` link and a
quote with an ``<img onerror=…>`` tag must come out of the Markdown tally and the Markdown report
as text a reader sees as written, never as HTML a viewer runs or a link it follows. A YAML codebook
that gives a key twice (PyYAML keeps the last without a word) is refused, naming the line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import assert_one_error, ok, run
from conftest import CODEBOOK_YAML

SCRIPT = "<script>alert(1)</script>"
LINK = "[see](javascript:alert(2))"
IMAGE = "<img src=x onerror=alert(3)>"

HOSTILE_CODEBOOK = CODEBOOK_YAML.replace("name: Access", f'name: "Access {SCRIPT}"').replace(
    "definition: Phones, tablets, laptops.", f'definition: "Phones {LINK}"'
)
# What a Markdown viewer would act on: an HTML tag, or a link or image (an unescaped ``](``) whose
# target is javascript:. A backslash-escaped ``\]`` is shown as a bracket, not read as a link.
RUNNABLE = re.compile(r"<\s*(script|img)|(?<!\\)\]\(\s*javascript:", re.IGNORECASE)


@pytest.fixture
def hostile(study_dir: Path) -> Path:
    (study_dir / "codebook.yaml").write_text(HOSTILE_CODEBOOK, encoding="utf-8")
    fg1 = study_dir / "transcripts" / "fg1.txt"
    text = fg1.read_text(encoding="utf-8").replace(
        "P1: My laptop is ancient", f"P1: My laptop {IMAGE} is ancient"
    )
    fg1.write_text(text, encoding="utf-8")
    ok(run("reduce", study_dir))
    return study_dir


def test_the_markdown_tally_shows_html_and_links_as_text(hostile: Path) -> None:
    for unit in ("excerpts", "participants"):
        shown = "\n".join(ok(run("tally", hostile, "--format", "md", "--unit", unit)))
        assert not RUNNABLE.search(shown), shown
        assert "Access &lt;script&gt;alert(1)&lt;/script&gt;" in shown  # still readable


def test_the_markdown_tally_by_code_escapes_the_theme(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "tally.md"
    ok(run("tally", hostile, "--by", "code", "--out", out))
    assert not RUNNABLE.search(out.read_text(encoding="utf-8"))


def test_the_markdown_report_shows_html_and_links_as_text(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    ok(run("report", hostile, "--out", out))
    text = out.read_text(encoding="utf-8")
    assert "alert(1)" in text  # the theme is in the report ...
    assert not RUNNABLE.search(text), [line for line in text.splitlines() if RUNNABLE.search(line)]


def test_a_yaml_codebook_giving_a_key_twice_is_refused_naming_the_line(study_dir: Path) -> None:
    twice = CODEBOOK_YAML.replace(
        "        definition: Phones, tablets, laptops.\n",
        "        definition: Phones, tablets, laptops.\n        definition: Only phones.\n",
    )
    (study_dir / "codebook.yaml").write_text(twice, encoding="utf-8")
    before = sorted(p.name for p in study_dir.rglob("*"))
    line = assert_one_error(run("reduce", study_dir), "codebook.yaml", "line 8", "'definition'", "line 7")
    assert "second time" in line
    assert sorted(p.name for p in study_dir.rglob("*")) == before


def test_a_second_themes_list_is_refused_not_merged(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        CODEBOOK_YAML + "themes:\n  - name: Other\n    codes:\n      - name: X\n", encoding="utf-8"
    )
    assert_one_error(run("codebook", "check", path), "codebook.yaml", "line 19", "'themes'", "line 2")


def test_the_same_code_name_twice_in_a_list_is_not_a_duplicate_key(tmp_path: Path) -> None:
    """Two list items each with ``name:`` are two mappings, not one key given twice."""
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    ok(run("codebook", "check", path))
