"""Helpers shared by tests that cannot use function-scoped fixtures (Hypothesis)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_study


def write_study_copy(root: Path) -> Path:
    """A fresh copy of the standard two-group study under ``root``."""
    return write_study(root / "study")


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "digital-peer-support"
