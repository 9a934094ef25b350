"""radar: rigorous and accelerated data reduction (RADaR) for qualitative transcripts.

Three lines from a study folder to a tally::

    import radar
    study = radar.Study("examples/digital-peer-support")
    study.reduce(); study.tally()

Everything the ``radar`` command does is one call away on :class:`Study`;
transcripts and codebooks load on their own with :func:`read_transcript` and
:func:`load_codebook`. Heavy libraries (pandas, spaCy, matplotlib,
python-docx) load only when a function needs them, so ``import radar`` is fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Study": "radar.study",
    "open_study": "radar.study",
    "init_study": "radar.folder",
    "ReduceResult": "radar.reduction.records",
    "Flow": "radar.reduction.records",
    "Tables": "radar.reduction.records",
    "read_transcript": "radar.transcripts",
    "Transcript": "radar.transcripts",
    "Turn": "radar.transcripts",
    "load_codebook": "radar.codebook",
    "Codebook": "radar.codebook",
    "Theme": "radar.codebook",
    "Code": "radar.codebook",
    "tally": "radar.tally",
    "RadarError": "radar.errors",
    "RadarWarning": "radar.errors",
}

__all__ = [
    "Code",
    "Codebook",
    "Flow",
    "RadarError",
    "RadarWarning",
    "ReduceResult",
    "Study",
    "Tables",
    "Theme",
    "Transcript",
    "Turn",
    "__version__",
    "init_study",
    "load_codebook",
    "open_study",
    "read_transcript",
    "tally",
]

if TYPE_CHECKING:
    from radar.codebook import Code, Codebook, Theme, load_codebook
    from radar.errors import RadarError, RadarWarning
    from radar.folder import init_study
    from radar.reduction.records import Flow, ReduceResult, Tables
    from radar.study import Study, open_study
    from radar.tally import tally
    from radar.transcripts import Transcript, Turn, read_transcript


def __getattr__(name: str) -> Any:
    """Load public names on first use, keeping ``import radar`` light."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'radar' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
