"""The codebook: themes, the codes under each, and the keywords that suggest them.

A codebook is written by the analysts either as YAML::

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

or as a spreadsheet (``.xlsx`` or ``.csv``) with one row per code and the columns
``Theme, Code, Definition, Include, Exclude, Example, Keywords`` (only Theme and Code
required), or as a REFI-QDA ``.qdc`` from another QDA tool. In every form, commas,
semicolons and line breaks separate keywords. In a spreadsheet, a row with a Theme and
a Definition but no Code gives the theme's definition, and a code with an empty Theme
cell belongs to the theme above it.

Loading checks the codebook and raises :class:`~radar.errors.CodebookError` with the
file and the row or entry at fault.

One module per part: :mod:`~radar.codebook.model` (the records),
:mod:`~radar.codebook.forms` (the registry of forms: :mod:`~radar.codebook.yaml_form`,
:mod:`~radar.codebook.sheet_form`, :mod:`~radar.codebook.qdc`),
:mod:`~radar.codebook.checks`, :mod:`~radar.codebook.rename` and
:mod:`~radar.codebook.shipped`.
"""

from __future__ import annotations

from radar.codebook.checks import codebook_warnings, describe_codebook, keyword_words
from radar.codebook.forms import (
    CODEBOOK_NAMES,
    CODEBOOK_SUFFIXES,
    FORMS,
    YAML_SUFFIXES,
    Form,
    find_codebook,
    load_codebook,
    read_codebook_file,
    write_codebook,
)
from radar.codebook.model import KEYWORD_SEPARATOR, Code, Codebook, Theme, name_key, split_keywords
from radar.codebook.qdc import (
    UNGROUPED_THEME,
    code_description,
    parse_description,
    parse_qdc,
    qdc_bytes,
    read_qdc,
    theme_description,
    write_qdc,
)
from radar.codebook.refi import CODEBOOK_NAMESPACE, stable_guid
from radar.codebook.rename import renamed_codebook_bytes
from radar.codebook.shipped import (
    list_shipped_codebooks,
    shipped_codebook,
    shipped_codebooks,
    shipped_codebooks_dir,
)
from radar.codebook.yaml_form import codebook_yaml

__all__ = [
    "CODEBOOK_NAMES",
    "CODEBOOK_NAMESPACE",
    "CODEBOOK_SUFFIXES",
    "FORMS",
    "KEYWORD_SEPARATOR",
    "UNGROUPED_THEME",
    "YAML_SUFFIXES",
    "Code",
    "Codebook",
    "Form",
    "Theme",
    "code_description",
    "codebook_warnings",
    "codebook_yaml",
    "describe_codebook",
    "find_codebook",
    "keyword_words",
    "list_shipped_codebooks",
    "load_codebook",
    "name_key",
    "parse_description",
    "parse_qdc",
    "qdc_bytes",
    "read_codebook_file",
    "read_qdc",
    "renamed_codebook_bytes",
    "shipped_codebook",
    "shipped_codebooks",
    "shipped_codebooks_dir",
    "split_keywords",
    "stable_guid",
    "theme_description",
    "write_codebook",
    "write_qdc",
]
