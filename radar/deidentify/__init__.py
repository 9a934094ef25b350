"""De-identification: every output that leaves the team shows pseudonyms only.

A :class:`Deidentifier` replaces, whole words and ignoring case,

* contact details and numbers, by pattern (:mod:`~radar.deidentify.patterns`):
  ``[email]``, ``[phone]``, ``[address]``, ``[postcode]``, ``[url]``,
  ``[date of birth]``, ``[age 90+]``;
* the names of the study's speakers as written in the transcripts (from
  speakers.csv, or from the speaker key when there is none) by their
  pseudonym, bracketed in a study (``Maria Lopez`` -> ``[P07]``; radar.toml's
  ``pseudonym_style``), and their first names alone (``like Maria said`` ->
  ``like [P07] said``), surnames after a title (``Dr Lopez``) or before said,
  their nicknames (speakers.csv's ``nicknames`` column), across accents and
  hyphens (``Jose Nunez``, ``Anne Marie``); a first name two people share
  becomes ``[name]``;
* the terms listed in radar.toml's ``[deidentify]`` table::

      [deidentify]
      places = ["Springfield", "Riverside Clinic"]     # -> [place]
      organisations = ["Acme Health"]                   # -> [organisation]
      names = ["Bobby", "Aunt Rosa"]                    # -> [name 1], [name 2]
      keep = ["Zoom", "WhatsApp"]        # never masked by NER nor flagged by the check
      ner = true                         # false, or the name of an installed pipeline
      not_names = ["Hope"]               # reviewed: never taken for a name by the rules
      detect = true                      # false: the rules' names go to the review list only

      [deidentify.replace]
      Frank = "[husband]"                # a term's own replacement

* names nobody listed that the rules are sure of (:mod:`~radar.deidentify.detect`:
  ``my husband Frank``, ``Dr Castillo``, ``Margaret said``), as ``[name N]``
  numbered in the order met; the uncertain ones go to the check's review list
  (:meth:`Deidentifier.suspected_names`);
* where a trained spaCy pipeline with named entities is installed
  (``en_core_web_sm`` and the like), person, place and organisation entities.

A one-word name that is also a common English word (Will, Grace, Hope,
Mark) is masked only where it is capitalised, so that "I will" and "by
grace" stay as they are; a name that is also a function word (Will, May) is
left where it opens a sentence as that word ("Will you come?"), and the check
lists those places for a human to look at. Masking is idempotent: bracketed markers such
as ``[name]`` or ``[inaudible]`` and pseudonyms are never masked again.

Example:
    >>> deid = Deidentifier([Term("Maria Lopez", "P07", "speakers.csv")])
    >>> deid.mask("I agree with maria lopez.")
    'I agree with P07.'

One module per part: :mod:`~radar.deidentify.terms` (what is masked, and the
terms from speakers' names and radar.toml), :mod:`~radar.deidentify.ner` (the
spaCy pipeline), :mod:`~radar.deidentify.masking` (the :class:`Deidentifier`),
:mod:`~radar.deidentify.detect` (names nobody listed, found by rule),
:mod:`~radar.deidentify.patterns` (contact details and numbers by pattern),
:mod:`~radar.deidentify.build` (a study's de-identifier and its safeguards),
:mod:`~radar.deidentify.apply` (transcripts and tables masked) and
:mod:`~radar.deidentify.check` (what ``radar deidentify --check`` shows).
Every name is importable from :mod:`radar.deidentify` as well.
"""

from __future__ import annotations

from radar.deidentify.apply import mask_frame, mask_transcripts
from radar.deidentify.build import deidentifier_for, deidentifier_from
from radar.deidentify.build import key_entries as key_entries
from radar.deidentify.check import CHECK_COLUMNS as CHECK_COLUMNS
from radar.deidentify.check import CheckResult, deidentify_check
from radar.deidentify.detect import Detected as Detected
from radar.deidentify.detect import NameRules as NameRules
from radar.deidentify.detect import first_names as first_names
from radar.deidentify.masking import Deidentifier
from radar.deidentify.ner import NER_LABELS as NER_LABELS
from radar.deidentify.ner import NER_MISSING as NER_MISSING
from radar.deidentify.ner import NER_PIPELINES as NER_PIPELINES
from radar.deidentify.ner import _installed_english_pipelines as _installed_english_pipelines
from radar.deidentify.ner import load_ner as load_ner
from radar.deidentify.patterns import PATTERNS as PATTERNS
from radar.deidentify.patterns import contact_matches as contact_matches
from radar.deidentify.patterns import mask_contacts as mask_contacts
from radar.deidentify.terms import COMMON_LOG_PROB as COMMON_LOG_PROB
from radar.deidentify.terms import CONFIG_LISTS as CONFIG_LISTS
from radar.deidentify.terms import CONFIG_TABLE as CONFIG_TABLE
from radar.deidentify.terms import KIND_FOUND as KIND_FOUND
from radar.deidentify.terms import KIND_MASKED as KIND_MASKED
from radar.deidentify.terms import KIND_REVIEWED as KIND_REVIEWED
from radar.deidentify.terms import KIND_SUSPECTED as KIND_SUSPECTED
from radar.deidentify.terms import (
    MASK_NAME,
    MASK_ORGANISATION,
    MASK_PLACE,
    Finding,
    Term,
    is_name_label,
    speaker_terms,
)
from radar.deidentify.terms import TITLES as TITLES
from radar.deidentify.terms import common_words as common_words
from radar.deidentify.terms import config_terms as config_terms
from radar.deidentify.terms import fold as fold
from radar.deidentify.terms import normalise as normalise

__all__ = [
    "MASK_NAME",
    "MASK_ORGANISATION",
    "MASK_PLACE",
    "CheckResult",
    "Deidentifier",
    "Finding",
    "Term",
    "deidentifier_for",
    "deidentifier_from",
    "deidentify_check",
    "is_name_label",
    "mask_frame",
    "mask_transcripts",
    "speaker_terms",
]
