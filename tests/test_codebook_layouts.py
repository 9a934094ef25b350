"""Codebooks as analysts write them: keywords separated by commas, a theme written once, a title row.

Each file is written as a person would make it: a YAML file typed by hand, a CSV typed in a text
editor, a workbook laid out in Excel (openpyxl), with a title above the header, the Theme written on
the first row of each theme only (blank or merged cells below it), and columns left out. Expected
keywords, themes, rows and notes are worked out from those files by hand.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from workbook_helpers import rows_of

from radar import columns as C
from radar.cli import main
from radar.codebook import (
    Code,
    Codebook,
    Theme,
    describe_codebook,
    load_codebook,
    read_codebook_file,
    renamed_codebook_bytes,
    split_keywords,
)
from radar.errors import CodebookError, RadarWarning

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Theme", "Code", "Definition", "Include", "Exclude", "Example", "Keywords"]
THREE = ("hotspot", "data plan", "mobile data")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merged: Sequence[str] = ()) -> Path:
    """Rows typed into a sheet named Codebook, with the given ranges merged (as Excel's Merge Cells)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Codebook"
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------ keywords


def test_split_keywords_on_commas_semicolons_and_line_breaks() -> None:
    assert split_keywords("hotspot, data plan;mobile data\r\nHotspot ,, ") == THREE


@pytest.mark.parametrize(
    "line",
    [
        'keywords: ["hotspot, data plan, mobile data"]',
        'keywords: "hotspot, data plan; mobile data"',
        "keywords: hotspot, data plan, mobile data",
        'keywords: [hotspot, "data plan; mobile data"]',
    ],
    ids=["one list item", "one string", "plain text", "a list item with a semicolon"],
)
def test_yaml_keywords_separated_by_commas_or_semicolons(tmp_path: Path, line: str) -> None:
    path = write_text(
        tmp_path / "codebook.yaml",
        f"themes:\n  - name: Access\n    codes:\n      - name: Data plans\n        {line}\n",
    )
    assert load_codebook(path).code("Data plans").keywords == THREE


def test_xlsx_keywords_cells_with_commas_semicolons_or_one_per_line(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [
            HEADER,
            ["Access", "Data plans", "", "", "", "", "hotspot, data plan, mobile data"],
            ["Access", "Devices", "", "", "", "", "laptop; tablet; phone"],
            ["Privacy", "Passwords", "", "", "", "", "password\ntwo-factor\nscreen lock"],  # Alt+Enter
        ],
    )
    book = load_codebook(path)
    assert book.code("Data plans").keywords == THREE
    assert book.code("Devices").keywords == ("laptop", "tablet", "phone")
    assert book.code("Passwords").keywords == ("password", "two-factor", "screen lock")


def test_csv_keywords_cells_with_commas_or_one_per_line(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.csv",
        "Theme,Code,Definition,Include,Exclude,Example,Keywords\n"
        'Access,Data plans,Paying for mobile data.,,,,"hotspot, data plan, mobile data"\n'
        'Access,Devices,,,,,"laptop\ntablet\nphone"\n',
    )
    book = load_codebook(path)
    assert book.code("Data plans").keywords == THREE
    assert book.code("Devices").keywords == ("laptop", "tablet", "phone")


def test_convert_writes_comma_separated_keywords_as_separate_keywords(tmp_path: Path) -> None:
    source = write_text(
        tmp_path / "codebook.csv",
        'Theme,Code,Definition,Include,Exclude,Example,Keywords\nAccess,Data plans,,,,,"hotspot, data plan, mobile data"\n',
    )
    target = tmp_path / "codebook.yaml"
    result = run("codebook", "convert", source, target)
    assert result.exit_code == 0, result.output
    assert "        keywords: [hotspot, data plan, mobile data]\n" in target.read_text(encoding="utf-8")
    back = tmp_path / "back.csv"
    assert run("codebook", "convert", target, back).exit_code == 0
    assert load_codebook(back).code("Data plans").keywords == THREE


# ------------------------------------------------------------------------ radar codebook check


def test_check_counts_comma_separated_keywords(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.csv",
        "Theme,Code,Definition,Include,Exclude,Example,Keywords\n"
        'Access,Data plans,,,,,"hotspot, data plan, mobile data"\n'
        'Access,Devices,,,,,"laptop, tablet"\n',
    )
    result = run("codebook", "check", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"File: {path}",
        "1 theme, 2 codes, 5 keywords",
        "  Access: 2 codes",
        "No warnings.",
    ]


def test_check_lists_the_codes_without_keywords_in_one_warning(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.yaml",
        "themes:\n"
        "  - name: Access\n"
        "    codes:\n"
        "      - name: Data plans\n"
        "        keywords: [hotspot]\n"
        "      - name: Loaner devices\n"
        "      - name: Library computers\n"
        "        keywords: []\n"
        "      - name: Public wifi\n"
        '        keywords: ""\n',
    )
    result = run("codebook", "check", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        "1 warning:",
        "  - 3 codes have no keywords, so radar will never suggest them: "
        "'Loaner devices', 'Library computers', 'Public wifi'.",
    ]


def test_describe_lists_the_notes_on_reading_before_the_warnings() -> None:
    book = Codebook(themes=(Theme("Access", codes=(Code("Devices", "Access", keywords=("laptop",)),)),))
    assert describe_codebook(book, ["book.csv: a note."]).splitlines() == [
        "1 theme, 1 code, 1 keyword",
        "  Access: 1 code",
        "1 note on reading the file:",
        "  - book.csv: a note.",
        "No warnings.",
    ]


# ------------------------------------------------------------------------ a theme written once

ACCESS = Theme(
    "Access",
    definition="Getting and staying online.",
    codes=(
        Code("Data plans", "Access", keywords=("hotspot", "data plan")),
        Code("Devices", "Access", keywords=("laptop",)),
    ),
)
PRIVACY = Theme(
    "Privacy",
    codes=(
        Code("Passwords", "Privacy", keywords=("password",)),
        Code("Screen locks", "Privacy", keywords=("screen lock",)),
    ),
)


def test_theme_written_on_the_first_row_only_is_filled_down(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [
            HEADER,
            ["Access", None, "Getting and staying online."],
            [None, "Data plans", None, None, None, None, "hotspot, data plan"],
            [None, "Devices", None, None, None, None, "laptop"],
            ["Privacy", "Passwords", None, None, None, None, "password"],
            [None, "Screen locks", None, None, None, None, "screen lock"],
        ],
    )
    book, notes = read_codebook_file(path)
    assert book.themes == (ACCESS, PRIVACY)
    assert notes == [
        f"{path}, sheet 'Codebook': Theme filled down from the row above for 3 codes "
        "whose Theme cell is empty (rows 3-4, 6)."
    ]


def test_merged_theme_cells_are_filled_down_with_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [
            HEADER,
            ["Access", "Data plans", "", "", "", "", "hotspot; data plan"],
            [None, "Devices", "", "", "", "", "laptop"],
            ["Privacy", "Passwords", "", "", "", "", "password"],
            [None, "Screen locks", "", "", "", "", "screen lock"],
        ],
        merged=["A2:A3", "A4:A5"],
    )
    with pytest.warns(RadarWarning) as caught:
        book = load_codebook(path)
    assert [theme.name for theme in book.themes] == ["Access", "Privacy"]
    assert [code.theme for code in book.codes] == ["Access", "Access", "Privacy", "Privacy"]
    assert [str(warning.message) for warning in caught] == [
        f"{path}, sheet 'Codebook': Theme filled down from the row above for 2 codes "
        "whose Theme cell is empty (rows 3, 5)."
    ]


