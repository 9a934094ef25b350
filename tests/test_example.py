"""The shipped example reproduces the published supervision table from its transcripts.

The published table is kept in tests/files/reference (see its README), so these run in any clone.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import EXAMPLE

from radar.cli import main


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example study, reduced once."""
    root = tmp_path_factory.mktemp("example") / "digital-peer-support"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("radar-tables.xlsx", ".radar"))
    result = CliRunner().invoke(main, ["reduce", str(root)])
    assert result.exit_code == 0, result.output
    return root


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_reduce_then_tally_reproduces_the_published_table(example: Path, reference: Path) -> None:
    published = read_csv((reference / "supervision-themes.csv").read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["tally", str(example), "--format", "csv"])
    assert result.exit_code == 0, result.output
    ours = read_csv(result.stdout)
    assert [(r["theme"], r["n"], r["N"], r["percent"], r["label"]) for r in ours] == [
        (r["theme"], r["n"], r["N"], r["percent"], r["label"]) for r in published
    ]


def test_the_example_has_four_groups_and_59_participants(example: Path) -> None:
    result = CliRunner().invoke(main, ["tally", str(example), "--unit", "groups", "--format", "csv"])
    assert {r["N"] for r in read_csv(result.stdout)} == {"4"}
    result = CliRunner().invoke(main, ["tally", str(example), "--unit", "participants", "--format", "csv"])
    assert {r["N"] for r in read_csv(result.stdout)} == {"59"}


def test_the_example_uses_at_least_three_transcript_shapes() -> None:
    from radar.transcripts import read_transcript

    shapes = {read_transcript(p).format for p in sorted((EXAMPLE / "transcripts").iterdir())}
    assert len(shapes) >= 3, shapes


def test_the_example_codebook_is_the_shipped_one() -> None:
    shipped = EXAMPLE.parents[1] / "codebooks" / "digital-peer-support-supervision.yaml"
    assert (EXAMPLE / "codebook.yaml").read_bytes() == shipped.read_bytes()


def test_the_codebook_has_51_codes_in_the_published_themes(reference: Path) -> None:
    from radar.codebook import load_codebook

    book = load_codebook(EXAMPLE / "codebook.yaml")
    published = [
        r["theme"] for r in read_csv((reference / "supervision-themes.csv").read_text(encoding="utf-8"))
    ]
    assert sorted(t.name for t in book.themes) == sorted(published)
    assert len(book.codes) == 51


def test_the_report_table_equals_the_published_table(example: Path, reference: Path, tmp_path: Path) -> None:
    import docx

    published = read_csv((reference / "supervision-themes.csv").read_text(encoding="utf-8"))
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["report", str(example), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = docx.Document(str(out)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows][1:]
    assert [(r[0], r[3]) for r in rows] == [(p["theme"], p["label"]) for p in published]


def test_integer_percent_prints_as_the_paper_did(example: Path) -> None:
    result = CliRunner().invoke(main, ["tally", str(example), "--percent", "integer"])
    assert "6/197, 3%" in result.stdout and "43/197, 22%" in result.stdout


@pytest.mark.parametrize("name", ["supervision-themes.csv", "refi-qda/Project.xsd"])
def test_the_repository_copies_of_reference_files_are_the_shared_ones(
    name: str, reference: Path, shared_reference: Path
) -> None:
    assert (reference / name).read_bytes() == (shared_reference / name).read_bytes()
