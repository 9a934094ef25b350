"""Tests for radar.codebook: loading, checking and describing codebooks."""

from __future__ import annotations

import csv
import pickle
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.codebook import (
    Code,
    Codebook,
    Theme,
    codebook_warnings,
    describe_codebook,
    find_codebook,
    load_codebook,
)
from radar.columns import CODEBOOK_COLUMNS
from radar.errors import CodebookError, StudyError
from radar.safety import unsafe_cell

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebooks" / "digital-peer-support-supervision.yaml"
REFERENCE_THEMES = ROOT / "tests" / "files" / "reference" / "supervision-themes.csv"
HEADER = ["Theme", "Code", "Definition", "Include", "Exclude", "Example", "Keywords"]

# Words that occur in nearly any talk about digital peer support supervision: as
# keywords they would suggest codes everywhere.
PERVASIVE = {
    "peer", "support", "supervisor", "supervision", "digital", "online", "training",
    "work", "people", "help", "client", "session", "time", "need", "think", "feel",
}  # fmt: skip


# ------------------------------------------------------------------------ helpers


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Sheet1") -> Path:
    """Write rows to the first sheet of a new workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    return str(caught.value)


def words(keyword: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+|[^\w\s]", keyword.lower()))


def contains(phrase: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(phrase[i : i + len(part)] == part for i in range(len(phrase) - len(part) + 1))


SMALL_ROWS: list[list[object]] = [
    [*HEADER],
    ["Access", "", "Getting online.", "", "", "", ""],
    [
        "Access",
        "Devices",
        "Phones and laptops.",
        "Loaners",
        "Data",
        "My laptop died.",
        "laptop; tablet",
    ],
    [None, None, None, None, None, None, None],
    ["Privacy", "Passwords", "", "", "", "", "password;  two-factor ;"],
    ["Access", "Data plans", "", "", "", "", "data plan"],
    ["Crisis", "Emergency", "", "", "", "", 988],
]

SMALL = Codebook(
    themes=(
        Theme(
            "Access",
            definition="Getting online.",
            codes=(
                Code(
                    "Devices",
                    "Access",
                    definition="Phones and laptops.",
                    include="Loaners",
                    exclude="Data",
                    example="My laptop died.",
                    keywords=("laptop", "tablet"),
                ),
                Code("Data plans", "Access", keywords=("data plan",)),
            ),
        ),
        Theme("Privacy", codes=(Code("Passwords", "Privacy", keywords=("password", "two-factor")),)),
        Theme("Crisis", codes=(Code("Emergency", "Crisis", keywords=("988",)),)),
    )
)


# --------------------------------------------------------------- shipped codebook


@pytest.fixture(scope="module")
def shipped() -> Codebook:
    return load_codebook(SHIPPED)


def test_shipped_codebook_has_eleven_themes_and_fifty_one_codes(shipped: Codebook) -> None:
    assert [len(theme.codes) for theme in shipped.themes] == [8, 7, 6, 5, 5, 5, 5, 3, 3, 2, 2]
    assert len(shipped.codes) == 51
    assert shipped.title == "Digital peer support supervision standards"
    assert shipped.path == SHIPPED


def test_shipped_theme_names_are_the_published_ones(shipped: Codebook) -> None:
    with REFERENCE_THEMES.open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["rank"]))
    assert [theme.name for theme in shipped.themes] == [row["theme"] for row in rows]


def test_shipped_theme_names_written_out(shipped: Codebook) -> None:
    assert shipped.themes[0].name == "Education on technology competency"
    assert shipped.themes[1].name == (
        "Education on privacy, security, and confidentiality in digital devices and platforms"
    )
    assert shipped.themes[-1].name == "Feedback"


def test_shipped_source_cites_the_paper_and_says_what_is_synthetic(shipped: Codebook) -> None:
    assert "Collins-Pisano" in shipped.source
    assert "JMIR Human Factors 2023;10:e40607" in shipped.source
    assert "synthetic" in shipped.source


def test_shipped_entries_are_complete(shipped: Codebook) -> None:
    for theme in shipped.themes:
        assert theme.definition, theme.name
    for code in shipped.codes:
        assert code.definition and code.include and code.exclude and code.example, code.name
        assert 3 <= len(code.keywords) <= 6, code.name


def test_shipped_keywords_are_not_shared_between_codes(shipped: Codebook) -> None:
    sets = {code.name: {keyword.lower() for keyword in code.keywords} for code in shipped.codes}
    names = list(sets)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not sets[first] & sets[second], (first, second)


def test_no_shipped_keyword_is_inside_another_codes_keyword(shipped: Codebook) -> None:
    owned = [(code.name, words(keyword)) for code in shipped.codes for keyword in code.keywords]
    for name, part in owned:
        for other, phrase in owned:
            if other != name:
                assert not contains(phrase, part), (name, part, other, phrase)


def test_shipped_keywords_avoid_pervasive_words(shipped: Codebook) -> None:
    for code in shipped.codes:
        for keyword in code.keywords:
            assert not set(words(keyword)) & PERVASIVE, (code.name, keyword)


def test_shipped_keyword_lemmas_are_not_shared_or_nested(shipped: Codebook) -> None:
    pytest.importorskip("spacy")
    pytest.importorskip("spacy_lookups_data")
    from radar.suggest import english_pipeline

    nlp = english_pipeline()
    owned = []
    for code in shipped.codes:
        for keyword in code.keywords:
            doc = nlp(keyword.lower())
            owned.append((code.name, tuple(token.lemma_ for token in doc)))
            owned.append((code.name, tuple(token.text for token in doc)))
    for name, part in owned:
        for other, phrase in owned:
            if other != name:
                assert not contains(phrase, part), (name, part, other, phrase)


def test_each_shipped_example_suggests_exactly_its_own_code(shipped: Codebook) -> None:
    pytest.importorskip("spacy")
    pytest.importorskip("spacy_lookups_data")
    from radar.suggest import KeywordMatcher

    matcher = KeywordMatcher(shipped)
    for code in shipped.codes:
        assert matcher.codes_in(code.example) == (code.name,), code.example


def test_shipped_codebook_has_no_warnings(shipped: Codebook) -> None:
    assert codebook_warnings(shipped) == []


# ------------------------------------------------------------------- the object


def test_codes_and_names_in_theme_order() -> None:
    assert SMALL.code_names == ("Devices", "Data plans", "Passwords", "Emergency")
    assert [code.theme for code in SMALL.codes] == ["Access", "Access", "Privacy", "Crisis"]


def test_code_and_theme_of() -> None:
    assert SMALL.code("Passwords").keywords == ("password", "two-factor")
    assert SMALL.theme_of("Data plans") == "Access"
    with pytest.raises(KeyError, match="no code named 'passwords'"):
        SMALL.code("passwords")
    with pytest.raises(KeyError):
        SMALL.theme_of("Nothing")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Data plans", "Data plans"),
        ("data PLANS", "Data plans"),
        ("  Data \t plans ", "Data plans"),
        ("Data plan", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_resolve(cell: object, expected: str | None) -> None:
    assert SMALL.resolve(cell) == expected


def test_closest_offers_near_names() -> None:
    assert SMALL.closest("Pasword") == ["Passwords"]
    assert SMALL.closest("data plan") == ["Data plans"]
    assert SMALL.closest("zzz") == []


def test_path_does_not_take_part_in_equality() -> None:
    assert replace(SMALL, path=Path("/a/codebook.csv")) == SMALL


def test_codebook_pickles_after_lookups() -> None:
    SMALL.resolve("devices")
    assert pickle.loads(pickle.dumps(SMALL)) == SMALL


def test_to_frame_one_row_per_code() -> None:
    frame = SMALL.to_frame()
    assert list(frame.columns) == list(CODEBOOK_COLUMNS)
    assert list(frame["Code"]) == ["Devices", "Data plans", "Passwords", "Emergency"]
    assert frame.loc[0, "Keywords"] == "laptop; tablet"
    assert frame.loc[0, "Example"] == "My laptop died."


def test_to_frame_with_theme_definitions() -> None:
    frame = SMALL.to_frame(theme_definitions=True)
    assert list(frame["Code"]) == ["", "Devices", "Data plans", "Passwords", "Emergency"]
    assert list(frame.iloc[0]) == ["Access", "", "Getting online.", "", "", "", ""]


def test_shipped_round_trip_through_xlsx(shipped: Codebook, tmp_path: Path) -> None:
    path = tmp_path / "codebook.xlsx"
    shipped.to_frame(theme_definitions=True).to_excel(path, index=False)
    assert load_codebook(path) == replace(shipped, title="", source="")


def test_round_trip_without_theme_definitions_keeps_codes(tmp_path: Path) -> None:
    path = tmp_path / "codebook.xlsx"
    SMALL.to_frame().to_excel(path, index=False)
    loaded = load_codebook(path)
    assert loaded.codes == SMALL.codes
    assert loaded.themes[0].definition == ""


# ---------------------------------------------------------------- spreadsheets


def test_load_xlsx(tmp_path: Path) -> None:
    loaded = load_codebook(write_xlsx(tmp_path / "codebook.xlsx", SMALL_ROWS))
    assert loaded == SMALL
    assert loaded.path == tmp_path / "codebook.xlsx"
    assert loaded.title == ""


def test_load_xlsx_prefers_a_codebook_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Segment ID", "Text"])
    sheet = workbook.create_sheet("Codebook")
    for row in SMALL_ROWS:
        sheet.append(row)
    workbook.save(tmp_path / "tables.xlsx")
    assert load_codebook(tmp_path / "tables.xlsx") == SMALL


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_load_csv(tmp_path: Path, encoding: str) -> None:
    rows = [[("" if cell is None else str(cell)) for cell in row] for row in SMALL_ROWS]
    rows[0] = [" theme", "CODE ", "definition", "Include", "exclude", "EXAMPLE", "keywords"]
    path = write_csv(tmp_path / "codebook.csv", rows, encoding)
    assert load_codebook(path) == SMALL


def test_load_csv_separated_by_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    path.write_text(
        "Theme;Code;Definition;Include;Exclude;Example;Keywords\n"
        'Privacy;Passwords;;;;;"password; two-factor"\n',
        encoding="utf-8",
    )
    assert load_codebook(path).code("Passwords").keywords == ("password", "two-factor")


def test_extra_columns_are_ignored_and_order_is_free(tmp_path: Path) -> None:
    rows = [["Notes", "Code", "Theme", "Keywords", "Example", "Exclude", "Include", "Definition"]]
    rows.append(["ignore me", "Passwords", "Privacy", "password", "", "", "", ""])
    loaded = load_codebook(write_csv(tmp_path / "codebook.csv", rows))
    assert loaded.themes == (Theme("Privacy", codes=(Code("Passwords", "Privacy", keywords=("password",)),)),)


def test_theme_row_without_codes_makes_an_empty_theme(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["Emerging", "", "", "", "", "", ""],
        ["Privacy", "Passwords", "", "", "", "", ""],
    ]
    loaded = load_codebook(write_csv(tmp_path / "codebook.csv", rows))
    assert [theme.name for theme in loaded.themes] == ["Emerging", "Privacy"]
    assert codebook_warnings(loaded) == [
        "theme 'Emerging' has no codes.",
        "code 'Passwords' has no keywords, so radar will never suggest it.",
    ]


# ---------------------------------------------------------------------- errors


def test_duplicate_code_names_in_xlsx_name_both_rows(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "Burnout", "", "", "", "", ""], ["B", "Other", "", "", "", "", ""]]
    rows.append(["B", " burnout", "", "", "", "", ""])
    message = error_of(write_xlsx(tmp_path / "codebook.xlsx", rows))
    assert message == (
        f"{tmp_path / 'codebook.xlsx'}, sheet 'Sheet1': row 2 ('Burnout') and row 4 ('burnout') "
        "have the same code name (ignoring case); code names must be unique across the "
        "codebook: rename or merge one of them."
    )


def test_duplicate_code_names_in_csv(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "Burnout", "", "", "", "", ""], [], ["A", "BURNOUT", "", "", "", "", ""]]
    message = error_of(write_csv(tmp_path / "codebook.csv", rows))
    assert message.startswith(f"{tmp_path / 'codebook.csv'}: row 2 ('Burnout') and row 4")


def test_code_without_theme(tmp_path: Path) -> None:
    rows = [HEADER, [], ["", "One", "", "", "", "", ""], ["A", "Two", "", "", "", "", ""]]
    message = error_of(write_xlsx(tmp_path / "codebook.xlsx", rows))
    assert message.startswith(
        f"{tmp_path / 'codebook.xlsx'}, sheet 'Sheet1', row 3: the code 'One' has no theme, and no "
        "row above it names one; fill in its Theme cell"
    )


def test_empty_code_name(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "One", "", "", "", "", ""], ["A", "", "", "", "", "", "burnout"]]
    message = error_of(write_csv(tmp_path / "codebook.csv", rows))
    assert message == (
        f"{tmp_path / 'codebook.csv'}, row 3: has Keywords but an empty Code cell; fill in the "
        "code's name (a row with only a Theme and a Definition defines the theme)."
    )


def test_text_with_neither_theme_nor_code(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "One", "", "", "", "", ""], ["", "", "A stray note", "", "", "", ""]]
    assert "row 3: has Definition but an empty Code cell" in error_of(
        write_csv(tmp_path / "codebook.csv", rows)
    )


def test_missing_required_column(tmp_path: Path) -> None:
    rows = [[column for column in HEADER if column != "Code"], ["A", "", "", "", "", ""]]
    message = error_of(write_xlsx(tmp_path / "codebook.xlsx", rows))
    assert message.startswith(
        f"{tmp_path / 'codebook.xlsx'}, sheet 'Sheet1': no row names the columns Theme and Code "
        "(the first row, row 1, holds 'Theme', 'Definition', 'Include', 'Exclude'); write a header row"
    )


def test_column_given_twice(tmp_path: Path) -> None:
    rows = [[*HEADER, "code"], ["A", "One", "", "", "", "", "", ""]]
    assert "row 1: the column 'Code' appears twice" in error_of(write_csv(tmp_path / "codebook.csv", rows))


def test_theme_with_two_definitions(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "", "First.", "", "", "", ""], ["A", "", "Second.", "", "", "", ""]]
    assert "rows 2 and 3: the theme 'A' has two different definitions" in error_of(
        write_csv(tmp_path / "codebook.csv", rows)
    )


def test_empty_spreadsheet(tmp_path: Path) -> None:
    assert "is empty" in error_of(write_csv(tmp_path / "codebook.csv", []))
    message = error_of(write_csv(tmp_path / "header.csv", [HEADER]))
    assert message.endswith("has no themes; add one row per code below the header.")


def test_csv_not_utf8(tmp_path: Path) -> None:
    rows = [HEADER, ["Café", "Crème", "", "", "", "", ""]]
    message = error_of(write_csv(tmp_path / "codebook.csv", rows, "cp1252"))
    assert "is not UTF-8 text" in message
    assert "CSV UTF-8 (Comma delimited)" in message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "codebook.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    assert "cannot be opened as an Excel workbook" in error_of(path)


@pytest.mark.parametrize(
    ("name", "hint"),
    [("codebook.txt", "save it in one of those forms"), ("codebook.xls", "save it as an .xlsx")],
)
def test_unsupported_suffix(tmp_path: Path, name: str, hint: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    message = error_of(path)
    assert message.startswith(f"{path}: radar reads codebooks from .yaml, .yml, .xlsx and .csv")
    assert hint in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml") == (
        f"{tmp_path / 'nope.yaml'}: no such file; check the path of the codebook."
    )
    assert "is a folder" in error_of(tmp_path)


# ------------------------------------------------------------------------ YAML


def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_yaml_forms(tmp_path: Path) -> None:
    text = (
        "title: T\n"
        "themes:\n"
        "  - name: Crisis\n"
        "    status: emerging\n"
        "    codes:\n"
        "      - Emergency\n"
        "      - name: Planning\n"
        "        keywords: 'safety plan; crisis plan'\n"
        "      - name: Lines\n"
        "        keywords: [988, crisis line, Crisis Line]\n"
    )
    loaded = load_codebook(write_yaml(tmp_path, text))
    assert loaded == Codebook(
        title="T",
        themes=(
            Theme(
                "Crisis",
                status="emerging",
                codes=(
                    Code("Emergency", "Crisis"),
                    Code("Planning", "Crisis", keywords=("safety plan", "crisis plan")),
                    Code("Lines", "Crisis", keywords=("988", "crisis line")),
                ),
            ),
        ),
    )


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = "title: T\nthemes:\n  - name: A\n    codes: [one, two\n  - name: B\n"
    message = error_of(write_yaml(tmp_path, text))
    assert message.startswith(f"{tmp_path / 'codebook.yaml'}: is not valid YAML at line 5")


@pytest.mark.parametrize("text", ["", "title: T\n", "title: T\nthemes: []\n"])
def test_yaml_without_themes(tmp_path: Path, text: str) -> None:
    assert error_of(write_yaml(tmp_path, text)) == (
        f"{tmp_path / 'codebook.yaml'}: has no themes; add a 'themes:' list, each theme with "
        "a name and its codes."
    )


def test_yaml_duplicate_theme(tmp_path: Path) -> None:
    text = "themes:\n  - name: Feedback\n  - name: Access\n  - name: feedback\n"
    assert error_of(write_yaml(tmp_path, text)) == (
        f"{tmp_path / 'codebook.yaml'}: theme 1 ('Feedback') and theme 3 ('feedback') have "
        "the same name; merge their codes under one theme."
    )


def test_yaml_duplicate_code_names_both_places(tmp_path: Path) -> None:
    text = "themes:\n  - name: A\n    codes: [Burnout]\n  - name: B\n    codes: [Other, burnout]\n"
    assert error_of(write_yaml(tmp_path, text)).startswith(
        f"{tmp_path / 'codebook.yaml'}: theme 1 ('A'), code 1 ('Burnout') and "
        "theme 2 ('B'), code 2 ('burnout') have the same code name"
    )


def test_yaml_code_without_name(tmp_path: Path) -> None:
    text = "themes:\n  - name: A\n    codes:\n      - name: One\n      - definition: x\n"
    assert error_of(write_yaml(tmp_path, text)) == (
        f"{tmp_path / 'codebook.yaml'}: theme 1 ('A'), code 2 has no name; add 'name:' to it "
        "or delete the entry."
    )


def test_yaml_theme_without_name(tmp_path: Path) -> None:
    text = "themes:\n  - definition: x\n"
    assert "theme 1 has no name" in error_of(write_yaml(tmp_path, text))


def test_yaml_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    text = "themes:\n  - name: A\n    codes:\n      - name: One\n        keyword: [x]\n"
    assert error_of(write_yaml(tmp_path, text)) == (
        f"{tmp_path / 'codebook.yaml'}: theme 1 ('A'), code 1 ('One') has an unknown key "
        "'keyword'; did you mean 'keywords'? the keys radar reads there are name, definition, "
        "include, exclude, example, keywords, parent, color."
    )


def test_yaml_yes_no_value_must_be_quoted(tmp_path: Path) -> None:
    text = "themes:\n  - name: A\n    codes:\n      - name: One\n        keywords: [no, x]\n"
    assert "keyword reads as false (a yes/no value); put it in quotes." in error_of(
        write_yaml(tmp_path, text)
    )


def test_yaml_wrong_shapes(tmp_path: Path) -> None:
    assert "top level must be a mapping" in error_of(write_yaml(tmp_path, "- a\n- b\n"))
    assert "'themes' must be a list" in error_of(write_yaml(tmp_path, "themes: {a: 1}\n"))
    text = "themes:\n  - name: A\n    codes:\n      - name: One\n        definition: {a: 1}\n"
    assert "definition must be text, not a dict" in error_of(write_yaml(tmp_path, text))


# -------------------------------------------------------------- find_codebook


def test_find_codebook(tmp_path: Path) -> None:
    (tmp_path / "Codebook.XLSX").write_bytes(b"")
    (tmp_path / "notes.yaml").write_text("", encoding="utf-8")
    assert find_codebook(tmp_path) == tmp_path / "Codebook.XLSX"


def test_find_codebook_none(tmp_path: Path) -> None:
    with pytest.raises(StudyError) as caught:
        find_codebook(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: no codebook found; put one file named codebook.yaml, codebook.yml, "
        "codebook.xlsx or codebook.csv in the study folder."
    )


def test_find_codebook_two(tmp_path: Path) -> None:
    (tmp_path / "codebook.csv").write_text("", encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text("", encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        find_codebook(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: found 2 codebooks (codebook.yaml, codebook.csv); keep only one of them "
        "in the study folder and move or rename the others."
    )


def test_find_codebook_without_folder(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="no such folder"):
        find_codebook(tmp_path / "missing")


# ------------------------------------------------------------------ describing


def test_describe_codebook_with_warnings() -> None:
    book = Codebook(
        title="Small",
        themes=(
            Theme("Crisis", status="emerging", codes=(
                Code("Lines", "Crisis", keywords=("crisis line", "hotline")),
                Code("Planning", "Crisis", keywords=("crisis",)),
            )),
            Theme("Access", codes=(
                Code("Devices", "Access", keywords=("Hotline",)),
                Code("Loans", "Access"),
            )),
            Theme("Later"),
        ),
    )  # fmt: skip
    assert describe_codebook(book) == (
        "Small\n"
        "3 themes, 4 codes, 4 keywords\n"
        "  Crisis (emerging): 2 codes\n"
        "  Access: 2 codes\n"
        "  Later: 0 codes\n"
        "4 warnings:\n"
        "  - theme 'Later' has no codes.\n"
        "  - code 'Loans' has no keywords, so radar will never suggest it.\n"
        "  - keyword 'hotline' belongs to codes 'Lines' and 'Devices': a segment containing it"
        " is suggested for all of them.\n"
        "  - keyword 'crisis' of code 'Planning' is part of keyword 'crisis line' of code"
        " 'Lines': a segment containing 'crisis line' is suggested for both."
    )


def test_describe_shipped_codebook(shipped: Codebook) -> None:
    lines = describe_codebook(shipped).splitlines()
    assert lines[0] == "Digital peer support supervision standards"
    assert lines[1] == f"File: {SHIPPED}"
    assert lines[2].startswith("11 themes, 51 codes, ")
    assert lines[3] == "  Education on technology competency: 8 codes"
    assert lines[13] == "  Feedback: 2 codes"
    assert lines[-1] == "No warnings."


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, radar.codebook;"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'yaml', 'spacy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


# -------------------------------------------------------------------- property

_TEXT = st.text(
    st.characters(categories=["L", "N", "P", "S"], exclude_characters=";") | st.just(" "),
    max_size=12,
).map(str.strip)
# A leading ' before =, +, - or @ is a spreadsheet's text mark, dropped on reading (radar writes it so that
# a spreadsheet never runs the cell): a name cannot start with one.
_NAME = _TEXT.filter(lambda text: bool(text) and unsafe_cell(text) == text)
_KEYWORD = _TEXT.map(lambda text: " ".join(text.replace(",", " ").split())).filter(bool)  # "," separates


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@st.composite
def codes(draw: st.DrawFn, name: str, theme: str) -> Code:
    return Code(
        name,
        theme,
        definition=draw(_TEXT),
        include=draw(_TEXT),
        exclude=draw(_TEXT),
        example=draw(_TEXT),
        keywords=tuple(draw(st.lists(_KEYWORD, max_size=3, unique_by=str.casefold))),
    )


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    theme_names = draw(st.lists(_NAME, min_size=1, max_size=4, unique_by=_key))
    code_names = draw(st.lists(_NAME, max_size=8, unique_by=_key))
    themes = []
    for theme_name in theme_names:
        size = draw(st.integers(0, 3))
        mine, code_names = code_names[:size], code_names[size:]
        drawn = tuple(draw(codes(name, theme_name)) for name in mine)
        themes.append(Theme(theme_name, definition=draw(_TEXT), codes=drawn))
    return Codebook(themes=tuple(themes))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(book=codebooks())
def test_any_codebook_survives_csv_round_trip(tmp_path: Path, book: Codebook) -> None:
    path = tmp_path / "codebook.csv"
    book.to_frame(theme_definitions=True).to_csv(path, index=False, encoding="utf-8")
    assert load_codebook(path) == book


@pytest.mark.parametrize(
    ("name", "reference_file", "column"),
    [
        ("digital-peer-support-competencies", "competency-themes.csv", "theme"),
        ("peer-support-core-values", "peer-support-core-values.csv", "core_value"),
        ("digital-peer-support-supervision", "supervision-themes.csv", "theme"),
    ],
)
def test_shipped_codebooks_carry_the_published_themes(name: str, reference_file: str, column: str) -> None:
    import csv as csv_module

    from radar.codebook import shipped_codebook

    reference = REFERENCE_THEMES.parent / reference_file  # only the supervision table is in the repository
    if not reference.exists():
        reference = ROOT.parent / "shared" / "reference" / reference_file
    if not reference.exists():
        pytest.skip(f"{reference} is absent (the shared reference folder sits beside the repository)")
    with reference.open(encoding="utf-8") as handle:
        rows = list(csv_module.DictReader(handle))
    book = load_codebook(shipped_codebook(name))
    assert [t.name for t in book.themes] == [r[column] for r in rows]
    emerging = {r[column] for r in rows if r.get("status") == "emerging"}
    assert {t.name for t in book.themes if t.status == "emerging"} == emerging
    assert all(code.definition and code.keywords for code in book.codes)
    assert book.source