def test_first_code_without_a_theme_is_still_an_error(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [HEADER, [None, "Data plans", "", "", "", "", "hotspot"], ["Access", "Devices"]],
    )
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == (
        f"{path}, sheet 'Codebook', row 2: the code 'Data plans' has no theme, and no row above it "
        "names one; fill in its Theme cell."
    )
    assert (caught.value.path, caught.value.sheet, caught.value.row) == (str(path), "Codebook", 2)


# ------------------------------------------------------------------------ a title above the header


def test_title_and_blank_row_above_the_header(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [
            ["Connectivity study codebook, draft 2"],
            [],
            HEADER,
            ["Access", "", "Getting and staying online."],
            ["Access", "Data plans", "", "", "", "", "hotspot, data plan"],
            ["Access", "Devices", "", "", "", "", "laptop"],
        ],
    )
    book, notes = read_codebook_file(path)
    assert book.title == "Connectivity study codebook, draft 2"
    assert book.themes == (ACCESS,)
    assert notes == [
        f"{path}, sheet 'Codebook': the header is in row 3; row 1 above it is read as the codebook's "
        "title ('Connectivity study codebook, draft 2')."
    ]


def test_every_row_above_the_header_is_named(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [["Connectivity codebook"], ["Version 2", "March"], [], HEADER, ["Access", "Devices"]],
    )
    book, notes = read_codebook_file(path)
    assert book.title == "Connectivity codebook"
    assert notes == [
        f"{path}, sheet 'Codebook': the header is in row 4; row 1 above it is read as the codebook's "
        "title ('Connectivity codebook'); row 2 ('Version 2 March') is not read."
    ]


