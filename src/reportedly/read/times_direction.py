"""Past or future: which occurrence a weekday, a month-day or a month without a year names.

"Friday", "Dec. 7" or "March" name one occurrence before the publication date and one after.
A logistic model (plain weights in models/times_direction.json, trained by
scripts/train_times.py on TimeBank's rule-writing part) scores the later one from the spaCy
parse around the expression: the governing verb's tag, lemma and auxiliaries, the verb above
it, the preposition, the words of the sentence (will, would, said, ago...), quotes, and how far
each occurrence lies from the publication date. Without a parse or the weights, the caller
falls back to the tense rules.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

WEIGHTS = Path(__file__).resolve().parents[1] / "models" / "times_direction.json"

# set to a list by the training script: every call appends (features, info)
RECORD: Optional[list] = None

_SENT_WORDS = {
    "will", "'ll", "would", "wo", "shall", "could", "may", "might", "should", "must", "can", "said", "says",
    "say", "told", "ago", "earlier", "later", "last", "next", "this", "coming", "expected", "scheduled",
    "planned", "plans", "due", "until", "since", "before", "after", "by", "yesterday", "today", "tomorrow",
    "was", "were", "is", "are", "has", "have", "had", "did", "been", "going", "set", "begin", "begins",
    "start", "starts", "meet", "meeting", "vote", "deadline", "effective", "payable", "record", "ended",
    "ending", "ends", "close", "closed", "week", "month", "year", "quarter", "announced", "reported",
}
# words before the expression that point past the moment of the verb: a deadline or a start
# ("postponed until Tuesday", "extended through March", "effective Feb. 1"), or back from it
_AHEAD = {"until", "till", "through", "effective", "starting", "beginning", "by", "from", "before"}
_BEHIND = {"since", "ended", "ending", "last"}
# verbs that move a time forward: "postponed until Tuesday", "extended through March", "gave them until Friday"
_DEFER = {"extend", "postpone", "delay", "defer", "give", "adjourn", "suspend", "push", "put", "move", "reschedule",
          "grant", "allow", "freeze"}
_QUOTES = re.compile(r"[\"“”]|''|``")
_WORD = re.compile(r"[A-Za-z']+|[^\sA-Za-z]")


@lru_cache(maxsize=1)
def weights() -> Optional[dict]:
    try:
        return json.loads(WEIGHTS.read_text())
    except (OSError, ValueError):
        return None


def bucket(kind: str, n: int) -> str:
    if kind == "wd":
        return str(n)
    if kind == "mon":
        return str(n) if n <= 3 else "4-6" if n <= 6 else "7-9" if n <= 9 else "10+"
    for hi, name in ((0, "0"), (3, "1-3"), (7, "4-7"), (14, "8-14"), (31, "15-31"), (60, "32-60"),
                     (120, "61-120"), (240, "121-240")):
        if n <= hi:
            return name
    return "240+"


def _verb(tok, limit: int = 6):
    seen = 0
    while seen < limit:
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "MD":
            return tok
        if tok.head.i == tok.i:
            return None
        tok, seen = tok.head, seen + 1
    return None


def features(tense, start: int, end: int, kind: str, back: int, fwd: int, rule_later: bool) -> list[str]:
    """Feature names for the expression text[start:end]; ``tense`` is the times.Tense reader
    (its text, sentence bounds and spaCy doc); back/fwd: distance (days for wd/md, months
    for mon) to the occurrence before and after the publication date."""
    text, doc = tense.text, tense.doc
    f = ["bias", "k=" + kind, f"b={kind}:{bucket(kind, back)}", f"f={kind}:{bucket(kind, fwd)}",
         f"rule={rule_later}", f"rule{kind}={rule_later}"]
    f.append(f"wt={tense._from_words(start, end)}")
    f.append(f"wt{kind}={tense._from_words(start, end)}")
    s, e = tense.sentence(start, end)
    before = _WORD.findall(text[max(s, start - 40):start].lower())
    after = _WORD.findall(text[end:min(e, end + 30)].lower())
    f.append("p1=" + (before[-1] if before else "^"))
    f.append("p2=" + (" ".join(before[-2:]) if len(before) >= 2 else "^"))
    f.append("n1=" + (after[0] if after else "$"))
    near = set(before[-3:])
    if near & _AHEAD:
        f.append("ahead")
    if near & _BEHIND:
        f.append("behind")
    if text.startswith(("'s", "’s"), end):
        f.append("poss")
    if len(_QUOTES.findall(text, s, start)) % 2 == 1:
        f.append("inq")
    left, right = set(_WORD.findall(text[s:start].lower())), set(_WORD.findall(text[end:e].lower()))
    for w in (left | right) & _SENT_WORDS:  # the words of the sentence, not of the expression
        f.append(f"sw={w}")
        f.append(f"sw{'L' if w in left else 'R'}={w}")
    if doc is not None:
        f.append(f"dt={tense._from_doc(start, end)}")
        f.append(f"dt{kind}={tense._from_doc(start, end)}")
        if tense._tok_starts is None:
            tense._tok_starts = [t.idx for t in doc]
        i = bisect.bisect_right(tense._tok_starts, start) - 1
        if 0 <= i < len(doc):
            tok = doc[i]
            f.append("dep=" + tok.dep_)
            if tok.head.pos_ == "ADP":
                f.append("prep=" + tok.head.lower_)
            v = _verb(tok)
            if v is not None and ((before[-1:] == ["effective"] and before[-2:-1] not in (["was"], ["were"], ["became"])) or (
                    before[-1:] and before[-1] in ("until", "till", "through") and v.lemma_.lower() in _DEFER)):
                f.append("deferred")
            if v is None:
                f.append("noverb")
            else:
                f.append("vt=" + v.tag_)
                f.append("vl=" + v.lemma_.lower())
                f.append("vdep=" + v.dep_)
                for c in v.children:
                    if c.dep_ in ("aux", "auxpass", "neg"):
                        f.append("aux=" + c.lower_)
                        f.append(f"auxt={c.tag_}")
                    elif c.dep_ == "mark":
                        f.append("mark=" + c.lower_)
                h = v.head
                if h is not v:
                    h = _verb(h, 3) if h.pos_ not in ("VERB", "AUX") else h
                    if h is not None and h is not v:
                        f.append("ht=" + h.tag_)
                        f.append("hl=" + h.lemma_.lower())
                        for c in h.children:
                            if c.dep_ in ("aux", "auxpass"):
                                f.append("haux=" + c.lower_)
    return f


def later(tense, start: int, end: int, kind: str, back: int, fwd: int, before_v: str = "",
          after_v: str = "", rule_later: bool = False) -> Optional[bool]:
    """True when the occurrence after the publication date is meant, False for the one before;
    None when there are no weights or no parse (the caller reads the tense instead)."""
    if RECORD is not None:
        RECORD.append((features(tense, start, end, kind, back, fwd, rule_later), dict(start=start, end=end, kind=kind,
                                                                            back=back, fwd=fwd, before=before_v, after=after_v)))
    w = weights()
    if w is None or tense.doc is None:
        return None
    feats = features(tense, start, end, kind, back, fwd, rule_later)
    if "deferred" in feats:
        # the end of a deferral ("postponed until Tuesday", "effective Jan. 1") lies after the act,
        # which the news reports as recent: the later occurrence
        return True
    if w.get("kinds") is not None and kind not in w["kinds"]:
        return None  # the training picked the tense rules for this kind (they read it as well out of fold)
    z = sum(w["w"].get(x, 0.0) for x in feats)
    return 1.0 / (1.0 + math.exp(-z)) > w.get("threshold", 0.5)
