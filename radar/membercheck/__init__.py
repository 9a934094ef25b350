"""Member checking: packets for participants, and their answers read back as data.

``export_packets`` writes one Word packet per participant (``P07.docx``) or
per group: a cover letter from radar.toml, a plain-language summary of each
theme with one or two de-identified quotes, the participant's own
de-identified words, and a feedback form::

    Theme | Agree | Partly | Disagree | Comments

with "What is missing?" and "Anything to add?" boxes below. Every text in a
packet goes through the study's :class:`~radar.deidentify.Deidentifier`;
the research team appears as "the facilitator" or "the observer", a group
whose ID holds a masked term by the rest of its ID (``fg1-northside`` ->
``fg1``), and quotes are cited as "(a participant)" without their speaker's
code, so nothing in a packet identifies another participant. A theme whose
codebook entry has no definition (the packet's plain-language summary) is
reported before the packets are written, as a RadarWarning and in the result's
notes.

Each export is numbered; every packet carries a reference (the study's
member-check fingerprint, the packet's ID and the export's number) in its
document properties and its footer; each export (time, folder, unit,
packets) is recorded in ``.radar/member-check/sent.json``. A later export to
the same unit (participants or groups) replaces the earlier one: only the
export in force counts as sent.

``import_packets`` reads the returned packets, records every answer in the
workbook's "Member check" sheet (Participant, Group, Theme, Verdict, Comment,
Packet, Imported) and in the audit trail, and summarises agreement per theme.
A packet that cannot be read is reported by file and row and left out; the
others are read; the same packet imported twice is counted once, and one
returned blank is not counted. The response rate is returned of sent for the
export the returned packets belong to.

The cover letter's fields live in radar.toml::

    title = "Supervising digital peer support"

    [member_check]
    contact = "the study team, peer-study@example.org, 555-0100"
    deadline = "30 June 2026"                          # or "within two weeks": "by" only where it fits
    support = "the peer support line, 0800 123 456 (free, every day 8am to 10pm)"
    return_to = "by email to peer-study@example.org"   # optional
    signed = "The study team"                          # optional

One module per part: :mod:`~radar.membercheck.records` (what was sent and
returned), :mod:`~radar.membercheck.export` (choosing what each packet holds),
:mod:`~radar.membercheck.packet` (the Word layout),
:mod:`~radar.membercheck.wording` (the words it shows),
:mod:`~radar.membercheck.returned` (reading returned packets) and
:mod:`~radar.membercheck.sheet` (the workbook's sheet and the summaries).
"""

from __future__ import annotations

from radar.errors import MemberCheckError
from radar.membercheck.export import (
    check_out_dir,
    export_packets,
    letter_fields,
    recipients_of,
    safe_stem,
    theme_summaries,
)
from radar.membercheck.packet import BODY_FONT, HEADER_FILL, MARGIN_CM, build_packet
from radar.membercheck.records import (
    ADD_BOX,
    BOXES,
    BY,
    COMMENT,
    COMMENT_JOIN,
    CONFIG_TABLE,
    CONTENTS,
    CORRECT_BOX,
    FEEDBACK_HEADER,
    IMPORTED_NAME,
    MISSING_BOX,
    NO_RESPONSE,
    QUOTES_PER_THEME,
    RECORD_DIR,
    REFERENCE,
    REQUIRED_FIELDS,
    SENT_NAME,
    SHEET,
    SHEET_COLUMNS,
    SUMMARY_COLUMNS,
    VERDICTS,
    Answer,
    Export,
    ExportResult,
    ImportResult,
    Packet,
    Recipient,
    Response,
    Said,
    ThemeSummary,
    current_exports,
    exports_of,
    read_sent,
    records_dir,
    sent_packets,
)
from radar.membercheck.returned import import_packets, packet_reference, read_packet
from radar.membercheck.sheet import (
    SHEET_WIDTHS,
    MemberCheckStatus,
    coreq_line,
    member_check_status,
    read_sheet,
    summary_frame,
)

__all__ = [
    "ADD_BOX",
    "BODY_FONT",
    "BOXES",
    "BY",
    "COMMENT",
    "COMMENT_JOIN",
    "CONFIG_TABLE",
    "CONTENTS",
    "CORRECT_BOX",
    "FEEDBACK_HEADER",
    "HEADER_FILL",
    "IMPORTED_NAME",
    "MARGIN_CM",
    "MISSING_BOX",
    "NO_RESPONSE",
    "QUOTES_PER_THEME",
    "RECORD_DIR",
    "REFERENCE",
    "REQUIRED_FIELDS",
    "SENT_NAME",
    "SHEET",
    "SHEET_COLUMNS",
    "SHEET_WIDTHS",
    "SUMMARY_COLUMNS",
    "VERDICTS",
    "Answer",
    "Export",
    "ExportResult",
    "ImportResult",
    "MemberCheckError",
    "MemberCheckStatus",
    "Packet",
    "Recipient",
    "Response",
    "Said",
    "ThemeSummary",
    "build_packet",
    "check_out_dir",
    "coreq_line",
    "current_exports",
    "export_packets",
    "exports_of",
    "import_packets",
    "letter_fields",
    "member_check_status",
    "packet_reference",
    "read_packet",
    "read_sent",
    "read_sheet",
    "recipients_of",
    "records_dir",
    "safe_stem",
    "sent_packets",
    "summary_frame",
    "theme_summaries",
]