def test_csv_with_a_title_line_and_semicolons(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.csv",
        "Codebook: connectivity\n"
        "Theme;Code;Definition;Include;Exclude;Example;Keywords\n"
        "Access;Data plans;;;;;hotspot, data plan\n",
    )
    book, notes = read_codebook_file(path)
    assert book.title == "Codebook: connectivity"
    assert book.code("Data plans").keywords == ("hotspot", "data plan")
    assert notes == [
        f"{path}: the header is in row 2; row 1 above it is read as the codebook's title "
        "('Codebook: connectivity')."
    ]


def test_no_header_row_is_an_error_naming_the_first_row(tmp_path: Path) -> None:
    path = write_text(tmp_path / "codebook.csv", "Themes,Codes\nAccess,Data plans\n")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == (
        f"{path}: no row names the columns Theme and Code (the first row, row 1, holds 'Themes', "
        "'Codes'); write a header row with at least those two columns (and any of Definition, "
        "Include, Exclude, Example, Keywords), then one row per code."
    )


# ------------------------------------------------------------------------ columns left out


def test_only_theme_and_code_columns(tmp_path: Path) -> None:
    path = write_text(tmp_path / "codebook.csv", "Theme,Code\nAccess,Data plans\nAccess,Devices\n")
    book, notes = read_codebook_file(path)
    assert book.themes == (Theme("Access", codes=(Code("Data plans", "Access"), Code("Devices", "Access"))),)
    assert notes == [
        f"{path}, row 1: the header has no 'Definition', 'Include', 'Exclude', 'Example' or "
        "'Keywords' columns, so those are left empty for every code."
    ]


def test_a_column_left_out_names_the_columns_radar_does_not_read(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [[*HEADER[:-1], "Keyword", "Notes"], ["Access", "Data plans", "", "", "", "", "hotspot", "ask Sam"]],
    )
    book, notes = read_codebook_file(path)
    assert book.code("Data plans").keywords == ()
    assert notes == [
        f"{path}, sheet 'Codebook', row 1: the header has no 'Keywords' column, so it is left empty "
        "for every code; radar does not read its columns 'Keyword' and 'Notes'."
    ]


# ------------------------------------------------------------------------ renaming a code in such a file


