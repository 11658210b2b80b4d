"""Learned refinements of the rule attributions (``attribution_rules.find``), trained on PolNeAR train
by ``scripts/train_attribution.py`` into ``models/attribution_refine.json`` (weights only).

- Cue extensions: a table of which small extensions of a rule cue PolNeAR marks ("referring to",
  "called on", "later said"), by cue lemma (or any) and kind of extension.
- A CRF cue tagger (python-crfsuite, ``models/attribution_cue_crf.bin``) over spaCy token features and the
  rule cues: it sets the boundaries of a rule cue it is confident about and drops a rule cue it gives
  almost no chance.
- The end of a content: every token end from the start of the last piece to the end of its sentence is
  a candidate, a logistic regression scores them, the best replaces the rule's end when it scores higher.
- The start of a content, the same way (token starts from the sentence's start, or from after the cue
  and the source, to the piece's end).
- Where the cue ends and its content begins, as one choice: every token boundary from the cue's head to
  a few words into a content that follows the cue closely is a candidate split (the content starting
  right after the cue's new end, or where it starts now); a scorer reading the tagger's features picks
  one ("hailed Trump as | “The Comeback Kid”", "refuses | to discuss"). Fitted over out-of-fold
  refinements and kept where cross-validation over train said it helps: with the tagger, not without.
- The start and the end of a source, the same way (token bounds in its sentence, never across the cue
  or the content).
- A leading content piece: PolNeAR splits a content around its cue when part of it comes first
  ("“Judge,” Brafman said, “...”", "If he loses, he said, ...", "Sanders is expected to win" with
  content [Sanders, to win]). For each attribution whose content lies after its cue, the candidate is
  the text of the cue's sentence before the source (or before the cue; or, for a raising verb, the
  subject itself); a logistic regression decides whether it is a content piece.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from .attribution_tagger import bucket as _bucket
from .attribution_tagger import crf_rows as tagger_crf_rows
from .attribution_tagger import features as tagger_features
from .attribution_tagger import probs as tagger_probs
from .attribution_tagger import variant
from .attribution_rules import RAISING_VERBS, drop_raws, name_as_modal, names_the_day

MODEL = Path(__file__).resolve().parents[1] / "models" / "attribution_refine.json"
# trained with the contextual tagger's features (scripts/train_attribution.py --tagged), for documents it has read
MODEL_TAGGED = MODEL.with_name("attribution_refine.tagged.json")



@lru_cache(maxsize=2)
def refine_model(variant: str = "") -> dict | None:
    """The refinements; for a tagged document the ones trained with the tagger's features, when they exist."""
    path = MODEL_TAGGED if variant and MODEL_TAGGED.exists() else MODEL
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _score(w: dict, bias: float, feats: list[str]) -> float:
    import math
    z = bias + sum(map(w.get, feats, repeat(0.0)))  # map: the same sum in the same order, without a frame a name
    return 1.0 / (1.0 + math.exp(-z))


def lead_candidate(ix, r):
    """(kind, span, features) of the leading piece candidate of one Raw, or None."""
    from . import attribution_rules as R

    if not r.content or r.cue_head < 0 or r.frame in ("credit", "statement", "citing"):
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
    roots = [w for w in toks if w.head.i not in ids or w.head.i == w.i]
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
    p = tagger_probs(doc)
    if p is not None:  # the contextual tagger's mean content probability over the piece
        f.append("tmean=" + _bucket(float((1 - p[[w.i for w in toks], 2, 0]).mean())))
        f += tagger_features(doc, toks[0].i, "t0", (2,))
    return kind, span, f


def refine(ix, raws, model: dict | None = None, tagger=None) -> list:
    """The refined raws (a new list when the CRF drops some; parent hints remapped)."""
    model = refine_model(variant(ix.doc)) if model is None else model
    if not model:
        return raws
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
    crf = model.get("crf")
    if crf:
        raws = apply_crf(ix, raws, crf, tagger)
    for r in raws:
        fill_content(ix, r)
    end = model.get("end")
    if end:
        for r in raws:
            refine_end(ix, r, end)
    start = model.get("start")
    if start:
        for r in raws:
            refine_start(ix, r, start)
    split = model.get("split")
    if split:
        for r in raws:
            refine_split(ix, r, split)
    for side in ("end", "start"):
        m = model.get("source_" + side)
        if m:
            for r in raws:
                refine_source(ix, r, m, side)
    if TAGGER_SOURCES:  # after the learned bounds, which were fitted on parsed sources, not the tagger's
        for r in raws:
            source_from_tagger(ix, r, raws)
    if STOP_BEFORE_NEXT_REPORT:  # once the sources are settled: it compares them ("He said ... and said ...")
        stop_before_next_report(ix, raws)
    for r in raws:
        keep_apart(ix, r)
        drop_dateline(ix, r)
    return raws


STOP_BEFORE_NEXT_REPORT = True
_JOINERS = {"and", "but", "or", "while", "yet", "then", "as", "before", "after", "also"}


