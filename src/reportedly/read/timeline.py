"""The timeline: attributions and reported events placed at their normalised times."""
from __future__ import annotations

from ..model import Report, Span, TimelineEntry
from .nlp import Parsed, trimmed
from .registry import layer


@layer("timeline")
def read_timeline(parsed: Parsed, report: Report) -> dict:
    entries: list[TimelineEntry] = []
    if not report.times:
        return {"timeline": entries}
    sents = list(parsed.doc.sents)
    for t in report.times:
        if not t.value or t.type != "DATE" or not t.value[:1].isdigit():
            continue
        sent = next((s for s in sents if s.start_char <= t.start < s.end_char), None)
        if sent is None:
            continue
        att = next(
            (a.id for a in report.attributions for c in a.content if c.start <= t.start < c.end),
            None,
        )
        what = Span.of(parsed.text, *trimmed(parsed, sent.start_char, sent.end_char))
        entries.append(TimelineEntry(value=t.value, time=t.id, what=what, attribution=att))
    entries.sort(key=lambda e: (e.value, e.what.start))
    return {"timeline": entries}