def test_rename_in_a_workbook_with_a_title_and_themes_written_once(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "codebook.xlsx",
        [
            ["Connectivity codebook"],
            [],
            HEADER,
            ["Access", "Data plans", "", "", "", "", "hotspot"],
            [None, "Devices", "", "", "", "", "laptop"],
        ],
    )
    renamed = tmp_path / "renamed.xlsx"
    with pytest.warns(RadarWarning):  # the notes on reading the file, as load_codebook gives them
        renamed.write_bytes(renamed_codebook_bytes(path, "Devices", "Hardware"))
    assert rows_of(renamed, "Codebook") == [
        ("Connectivity codebook", None, None, None, None, None, None),
        (None, None, None, None, None, None, None),
        tuple(HEADER),
        ("Access", "Data plans", None, None, None, None, "hotspot"),
        (None, "Hardware", None, None, None, None, "laptop"),
    ]


def test_rename_in_a_csv_with_a_title_line_and_semicolons(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.csv",
        "Connectivity codebook\nTheme;Code;Keywords\nAccess;Data plans;hotspot, data plan\n;Devices;laptop\n",
    )
    with pytest.warns(RadarWarning):
        data = renamed_codebook_bytes(path, "devices", "Hardware")
    assert data.decode("utf-8") == (
        "Connectivity codebook\nTheme;Code;Keywords\nAccess;Data plans;hotspot, data plan\n;Hardware;laptop\n"
    )


# ------------------------------------------------------------------------ the README's example


def _readme_table() -> list[list[str]]:
    """The cells of the README's spreadsheet-codebook table (the one whose header starts with Theme)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.search(r"^ *\| Theme \| Code \|.*\n(?: *\|.*\n)+", text, re.MULTILINE)
    assert lines is not None, "README.md has no table starting | Theme | Code |"
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[0].splitlines()]
    return [row for row in rows if not set("".join(row)) <= {"-", ":"}]


def test_the_readme_spreadsheet_example_reads_as_it_says(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(_readme_table())
    book, notes = read_codebook_file(path)
    access = book.themes[0]
    assert access.name == "Access"
    assert access.definition == "Getting online and staying online."
    assert [(code.name, code.theme, code.keywords) for code in access.codes] == [
        ("Devices", "Access", ("laptop", "tablet")),
        ("Data plans", "Access", ("hotspot", "data plan", "mobile data")),
    ]
    assert any("Theme filled down from the row above for 2 codes" in note for note in notes)


# ------------------------------------------------------------------------ radar reduce

# The standard study's codebook (conftest.CODEBOOK_YAML) as an analyst lays it out in a spreadsheet:
# each theme written once, keywords separated by commas, no Include, Exclude or Example columns.
CODEBOOK_CSV = """\
Theme,Code,Definition,Keywords
Access,,Getting online.,
,Devices,"Phones, tablets, laptops.","laptop, tablet"
,Data plans,,"data plan, hotspot"
Privacy,Passwords,,password
Self-care,Burnout,,"burnout, exhausted"
"""


def test_reduce_suggests_codes_from_a_spreadsheet_codebook_as_analysts_write_it(study_dir: Path) -> None:
    (study_dir / "codebook.yaml").unlink()
    codebook = write_text(study_dir / "codebook.csv", CODEBOOK_CSV)
    result = run("reduce", study_dir, "--quiet")
    assert result.exit_code == 0, result.output
    assert (
        f"Warning: {codebook}: Theme filled down from the row above for 2 codes whose Theme cell is "
        "empty (rows 3-4)." in result.stderr.splitlines()
    )
    rows = rows_of(study_dir / "radar-tables.xlsx", C.SHEET_PHASE2)
    header = [str(cell) for cell in rows[0]]
    columns = [i for i, name in enumerate(header) if C.is_code_column(name)]
    coded = [(row[0], row[i]) for row in rows[1:] for i in columns if row[i]]
    # the same suggestions as with the YAML codebook (see test_commands.py): a keyword per code found
    assert coded == [
        ("fg1-002", "Devices"),
        ("fg1-003", "Data plans"),
        ("fg1-006", "Passwords"),
        ("fg1-007", "Burnout"),
        ("fg2-002", "Devices"),
        ("fg2-002", "Burnout"),
        ("fg2-003", "Passwords"),
    ]