def stop_before_next_report(ix, raws) -> None:
    """'Trump claims that Univision "takes its marching orders" from Mexico, and asserts that ...': a content
    that runs over the next report of the same source ends before it, less the words that join the two
    (PolNeAR train: where a content holds another cue of its source, its gold content ends before that cue
    100 times in 132)."""
    t = ix.text
    for r in raws:
        if not r.content or not r.source:
            continue
        s, e = r.content[-1]
        nxt = [o.cue[0] for o in raws if o is not r and o.source == r.source and s < o.cue[0] and o.cue[1] <= e
               and _joined_report(ix.doc, o.cue_head)]
        if not nxt:
            continue
        cut = min(nxt)
        while True:
            stripped = t[s:cut].rstrip(_TRIM_CHARS)
            last = stripped.rsplit(None, 1)[-1] if stripped.split() else ""
            if last.lower() in _JOINERS:
                stripped = stripped[: len(stripped) - len(last)]
            if len(stripped) == cut - s:
                break
            cut = s + len(stripped)
        if cut - s >= 2 and any(c.isalnum() for c in t[s:cut]):
            r.content[-1] = (s, cut)


_TRIM_CHARS = " \t\n,;:—–-"


def _joined_report(doc, i: int) -> bool:
    """A verb joined to the clause before it, sharing its subject: "..., and asserts", "but said",
    "pointing to" (not an infinitive, an "as" clause or a verb with a subject of its own)."""
    if i < 0:
        return False
    v = doc[i]
    return v.dep_ in ("conj", "advcl") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") or c.dep_ == "aux" and c.lower_ == "to"
        or c.dep_ == "mark" and c.lower_ in ("as", "if", "because", "that") for c in v.children)


# "WASHINGTON (AP) — ", "MYRTLE BEACH, S.C. -- ": a dateline opening a paragraph, in capitals
_DATELINE = re.compile(r"[A-Z][A-Z .,'’]{2,}(?:\([^)\n]*\))?\s*(?:—|–|--|-)\s*")


def drop_dateline(ix, r) -> None:
    """A source or content that opens a paragraph with its dateline ("WASHINGTON — Sen. Bernie Sanders
    defended ...": the parser hangs the place on the subject) starts after it."""
    t = ix.text

    def cut(span):
        s, e = span
        if s and t[s - 1] != "\n":
            return span
        m = _DATELINE.match(t, s, e)
        return (m.end(), e) if m and m.end() < e else span

    if r.source:
        hidden = _subject_after_dateline(ix, r)
        if hidden is not None:
            r.source, r.source_head = hidden
        r.source = cut(r.source)
        if r.source_head >= 0 and ix.doc[r.source_head].idx < r.source[0]:
            r.source_head = ix.tok_at(r.source[0]).i
    if r.content:
        r.content[0] = cut(r.content[0])


def _subject_after_dateline(ix, r) -> tuple[tuple[int, int], int] | None:
    """(span, head) of the subject a dateline hid, where the source is the dateline and nothing more
    ("WASHINGTON (AP)" of "WASHINGTON (AP) — Donald Trump and Paul Ryan pledged ...": the parser gives
    the verb two subjects) and the words from its dash to the cue are one noun phrase (no verb, no
    comma); else None."""
    t = ix.text
    s, e = r.source
    if s and t[s - 1] != "\n":
        return None
    m = _DATELINE.match(t, s)
    if not (m and e <= m.end() < r.cue[0]):
        return None
    words = [w for w in ix.doc.char_span(m.end(), r.cue[0], alignment_mode="expand") or () if not w.is_space
             and w.idx + len(w) <= r.cue[0]]
    if not words or any(w.pos_ in ("VERB", "AUX") or w.text in ",;:" for w in words):
        return None
    inside = {w.i for w in words}
    head = next((w.i for w in words if w.head.i not in inside), words[-1].i)
    return (words[0].idx, words[-1].idx + len(words[-1])), head


def fill_content(ix, r) -> None:
    """A cue left without content whose refined span ends in a preposition ("railed at", "sided with",
    "called again for") reports the preposition's object: the phrase it governs becomes the content."""
    from . import attribution_rules as R

    if r.content or r.cue_head < 0:
        return
    cs, ce = r.cue
    prep = ix.tok_at(ce - 1)
    if prep.idx < cs or prep.dep_ != "prep":
        return
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return
    span = R.content_span(ix, [w for w in obj.subtree if w.idx >= ce], ix.line_bounds(prep.idx))
    if span is not None:
        r.content = [span]


def keep_apart(ix, r) -> None:
    """A cue grown by the refinements over the edge of its content or source ("Just Vowed To" | "To Never
    Utter ...", "Broaddrick Sunday night" | "Sunday night recounted"): the span gives the shared words up
    to the cue. A cue inside a span, or a span inside the cue, is left as it is."""
    r.content = [p for p in (_beside(ix, span, r.cue) for span in r.content) if p is not None]
    if r.source:
        r.source = _beside(ix, r.source, r.cue)


def _beside(ix, span, cue):
    """``span`` less the part of it inside ``cue`` at either edge (trimmed; None when nothing is left)."""
    from . import attribution_rules as R

    (s, e), (cs, ce) = span, cue
    if cs <= s < ce <= e:  # starts inside the cue
        s = ce
    elif s < cs < e <= ce:  # ends inside the cue
        e = cs
    return span if (s, e) == span else R._trim(ix, s, e)


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
            and not i.is_punct and s - (i.idx + len(i.text)) <= 1 and not name_as_modal(i, tok):
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


# ------------------------------------------------------------------ CRF cue tagger
CRF = MODEL.parent / "attribution_cue_crf.bin"
CRF_TAGGED = MODEL.parent / "attribution_cue_crf.tagged.bin"


