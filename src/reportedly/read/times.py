"""Time expressions normalised against the publication date (placeholder until issue 4 lands)."""
from __future__ import annotations

from ..model import Report
from .nlp import Parsed
from .registry import layer


@layer("times")
def read_times(parsed: Parsed, report: Report) -> dict:
    return {"times": []}
