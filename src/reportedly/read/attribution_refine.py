"""Learned refinements of the rule attributions (``attribution_rules.find``), trained on PolNeAR train
by ``scripts/train_attribution.py`` into ``models/attribution_refine.json`` (weights only).

- A leading content piece: PolNeAR splits a content around its cue when part of it comes first
  ("“Judge,” Brafman said, “...”", "If he loses, he said, ...", "Sanders is expected to win" with
  content [Sanders, to win]). For each attribution whose content lies after its cue, the candidate is
  the text of the cue's sentence before the source (or before the cue; or, for a raising verb, the
  subject itself); a logistic regression decides whether it is a content piece.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MODEL = Path(__file__).resolve().parents[1] / "models" / "attribution_refine.json"


@lru_cache(maxsize=1)
def refine_model() -> dict | None:
    try:
        return json.loads(MODEL.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _score(w: dict, bias: float, feats: list[str]) -> float:
    import math
    z = bias + sum(w.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-z))


def lead_candidate(ix, r):
    """(kind, span, features) of the leading piece candidate of one Raw, or None."""
    from . import attribution_rules as R

    if not r.content or r.cue_head < 0 or r.frame in ("credit", "statement"):
        return None
    doc = ix.doc
    tok = doc[r.cue_head]
    clip = ix.line_bounds(tok.idx)
    sent = tok.sent
    if r.content[-1][1] <= r.cue[0]:
        # content before the cue: the rest of the sentence after the cue (and a source after it)
        kind = "tail"
        anchor = max(r.cue[1], r.source[1] if r.source else 0)
        toks = [w for w in sent if w.idx >= anchor and w.idx < clip[1]]
        span = R.content_span(ix, toks, clip) if toks else None
        if span is None:
            return None
    else:
        if r.content[0][0] < r.cue[1]:
            return None
        kind = "prefix"
        if r.source and r.source[0] < r.cue[0]:
            anchor = r.source[0]
        else:
            anchor = r.cue[0]
        toks = [w for w in sent if w.idx < anchor and w.idx >= clip[0]]
        span = R.tokens_span(ix, toks, clip) if toks else None
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i]
        if subj and (r.source is None or r.frame == "xcomp"):
            sp = R.tokens_span(ix, list(subj[0].subtree), clip)
            if sp and sp[1] <= r.cue[0]:
                kind, span = "subject", sp
                toks = list(subj[0].subtree)
    if span is None or not toks:
        return None
    t = ix.text
    toks = [w for w in toks if span[0] <= w.idx < span[1]]
    if not any(w.is_alpha or w.like_num for w in toks):
        return None
    if any(s < span[1] and span[0] < e for s, e in [r.cue] + ([r.source] if r.source and kind != "subject" else [])):
        return None
    ids = {w.i for w in toks}
    roots = [w for w in toks if w.head.i not in ids or w.head is w]
    root = roots[0] if roots else toks[0]
    n = len(toks)
    lemma = r.cue_lemma.split()[0] if r.cue_lemma else ""
    f = [
        "k=" + kind, "k|fr=%s|%s" % (kind, r.frame), "lem=" + lemma, "fr|lem=%s|%s" % (r.frame, lemma),
        "src=%d" % bool(r.source), "cdep=" + tok.dep_,
        "rdep=" + root.dep_, "rpos=" + root.pos_, "rhead_is_cue=%d" % (root.head.i == tok.i),
        "k|rdep=%s|%s" % (kind, root.dep_),
        "first=" + toks[0].lower_, "firstpos=" + toks[0].pos_, "last=" + toks[-1].lower_,
        "len=%d" % min(n, 6) if n < 6 else "len=long",
        "q0=%d" % (t[span[0]] in "“\"'‘"), "q1=%d" % (t[span[1] - 1] in "”\"'’"),
        "verb=%d" % any(w.pos_ in ("VERB", "AUX") for w in toks),
        "inq=%d" % (ix.quote_at(span[0]) is not None),
        "nroots=%d" % min(len(roots), 3),
        "gap=" + "".join(c for c in t[span[1]:anchor] if not c.isspace())[:3],
        "sentstart=%d" % (toks[0].i == sent.start),
        "c0q=%d" % (t[r.content[0][0]] in "“\"'‘"),
    ]
    return kind, span, f


def refine(ix, raws, model: dict | None = None) -> None:
    model = refine_model() if model is None else model
    if not model:
        return
    table = model.get("cue_ext")
    if table:
        for r in raws:
            refine_cue(ix, r, table)
    lead = model.get("lead")
    if lead:
        for r in raws:
            c = lead_candidate(ix, r)
            if c is None:
                continue
            kind, span, f = c
            if _score(lead["w"], lead["bias"], f) >= lead["threshold"]:
                if any(s < span[1] and span[0] < e for s, e in r.content):
                    continue
                r.content = sorted(set(r.content) | {span})
                if kind == "subject" and r.source == span:
                    r.source = None
                    r.source_head = -1


_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
         "tonight"}


def cue_candidates(ix, r):
    """Alternative cue spans for one Raw: [(key, (start, end))], each a small extension of the rule cue
    (a preposition after it, a day after it, an adverb or auxiliary before it, "it" after "put")."""
    if r.cue_head < 0 or r.frame in ("credit", "according"):
        return []
    doc = ix.doc
    tok = doc[r.cue_head]
    lemma = tok.lemma_.lower()
    s, e = r.cue
    out = []
    # the token right after the cue
    j = None
    for w in doc[tok.i + 1: min(len(doc), tok.i + 6)]:
        if w.idx >= e:
            j = w
            break
    if j is not None and j.head.i == tok.i and not ix.quote_at(j.idx):
        key = None
        pobj = next((c for c in j.children if c.dep_ == "pobj"), None) if j.dep_ == "prep" else None
        if j.lower_ in ("in", "on") and pobj is not None and pobj.pos_ == "NOUN":
            last = max(w.i for w in j.subtree)
            if last - j.i <= 4:
                k2 = "in:" + pobj.lemma_.lower()
                out.append((lemma + "|" + k2, (s, doc[last].idx + len(doc[last].text))))
                out.append(("*|" + k2, (s, doc[last].idx + len(doc[last].text))))
        if j.dep_ in ("prep", "dative", "agent"):
            key = "prep:" + j.lower_
        elif j.dep_ in ("npadvmod", "advmod") and j.lower_ in _DAYS:
            key = "day"
        elif j.dep_ == "dobj" and j.lower_ in ("it", "so", "himself", "herself", "themselves", "itself"):
            key = "obj:" + j.lower_
        elif j.dep_ in ("acomp", "oprd") and j.pos_ == "ADJ":
            key = "adj:" + j.lower_
        if key:
            out.append((lemma + "|" + key, (s, j.idx + len(j.text))))
            out.append(("*|" + key, (s, j.idx + len(j.text))))
    # the token right before the cue
    i = None
    for w in reversed(doc[max(0, tok.i - 5): tok.i]):
        if w.idx + len(w.text) <= s:
            i = w
            break
    if i is not None and i.head.i == tok.i and i.dep_ in ("advmod", "aux", "auxpass", "neg") \
            and not i.is_punct and s - (i.idx + len(i.text)) <= 1:
        key = "pre:" + i.lower_
        out.append((lemma + "|" + key, (i.idx, e)))
        out.append(("*|" + key, (i.idx, e)))
    return out


def refine_cue(ix, r, table: dict) -> None:
    seen = set()
    for key, span in cue_candidates(ix, r):
        if span in seen:
            continue
        v = table.get(key)
        if v is None:
            continue
        seen.add(span)
        if v > 0:
            if span[0] < r.cue[0]:
                r.cue = (span[0], r.cue[1])
            else:
                r.cue = (r.cue[0], span[1])