@lru_cache(maxsize=2)
def crf_tagger(variant: str = ""):
    try:
        import pycrfsuite
    except ImportError:
        return None
    path = CRF_TAGGED if variant and CRF_TAGGED.exists() else CRF
    if not path.exists():
        return None
    tg = pycrfsuite.Tagger()
    tg.open(str(path))
    return tg


def token_features(ix, raws) -> list[list[str]]:
    """Per token of ix.doc: word, lemma, tag, dependency, head, the rule cues (B/I/O) around it.
    Built from per-document columns, not Token objects: this runs over every token of every article."""
    doc = ix.doc
    rule = {}
    for r in raws:
        sp = doc.char_span(r.cue[0], r.cue[1], alignment_mode="expand")
        for w in sp or []:
            rule[w.i] = "B" if w.idx == r.cue[0] else "I"
    n = len(doc)
    trows = tagger_crf_rows(doc)
    low, tags, lem, dep, pos, head, idx = [], [], [], [], [], [], []
    for t in doc:
        low.append(t.lower_)
        tags.append(t.tag_)
        lem.append(t.lemma_.lower())
        dep.append(t.dep_)
        pos.append(t.pos_)
        head.append(t.head.i)
        idx.append(t.idx)
    kids = [[] for _ in range(n)]
    for i, h in enumerate(head):
        if h != i and dep[i] in _KID_DEPS:
            kids[h].append(dep[i])
    # column by column (a list comprehension each), then zipped into rows: the features of a token
    # in the order the model was trained on
    rl = [rule.get(i, "O") for i in range(n)]
    quoted = [ix.quote_at(c) is not None for c in idx]
    cols = [["b"] * n, ["w=" + x for x in low], ["l=" + x for x in lem], ["p=" + x for x in tags],
            ["d=" + x for x in dep], ["hl=" + lem[h] for h in head], ["hd=" + dep[h] for h in head],
            ["hp=" + pos[h] for h in head], ["r=" + x for x in rl], ["hr=" + rl[h] for h in head],
            ["q=1" if q else "q=0" for q in quoted], [f"pd={a}|{b}" for a, b in zip(pos, dep)],
            ["nk=" + "|".join(sorted(k)) for k in kids]]
    for o in (-2, -1, 1, 2):
        for name, col in (("w", low), ("p", tags), ("r", rl)):
            pre = "%d:%s=" % (o, name)
            gone = "%d:pad" % o if name == "w" else None  # a missing neighbour is one pad feature
            cols.append([pre + col[i + o] if 0 <= i + o < n else gone for i in range(n)])
    out = [list(row) for row in zip(*cols)]
    for i in {*range(min(2, n)), *range(max(n - 2, 0), n)}:
        out[i] = [v for v in out[i] if v is not None]
    if trows is not None:
        for f, extra in zip(out, trows):
            f += extra
    return out


_KID_DEPS = frozenset(("ccomp", "nsubj", "nsubjpass", "dobj", "xcomp", "prep", "agent", "pobj"))


def gold_labels(doc, cues) -> list[str]:
    """BIO labels of the tokens from gold cue spans (each a tuple of (start, end) pieces)."""
    y = ["O"] * len(doc)
    for cue in cues:
        first = True
        for s, e in cue:
            sp = doc.char_span(s, e, alignment_mode="expand")
            for w in sp or []:
                y[w.i] = "B" if first else "I"
                first = False
    return y


def crf_spans(tagger, feats):
    """[(token start, token end inclusive, min marginal)], and the tagger (with the sequence set)."""
    tagger.set(feats)
    y = tagger.tag()
    spans, cur = [], None
    for k, lab in enumerate(y + ["O"]):
        if lab in ("B", "O") and cur:
            spans.append(cur)
            cur = None
        if lab == "B":
            cur = [k, k]
        elif lab == "I":
            if cur:
                cur[1] = k
            else:
                cur = [k, k]
    return [(a, b, min(tagger.marginal(y[k], k) for k in range(a, b + 1))) for a, b in spans]


def _new_raw(ix, a: int, b: int):
    """An attribution for a CRF cue span no rule found (tokens a..b): its source and content from the
    parse where the head's frame gives them, else from the tagger's source and content spans beside it."""
    doc = ix.doc
    toks = doc[a:b + 1]
    ids = set(range(a, b + 1))
    roots = [w for w in toks if w.head.i not in ids or w.head.i == w.i]
    if not roots:
        return None
    tok = roots[0]
    span = (doc[a].idx, doc[b].idx + len(doc[b].text))
    r = _parsed_raw(ix, tok, span)
    content, source = _tagger_roles_beside(doc, a, b)
    if r is None:
        if content is None:
            return None
        r = Raw_(span, tok, [], "crf-tagger")
    if not r.content and content is not None:
        r.content = [_char_span(doc, content)]
    if not r.source and source is not None:  # the tagger's runs never overlap the cue
        r.source = _char_span(doc, source)
        r.source_head = doc[source[0]:source[1] + 1].root.i
    return r if r.content or r.source else None


