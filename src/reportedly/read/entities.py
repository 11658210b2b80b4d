"""Entities: named mentions clustered into real-world entities (placeholder until issue 3 lands)."""
from __future__ import annotations

from ..model import Report
from .nlp import Parsed
from .registry import layer


@layer("entities")
def read_entities(parsed: Parsed, report: Report) -> dict:
    return {"entities": []}
