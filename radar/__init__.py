"""radar: rigorous and accelerated data reduction (RADaR) for qualitative transcripts."""

from __future__ import annotations

__version__ = "0.1.0"
