"""Member-check packets out: one de-identified Word packet per participant or group."""

from __future__ import annotations

import os
import re
import secrets
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.config import StudyConfig
from radar.deidentify import KIND_SUSPECTED, Deidentifier, deidentifier_for
from radar.errors import MemberCheckError, OutputExistsError, RadarWarning
from radar.files import now_utc
from radar.folder import Folder
from radar.formats import save_docx
from radar.membercheck.packet import build_packet, packet_texts
from radar.membercheck.records import (
    BY,
    CONFIG_TABLE,
    CONTENTS,
    QUOTES_PER_THEME,
    REQUIRED_FIELDS,
    SENT_NAME,
    ExportResult,
    Recipient,
    Said,
    ThemeSummary,
    current_exports,
    exports_of,
    read_sent,
    records_dir,
    write_json,
)
from radar.membercheck.wording import Voices, group_label, staff_of
from radar.reduction.history import append_audit
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import Tables, segment_number
from radar.themes import exemplars
from radar.transcripts import is_non_speech

if TYPE_CHECKING:
    import pandas as pd


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def safe_stem(identifier: str) -> str:
    """A file name stem from an ID: no folders, no dots in front, no reserved names.

    Example:
        >>> safe_stem("P07"), safe_stem("../../etc/passwd"), safe_stem("CON"), safe_stem("fg 1/a")
        ('P07', 'etc_passwd', '_CON', 'fg_1_a')
    """
    stem = _UNSAFE.sub("_", identifier).strip("._-")
    stem = re.sub(r"\.{2,}", ".", stem)[:80] or "packet"
    return f"_{stem}" if _RESERVED.match(stem) else stem


def letter_fields(config: StudyConfig, root: Path) -> dict[str, str]:
    """The cover letter's fields from radar.toml, refusing missing ones."""
    letter = config.member_check
    required = {"contact": letter.contact, "deadline": letter.deadline, "support": letter.support}
    missing = [key for key, value in required.items() if not value.strip()]
    if missing:
        raise MemberCheckError(
            f"radar.toml: the cover letter needs [{CONFIG_TABLE}] {', '.join(REQUIRED_FIELDS)} "
            f"(missing: {', '.join(missing)}); add for example "
            'contact = "the study team, study@example.org", deadline = "30 June 2026", '
            'support = "the support line, 0800 123 456 (free, every day)"'
        )
    fields = {key: " ".join(value.split()) for key, value in required.items()}
    fields["return_to"] = " ".join(letter.return_to.split())
    fields["signed"] = " ".join(letter.signed.split()) or "The study team"
    fields["title"] = config.display_title(root)
    return fields


def _refuse_names_in_letter(fields: Mapping[str, str], deid: Deidentifier) -> None:
    for key, value in fields.items():
        found = deid.found_terms(value)
        if found:
            where = "title" if key == "title" else f"[{CONFIG_TABLE}] {key}"
            raise MemberCheckError(
                f"radar.toml, {where}: it holds {found[0]!r}, which de-identification masks "
                "(a speaker's name or a [deidentify] term); packets name no one, so write a role "
                "or a team address instead, e.g. 'the study team, study@example.org'"
            )


