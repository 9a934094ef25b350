"""The study folder: where each file lives, what it holds, and starting one.

::

    my-study/
      transcripts/     one file per focus group or interview (.vtt .srt .txt .md .docx .pdf .rtf .odt)
      speakers.csv     optional: speaker,participant_id,role[,group][,attributes...]
      codebook.yaml    or codebook.yml / codebook.xlsx / codebook.csv: exactly one
      radar.toml       optional: title, research questions, settings
      radar-tables.xlsx   written by radar, edited by the analyst
      .radar/          radar's records (the speaker key); never exported

A :class:`Folder` is what every operation below the :class:`~radar.study.Study`
facade takes: the paths, the settings, the codebook, the speakers and the
transcripts, read when asked for.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from radar.codebook import CODEBOOK_NAMES, Codebook, find_codebook, load_codebook, shipped_codebook
from radar.config import (
    CONFIG_NAME,
    CONFIG_TEMPLATE,
    StudyConfig,
    TranscriptSettings,
    load_config,
    toml_string,
)
from radar.errors import RadarWarning, StudyError, WorkbookError
from radar.files import write_text_atomic
from radar.progress import progress_bar
from radar.speakers import SpeakerList, read_speakers
from radar.transcripts import REFUSED, TRANSCRIPT_SUFFIXES, Transcript, printable_name, read_transcript
from radar.transcripts.survey import SURVEY_SUFFIXES, Survey, read_survey


def is_read(paths: StudyPaths, path: Path) -> bool:
    """Whether radar reads a file of transcripts/: a transcript, or a survey radar.toml names.

    A ``.csv`` or ``.xlsx`` is read as open-ended survey answers only when
    radar.toml has ``[surveys.<its stem>]``, so a stray spreadsheet (a
    participant list, notes) is never read into the tables.
    """
    suffix = path.suffix.lower()
    if suffix in TRANSCRIPT_SUFFIXES:
        return True
    return suffix in SURVEY_SUFFIXES and path.stem.casefold() in _survey_stems(paths)


def _survey_stems(paths: StudyPaths) -> set[str]:
    if not paths.config.exists():
        return set()
    config, _ = load_config(paths.config)
    return {survey.stem.casefold() for survey in config.surveys}


TABLES_NAME = "radar-tables.xlsx"
TRANSCRIPTS_DIR = "transcripts"
SPEAKERS_NAME = "speakers.csv"
RECORDS_DIR = ".radar"
KEY_NAME = "speaker-key.csv"
PROGRESS_DELAY = 1.0  # seconds before a progress bar appears


@dataclass(frozen=True)
class StudyPaths:
    """Where a study keeps each of its files."""

    root: Path

    @property
    def transcripts(self) -> Path:
        return self.root / TRANSCRIPTS_DIR

    @property
    def speakers(self) -> Path:
        return self.root / SPEAKERS_NAME

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def tables(self) -> Path:
        return self.root / TABLES_NAME

    @property
    def records(self) -> Path:
        return self.root / RECORDS_DIR

    @property
    def key(self) -> Path:
        return self.records / KEY_NAME

    @property
    def lock(self) -> Path:
        return self.root / f"~${TABLES_NAME}"


def study_paths(root: str | os.PathLike[str]) -> StudyPaths:
    """The paths of a study, after checking that the folder exists."""
    path = Path(root)
    if path.is_file():
        raise StudyError(f"{path}: is a file; give the study folder (it holds transcripts/)", path=str(path))
    if not path.is_dir():
        raise StudyError(
            f"{path}: no such folder; give the study folder (it holds transcripts/)", path=str(path)
        )
    inside = path.resolve()
    if (
        inside.name == TRANSCRIPTS_DIR
        and not (path / TRANSCRIPTS_DIR).is_dir()
        and _looks_like_study(inside.parent)
    ):
        raise StudyError(
            f"{path}: this is the study's transcripts folder; run radar in the study folder above it "
            f"(cd .., or give {inside.parent})",
            path=str(path),
        )
    return StudyPaths(path)


def _looks_like_study(folder: Path) -> bool:
    return (folder / CONFIG_NAME).exists() or any((folder / name).exists() for name in CODEBOOK_NAMES)


def transcript_files(paths: StudyPaths) -> list[Path]:
    """The study's transcripts, sorted by name.

    Raises:
        StudyError: There is no transcripts/ folder or no transcript in it, a
            file there is of a kind radar cannot read (an old ``.doc``...), or
            two files share a name (``fg1.txt`` and ``fg1.docx``), which would
            give two transcripts one Group ID.
    """
    if not paths.transcripts.is_dir():
        raise StudyError(
            f"{paths.root}: there is no {TRANSCRIPTS_DIR}/ folder; "
            f"put one file per focus group or interview in {paths.transcripts}"
        )
    candidates = sorted(p for p in paths.transcripts.iterdir() if p.is_file() and not _is_hidden(p))
    for path in candidates:
        if path.suffix.lower() in REFUSED:
            raise StudyError(f"{TRANSCRIPTS_DIR}/{printable_name(path.name)}: {REFUSED[path.suffix.lower()]}")
    files = [p for p in candidates if is_read(paths, p)]
    if not files:
        kinds = ", ".join(TRANSCRIPT_SUFFIXES)
        raise StudyError(f"{TRANSCRIPTS_DIR}/: no transcripts found; add {kinds} files")
    stems: dict[str, Path] = {}
    for path in files:
        other = stems.setdefault(path.stem.casefold(), path)
        if other is not path:
            raise StudyError(
                f"{TRANSCRIPTS_DIR}/: {other.name} and {path.name} would both be group {path.stem!r}; "
                "keep one of them, or rename one"
            )
    return files


def unread_files(paths: StudyPaths) -> list[str]:
    """Notes naming the files in transcripts/ that radar does not read."""
    if not paths.transcripts.is_dir():
        return []
    return [
        f"{TRANSCRIPTS_DIR}/{printable_name(path.name)} is not read: radar reads {', '.join(TRANSCRIPT_SUFFIXES)} files"
        + ("" if path.is_file() else " (folders inside transcripts/ are not read)")
        for path in sorted(paths.transcripts.iterdir())
        if not _is_hidden(path) and not (path.is_file() and is_read(paths, path))
    ]


def input_files(paths: StudyPaths) -> list[Path]:
    """The files a reduction reads: the codebook, speakers.csv and the transcripts."""
    files = [paths.root / name for name in CODEBOOK_NAMES if (paths.root / name).exists()]
    if paths.speakers.exists():
        files.append(paths.speakers)
    if paths.transcripts.is_dir():
        files += sorted(
            p for p in paths.transcripts.iterdir()
            if p.is_file() and is_read(paths, p) and not p.name.startswith(("~$", "."))
        )  # fmt: skip
    return files


def read_transcripts(
    files: Sequence[Path],
    speakers: SpeakerList | None,
    progress: bool = False,
    documents: TranscriptSettings | None = None,
) -> list[Transcript]:
    """Read the study's transcripts, each with the labels speakers.csv lists for its group.

    ``documents`` is radar.toml's ``[transcripts]``: each file whose stem it marks as a
    document is read one segment per paragraph; a listed stem that matches no file is a warning.

    Warns:
        RadarWarning: for each listed document that matches no transcript, naming radar.toml.
    """
    documents = documents or TranscriptSettings()
    stems = {path.stem.casefold() for path in files}
    for stem in documents.documents:
        if stem.casefold() not in stems:
            warnings.warn(
                f"{CONFIG_NAME}: [transcripts] documents lists {stem!r}, which is no transcript's "
                "file name (without its suffix); correct the name or remove it",
                RadarWarning,
                stacklevel=2,
            )
    bar = progress_bar(
        files, desc="Reading transcripts", unit="file", disable=not progress, delay=PROGRESS_DELAY
    )
    return [
        read_study_survey(path).transcript()
        if path.suffix.lower() in SURVEY_SUFFIXES
        else read_transcript(
            path,
            speakers.labels_for(path.stem) if speakers else None,
            document=documents.is_document(path.stem),
        )
        for path in bar
    ]


def _study_documents(root: Path) -> TranscriptSettings:
    config, _ = load_config(root / CONFIG_NAME)
    return config.transcripts


def read_study_survey(path: Path) -> Survey:
    """A survey in a study's transcripts/ folder, read with its study's ``[surveys.<stem>]`` settings."""
    config, _ = load_config(path.parent.parent / CONFIG_NAME)
    return read_survey(path, config.survey(path.stem))


def with_surveys(speakers: SpeakerList | None, files: Sequence[Path]) -> SpeakerList | None:
    """The speakers list with each survey's respondents added (their attributes for --by-attribute).

    Without speakers.csv this is done only when every file is a survey: a
    speakers list would make the interviews' speakers unlisted.
    """
    surveys = [p for p in files if p.suffix.lower() in SURVEY_SUFFIXES]
    if not surveys or (speakers is None and len(surveys) < len(files)):
        return speakers
    rows = [*(speakers.speakers if speakers else ())]
    names = list(speakers.attribute_names if speakers else ())
    for path in surveys:
        survey = read_study_survey(path)
        rows += survey.speakers()
        names += [n for n in survey.attribute_names() if n not in names]
    return SpeakerList(tuple(rows), speakers.path if speakers else None, tuple(names))


def read_path(path: str | os.PathLike[str], progress: bool = False) -> list[Transcript]:
    """The transcripts of a study folder, or one transcript file, as radar reads them.

    A file inside a study's transcripts/ folder is read with the labels that
    the study's speakers.csv lists for its group, as ``reduce`` reads it.
    """
    target = Path(path)
    if target.is_dir():
        return Folder(target).transcripts(progress)
    if not target.exists():
        raise StudyError(f"{target}: no such file or folder; give a transcript or a study folder")
    root = target.parent.parent
    if target.suffix.lower() in SURVEY_SUFFIXES:  # with its study's [surveys.<stem>], if any
        in_study = target.parent.name == TRANSCRIPTS_DIR and (root / CONFIG_NAME).exists()
        return [(read_study_survey(target) if in_study else read_survey(target)).transcript()]
    in_study = target.parent.name == TRANSCRIPTS_DIR
    document = in_study and (root / CONFIG_NAME).exists() and _study_documents(root).is_document(target.stem)
    if in_study and (root / SPEAKERS_NAME).exists():
        speakers = read_speakers(root / SPEAKERS_NAME)
        return [read_transcript(target, speakers.labels_for(target.stem), document=document)]
    return [read_transcript(target, document=document)]


def _is_hidden(path: Path) -> bool:
    """Hidden files and Office lock files (``~$fg1.docx``), which are never transcripts."""
    return path.name.startswith(("~$", ".")) or path.name in ("Thumbs.db", "desktop.ini")


def init_study(root: str | os.PathLike[str], title: str = "", codebook: str | None = None) -> list[Path]:
    """Start a study folder: transcripts/, a commented radar.toml, optionally a codebook.

    Args:
        root: the study folder (created if needed).
        title: the study's title for radar.toml.
        codebook: the name of a shipped codebook to copy in as codebook.yaml.

    Returns:
        The paths it created; existing files are left as they are.
    """
    path = Path(root)
    made: list[Path] = []
    source = None
    if codebook:
        source = shipped_codebook(codebook)
        present = [name for name in CODEBOOK_NAMES if (path / name).exists()]
        if present:
            raise StudyError(
                f"{path / present[0]}: the study already has a codebook; remove it to start from {codebook!r}"
            )
    for folder in (path, path / TRANSCRIPTS_DIR):
        if not folder.exists():
            folder.mkdir(parents=True)
            made.append(folder)
    config = path / CONFIG_NAME
    if not config.exists():
        text = CONFIG_TEMPLATE.format(title=toml_string(title or path.resolve().name))
        write_text_atomic(config, text)
        made.append(config)
    if source is not None:
        target = path / "codebook.yaml"
        write_text_atomic(target, source.read_text(encoding="utf-8"))
        made.append(target)
    return made


def next_steps(root: str | os.PathLike[str]) -> list[str]:
    """What to do after ``radar init``, in the order a study needs it (what is already there is skipped)."""
    path = Path(root)
    steps = []
    if not any(p.is_file() and not _is_hidden(p) for p in (path / TRANSCRIPTS_DIR).glob("*")):
        steps.append(f"put the transcripts (.docx, .vtt, .srt, .txt, .pdf ...) in {path / TRANSCRIPTS_DIR}")
    if not any((path / name).exists() for name in CODEBOOK_NAMES):
        steps.append(
            f"add a codebook as {path / 'codebook.yaml'} or codebook.xlsx "
            "(`radar codebook list` shows the shipped ones; `radar init --codebook NAME` copies one in)"
        )
    if not (path / SPEAKERS_NAME).exists():
        steps.append(
            f"list who spoke in {path / SPEAKERS_NAME} (label, group, participant ID, role), "
            "or let radar infer facilitators and check its guess"
        )
    steps.append(f"edit {path / CONFIG_NAME}: title, research questions, what to de-identify")
    steps.append(f"run `radar reduce {path}`, then open {path / TABLES_NAME} in Excel")
    return steps


class Folder:
    """A study folder and its inputs, read when asked for.

    Example:
        >>> folder = Folder("examples/digital-peer-support")  # doctest: +SKIP
        >>> folder.codebook().title  # doctest: +SKIP
        'Digital peer support supervision standards'
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.paths = study_paths(root)

    @property
    def root(self) -> Path:
        """The study folder."""
        return self.paths.root

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r})"

    def config(self) -> StudyConfig:
        """The settings in radar.toml, checked (the defaults when there is none).

        The file is read on each call and parsed once per content, so an edit is
        seen at once; ``reduce()`` warns about keys radar does not know.

        Raises:
            StudyError: a key holds a value of the wrong type, naming the key.

        Warns:
            RadarWarning: for each key radar does not know, naming the closest
                known key (the CLI prints each once).
        """
        config, notes = load_config(self.paths.config)
        for note in notes:
            warnings.warn(note, RadarWarning, stacklevel=2)
        return config

    def codebook(self) -> Codebook:
        """The study's codebook, loaded and checked."""
        return load_codebook(find_codebook(self.root))

    def speakers(self) -> SpeakerList | None:
        """The speakers list, or None when the study has none."""
        listed = read_speakers(self.paths.speakers) if self.paths.speakers.exists() else None
        if not self.paths.transcripts.is_dir():
            return listed
        files = [p for p in self.paths.transcripts.iterdir() if p.is_file() and not _is_hidden(p)]
        return with_surveys(listed, [p for p in files if is_read(self.paths, p)])

    def transcripts(self, progress: bool = False) -> list[Transcript]:
        """The study's transcripts as radar reads them, before de-identification.

        What ``radar read STUDY`` shows: each transcript's shape, encoding,
        speakers, turns, front matter, word count and warnings. The texts hold
        the names as written, so keep them inside the team.
        """
        documents = self.config().transcripts
        return read_transcripts(transcript_files(self.paths), self.speakers(), progress, documents)

    def require_tables(self) -> Path:
        """The workbook's path, or an error saying to run reduce first."""
        if not self.paths.tables.exists():
            raise WorkbookError(
                f"{TABLES_NAME}: not found in {self.root}; run `radar reduce {self.root}` first"
            )
        return self.paths.tables

    def refuse_if_open(self) -> None:
        """Refuse to write a workbook that Excel or LibreOffice has open (its lock file is there)."""
        if self.paths.lock.exists():
            raise WorkbookError(
                f"{self.paths.tables.name} is open in Excel (lock file {self.paths.lock.name}); "
                "save and close it, then run again"
            )
        office = self.paths.root / f".~lock.{TABLES_NAME}#"  # LibreOffice's, and OpenOffice's
        if office.exists() or office.is_symlink():
            raise WorkbookError(
                f"{self.paths.tables.name} is open in LibreOffice (lock file {office.name}); save and "
                f"close it, then run again (if LibreOffice is not running, delete {office.name})",
                path=self.paths.tables.name,
            )


__all__ = [
    "CONFIG_NAME",
    "KEY_NAME",
    "RECORDS_DIR",
    "SPEAKERS_NAME",
    "TABLES_NAME",
    "TRANSCRIPTS_DIR",
    "Folder",
    "StudyPaths",
    "init_study",
    "input_files",
    "next_steps",
    "read_path",
    "read_transcripts",
    "study_paths",
    "transcript_files",
    "unread_files",
]