def _parsed_raw(ix, tok, span):
    from . import attribution_rules as R

    doc = ix.doc
    clip = ix.line_bounds(tok.idx)
    if tok.pos_ == "NOUN":
        r = R._noun_cue(ix, tok, clip)
        if r is None:
            return None
        r.cue = span
        r.frame = "crf-noun"
        return r
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    fr = R.verb_frame(ix, tok)
    content = fr[1] if fr is not None else []
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    src_tok = R._agent(tok) if passive else R._subject(tok)
    r = Raw_(span, tok, content, "crf-" + (fr[0] if fr else "none"))
    if src_tok is not None and src_tok.dep_ != "expl" and not (span[0] <= src_tok.idx < span[1]):
        r.source = R.source_span(ix, src_tok, clip, tok)
        r.source_head = src_tok.i
    return r if r.content or r.source else None


def _char_span(doc, run) -> tuple[int, int]:
    return doc[run[0]].idx, doc[run[1]].idx + len(doc[run[1]].text)


def in_role(p, i: int, role: int) -> float:
    """The tagger's chance that token i begins or lies inside a span of the role (0 cue, 1 source, 2 content)."""
    return float(p[i, role, 1] + p[i, role, 2])


def _role_runs(p, role: int, lo: int, hi: int, threshold: float = 0.5) -> list[list[int]]:
    """Token runs [first, last] in lo..hi-1 that the tagger puts in a span of the role (a confident
    begin inside a run starts a new one: two contents side by side stay two)."""
    out, cur = [], None
    for i in range(lo, hi):
        inside = in_role(p, i, role) >= threshold
        begins = p[i, role, 1] >= threshold and p[i, role, 1] >= p[i, role, 2]
        if inside and (cur is None or begins):
            if cur:
                out.append(cur)
            cur = [i, i]
        elif inside:
            cur[1] = i
        elif cur:
            out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return out


def _tagger_roles_beside(doc, a: int, b: int, gap: int = 4):
    """The tagger's content next to cue tokens a..b in their sentence (the nearest run starting at most
    `gap` tokens after the cue, else the nearest ending at most `gap` before it), and its source (the
    nearest run before the cue, else after it, outside the content): token runs, or None."""
    from .attribution_tagger import probs

    p = probs(doc)
    if p is None:
        return None, None
    sent = doc[a].sent
    outside = lambda x: x[1] < a or x[0] > b  # noqa: E731
    contents = [x for x in _role_runs(p, 2, sent.start, sent.end) if outside(x)]
    after = [x for x in contents if x[0] > b and x[0] - b <= gap]
    before = [x for x in contents if x[1] < a and a - x[1] <= gap]
    content = after[0] if after else (before[-1] if before else None)
    sources = [x for x in _role_runs(p, 1, sent.start, sent.end) if outside(x)
               and (content is None or x[1] < content[0] or x[0] > content[1])]
    source = next(iter([x for x in sources if x[1] < a][-1:] or [x for x in sources if x[0] > b][:1]), None)
    return content, source


TAGGER_SOURCES = True
# frames whose source is the construction's own (a signature, "according to X", "X, citing Y"): the
# tagger, trained on PolNeAR's flattened chains, reads their outer voice as the source
_OWN_SOURCE_FRAMES = ("credit", "colon", "dash", "according", "citing", "statement", "noun", "crf-noun")
SOURCE_FLOOR = 0.8  # every word of the tagger's run at least this sure
SOURCE_DOUBT = 0.5  # a parsed source whose words the tagger gives less than this on average is replaced


def source_from_tagger(ix, r, raws=()) -> None:
    """A source from the contextual tagger where the parse gives none or one the tagger doubts: its sure
    source run beside the cue in the sentence. Misparses make both ("... and Democrats accused the mayor":
    the subject read as the object's conjunct, so no subject; a relative pronoun or a clause's object taken
    for the subject). A cue inside another attribution's content (where the tagger agrees it is) keeps
    its source inside that content. Floor and doubt were chosen on PolNeAR train with the tagger's out-of-fold probabilities."""
    if not (r.content or r.source) or r.cue_head < 0 or r.frame in _OWN_SOURCE_FRAMES:
        return
    doc = ix.doc
    p = tagger_probs(doc)
    if p is None:
        return
    if r.source:
        words = range(ix.tok_at(r.source[0]).i, ix.tok_at(r.source[1] - 1).i + 1)
        if sum(in_role(p, i, 1) for i in words) / len(words) >= SOURCE_DOUBT:
            return
    a, b = ix.tok_at(r.cue[0]).i, ix.tok_at(r.cue[1] - 1).i
    _, run = _tagger_roles_beside(doc, a, b)
    if run is None or min(in_role(p, i, 1) for i in range(run[0], run[1] + 1)) < SOURCE_FLOOR:
        return
    span = _char_span(doc, run)
    if any(s < span[1] and span[0] < e for s, e in r.content):
        return
    if in_role(p, a, 2) >= 0.5:  # the tagger too reads the cue inside a content: a chain's inner voice
        for o in raws:
            for s, e in o.content:
                if o is not r and s <= r.cue[0] and r.cue[1] <= e and not (s <= span[0] and span[1] <= e):
                    return
    r.source = span
    r.source_head = doc[run[0]:run[1] + 1].root.i


def Raw_(span, tok, content, frame):
    from . import attribution_rules as R

    return R.Raw(cue=span, cue_lemma=tok.lemma_.lower(), cue_head=tok.i, content=list(content), frame=frame,
                 negated=any(c.dep_ == "neg" for c in tok.children))


