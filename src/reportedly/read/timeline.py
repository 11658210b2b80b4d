"""The timeline: what was said, what was reported and what the outlet tells, each at its normalised time,
in the order of the calendar.

Each dated time expression places the words around it:
- ``said``: the time dates an attribution's cue: beside it ("said on Tuesday", "Tuesday said"), in its frame
  before the content ("police said on Tuesday they had arrested"), or hung on the cue verb or one coordinated
  with it, directly, through prepositions or through a noun of saying ("In September, Musk spoke on stage
  and said", "said in an editorial on Monday"), never as a noun's time ("reported third-quarter earnings"):
  the attribution was made then, and the entry is its sentence;
- ``reported``: the time sits inside an attribution's content ("Media reports that Musk and Putin spoke in
  2022"): what the attribution reports happened then, on its word, and the entry is that content;
- ``narrated``: anything else, the outlet's own account; the entry is the sentence.
A time with no value of its own but an anchor ("A week later", after "September last year") is placed
just after (or before) its anchor's stretch; a time anchored to a known event ("before Russia's full-scale
invasion of Ukraine", ``times_events``) just before (or after) the event's date. Entries run by the start
of the stretch their value names ("2022-W05" before "2022-02-15", "2022-Q1" before "2022-04"), the longer
stretch first when two start together, then in the order of the text.
"""
from __future__ import annotations

import bisect
import re

from ..model import Report, Span, TimelineEntry
from .attribution_rules import CUE_NOUNS, MEDIUM_NOUNS, STATEMENT_NOUNS
from .nlp import Parsed, trimmed
from .registry import layer
from .times_values import interval

_AFTER = re.compile(r"\b(?:later|after|afterwards?|following|next|subsequent(?:ly)?|since)\b", re.I)
_BEFORE = re.compile(r"\b(?:earlier|before|previous(?:ly)?|prior|preceding|ago)\b", re.I)
_RELATION_RANK = {"before": -1, None: 0, "after": 1}
# a time anchored to a known event ("before the full-scale invasion") lies on this side of the event's date
_MOD_RELATION = {"BEFORE": "before", "ON_OR_BEFORE": "before", "AFTER": "after", "ON_OR_AFTER": "after"}
_BESIDE = re.compile(r"\s*(?:(?:on|in|at|during|early|late|earlier|later)\s+)?", re.I)


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
            yield t, t.value, _MOD_RELATION.get(t.mod), stretch
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


# nouns of saying a time may hang on and still date the saying ("said in an editorial on Monday", "a
# statement today by", "in its Friday issue", "yesterday's announcement")
_SAYING_NOUNS = MEDIUM_NOUNS | STATEMENT_NOUNS | CUE_NOUNS | {
    "issue", "edition", "broadcast", "briefing", "conference", "appearance", "address", "remarks", "testimony",
    "hearing", "debate", "session", "meeting", "news", "show", "program", "article", "story", "op-ed"}


def _adverbial(tok, verb, span) -> bool:
    """Whether a time (``span``, its root ``tok``) says when ``verb`` happened: hung on it directly ("said
    Tuesday"), through prepositions and adverbs ("in September ... spoke", "up until Thursday"), or through a
    noun of saying ("said in an editorial on Monday"); not through another noun ("reported a third-quarter
    loss": the loss's time)."""
    while tok.i != verb.i:
        inside = span.start <= tok.i < span.end
        if not inside and tok.pos_ not in ("ADP", "ADV", "PART") and tok.lemma_.lower() not in _SAYING_NOUNS:
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _same_clause(v, cue_tok) -> bool:
    """Whether a time governed by verb ``v`` modifies the cue: its verb is ``v``, or the two verbs are
    coordinated ("In September, Musk spoke on stage and said")."""
    c = _governor(cue_tok)  # spaCy makes a new Token object at each access: compare positions
    if c.i == v.i:
        return True
    return (c.dep_ == "conj" and c.head.i == v.i) or (v.dep_ == "conj" and v.head.i == c.i)


def _sentence(sents: list, starts: list[int], char: int):
    """The sentence holding ``char`` (``starts``: the sentences' first characters, in order), or None."""
    k = bisect.bisect_right(starts, char) - 1
    return sents[k] if k >= 0 and char < sents[k].end_char else None


def _in_frame(a, t, sent) -> bool:
    """Whether time ``t`` sits in attribution ``a``'s frame, between its source or cue and the content that
    follows ("police said on Tuesday they had arrested", "Clinton told reporters Wednesday."), where the
    parser may hang it on the reported verb instead."""
    if any(c.start < t.end and t.start < c.end for c in a.content):
        return False
    start = min(a.cue.start, a.source.start) if a.source else a.cue.start
    after = [c.start for c in a.content if c.start >= a.cue.end]
    end = min(after) if after else sent.end_char
    return start <= t.start and t.end <= end


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
    said = []  # (how sure, distance, attribution): the attributions the time may date
    if span is not None and len(span):
        verb = _governor(span.root)
        adverbial = _adverbial(span.root, verb, span)
        # "said last month's discovery", "reported third-quarter earnings": the time of a noun, not of the cue
        modifier = span.root.dep_ in ("poss", "compound", "amod", "nmod", "nummod") or \
            parsed.text[t.end:t.end + 2] in ("'s", "\u2019s")
        for a in report.attributions:
            if not (sent.start_char <= a.cue.start < sent.end_char):
                continue
            cue = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
            if cue is None or not len(cue):
                continue
            near = abs(a.cue.start - t.start)
            if not modifier and ((t.start >= a.cue.end and _BESIDE.fullmatch(parsed.text[a.cue.end:t.start])) or
                                 (a.cue.start >= t.end and _BESIDE.fullmatch(parsed.text[t.end:a.cue.start]))):
                said.append((-1, near, a))  # "said Tuesday", "said on Tuesday", "Tuesday said": whatever the parse
                continue
            if adverbial and verb.i == _governor(cue.root).i:
                # the time hangs on the cue verb itself ("said today conditions were worse"): when it was
                # said, even where the content's span runs over it
                said.append((0, near, a))
                continue
            if any(c.start <= t.start < c.end for c in a.content):
                continue  # inside what it says, not when it was said
            if inner is not None and not (inner[2].start <= a.cue.start < inner[2].end):
                continue  # the cue must sit in the same reported stretch as the time
            if adverbial and _same_clause(verb, cue.root):
                said.append((1, near, a))
            elif _in_frame(a, t, sent):
                said.append((2, near, a))
    if said:
        a = min(said, key=lambda x: x[:2])[2]
        return "said", a.id, Span.of(parsed.text, *trimmed(parsed, sent.start_char, sent.end_char))
    if inner is not None:
        _, a, c = inner
        return "reported", a.id, Span.of(parsed.text, *trimmed(parsed, c.start, c.end))
    return "narrated", None, Span.of(parsed.text, *trimmed(parsed, sent.start_char, sent.end_char))


@layer("timeline")
def read_timeline(parsed: Parsed, report: Report) -> dict:
    keyed = []
    sents = list(parsed.doc.sents)
    starts = [x.start_char for x in sents]
    for t, value, relation, (start, end) in _placed(report):
        sent = _sentence(sents, starts, t.start)
        if sent is None:
            continue
        role, att, what = _place(parsed, report, t, sent)
        if what.start == what.end:
            continue
        entry = TimelineEntry(value=value, time=t.id, what=what, attribution=att, role=role, relation=relation)
        keyed.append(((start, -(end - start).total_seconds(), _RELATION_RANK[relation], t.start), entry))
    keyed.sort(key=lambda k: k[0])
    return {"timeline": [e for _, e in keyed]}
