"""Shared fixtures: small study folders written as real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# The published seed table (and the MIT-licensed REFI-QDA project schema) live in the repository;
# the rest of the team's reference files sit in a shared folder beside it, absent from most clones.
REFERENCE = Path(__file__).resolve().parent / "files" / "reference"
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "digital-peer-support"

CODEBOOK_YAML = """\
title: Test codebook
themes:
  - name: Access
    definition: Getting online.
    codes:
      - name: Devices
        definition: Phones, tablets, laptops.
        keywords: [laptop, tablet]
      - name: Data plans
        keywords: [data plan, hotspot]
  - name: Privacy
    codes:
      - name: Passwords
        keywords: [password]
  - name: Self-care
    codes:
      - name: Burnout
        keywords: [burnout, exhausted]
"""

FG1 = """\
Focus group 1
Date: 3 May 2026

Moderator: What gets in the way of joining a group online?
P1: My laptop is ancient, it freezes every call.
P2: I use a hotspot from my phone and the data plan runs out.
It runs out in a week.
P3: [crosstalk]
Moderator: And keeping things private?
P1: I never reuse a password.
P2: Honestly I am exhausted by the end of the day.
P3: Nothing to add really.
"""

FG2 = """\
Moderator: What gets in the way of joining a group online?
P1: My tablet works fine, but burnout is real.
P2: I lost my password twice.
"""


def write_study(root: Path, *, speakers: str | None = None) -> Path:
    """A two-group study with a YAML codebook; returns its folder."""
    (root / "transcripts").mkdir(parents=True)
    (root / "transcripts" / "fg1.txt").write_text(FG1, encoding="utf-8")
    (root / "transcripts" / "fg2.txt").write_text(FG2, encoding="utf-8")
    (root / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    if speakers is not None:
        (root / "speakers.csv").write_text(speakers, encoding="utf-8")
    return root


@pytest.fixture
def make_study() -> Callable[..., Path]:
    """The study writer, for tests that need a variant of the standard study."""
    return write_study


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    return write_study(tmp_path / "study")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes more than 10 s; still runs by default (deselect with -m 'not slow')"
    )


@pytest.fixture
def reference() -> Path:
    """The reference files kept in the repository (tests/files/reference, see its README)."""
    return REFERENCE


@pytest.fixture
def shared_reference() -> Path:
    """The team's shared reference folder beside the repository; skips the test when it is absent."""
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(
            f"the shared reference folder {SHARED_REFERENCE} is absent (it sits beside the repository)"
        )
    return SHARED_REFERENCE