KEEP_NESTED = True  # PolNeAR flattens nesting, so the CRF learnt to drop nested cues; the chain needs them
KEEP_STATED = True  # "the mayor's statement that ...": a reporting noun with its owner and a that-clause


def apply_crf(ix, raws: list, params: dict, tagger=None) -> list:
    """The CRF's cue spans over the rule output: a rule cue the CRF gives (almost) no chance is dropped,
    a confident CRF span overlapping a rule cue (and holding its verb) sets its boundaries, a confident CRF
    span touching no rule cue becomes an attribution when its head has a source or a content."""
    from .attribution_rules import STANCE_CUES, nested_report

    tagger = crf_tagger(variant(ix.doc)) if tagger is None else tagger
    if tagger is None or not raws and not params.get("new", True):
        return raws
    doc = ix.doc
    if len(doc) == 0:
        return raws
    spans = crf_spans(tagger, token_features(ix, raws))
    th, drop, th_new = params["threshold"], params["drop"], params["new_threshold"]
    heads = [r.cue_head for r in raws if r.cue_head >= 0]
    # a CRF span over two rule cues ("distanced herself ... by saying") would merge two attributions: not used
    chars = [((doc[a].idx, doc[b].idx + len(doc[b].text)), m, a, b) for a, b, m in spans
             if sum(1 for h in heads if a <= h <= b) < 2]
    keep = []
    for r in raws:
        if r.cue_head >= 0 and r.frame not in ("credit",):
            sp = doc.char_span(r.cue[0], r.cue[1], alignment_mode="expand")
            cov = max((1 - tagger.marginal("O", w.i) for w in sp), default=1.0) if sp is not None else 1.0
            if cov < drop and not (params.get("keep_quoted") and r.frame == "quote") and r.cue_lemma not in STANCE_CUES \
                    and not (KEEP_NESTED and nested_report(doc[r.cue_head])) \
                    and not (KEEP_STATED and r.frame == "noun" and r.source and r.content):
                keep.append(False)
                continue
            head = doc[r.cue_head]
            for (s, e), m, a, b in chars:
                if m >= th and s < r.cue[1] and r.cue[0] < e and s <= head.idx < e:
                    if name_as_modal(doc[a], head) and a < head.i:
                        s = doc[a + 1].idx  # "George Will urged": the name is no part of the cue
                    r.cue = (s, e)
                    break
        keep.append(True)
    out = drop_raws(raws, {i: None for i, k in enumerate(keep) if not k})
    if th_new <= 1.0:
        for (s, e), m, a, b in chars:
            if m < th_new or any(s < r.cue[1] and r.cue[0] < e for r in out):
                continue
            r = _new_raw(ix, a, b)
            if r is not None:
                out.append(r)
    return out


# ------------------------------------------------------------------ content end chooser
def end_candidates(ix, r):
    """[(end, features)] for the end of the last content piece of one Raw: every token end from the
    piece's start to the end of its sentence (within the line), the rule's end among them."""
    if not r.content or r.frame in ("credit", "statement", "citing") or r.cue_head < 0:
        return []
    doc = ix.doc
    t = ix.text
    lo, e0 = r.content[-1]
    first = ix.tok_at(lo)
    last0 = ix.tok_at(max(e0 - 1, lo))
    clip = ix.line_bounds(lo)
    sent_end = max(last0.sent.end, first.sent.end)
    if sent_end - first.i > 120:
        return []
    if t[lo] in "“\"'‘«" and t[e0 - 1] in "”\"'’»":
        return []  # a quotation: its marks are its bounds
    limit = clip[1]
    for q in (ix.quote_at(lo), ix.inner_at(lo)):
        if q and q[0] <= lo < q[1]:
            limit = min(limit, q[1])  # never out of the quotation the content starts in
    cue_tok = doc[r.cue_head]
    out = []
    for w in doc[first.i:sent_end]:
        e = w.idx + len(w.text)
        if e > limit or w.is_space:
            continue
        if r.cue[0] < e and lo < r.cue[1] and e > r.cue[0] and lo < r.cue[0] and e >= r.cue[1]:
            break  # never run over the cue
        if r.source and lo < r.source[0] < e:
            break
        n = doc[w.i + 1] if w.i + 1 < len(doc) else None
        d = w.i - last0.i
        db = "0" if d == 0 else ("+" if d > 0 else "-") + ("1" if abs(d) == 1 else "2" if abs(d) == 2 else "3-5" if abs(d) <= 5 else "6+")
        np_ = n.pos_ if n is not None else "END"
        nw = (n.lower_ if n is not None and (n.is_punct or n.pos_ in ("CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON")) else np_)
        inside = n is not None and first.i <= n.head.i <= w.i
        att = _attachment(n, first.i, w.i, cue_tok.i) if n is not None else "END"
        f = ["d=" + db, "wp=" + (w.text if w.is_punct else w.pos_), "wd=" + w.dep_, "nw=" + nw,
             "nd=" + (n.dep_ if n is not None else "END"), "nin=%d" % inside,
             "nhc=%d" % (n is not None and n.head.i == cue_tok.i),
             "sentend=%d" % (n is None or n.i >= sent_end or n.is_sent_start),
             "fr=" + r.frame, "fr|wp=%s|%s" % (r.frame, w.text if w.is_punct else w.pos_),
             "fr|nw=%s|%s" % (r.frame, nw), "nw|nin=%s|%d" % (nw, inside),
             "q=%d" % (ix.quote_at(w.idx) is not None), "qe=%d" % (t[e - 1] in "”\"'’"),
             "d|nw=%s|%s" % (db, nw), "cueafter=%d" % (r.cue[0] >= e),
             "wsub=%d" % (w.head.i < w.i and w.head.right_edge.i <= w.i),
             "natt=" + att, "natt|nw=%s|%s" % (att, nw)]
        f += tagger_features(doc, w.i, "w", (2,)) + tagger_features(doc, w.i + 1, "n", (2,))
        out.append((e, f))
    return out