def check_out_dir(study: Folder, out_dir: str | os.PathLike[str]) -> Path:
    """The folder packets go to, refusing the study's own records and transcripts."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise MemberCheckError(f"{out}: is a file; give a folder for the packets")
    resolved, root = out.resolve(), study.root.resolve()
    for inside, what in (
        (study.paths.records, "radar's records"),
        (study.paths.transcripts, "the transcripts"),
    ):
        folder = inside.resolve()
        if resolved == folder or folder in resolved.parents:
            raise MemberCheckError(
                f"{out}: is inside {what} ({inside}); give a folder of its own, e.g. {root / 'member-check'}"
            )
    if resolved == root:
        raise MemberCheckError(
            f"{out}: is the study folder itself; give a folder of its own, e.g. {root / 'member-check'}"
        )
    return out


def export_packets(
    study: Folder,
    out_dir: str | os.PathLike[str],
    by: str = "participant",
    content: str = "both",
    force: bool = False,
    accept_review: bool = False,
) -> ExportResult:
    """Write one member-check packet per participant or per group.

    Before anything is written, the review list (the suspected names of
    ``radar deidentify --check``) is applied to exactly what each packet
    holds: its quotes, turns, questions, theme summaries and cover letter. A
    suspected name nobody reviewed (listed in radar.toml's ``[deidentify]``
    names or places to mask it, or keep if it is not a name) stops the export
    unless ``accept_review`` says the analyst has read the packets.

    Args:
        study: the study; its workbook must exist (``radar reduce`` first).
        out_dir: the folder to write to (created if needed); not inside the
            study's ``.radar`` or ``transcripts`` folders.
        by: ``participant`` (``P07.docx``) or ``group`` (``fg1.docx``).
        content: ``summary`` (themes and quotes), ``transcript`` (the
            participant's own words, or the group's transcript) or ``both``.
        force: overwrite packets already in ``out_dir``.
        accept_review: write packets that hold suspected names (they are
            listed in the notes and the audit trail).

    Raises:
        MemberCheckError: for a bad option, folder or cover-letter field, or a
            packet holding a suspected name without ``accept_review``.
        OutputExistsError: packets already in the folder, without ``force``.
    """
    if by not in BY:
        raise MemberCheckError(f"--by {by!r}: packets go to one of {', '.join(BY)}")
    if content not in CONTENTS:
        raise MemberCheckError(f"--content {content!r}: use one of {', '.join(CONTENTS)}")
    out = check_out_dir(study, out_dir)
    fields = letter_fields(study.config(), study.root)
    tables = tables_from_workbook(study)
    deid = deidentifier_for(study)
    _refuse_names_in_letter(fields, deid)
    speakers = study.speakers()
    listed = [(s.participant_id, s.role) for s in speakers.speakers] if speakers is not None else []
    voices = Voices(staff_of(tables.phase1.to_dict("records"), listed))
    themes = theme_summaries(study, tables, deid, voices)
    labels = group_labels(sorted({str(g) for g in tables.phase1[C.GROUP]}), deid)
    recipients = recipients_of(tables.phase1, by, deid, voices, labels)
    if not recipients:
        raise MemberCheckError(
            f"{study.paths.tables.name}: no participant spoke; there is no one to send a packet to"
        )
    stems = _unique_stems([r.id if r.kind == "participant" else labels[r.id] for r in recipients])
    suspects = review_packets(recipients, stems, themes, content, deid)
    if suspects and not accept_review:
        raise MemberCheckError(
            f"{out}: {_suspects_line(suspects)}: suspected names nobody has reviewed, and packets leave the "
            "team; list each in radar.toml's [deidentify] names (to mask it) or keep (if it is not a name) "
            "and export again, or give --accept-review once you have read the packets; nothing was written"
        )
    existing = [s for s in stems if (out / f"{s}.docx").exists()]
    if existing and not force:
        raise OutputExistsError(  # the overwrite rule of radar.files.check_overwrite, for a folder
            f"{out}: already holds packets ({', '.join(f'{s}.docx' for s in existing[:3])}"
            f"{'...' if len(existing) > 3 else ''}); give an empty folder, or --force to replace them",
            path=str(out / f"{existing[0]}.docx"),
        )
    notes = [
        *_summary_notes(study, themes, content),
        *_group_notes(study, recipients, stems, labels, content),
        *(
            [f"written with --accept-review: {_suspects_line(suspects)} (suspected names, left as they are)"]
            if suspects
            else []
        ),
    ]
    for note in notes:  # before anything is written, so that the researcher sees it first
        warnings.warn(note, RadarWarning, stacklevel=2)
    paths = study.paths
    record = read_sent(paths)
    if not record.get("study"):
        record = {"study": secrets.token_hex(6), "rounds": list(record.get("rounds", []))}
        # the study's fingerprint is kept before any packet carries it
        write_json(records_dir(paths) / SENT_NAME, record)
    token = str(record["study"])
    earlier = exports_of(record)
    number = max((e.number for e in earlier), default=0) + 1
    replaced = next((e.number for e in current_exports(earlier) if e.by == by), None)
    time = now_utc()
    written: list[Path] = []
    sent: list[dict[str, Any]] = []
    out.mkdir(parents=True, exist_ok=True)
    for recipient, stem in zip(recipients, stems):
        target = out / f"{stem}.docx"
        if target.resolve().parent != out.resolve():  # pragma: no cover - safe_stem prevents it
            raise MemberCheckError(f"{stem}: not a safe file name")
        document = build_packet(recipient, stem, token, number, themes, fields, content)
        save_docx(document, target)
        written.append(target)
        sent.append(
            {
                "packet": stem,
                "kind": recipient.kind,
                "id": recipient.id,
                "groups": list(recipient.groups),
                "themes": [t.name for t in themes],
                "file": target.name,
            }
        )
    round_ = {
        "export": number,
        "time": time,
        "folder": str(out.resolve()),
        "by": by,
        "content": content,
        "safeguards": list(deid.safeguards),
        "packets": sent,
    }
    if replaced is not None:
        round_["replaces"] = replaced
    record = {"study": token, "rounds": [*record.get("rounds", []), round_]}
    record_path = records_dir(paths) / SENT_NAME
    write_json(record_path, record)
    append_audit(
        paths,
        {
            "action": "member-check export",
            "time": time,
            "radar_version": __version__,
            "export": number,
            "folder": round_["folder"],
            "replaces": replaced,
            "by": by,
            "content": content,
            "sent": [p["packet"] for p in sent],
            "themes": [t.name for t in themes],
            "safeguards": list(deid.safeguards),
            "notes": notes,
        },
    )
    return ExportResult(
        tuple(written), deid.safeguards, record_path, by, content, number, replaced, tuple(notes)
    )


def review_packets(
    recipients: Sequence[Recipient],
    stems: Sequence[str],
    themes: Sequence[ThemeSummary],
    content: str,
    deid: Deidentifier,
) -> dict[tuple[str, str], list[str]]:
    """The review list applied to what each packet holds: (suspected name, where) -> the packets.

    ``where`` is a Segment ID (or ``theme 'Name'``, ``group fg1``); each text
    is checked once, however many packets share it (the same quotes go into all).
    """
    shown = [(stem, packet_texts(r, themes, content)) for r, stem in zip(recipients, stems)]
    unique = list(dict.fromkeys(text for _, texts in shown for _, text in texts))
    suspected: dict[str, list[str]] = {}
    for finding in deid.check((str(i), "", text) for i, text in enumerate(unique)):
        if finding.kind == KIND_SUSPECTED:
            suspected.setdefault(unique[int(finding.where)], []).append(finding.found)
    found: dict[tuple[str, str], list[str]] = {}
    for stem, texts in shown:
        for where, text in texts:
            for name in suspected.get(text, []):
                packets = found.setdefault((name, where), [])
                if f"{stem}.docx" not in packets:
                    packets.append(f"{stem}.docx")
    return found


def _suspects_line(suspects: Mapping[tuple[str, str], Sequence[str]], shown: int = 5) -> str:
    """``'Rosa Delgado' (Segment ID fg1-004) in P01.docx, P02.docx; ...`` for the first few."""
    parts = []
    for (name, where), packets in list(suspects.items())[:shown]:
        place = where if where.startswith(("theme ", "group ")) else f"Segment ID {where}"
        listed = ", ".join(packets[:3]) + (f" and {len(packets) - 3} more" if len(packets) > 3 else "")
        parts.append(f"{name!r} ({place}) in {listed}")
    more = len(suspects) - shown
    return "; ".join(parts) + (f"; and {more} more (see `radar deidentify --check`)" if more > 0 else "")


def group_labels(groups: Sequence[str], deid: Deidentifier) -> dict[str, str]:
    """Each group's ID as packets show it, one label per group (see :func:`group_label`)."""
    labels: dict[str, str] = {}
    used: set[str] = set()
    for group in groups:
        label = base = group_label(group, deid)
        number = 2
        while label.lower() in used:
            label = f"{base}-{number}"
            number += 1
        used.add(label.lower())
        labels[group] = label
    return labels


