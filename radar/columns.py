"""Column and sheet names of radar's tables, kept in one place.

Users, scripts and other tools rely on these headers: change them only with a
changelog entry.
"""

from __future__ import annotations

# Segment (phase 1) columns.
SEGMENT_ID = "Segment ID"
GROUP = "Group"
PARTICIPANT = "Participant"
ROLE = "Role"
QUESTION = "Question"
START = "Start"
TEXT = "Text"
KEEP = "Keep"
REASON = "Reason"
REVIEW = "Review"

# Phase 2 columns.
MEMO = "Memo"
CODE_PREFIX = "Code "
MIN_CODE_COLUMNS = 3

# Phase 3 columns.
CODE = "Code"
THEME = "Theme"
EXEMPLAR = "Exemplar"
QUOTE = "Quote"  # the analyst's trimmed version of Text; empty means the whole Text

# Codebook columns (spreadsheet form and the Codebook sheet).
DEFINITION = "Definition"
INCLUDE = "Include"
EXCLUDE = "Exclude"
EXAMPLE = "Example"
KEYWORDS = "Keywords"
CODEBOOK_COLUMNS = (THEME, CODE, DEFINITION, INCLUDE, EXCLUDE, EXAMPLE, KEYWORDS)
CODEBOOK_REQUIRED = (THEME, CODE)
PARENT = "Parent"  # a sub-code's parent code (trees of any depth)
COLOR = "Color"  # #RRGGBB, on a code's row or a theme's own row
CODEBOOK_TREE_COLUMNS = (PARENT, COLOR)  # written only when the codebook has a tree or colours

PHASE1_COLUMNS = (SEGMENT_ID, GROUP, PARTICIPANT, ROLE, QUESTION, START, TEXT, KEEP, REASON)
PHASE2_FIXED = (SEGMENT_ID, GROUP, PARTICIPANT, TEXT)
PHASE3_COLUMNS = (SEGMENT_ID, GROUP, PARTICIPANT, CODE, THEME, TEXT, EXEMPLAR, QUOTE)

# Roles.
PARTICIPANT_ROLE = "participant"
FACILITATOR_ROLE = "facilitator"
OBSERVER_ROLE = "observer"
UNLISTED_ROLE = "unlisted"
ROLES = (PARTICIPANT_ROLE, FACILITATOR_ROLE, OBSERVER_ROLE)

# Keep values.
YES = "yes"
NO = "no"

# Reasons radar itself gives when it sets Keep = no.
REASON_FACILITATOR = "facilitator"
REASON_OBSERVER = "observer"
REASON_NON_SPEECH = "non-speech"
REASON_UNLISTED = "speaker not in speakers.csv"
STANDARD_REASONS = (
    "off topic",
    "facilitator",
    "logistics",
    "crosstalk",
    "duplicate",
    "identifying",
)

# Sheets of radar-tables.xlsx.
SHEET_PHASE1 = "1 All data"
SHEET_PHASE2 = "2 Relevant"
SHEET_PHASE3 = "3 Coded"
SHEET_THEMES = "Themes"
SHEET_CODEBOOK = "Codebook"
SHEET_LOG = "Log"
SHEET_LISTS = "Lists"
SHEET_STATE = "radar state"

# The hidden state sheet: what radar proposed and what it wrote, by Segment ID.
STATE_DEFAULT_KEEP = "Default keep"
STATE_DEFAULT_REASON = "Default reason"
STATE_SUGGESTED = "Suggested"
STATE_CODES = "Codes"
STATE_OWN_COLUMNS = "Own columns"
STATE_TOUCHED = "Codes changed by analyst"
STATE_SUGGESTED_BY = "Suggested by"  # JSON: code -> [[keyword, [matched words ...]], ...]
STATE_ORIGINS = "Origins"  # JSON: code -> [origin, run it was decided in]
STATE_COLUMNS = (
    SEGMENT_ID, STATE_DEFAULT_KEEP, STATE_DEFAULT_REASON, STATE_SUGGESTED,
    KEEP, REASON, STATE_CODES, MEMO, REVIEW, STATE_OWN_COLUMNS, STATE_TOUCHED,
    STATE_SUGGESTED_BY, STATE_ORIGINS,
)  # fmt: skip