def _attachment(n, lo: int, hi: int, cue: int) -> str:
    """Where the words after a candidate end hang: up the heads from token n, the first one that is not
    after the end -- inside the content so far ("in"), the cue verb ("cue": "denied the charges and
    counter-accused her"), elsewhere before it ("out"), or none: the climb ends at a root after it ("root")."""
    a, steps = n, 0
    while a.i > hi and a.head.i != a.i and steps < 40:
        a, steps = a.head, steps + 1
    if a.i == cue:
        return "cue"
    if lo <= a.i <= hi:
        return "in"
    return "out" if a.i <= hi else "root"


# what the place or occasion of a saying is called: "praised the volunteers at a rally in Jackson"
OCCASIONS = {"rally", "speech", "interview", "conference", "event", "meeting", "debate", "hearing", "forum",
             "dinner", "convention", "briefing", "summit", "ceremony", "appearance", "luncheon", "breakfast",
             "fundraiser", "broadcast", "session", "gathering", "protest", "march", "address", "remarks"}


def _occasion_start(ix, r) -> int | None:
    """Where a phrase on the cue verb saying where or when it was said begins, after the content ("at a
    rally", "during the debate", "in Iowa", "Monday"): PolNeAR leaves such phrases out of 83 of 118
    contents in train."""
    if r.cue_head < 0 or not r.content:
        return None
    doc = ix.doc
    end = r.content[-1][1]
    for c in doc[r.cue_head].children:
        if c.idx >= end and names_the_day(c):
            return c.idx  # "criticized the budget Monday on local radio": the day, and what follows it
        if c.dep_ != "prep" or c.idx < end or c.lower_ not in ("at", "during", "in", "on", "before"):
            continue
        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        if obj is not None and (obj.ent_type_ in ("GPE", "LOC", "FAC", "EVENT", "DATE", "TIME")
                                or obj.lemma_.lower() in OCCASIONS):
            return c.idx
    return None


def choose_bound(cands, now, m: dict):
    """The candidate bound the scorer ``m`` takes over ``now`` (the best scored, when it reaches the
    scorer's threshold and beats ``now`` by its margin), or None to keep ``now``."""
    if len(cands) < 2:
        return None
    w, b = m["w"], m["bias"]
    scored = [(_score(w, b, f), e) for e, f in cands]
    cur = [x for x, e in scored if e == now]
    best = max(scored)
    if best[1] != now and best[0] >= m.get("threshold", 0.0) and (not cur or best[0] > cur[0] + m.get("margin", 0.0)):
        return best[1]
    return None


def end_options(ix, r):
    """The content-end candidates ``refine_end`` chooses among (none past a phrase naming the occasion)."""
    cands = end_candidates(ix, r)
    stop = _occasion_start(ix, r)
    if stop is not None:
        cands = [(e, f) for e, f in cands if e <= stop]
    return cands


def refine_end(ix, r, m: dict) -> None:
    if not r.content:
        return
    got = choose_bound(end_options(ix, r), r.content[-1][1], m)
    if got is not None:
        r.content[-1] = (r.content[-1][0], got)


def start_candidates(ix, r):
    """[(start, features)] for the start of the first content piece of one Raw: every token start from
    its sentence's start (after the cue and the source when the piece follows them) to the piece's end."""
    if not r.content or r.frame in ("credit", "statement", "citing") or r.cue_head < 0:
        return []
    doc = ix.doc
    t = ix.text
    s0, hi = r.content[0]
    if t[s0] in "“\"'‘«" and t[hi - 1] in "”\"'’»":
        return []
    if len(r.content) > 1 and hi <= r.cue[0] < r.content[1][0] and r.cue_lemma in RAISING_VERBS:
        return []  # "Sanders | doesn't appear | ready to ease off": the subject the rules split off is whole
    first0 = ix.tok_at(s0)
    clip = ix.line_bounds(s0)
    floor = clip[0]
    for q in (ix.quote_at(s0), ix.inner_at(s0)):
        if q and q[0] <= s0 < q[1]:
            floor = max(floor, q[0])
    for sp in [r.cue] + ([r.source] if r.source else []):
        if sp[1] <= s0:
            floor = max(floor, sp[1])
    sent_start = first0.sent.start
    if first0.i - sent_start > 80:
        sent_start = first0.i - 80
    cue_tok = doc[r.cue_head]
    out = []
    for w in doc[sent_start:]:
        if w.idx >= hi or w.idx - s0 > 400:
            break
        if w.idx < floor or w.is_space or w.is_punct and w.text not in "“\"'‘(":
            continue
        p = doc[w.i - 1] if w.i > 0 else None
        d = w.i - first0.i
        db = "0" if d == 0 else ("+" if d > 0 else "-") + ("1" if abs(d) == 1 else "2" if abs(d) == 2 else "3-5" if abs(d) <= 5 else "6+")
        pw = (p.lower_ if p is not None and (p.is_punct or p.pos_ in ("CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON", "AUX")) else (p.pos_ if p is not None else "BEG"))
        ww = w.lower_ if w.is_punct or w.pos_ in ("CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON", "AUX", "ADV") else w.pos_
        f = ["d=" + db, "ww=" + ww, "wd=" + w.dep_, "pw=" + pw, "pd=" + (p.dep_ if p is not None else "BEG"),
             "whc=%d" % (w.head.i == cue_tok.i), "fr=" + r.frame, "fr|ww=%s|%s" % (r.frame, ww),
             "fr|pw=%s|%s" % (r.frame, pw), "d|ww=%s|%s" % (db, ww), "wd|ww=%s|%s" % (w.dep_, ww),
             "q=%d" % (ix.quote_at(w.idx) is not None), "atfloor=%d" % (p is None or p.idx + len(p.text) <= floor),
             "after_cue=%d" % (w.idx >= r.cue[1]), "sentstart=%d" % w.is_sent_start]
        f += tagger_features(doc, w.i, "w", (2,)) + tagger_features(doc, w.i - 1, "p", (2,))
        out.append((w.idx, f))
    return out


