"""The YAML codebook, as analysts write it and radar ships it::

title: Digital peer support supervision standards
source: Collins-Pisano et al., JMIR Human Factors 2023
themes:
  - name: Education on technology competency
    definition: ...
    codes:
      - name: Video platform skills
        definition: ...
        include: ...
        exclude: ...
        example: "..."
        keywords: [screen sharing, breakout room]

Keywords follow the keyword syntax (docs/keywords.md): ``worry`` matches its
lemma, ``'="hearing"'`` that form only, ``'"hearing aid"'`` the phrase, and
``'-"to be honest"'`` is an exclusion of its code (a hit of the code's keywords
inside the phrase is dropped). Single-quote a keyword that starts with a quote,
``=`` or ``-`` so YAML keeps it as written::

        keywords: [honest, '-"to be honest"', '="hearing"']
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from radar.codebook.model import Code, Codebook, Theme, name_key, split_keywords, unique_keywords
from radar.codebook.rules import check_unique_codes, read_text
from radar.errors import CodebookError
from radar.files import write_text_atomic

SUFFIXES = (".yaml", ".yml")

_TOP_KEYS = ("title", "source", "themes")


_THEME_KEYS = ("name", "definition", "status", "color", "codes")


_CODE_KEYS = ("name", "definition", "include", "exclude", "example", "keywords", "parent", "color")


def read(file: Path) -> tuple[Codebook, list[str]]:
    """A YAML codebook, checked; no notes (YAML holds everything radar's codebook does)."""
    return _load_yaml(file), []


def write(codebook: Codebook, file: Path) -> list[str]:
    """Write a codebook as YAML (atomically); nothing is lost."""
    write_text_atomic(file, codebook_yaml(codebook))
    return []


def _load_yaml(file: Path) -> Codebook:
    data = _parse_yaml(file)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CodebookError(
            f"{file}: the top level must be a mapping with the keys title, source and themes."
        )
    _check_keys(file, "the top level", data, _TOP_KEYS)
    themes = data.get("themes")
    if not themes:
        raise CodebookError(
            f"{file}: has no themes; add a 'themes:' list, each theme with a name and its codes."
        )
    if not isinstance(themes, list):
        raise CodebookError(f"{file}: 'themes' must be a list, each item starting with '- name:'.")
    parsed = tuple(_yaml_theme(file, i, entry) for i, entry in enumerate(themes, start=1))
    _check_unique_themes(file, parsed)
    placed = [
        (code, _yaml_place(item, j, code.name))
        for item in parsed
        for j, code in enumerate(item[0].codes, start=1)
    ]
    check_unique_codes(str(file), placed)
    return Codebook(
        themes=tuple(theme for theme, _ in parsed),
        title=_text(file, "title", data.get("title")),
        source=_text(file, "source", data.get("source")),
        path=file,
    )


def _parse_yaml(file: Path) -> Any:
    import yaml

    text = read_text(file)
    try:
        # libyaml's parser where the wheel has it: the same document, about 5x faster
        return yaml.load(text, Loader=_unique_key_loader())
    except _DuplicateKeyError as error:
        raise CodebookError(f"{file}: {error}", path=str(file), row=error.line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "syntax error"
        raise CodebookError(
            f"{file}: is not valid YAML{where}: {problem}. Check the indentation and quoting "
            "there (text containing ': ' or starting with a quote must be put in quotes)."
        ) from None
    except yaml.YAMLError as error:
        raise CodebookError(f"{file}: is not valid YAML: {error}.") from None
    except RecursionError:
        raise CodebookError(
            f"{file}: nests lists or mappings far more deeply than any codebook (a damaged or hostile "
            "file?); radar does not read it. A codebook nests themes, codes and their fields, no deeper.",
            path=str(file),
        ) from None


class _DuplicateKeyError(Exception):
    """A mapping that gives one key twice (YAML loaders keep the last silently)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _unique_key_loader() -> Any:
    """PyYAML's safe loader (libyaml's parser where the wheel has it) that refuses a key given twice.

    PyYAML keeps the last of two equal keys without a word, so a second
    ``definition:`` under a code, or a second ``themes:``, would replace the
    first and lose what the analyst wrote there.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            first: dict[str, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                line = key_node.start_mark.line + 1
                if key_node.value in first:
                    raise _DuplicateKeyError(
                        f"line {line} gives the key {key_node.value!r} a second time (first at line "
                        f"{first[key_node.value]}); radar would keep only one of them. Merge the two or "
                        "rename one.",
                        line,
                    )
                first[key_node.value] = line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


_Parsed = tuple[Theme, int]


def _yaml_theme(file: Path, position: int, entry: Any) -> _Parsed:
    label = f"theme {position}"
    if not isinstance(entry, Mapping):
        raise CodebookError(
            f"{file}: {label} must be a mapping with a name and codes, e.g. '- name: Feedback'."
        )
    name = _text(file, f"{label} name", entry.get("name"))
    if not name:
        raise CodebookError(f"{file}: {label} has no name; add 'name:' to it.")
    label = f"theme {position} ({name!r})"
    _check_keys(file, label, entry, _THEME_KEYS)
    codes = entry.get("codes") or []
    if not isinstance(codes, list):
        raise CodebookError(f"{file}: {label}: 'codes' must be a list, each item starting with '- name:'.")
    theme = Theme(
        name=name,
        definition=_text(file, f"{label} definition", entry.get("definition")),
        status=_text(file, f"{label} status", entry.get("status")),
        codes=tuple(_yaml_code(file, label, name, j, item) for j, item in enumerate(codes, start=1)),
        color=_text(file, f"{label} color", entry.get("color")),
    )
    names = {code.name for code in theme.codes}
    for j, code in enumerate(theme.codes, start=1):
        if code.parent and (code.parent not in names or code.parent == code.name):
            raise CodebookError(
                f"{file}: {label}, code {j} ({code.name!r}): its parent {code.parent!r} is not another "
                f"code of the theme {name!r}; give the name of a code listed under this theme"
            )
    return theme, position


def _yaml_code(file: Path, theme_label: str, theme: str, position: int, entry: Any) -> Code:
    label = f"{theme_label}, code {position}"
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, Mapping):
        raise CodebookError(f"{file}: {label} must be a mapping with a name, e.g. '- name: Burnout'.")
    name = _text(file, f"{label} name", entry.get("name"))
    if not name:
        raise CodebookError(f"{file}: {label} has no name; add 'name:' to it or delete the entry.")
    label = f"{label} ({name!r})"
    _check_keys(file, label, entry, _CODE_KEYS)
    return Code(
        name=name,
        theme=theme,
        definition=_text(file, f"{label} definition", entry.get("definition")),
        include=_text(file, f"{label} include", entry.get("include")),
        exclude=_text(file, f"{label} exclude", entry.get("exclude")),
        example=_text(file, f"{label} example", entry.get("example")),
        keywords=_yaml_keywords(file, label, entry.get("keywords")),
        parent=_text(file, f"{label} parent", entry.get("parent")),
        color=_text(file, f"{label} color", entry.get("color")),
    )


def _yaml_keywords(file: Path, label: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_keywords(value)
    if not isinstance(value, list):
        raise CodebookError(
            f"{file}: {label}: keywords must be a list, e.g. 'keywords: [burnout, self-care]', "
            "or one text with the keywords separated by commas."
        )
    items = (_text(file, f"{label} keyword", item) for item in value)
    return unique_keywords(keyword for item in items for keyword in split_keywords(item))


def _text(file: Path, label: str, value: Any) -> str:
    """A YAML scalar as stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CodebookError(
            f"{file}: {label} reads as {str(value).lower()} (a yes/no value); put it in quotes."
        )
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    raise CodebookError(f"{file}: {label} must be text, not a {type(value).__name__}.")


def _check_keys(file: Path, label: str, entry: Mapping[Any, Any], allowed: Sequence[str]) -> None:
    for key in entry:
        if key not in allowed:
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise CodebookError(
                f"{file}: {label} has an unknown key {key!r}; {hint}"
                f"the keys radar reads there are {', '.join(allowed)}."
            )


def _yaml_place(parsed: _Parsed, position: int, name: str) -> str:
    theme, theme_position = parsed
    return f"theme {theme_position} ({theme.name!r}), code {position} ({name!r})"


def _check_unique_themes(file: Path, parsed: Sequence[_Parsed]) -> None:
    seen: dict[str, _Parsed] = {}
    for theme, position in parsed:
        first = seen.setdefault(name_key(theme.name), (theme, position))
        if first[1] != position:
            raise CodebookError(
                f"{file}: theme {first[1]} ({first[0].name!r}) and theme {position} "
                f"({theme.name!r}) have the same name; merge their codes under one theme."
            )


# Writing ---------------------------------------------------------------------


def codebook_yaml(codebook: Codebook) -> str:
    """A codebook as YAML in the form of radar's shipped codebooks (empty fields left out)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def strings(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def flow(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(str, strings)
    Dumper.add_representer(_FlowList, flow)
    data: dict[str, Any] = {
        key: value for key, value in (("title", codebook.title), ("source", codebook.source)) if value
    }
    data["themes"] = [_theme_data(theme) for theme in codebook.themes]
    text: str = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


class _FlowList(list[str]):
    """A list written in YAML flow style: ``[a, b]``."""


def _theme_data(theme: Theme) -> dict[str, Any]:
    data: dict[str, Any] = {"name": theme.name}
    data.update(
        {key: value for key, value in (("definition", theme.definition), ("status", theme.status)) if value}
    )
    if theme.color:
        data["color"] = theme.color
    data["codes"] = [_code_data(code) for code in theme.codes]
    return data


def _code_data(code: Code) -> dict[str, Any]:
    data: dict[str, Any] = {"name": code.name}
    for key in ("definition", "include", "exclude", "example"):
        if getattr(code, key):
            data[key] = getattr(code, key)
    if code.keywords:
        data["keywords"] = _FlowList(code.keywords)
    for key in ("parent", "color"):
        if getattr(code, key):
            data[key] = getattr(code, key)
    return data
