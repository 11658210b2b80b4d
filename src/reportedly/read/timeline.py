"""The timeline: what was said, what was reported and what the outlet tells, each at its normalised time,
in the order of the calendar.

Each dated time expression places the words around it:
- ``said``: the time modifies an attribution's cue ("Kahl said on Tuesday", "In September, Musk spoke on
  stage and said"): the attribution was made then, and the entry is its sentence;
- ``reported``: the time sits inside an attribution's content ("Media reports that Musk and Putin spoke in
  2022"): what the attribution reports happened then, on its word, and the entry is that content;
- ``narrated``: anything else, the outlet's own account; the entry is the sentence.
A time with no value of its own but an anchor ("A week later", after "September last year") is placed
just after (or before) its anchor's stretch. Entries run by the start of the stretch their value names
("2022-W05" before "2022-02-15", "2022-Q1" before "2022-04"), the longer stretch first when two start
together, then in the order of the text.
"""
from __future__ import annotations

import re

from ..model import Report, Span, TimelineEntry
from .nlp import Parsed, trimmed
from .registry import layer
from .times_values import interval

_AFTER = re.compile(r"\b(?:later|after|afterwards?|following|next|subsequent(?:ly)?|since)\b", re.I)
_BEFORE = re.compile(r"\b(?:earlier|before|previous(?:ly)?|prior|preceding|ago)\b", re.I)
_RELATION_RANK = {"before": -1, None: 0, "after": 1}


def _relation(text: str) -> str | None:
    """Which side of its anchor an anchored time lies ("a week later": after), or None when the words
    don't say."""
    after, before = _AFTER.search(text), _BEFORE.search(text)
    if after and not before:
        return "after"
    if before and not after:
        return "before"
    return None


def _placed(report: Report):
    """(time, value, relation, stretch) for every time expression the calendar can hold."""
    by_id = {t.id: t for t in report.times}
    for t in report.times:
        if t.type not in ("DATE", "TIME"):
            continue
        stretch = interval(t.value)
        if stretch is not None:
            yield t, t.value, None, stretch
            continue
        anchor = by_id.get(t.anchor) if t.value is None and t.anchor else None
        relation = _relation(t.text) if anchor is not None else None
        stretch = interval(anchor.value) if relation else None
        if stretch is not None:
            yield t, anchor.value, relation, stretch


def _governor(tok):
    """The verb a token hangs on (itself when it is one); the sentence's root when none."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _same_clause(v, cue_tok) -> bool:
    """Whether a time governed by verb ``v`` modifies the cue: the same verb, or verbs coordinated
    ("spoke on stage and said"), or the cue's noun or participle under that verb ("in a statement")."""
    c = _governor(cue_tok)  # spaCy makes a new Token object at each access: compare positions
    if c.i == v.i:
        return True
    return (c.dep_ == "conj" and c.head.i == v.i) or (v.dep_ == "conj" and v.head.i == c.i)


def _sentence(parsed: Parsed, start: int):
    return next((s for s in parsed.doc.sents if s.start_char <= start < s.end_char), None)


def _place(parsed: Parsed, report: Report, t, sent):
    """(role, attribution id, the span the entry shows) for time expression ``t`` in sentence ``sent``."""
    doc = parsed.doc
    holders = []  # (piece length, attribution, piece): the contents the time sits in, innermost first
    for a in report.attributions:
        for c in a.content:
            if c.start <= t.start and t.end <= c.end:
                holders.append((c.end - c.start, a, c))
    holders.sort(key=lambda h: h[0])
    inner = holders[0] if holders else None
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is not None and len(span):
        verb = _governor(span.root)
        for a in report.attributions:
            if not (sent.start_char <= a.cue.start < sent.end_char):
                continue
            if any(c.start <= t.start < c.end for c in a.content):
                continue  # inside what it says, not when it was said
            if inner is not None and not (inner[2].start <= a.cue.start < inner[2].end):
                continue  # the cue must sit in the same reported stretch as the time
            cue = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
            if cue is not None and len(cue) and _same_clause(verb, cue.root):
                return "said", a.id, Span.of(parsed.text, *trimmed(parsed, sent.start_char, sent.end_char))
    if inner is not None:
        _, a, c = inner
        return "reported", a.id, Span.of(parsed.text, *trimmed(parsed, c.start, c.end))
    return "narrated", None, Span.of(parsed.text, *trimmed(parsed, sent.start_char, sent.end_char))


@layer("timeline")
def read_timeline(parsed: Parsed, report: Report) -> dict:
    keyed = []
    for t, value, relation, (start, end) in _placed(report):
        sent = _sentence(parsed, t.start)
        if sent is None:
            continue
        role, att, what = _place(parsed, report, t, sent)
        if what.start == what.end:
            continue
        entry = TimelineEntry(value=value, time=t.id, what=what, attribution=att, role=role, relation=relation)
        keyed.append(((start, -(end - start).total_seconds(), _RELATION_RANK[relation], t.start), entry))
    keyed.sort(key=lambda k: k[0])
    return {"timeline": [e for _, e in keyed]}