def refine_start(ix, r, m: dict) -> None:
    if not r.content:
        return
    got = choose_bound(start_candidates(ix, r), r.content[0][0], m)
    if got is not None:
        r.content[0] = (got, r.content[0][1])


# ------------------------------------------------------------------ where the cue ends and its content begins
_SPLIT_FRAMES = ("credit", "statement", "citing", "colon", "dash", "according")
_SPLIT_REACH = 8  # how many words into the content the cue may grow
_SPLIT_GAP = 6  # how many words may lie between the cue and its content


def _dist(d: int) -> str:
    return "0" if d == 0 else ("+" if d > 0 else "-") + ("1" if abs(d) == 1 else "2" if abs(d) == 2 else "3-5" if abs(d) <= 5 else "6+")


def _wclass(w) -> str:
    """A word as the split features see it: function words and punctuation as themselves, others by POS."""
    return w.lower_ if w.is_punct or w.pos_ in _FUNCTION_POS else w.pos_


def split_candidates(ix, r):
    """[((cue end, content start), features)] for an attribution whose content begins after its cue, at most
    a few words on and with no punctuation between: every token end from the cue's head to a few words
    into the content as the cue's end, with the content starting at the next word or where it starts now. PolNeAR draws that line by the
    verb's habits -- "hailed Trump as | “The Comeback Kid”", "declared war on | the United States",
    "refuses | to discuss", "made | similar comments", "said | that" but "said on Sunday | that" -- so one
    choice moves the cue's end and the content's start together."""
    if not r.content or r.cue_head < 0 or r.frame in _SPLIT_FRAMES:
        return []
    t = ix.text
    s0, e0 = r.content[0]
    if s0 < r.cue[1] or "\n" in t[r.cue[1]:s0] or (r.source and r.cue[1] <= r.source[0] < s0):
        return []
    doc = ix.doc
    head = doc[r.cue_head]
    first = ix.tok_at(s0)
    if first.idx != s0 or head.idx + len(head.text) > r.cue[1] or first.i - head.i > _SPLIT_GAP + _SPLIT_REACH:
        return []
    if any(w.is_punct for w in doc[head.i + 1:first.i]):
        return []  # "As the paper reported earlier, the vote ...": not one phrase to split
    hi = ix.line_bounds(s0)[1]
    p = tagger_probs(doc)
    now = (r.cue[1], s0)
    lemma = head.lemma_.lower()
    out = []
    for k in range(head.i, min(len(doc) - 1, first.i + _SPLIT_REACH)):
        w = doc[k]
        n = next((x for x in doc[k + 1:k + 4] if not x.is_space), None)
        if n is None or n.idx >= e0 or n.idx >= hi:
            break
        end = w.idx + len(w.text)
        if end > r.cue[1] and (w.is_sent_start or ix.quote_at(w.idx) and not ix.quote_at(r.cue[0])):
            break  # the cue never runs into another sentence or into a quotation
        if w.is_punct or w.is_space:
            continue
        if r.source and r.source[0] < n.idx and w.idx < r.source[1]:
            continue
        starts = [n] + ([first] if end <= s0 and n.i < first.i else [])
        for c in starts:
            gap = [x for x in doc[k + 1:c.i] if not x.is_space]
            kw, cw = ("HEAD" if k == head.i else _wclass(w)), _wclass(c)
            ch = ("cue" if c.head.i == head.i else "k" if c.head.i == k else
                  "incue" if head.i <= c.head.i <= k else "after" if c.head.i > k else "before")
            ext = _dist(k - head.i).lstrip("+")
            g = _dist(len(gap)).lstrip("+")
            gw = _wclass(gap[0]) if gap else "-"
            f = ["kw=" + kw, "kd=" + w.dep_, "nw=" + cw, "nd=" + c.dep_, "nh=" + ch, "ext=" + ext, "gap=" + g,
                 "gw=" + gw, "gd=" + (gap[0].dep_ if gap else "-"), "gent=" + ((gap[0].ent_type_ or "-") if gap else "-"),
                 "fr=" + r.frame, "kw|nw=%s|%s" % (kw, cw), "fr|nw=%s|%s" % (r.frame, cw),
                 "nh|nw=%s|%s" % (ch, cw), "ext|nw=%s|%s" % (ext, cw), "lem|nw=%s|%s" % (lemma, cw),
                 "lem|ext=%s|%s" % (lemma, ext), "lem|kw=%s|%s" % (lemma, kw), "lem|gw=%s|%s" % (lemma, gw),
                 "gap|gw=%s|%s" % (g, gw), "nq=%d" % (t[c.idx] in "“\"‘«"), "nent=" + (c.ent_type_ or "-"),
                 "kdn=%s|%s" % (w.dep_, c.dep_)]
            f += tagger_features(doc, k, "k", (0, 2)) + tagger_features(doc, c.i, "n", (0, 2))
            if p is not None:
                if k > head.i:
                    f.append("kmin=" + _bucket(min(in_role(p, i, 0) for i in range(head.i + 1, k + 1))))
                if gap:
                    f.append("gcue=" + _bucket(max(in_role(p, x.i, 0) for x in gap)))
                    f.append("gcon=" + _bucket(max(in_role(p, x.i, 2) for x in gap)))
                if c.i > first.i:
                    f.append("nmax=" + _bucket(max(in_role(p, i, 0) for i in range(first.i, c.i))))
            out.append(((end, c.idx), f))
    return out if len(out) > 1 and any(b == now for b, _ in out) else []


