"""Shared fixtures: small study folders written as real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
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


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"the shared reference folder {REFERENCE} is absent (it sits beside the repository)")
    return REFERENCE