def _summary_notes(study: Folder, themes: Sequence[ThemeSummary], content: str) -> list[str]:
    missing = [t.name for t in themes if not t.written]
    if not missing or content == "transcript":
        return []
    codebook = study.codebook().path
    where = codebook.name if codebook is not None else "the codebook"
    return [
        f"{where}: {_and_list([repr(n) for n in missing])} {'has' if len(missing) == 1 else 'have'} "
        f"no definition, so the packets show no plain-language summary of {'it' if len(missing) == 1 else 'them'} "
        '(at most "This theme is about" and the codes\' names); write a definition a participant '
        "understands, then export again"
    ]


def _group_notes(
    study: Folder,
    recipients: Sequence[Recipient],
    stems: Sequence[str],
    labels: Mapping[str, str],
    content: str,
) -> list[str]:
    """A group whose ID holds a masked term: where packets show the group, they use its label."""
    shown: dict[str, str] = {}
    for recipient, stem in zip(recipients, stems):
        if recipient.kind == "group":
            shown[recipient.id] = f"{stem}.docx"
        elif len(recipient.groups) > 1 and content != "summary":
            for group in recipient.groups:
                shown.setdefault(group, "the headings of participant packets")
    return [
        f"group {group!r}: its ID holds a name, place or organisation that de-identification masks, so "
        f"packets call the group {labels[group]!r} ({where}), as do the {C.SHEET_MEMBER_CHECK!r} sheet's "
        f"Packet cells and the import; its Group cells keep {group!r}"
        for group, where in shown.items()
        if labels[group] != group
    ]