def refine_split(ix, r, m: dict) -> None:
    got = choose_bound(split_candidates(ix, r), (r.cue[1], r.content[0][0]) if r.content else (0, 0), m)
    if got is not None:
        r.cue = (r.cue[0], got[0])
        r.content[0] = (got[1], r.content[0][1])


# ------------------------------------------------------------------ source bounds
_FUNCTION_POS = ("CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON", "AUX", "ADV")


def _word_class(w, verb) -> str:
    """A function word or punctuation as itself, any other word as its part of speech (a name the
    tagger read as a modal, "George Will urged", as the name it is)."""
    if name_as_modal(w, verb):
        return "PROPN"
    return w.lower_ if w.is_punct or w.pos_ in _FUNCTION_POS else w.pos_


def source_candidates(ix, r, side: str):
    """[(offset, features)] for the start or the end of a Raw's source: token bounds in the source's
    sentence and line, never across the cue or the content."""
    if not r.source or r.source_head < 0 or r.cue_head < 0 or r.frame in ("credit",):
        return []
    doc = ix.doc
    s0, e0 = r.source
    head = doc[r.source_head]
    if not (s0 <= head.idx < e0):
        return []
    clip = ix.line_bounds(head.idx)
    lo, hi = max(clip[0], doc[head.sent.start].idx), min(clip[1], head.sent.end_char)
    for sp in [r.cue] + list(r.content):
        if sp[1] <= head.idx:
            lo = max(lo, sp[1])
        elif sp[0] > head.idx:
            hi = min(hi, sp[0])
    out = []
    verb = doc[r.cue_head]
    rng = range(head.i, min(head.sent.end, head.i + 40)) if side == "end" else range(head.i, max(head.sent.start, head.i - 40) - 1, -1)
    cur_tok = ix.tok_at(max(e0 - 1, s0)) if side == "end" else ix.tok_at(s0)
    for i in rng:
        w = doc[i]
        off = w.idx + len(w.text) if side == "end" else w.idx
        if side == "end" and off > hi or side == "start" and off < lo:
            break
        if w.is_space:
            continue
        nb = i + 1 if side == "end" else i - 1
        n = doc[nb] if 0 <= nb < len(doc) else None
        d = w.i - cur_tok.i
        db = "0" if d == 0 else ("+" if d > 0 else "-") + ("1" if abs(d) == 1 else "2" if abs(d) == 2 else "3-5" if abs(d) <= 5 else "6+")
        ww = _word_class(w, verb)
        nw = _word_class(n, verb) if n is not None else "EDGE"
        inside = n is not None and n.head.i in range(min(head.i, w.i), max(head.i, w.i) + 1)
        f = ["d=" + db, "ww=" + ww, "wd=" + w.dep_, "nw=" + nw, "nd=" + (n.dep_ if n is not None else "EDGE"),
             "nin=%d" % inside, "d|ww=%s|%s" % (db, ww), "ww|nw=%s|%s" % (ww, nw), "nw|nin=%s|%d" % (nw, inside),
             "hd=" + head.dep_, "wsub=%d" % (w.head.i == head.i), "went=" + (w.ent_type_ or "-"),
             "fr=" + r.frame, "inv=%d" % (head.i > r.cue_head)]
        f += tagger_features(doc, w.i, "w", (1,)) + tagger_features(doc, nb, "n", (1,))
        out.append((off, f))
    return out


def refine_source(ix, r, m: dict, side: str) -> None:
    cands = source_candidates(ix, r, side)
    if len(cands) < 2:
        return
    cur_off = r.source[1] if side == "end" else r.source[0]
    scored = [(_score(m["w"], m["bias"], f), o) for o, f in cands]
    cur = [x for x, o in scored if o == cur_off]
    best = max(scored)
    if best[1] != cur_off and (not cur or best[0] > cur[0] + m.get("margin", 0.0)):
        r.source = (r.source[0], best[1]) if side == "end" else (best[1], r.source[1])
