"""Attributions: who said what, on whose word (placeholder until issue 3 lands)."""
from __future__ import annotations

from ..model import Report
from .nlp import Parsed
from .registry import layer


@layer("attributions")
def read_attributions(parsed: Parsed, report: Report) -> dict:
    return {"attributions": []}