def _unique_stems(ids: Sequence[str]) -> list[str]:
    stems: list[str] = []
    used: set[str] = set()
    for identifier in ids:
        stem = base = safe_stem(identifier)
        number = 2
        while stem.lower() in used:
            stem = f"{base}-{number}"
            number += 1
        used.add(stem.lower())
        stems.append(stem)
    return stems


def theme_summaries(
    study: Folder, tables: Tables, deid: Deidentifier, voices: Voices | None = None
) -> list[ThemeSummary]:
    """The themes with excerpts, ranked as in the tally, each with a summary and quotes."""
    voices = voices or Voices({})
    codebook = study.codebook()
    themes = [str(t) for t, n in zip(tables.themes[C.TALLY_THEME], tables.themes[C.TALLY_N]) if int(n) > 0]
    if not themes:
        raise MemberCheckError(
            f"{study.paths.tables.name}: no theme has coded excerpts yet; code the tables before member checking"
        )
    by_name = {t.name: t for t in codebook.themes}
    quotes = exemplars(tables.phase3, per_theme=QUOTES_PER_THEME, turns=tables.phase1)
    summaries = []
    for name in themes:
        theme = by_name.get(name)
        summary = theme.definition.strip() if theme else ""
        written = bool(summary)
        if not summary and theme and theme.codes:
            summary = "This theme is about " + _and_list([c.name.lower() for c in theme.codes]) + "."
        picked = quotes.get(name, [])[:QUOTES_PER_THEME]
        chosen = [voices.quote(deid.mask(q.text), q.participant) for q in picked]
        segments = tuple(q.segment for q in picked)
        summaries.append(ThemeSummary(name, deid.mask(summary), tuple(chosen), written, segments))
    return summaries


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def recipients_of(
    table1: pd.DataFrame,
    by: str,
    deid: Deidentifier,
    voices: Voices | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[Recipient]:
    """Each participant (or group) with the turns their packet shows, masked."""
    voices = voices or Voices({})
    rows = table1.to_dict("records")
    rows.sort(key=lambda r: (str(r[C.GROUP]), segment_number(str(r[C.SEGMENT_ID]))))
    rows = [r for r in rows if not is_non_speech(str(r[C.TEXT] or ""))]
    texts = deid.mask_all([str(r[C.TEXT] or "") for r in rows])
    questions = deid.mask_all([str(r[C.QUESTION] or "") for r in rows])
    every = table1.to_dict("records")
    if labels is None:
        labels = group_labels(sorted({str(r[C.GROUP]) for r in every}), deid)
    said = [
        (
            r,
            Said(
                labels.get(str(r[C.GROUP]), str(r[C.GROUP])),
                _speaker(r),
                voices.staff_words(question),
                voices.turn(text, str(r[C.PARTICIPANT])),
                str(r[C.SEGMENT_ID]),
            ),
        )
        for r, text, question in zip(rows, texts, questions)
    ]
    if by == "group":
        return [
            Recipient("group", g, (g,), tuple(s for r, s in said if str(r[C.GROUP]) == g))
            for g in sorted({str(r[C.GROUP]) for r in every})
        ]
    groups_of: dict[str, dict[str, None]] = {}
    turns_of: dict[str, list[Said]] = {}
    for r in every:
        if r[C.ROLE] == C.PARTICIPANT_ROLE:
            groups_of.setdefault(str(r[C.PARTICIPANT]), {})[str(r[C.GROUP])] = None
    for r, s in said:
        if r[C.ROLE] == C.PARTICIPANT_ROLE:
            turns_of.setdefault(str(r[C.PARTICIPANT]), []).append(s)
    return [
        Recipient("participant", pid, tuple(groups_of[pid]), tuple(turns_of.get(pid, ())))
        for pid in sorted(groups_of)
    ]


def _speaker(row: Mapping[Any, Any]) -> str:
    role = str(row[C.ROLE])
    if role == C.FACILITATOR_ROLE:
        return "Facilitator"
    if role == C.OBSERVER_ROLE:
        return "Observer"
    return str(row[C.PARTICIPANT])