# Where a code came from (issue 16): phase 2's "Suggested by" (radar's, rewritten each run), 3 Coded's Origin.
SUGGESTED_BY = "Suggested by"
ORIGIN = "Origin"
ORIGIN_ANALYST = "typed by the analyst"
ORIGIN_KEYWORD = "keyword suggestion accepted"
ORIGIN_SEMANTIC = "semantic suggestion accepted"
ORIGIN_CHANGED = "suggestion changed by the analyst"
ORIGIN_RECONCILED = "reconciled decision"
ORIGIN_IMPORTED = "imported from another tool"
ORIGINS = (
    ORIGIN_KEYWORD,
    ORIGIN_SEMANTIC,
    ORIGIN_ANALYST,
    ORIGIN_CHANGED,
    ORIGIN_RECONCILED,
    ORIGIN_IMPORTED,
)

# Tally columns: one row per theme (``theme``) or per code (``code``, ``theme``).
TALLY_THEME = "theme"
TALLY_CODE = "code"
TALLY_N = "n"
TALLY_TOTAL = "N"
TALLY_PERCENT = "percent"
TALLY_LABEL = "label"
# How a Word table shows the tally columns (every other header in Title Case).
DISPLAY_HEADERS = {
    TALLY_THEME: "Theme",
    TALLY_CODE: "Code",
    TALLY_N: "n",
    TALLY_TOTAL: "N",
    TALLY_PERCENT: "%",
    TALLY_LABEL: "n/N (%)",
}

# The participant characteristics table (``radar characteristics``); its third header holds N.
CHARACTERISTIC = "Characteristic"
CHARACTERISTIC_VALUE = "Value"

# The manuscript's theme table (``radar tally --combined``, the Themes sheet's right part).
COMBINED_THEME = THEME
COMBINED_EXCERPTS = "Excerpts n/N (%)"
COMBINED_COLUMNS = (
    COMBINED_THEME,
    DEFINITION,
    "Codes",
    COMBINED_EXCERPTS,
    "Participants n/N",
    "Groups n/N",
    "Exemplar quote (ID)",
)

# The runs of the audit trail, as ``radar history`` lists them.
RUN_COLUMNS = (
    "run", "time (UTC)", "action", "version", "turns", "kept", "coded", "excerpts", "analyst changes",
)  # fmt: skip

# Coder agreement (``radar agreement``): per code, and overall.
AGREEMENT_PER_CODE_COLUMNS = (TALLY_CODE, TALLY_THEME, "kappa", "percent_agreement", "n")
AGREEMENT_OVERALL_COLUMNS = ("measure", "value", "n")

# Member checking: the workbook's sheet, the packet's feedback table, the summary.
SHEET_MEMBER_CHECK = "Member check"
MEMBER_CHECK_COLUMNS = (PARTICIPANT, GROUP, THEME, "Verdict", "Comment", "Packet", "Imported")
FEEDBACK_HEADER = (THEME, "Agree", "Partly", "Disagree", "Comments")
MEMBER_CHECK_SUMMARY_COLUMNS = (TALLY_THEME, "agree", "partly", "disagree", "no_response", "comments")

# speakers.csv's optional column of a speaker's nicknames, ";"-separated: masked like the name.
NICKNAMES_COLUMN = "nicknames"

# What ``radar deidentify --check`` lists.
DEIDENTIFY_CHECK_COLUMNS = ("where", "speaker", "kind", "found", "replacement", "context")


def code_column(i: int) -> str:
    """The header of the i-th Code column, counting from 1."""
    return f"{CODE_PREFIX}{i}"


