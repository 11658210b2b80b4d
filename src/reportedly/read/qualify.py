"""Hedges and the outlet's editorial voice (placeholder until issue 6 lands)."""
from __future__ import annotations

from ..model import Report
from .nlp import Parsed
from .registry import layer


@layer("qualify")
def read_qualify(parsed: Parsed, report: Report) -> dict:
    return {"hedges": [], "editorial": []}
