"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``) with other QDA tools.

REFI-QDA (www.qdasoftware.org) is the exchange format of NVivo, ATLAS.ti, MAXQDA,
QualCoder, Taguette and others.

**Codebooks.** A ``.qdc`` is one of the codebook's own forms: how radar's themes
and codes travel is told in :mod:`radar.codebook.qdc`, whose names are re-exported
here. :func:`convert_codebook` converts between every form, in any direction.

**Projects.** :func:`export_qdpx` writes a study's transcripts as plain-text sources,
one line per turn (``[00:01:02] P07: text``, pseudonyms only), each coded segment as a
selection with one coding per code, speakers as cases, memos as notes.
:func:`import_qdpx` builds a study from another tool's project; see its docstring.

One module per noun: :mod:`~radar.refiqda.codebook_exchange`,
:mod:`~radar.refiqda.project_export`, :mod:`~radar.refiqda.project_reading` (a
``.qdpx`` read and checked) and :mod:`~radar.refiqda.project_import` (a study
built from it).

Example:
    >>> notes = convert_codebook("codebook.yaml", "codebook.qdc")  # doctest: +SKIP
    >>> book, notes = read_qdc("from-nvivo.qdc")  # doctest: +SKIP
"""

from __future__ import annotations

from radar.codebook import (
    CODEBOOK_NAMESPACE,
    CODEBOOK_SUFFIXES,
    UNGROUPED_THEME,
    code_description,
    codebook_yaml,
    parse_description,
    parse_qdc,
    qdc_bytes,
    read_qdc,
    stable_guid,
    theme_description,
    write_codebook,
    write_qdc,
)
from radar.codebook.qdc import CODE_FIELDS, THEME_FIELDS
from radar.codebook.refi import ORIGIN, PALETTE, PROJECT_NAMESPACE, RADAR_GUIDS
from radar.errors import RefiError
from radar.refiqda.codebook_exchange import TAGUETTE_CSV, convert_codebook, read_codebook, taguette_csv
from radar.refiqda.project_export import EPOCH, export_qdpx, qdpx_bytes
from radar.refiqda.project_import import UNKNOWN_SPEAKER, ImportReport, import_qdpx
from radar.refiqda.project_reading import ROLE_VARIABLE

__all__ = [
    "CODEBOOK_NAMESPACE",
    "CODEBOOK_SUFFIXES",
    "CODE_FIELDS",
    "EPOCH",
    "ORIGIN",
    "PALETTE",
    "PROJECT_NAMESPACE",
    "RADAR_GUIDS",
    "ROLE_VARIABLE",
    "TAGUETTE_CSV",
    "THEME_FIELDS",
    "UNGROUPED_THEME",
    "UNKNOWN_SPEAKER",
    "ImportReport",
    "RefiError",
    "code_description",
    "codebook_yaml",
    "convert_codebook",
    "export_qdpx",
    "import_qdpx",
    "parse_description",
    "parse_qdc",
    "qdc_bytes",
    "qdpx_bytes",
    "read_codebook",
    "read_qdc",
    "stable_guid",
    "taguette_csv",
    "theme_description",
    "write_codebook",
    "write_qdc",
]