def is_code_column(header: str) -> bool:
    """Whether a header names a Code column (``Code 1``, ``Code 2`` ...)."""
    rest = header[len(CODE_PREFIX) :] if header.startswith(CODE_PREFIX) else ""
    return rest.isdigit()


# Agreement that holds up for rare codes (``radar agreement --detail``), per code and overall.
TOO_RARE = "too rare to assess"
AGREEMENT_DETAIL_COLUMNS = (
    TALLY_CODE, TALLY_THEME, "n", "positive", "assessed",
    "percent_agreement", "percent_low", "percent_high",
    "kappa", "kappa_low", "kappa_high", "ac1", "ac1_low", "ac1_high",
    "pabak", "pabak_low", "pabak_high", "alpha", "alpha_low", "alpha_high",
    "prevalence_index", "bias_index",
)  # fmt: skip
AGREEMENT_PLAN_COLUMNS = (TALLY_CODE, "n", "positive", "ac1_width", "segments_needed")

# Saturation (Guest, Namey & Chen 2020): one row per transcript in the order held.
SATURATION_COLUMNS = (
    "order", GROUP, "date", "new", "new_items", "cumulative", "step", "run_new", "new_information", "met",
)  # fmt: skip

# Balance of voices: per group and speaker, and per theme and group.
BALANCE_SPEAKER_COLUMNS = (GROUP, PARTICIPANT, ROLE, "turns", "words", "turn_share", "word_share")
BALANCE_GROUP_COLUMNS = (
    GROUP, "participants", "turns", "words", "facilitator_turn_share", "facilitator_word_share",
    "gini_turns", "gini_words",
)  # fmt: skip
THEME_SPREAD_COLUMNS = (
    TALLY_THEME,
    GROUP,
    "voiced",
    "participants",
    "spread",
    "top_participant",
    "top_share",
    "dominant",
)
SPREAD = "Spread"  # tally --spread: per group, k/n participants who voiced the theme ("*": one dominates)
# Rapid qualitative analysis (``radar rapid``): the summary template, the matrix, the calibration.
RAPID_TEMPLATE_NAME = "radar-rapid.xlsx"
DOMAIN = "Domain"
RAPID_SUMMARY = "Summary"
RAPID_QUOTES = "Key quotes"
RAPID_NOTES = "Notes"
RAPID_SUGGESTED = "Suggested segments"
RAPID_ANALYST_COLUMNS = (RAPID_SUMMARY, RAPID_QUOTES, RAPID_NOTES)  # the analyst's: never overwritten
RAPID_TEMPLATE_COLUMNS = (DOMAIN, QUESTION, RAPID_SUMMARY, RAPID_QUOTES, RAPID_NOTES, RAPID_SUGGESTED)
SHEET_RAPID_DOMAINS = "Domains"
SHEET_RAPID_STATE = "radar rapid state"
RAPID_STATE_COLUMNS = (GROUP, DOMAIN, RAPID_SUGGESTED)
RAPID_DOMAIN_COLUMNS = (DOMAIN, QUESTION, "Description", "Themes", "Codes", "Keywords")
RAPID_COUNT_COLUMNS = (DOMAIN, TALLY_N, TALLY_TOTAL, TALLY_LABEL)
RAPID_QUOTE_COLUMNS = (SEGMENT_ID, GROUP, PARTICIPANT, TEXT, "Cited in")
RAPID_CALIBRATION_COLUMNS = (
    GROUP, DOMAIN, "Status", "Summary A", "Summary B", "Quotes A", "Quotes B", "Shared quotes", "Quote overlap",
)  # fmt: skip
RAPID_CALIBRATION_SUMMARY_COLUMNS = (
    GROUP, "Domains", "Both filled", "Only A", "Only B", "Neither", "Mean quote overlap",
)  # fmt: skip
# Precision and recall of suggestions (``radar suggest report``): per code, then "(all codes)".
SUGGEST_REPORT_COLUMNS = (TALLY_CODE, "suggested", "accepted", "rejected", "missed", "precision", "recall")
