"""Attribution finding over the spaCy dependency parse: cues, sources, contents, nesting.

The rules take candidates from the parse (a reporting verb with its complement, "according to X",
passives with a "by" agent, quotes carried by a speaker, a headline credit); which verb lemmas count
as cues, and in which frame, comes from a small lexicon learned on the PolNeAR train split
(``data/attribution_cues.tsv``, written by ``scripts/train_attribution.py``) merged with a hand list.

Everything works on character offsets of the report text; spans are kept inside the cue's line
(the parser sometimes runs a title and a standfirst together when they have no full stop).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat, takewhile

from .attribution_tagger import features as tagger_features
from .attribution_tagger import variant as tagger_variant

# ------------------------------------------------------------------ lexicons
# hand list: (lemma -> stance). The learned lexicon adds lemmas, with a per-frame score.
STANCE = {
    "deny": "deny", "dispute": "deny", "reject": "deny", "refute": "deny", "dismiss": "deny",
    "contradict": "deny", "rebut": "deny", "disavow": "deny",
    "confirm": "confirm", "verify": "confirm", "corroborate": "confirm", "affirm": "confirm",
    "reaffirm": "confirm",
    "admit": "admit", "acknowledge": "admit", "concede": "admit", "confess": "admit",
    "think": "hedge", "believe": "hedge", "suspect": "hedge", "speculate": "hedge",
    "guess": "hedge", "estimate": "hedge", "predict": "hedge", "expect": "hedge", "hope": "hedge",
    "feel": "hedge", "imply": "hedge", "hint": "hedge", "allege": "hedge", "seem": "hedge",
    "appear": "hedge", "fear": "hedge", "doubt": "hedge", "wonder": "hedge",
    "ask": "other", "question": "other", "urge": "other", "call": "other", "want": "other",
    "demand": "other", "refuse": "other", "decline": "other", "promise": "other", "warn": "assert",
}

HAND_CUES = {
    "say", "tell", "claim", "deny", "confirm", "admit", "assure", "recall", "suggest", "report",
    "think", "state", "add", "write", "note", "announce", "explain", "argue", "insist", "warn",
    "acknowledge", "concede", "allege", "believe", "declare", "stress", "emphasize", "point",
    "reveal", "disclose", "testify", "tweet", "post", "reply", "respond", "answer", "ask",
    "complain", "contend", "maintain", "predict", "promise", "remark", "reiterate", "repeat",
    "dispute", "reject", "refute", "affirm", "reaffirm", "verify", "corroborate", "learn",
    "conclude", "observe", "mention", "comment", "describe", "assert", "boast", "joke", "quip",
    "estimate", "speculate", "guess", "fear", "hope", "know", "feel", "suspect", "imply", "hint",
    "inform", "notify", "brief", "cite", "quote", "show", "find", "indicate", "signal",
    "tell", "urge", "demand", "accuse", "charge", "vow", "pledge", "threaten", "recount",
    "acknowledged", "confess", "retort", "counter", "caution", "agree", "disagree",
}

CORE_CUES = {"say", "tell", "claim", "deny", "confirm", "admit", "assure", "recall", "report", "announce",
             "insist", "acknowledge", "warn", "state", "allege", "concede", "reveal", "write", "add"}

UNNAMED_HEADS = {
    "source", "official", "report", "media", "people", "expert", "analyst", "observer", "insider",
    "person", "aide", "diplomat", "investigator", "critic", "witness", "resident", "spokesman",
    "spokeswoman", "spokesperson", "representative", "someone", "some", "many", "others", "other",
    "outlet", "journalist", "reporter", "correspondent", "colleague", "one", "they", "participant",
    "member", "staffer", "advisor", "adviser", "lawyer", "attorney",
}
ORG_HEADS = {
    "ministry", "government", "department", "agency", "company", "firm", "party", "office", "committee",
    "commission", "council", "campaign", "administration", "court", "police", "army", "military", "embassy",
    "kremlin", "parliament", "senate", "house", "congress", "cabinet", "union", "bank", "board", "authority",
    "authorities", "service", "prosecutor's", "organization", "organisation", "group", "team", "university",
    "school", "hospital", "foundation", "institute", "center", "centre", "corporation", "regime", "state",
    "city", "county", "country", "nation", "side", "headquarters", "command", "staff", "secretariat",
}
DOCUMENT_HEADS = {
    "report", "study", "document", "poll", "survey", "statement", "letter", "data", "memo",
    "email", "e-mail", "filing", "lawsuit", "complaint", "transcript", "record", "paper", "analysis",
    "research", "review", "investigation", "indictment", "ruling", "order", "release", "post",
    "tweet", "video", "footage", "book", "article", "story", "note", "message", "website", "site",
    "figure", "number", "estimate", "projection", "model", "chart", "graph", "testimony",
    "audit", "assessment", "finding", "evidence", "law", "bill", "rule", "policy", "plan",
}
OUTLET_WORDS = {
    "times", "post", "news", "journal", "herald", "tribune", "guardian", "telegraph", "reuters",
    "associated press", "ap", "afp", "bloomberg", "cnn", "bbc", "nbc", "abc", "cbs", "fox", "msnbc",
    "politico", "axios", "yorker", "magazine", "gazette", "daily", "weekly", "press", "radio",
    "tv", "television", "agency", "channel", "newspaper", "outlet", "breitbart", "hill",
    "economist", "atlantic", "vox", "slate", "wire", "media", "inquirer", "examiner",
    "independent", "observer", "chronicle", "globe", "star", "sun", "mirror", "express",
    "tass", "ria", "interfax", "ukrinform", "kommersant", "izvestia", "pravda", "meduza",
}
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me", "his", "hers"}
GROUP_PRONOUNS = {"we", "they", "us", "them", "you"}

# verbs whose stance a fact-checker needs whatever PolNeAR's annotators did with them: never scored or dropped away
STANCE_CUES = ("assure", "deny", "confirm", "admit", "claim", "recall")
STATEMENT_NOUNS = {"statement", "claim", "allegation", "announcement", "assertion", "remark",
                   "comment", "accusation", "admission", "denial", "report", "prediction"}


@functools.lru_cache(maxsize=1)
def learned_cues() -> dict[tuple[str, str], float]:
    """(lemma, frame) -> score in [0, 1], from data/attribution_cues.tsv (may be absent)."""
    out: dict[tuple[str, str], float] = {}
    try:
        text = resources.files("reportedly.data").joinpath("attribution_cues.tsv").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return out
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, frame, score, *_ = line.split("\t")
        out[(lemma, frame)] = float(score)
    return out


@functools.lru_cache(maxsize=2)
def cue_model(variant: str = "") -> dict | None:
    """The logistic cue scorer (models/attribution_cue.json, from scripts/train_attribution.py), or None.
    ``variant="tagged"``: the one trained with the contextual tagger's features (attribution_cue.tagged.json),
    for documents the tagger has read; the plain one when that file is absent."""
    import json

    name = "attribution_cue" + (f".{variant}" if variant else "") + ".json"
    try:
        text = resources.files("reportedly.models").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        try:
            from pathlib import Path

            text = (Path(__file__).resolve().parents[1] / "models" / name).read_text(encoding="utf-8")
        except OSError:
            return cue_model() if variant else None
    return json.loads(text)


def cue_features(ix, tok, frame: str) -> list[str]:
    """Features of a verb cue candidate for the logistic scorer."""
    lemma = tok.lemma_.lower()
    inq = "q" if ix.quote_at(tok.idx) is not None else "n"
    subj = _subject(tok)
    f = [f"l={lemma}", f"lf={lemma}|{frame}", f"f={frame}", f"fq={frame}|{inq}", f"lq={lemma}|{inq}",
         f"lfq={lemma}|{frame}|{inq}", f"dep={tok.dep_}", f"fdep={frame}|{tok.dep_}", f"tag={tok.tag_}",
         f"ltag={lemma}|{tok.tag_}"]
    if subj is None:
        f.append("subj=none")
        f.append(f"lsubj={lemma}|none")
    else:
        kind = subj.pos_ if subj.pos_ != "PRON" else "PRON:" + subj.lower_
        f.append(f"subj={kind}")
        f.append(f"subjent={subj.ent_type_ or '-'}")
        f.append(f"lsubj={lemma}|{subj.pos_}")
        f.append(f"fsubj={frame}|{subj.pos_}")
    if any(c.dep_ == "neg" for c in tok.children):
        f.append("neg")
    if any(c.dep_ == "auxpass" for c in tok.children):
        f.append("pass")
        f.append(f"lpass={lemma}")
    if _agent(tok) is not None:
        f.append("agent")
    m = _child(tok, ("mark",))
    if m is not None:
        f.append(f"mark={m.lower_}")
    d = _child(tok, ("dobj",))
    if d is not None:
        f.append(f"dobj={d.pos_}")
        f.append(f"ldobjlem={lemma}|{d.lemma_.lower()}")
    h = tok.head
    if h.i != tok.i:  # spaCy makes a new Token object each time: compare indices, never identity
        f.append(f"head={h.lemma_.lower()}")
        f.append(f"headdep={h.dep_}")
    else:
        f.append("head=ROOT")
    if _colon_after(tok):
        f.append("colon")
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None:
        f.append(f"prev={prev.lower_}")
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None:
        f.append(f"next={nxt.lower_}")
        f.append(f"lnext={lemma}|{nxt.lower_}")
    if ix.line_of(tok.idx) == 0:
        f.append("titleline")
    # the contextual tagger's view, when it has read the document: the verb as a cue, its subject as a source
    f += tagger_features(tok.doc, tok.i, "t", (0,))
    if subj is not None:
        f += tagger_features(tok.doc, subj.i, "ts", (1,))
    return f


def cue_dense(tok):
    """The parser's own contextual vectors (spaCy's tok2vec output, ``doc.tensor``) of the verb and of
    its subject: what the words around say, at no extra cost. None when the doc has no tensor."""
    import numpy as np

    ten = tok.doc.tensor
    if ten is None or len(ten.shape) != 2 or ten.shape[0] != len(tok.doc):
        return None
    subj = _subject(tok)
    return np.concatenate([ten[tok.i], ten[subj.i] if subj is not None else np.zeros(ten.shape[1], ten.dtype)])


def model_score(model: dict, feats: list[str], dense=None) -> float:
    import math

    w = model["w"]
    z = model["bias"] + sum(map(w.get, feats, repeat(0.0)))
    if dense is not None and model.get("dense_w") is not None:
        if "_dense" not in model:  # weights over the scaled vector, folded once into one array
            import numpy as np

            model["_dense"] = np.asarray(model["dense_w"], dtype=np.float32) / np.asarray(model["dense_scale"], dtype=np.float32)
        if len(dense) == len(model["_dense"]):
            z += float(dense @ model["_dense"])
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# ------------------------------------------------------------------ raw attributions
@dataclass
class Raw:
    cue: tuple[int, int]
    cue_lemma: str
    cue_head: int  # token index (or -1)
    source: tuple[int, int] | None = None
    source_head: int = -1
    content: list[tuple[int, int]] = field(default_factory=list)
    frame: str = ""
    negated: bool = False
    source_kind: str | None = None  # forced kind (headline credit)
    parent_hint: int | None = None  # index into the raw list
    score: float = 1.0


QUOTE_OPEN = {"“": "”", "«": "»", "„": "“"}


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Double-quoted stretches (start at the opening mark, end after the closing mark), paragraph by
    paragraph; a quote left open at a paragraph's end is closed there (the next paragraph reopens).
    Marks: “…”, «…», "…", and ''…'' / ``…'' (two apostrophes or backticks, as some wires write)."""
    out = []
    pos = 0
    for para in re.split(r"(\n)", text):
        if para == "\n":
            pos += 1
            continue
        i, n = 0, len(para)
        open_at = None
        closer = None
        while i < n:
            ch = para[i]
            two = para[i:i + 2]
            if open_at is None:
                if ch in QUOTE_OPEN:
                    open_at, closer = i, QUOTE_OPEN[ch]
                elif ch == '"':
                    open_at, closer = i, '"'
                elif two in ("''", "``"):
                    open_at, closer = i, "''"
                    i += 1
            else:
                if closer == "''" and two == "''":
                    extra = 1 if para[i + 2:i + 3] == "'" else 0
                    out.append((pos + open_at, pos + i + 2 + extra))
                    open_at = None
                    i += 1 + extra
                elif ch == closer or (closer == "”" and ch == '"') or (closer == '"' and ch == "”"):
                    out.append((pos + open_at, pos + i + 1))
                    open_at = None
            i += 1
        if open_at is not None and n - open_at > 3:
            out.append((pos + open_at, pos + len(para.rstrip())))
        pos += n
    return out


_INNER = re.compile(r"(?:(?<=^)|(?<=[\s:“\"(]))(['‘])(?=\w)(.+?)(?<=[\w.,!?])(['’])(?=[\s.,;:!?”\")]|$)", re.S)


def inner_quotes(text: str, outer: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-quoted stretches inside double-quoted ones (a quote inside a quote), and ‘…’ anywhere."""
    out = []
    for s, e in outer:
        for m in _INNER.finditer(text, s + 1, e):
            if "\n" not in m.group(0):
                out.append((m.start(), m.end()))
    for m in re.finditer(r"‘[^‘’\n]{2,}’(?!\w)", text):
        out.append((m.start(), m.end()))
    return sorted(set(out))


class Index:
    """Token/line/quote lookups for one document."""

    def __init__(self, doc, text: str):
        self.doc = doc
        self.text = text
        self.nl = [m.start() for m in re.finditer("\n", text)]
        self.quotes = quote_regions(text)
        self.qstarts = [q[0] for q in self.quotes]
        self.inner = inner_quotes(text, self.quotes)
        self.istarts = [q[0] for q in self.inner]
        self.tok_starts = doc.to_array("IDX").tolist() if len(doc) else []  # no Token objects: a hot path

    def quote_around(self, s: int, e: int, cue: int):
        """The innermost quote holding the span s..e (give or take its marks), not holding the cue."""
        for q in (self.quote_at(s), self.quote_at(max(s - 1, 0)), self.inner_at(s), self.inner_at(max(s - 1, 0))):
            if q and q[0] <= s + 1 and q[1] >= e - 1 and not (q[0] <= cue < q[1]):
                return q
        return None

    def inner_at(self, char: int):
        k = bisect.bisect_right(self.istarts, char) - 1
        while k >= 0:
            q = self.inner[k]
            if q[0] <= char < q[1]:
                return q
            k -= 1
            if k >= 0 and self.inner[k][1] < char - 2000:
                break
        return None

    def line_of(self, char: int) -> int:
        return bisect.bisect_right(self.nl, char)

    def line_bounds(self, char: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.nl, char)
        start = self.nl[k - 1] + 1 if k > 0 else 0
        end = self.nl[k] if k < len(self.nl) else len(self.text)
        return start, end

    def quote_at(self, char: int):
        k = bisect.bisect_right(self.qstarts, char) - 1
        if k >= 0 and self.quotes[k][0] <= char < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def tok_at(self, char: int):
        k = bisect.bisect_right(self.tok_starts, char) - 1
        return self.doc[max(k, 0)]


# ------------------------------------------------------------------ span helpers
_STRIP_END = set(",;:—–-(") | {" ", "\n", "\t"}
_STRIP_START = set(",;:—–-)") | {" ", "\n", "\t"}
_CLOSERS = set('”"»’\'')


def _trim(ix: Index, s: int, e: int) -> tuple[int, int] | None:
    t = ix.text
    while s < e and t[s] in _STRIP_START:
        s += 1
    while e > s and t[e - 1] in _STRIP_END:
        e -= 1
    # a closing quote right after the span (possibly after . , ! ?) closes a quote opened inside it
    j = e
    while j < len(t) and j - e < 2 and t[j] in ".,!?":
        j += 1
    if j < len(t) and t[j] in _CLOSERS and _opens_inside(t, s, e):
        e = j + (2 if t[j:j + 2] == "''" else 1)
    if e - s < 1:
        return None
    return s, e


def _opens_inside(t: str, s: int, e: int) -> bool:
    seg = t[s:e]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1 or seg.count("''") % 2 == 1


def content_span(ix: Index, toks, clip=None):
    span = tokens_span(ix, toks, clip)
    if span and ix.text[span[1] - 1] == "." and span[1] - span[0] > 1 and not ix.text[span[1] - 2].isupper():
        span = (span[0], span[1] - 1)
        span = _trim(ix, *span)
    return span


def tokens_span(ix: Index, toks, clip: tuple[int, int] | None = None) -> tuple[int, int] | None:
    toks = [t for t in toks if not t.is_space]
    if not toks:
        return None
    s = min(t.idx for t in toks)
    e = max(t.idx + len(t.text) for t in toks)
    if clip:
        s, e = max(s, clip[0]), min(e, clip[1])
        if e <= s:
            return None
    return _trim(ix, s, e)


def subtree_minus(tok, exclude) -> list:
    """tok's subtree without the subtrees of the tokens in ``exclude``."""
    ex = set()
    for x in exclude:
        ex.update(w.i for w in x.subtree)
    return [w for w in tok.subtree if w.i not in ex]


def contiguous(toks, anchor) -> list:
    """The run of ``toks`` (sorted by index) that contains ``anchor`` with no gaps."""
    idx = sorted(w.i for w in toks)
    if not idx:
        return []
    ids = set(idx)
    lo = hi = anchor.i if anchor.i in ids else idx[0]
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    doc = anchor.doc
    return [doc[i] for i in range(lo, hi + 1)]


# ------------------------------------------------------------------ the finder
SUBJ = {"nsubj", "nsubjpass", "csubj"}
CUE_DEPS_IN_SPAN = {"prt"}  # children kept in the cue span when adjacent
THRESHOLD = 0.5
AGENT_OF_PARTICIPLE = True


QUOTED_SUBJECT = True
SANDWICH = True
RESUME_PAST_CONJ = True
CONT_OWN_CUE = True
OWN_OBJECT_NOT_QUOTE = True


def _stolen_subject(tok):
    """The main clause's subject that the parser hung on a parenthetical cue ("Voters, Clinton suggested,
    don't have to ...": "Voters" as a second subject of "suggested"), or None."""
    if tok.dep_ != "parataxis" or tok.head.i <= tok.i:
        return None
    subs = [c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i]
    if len(subs) < 2:
        return None
    first, last = subs[0], subs[-1]
    between = tok.doc[max(w.i for w in first.subtree) + 1:min(w.i for w in last.subtree)]
    return first if any(w.text == "," for w in between) else None


def _quoted_subject(tok):
    """A subject the parser took from inside the quotation that closes right before the cue, when the cue
    has its own subject after it ('"..., it will at some point," said James Acton': "it" is the
    quotation's, Acton the speaker), or None."""
    subs = [c for c in tok.children if c.dep_ == "nsubj"]
    if len(subs) < 2 or subs[0].i > tok.i or subs[-1].i < tok.i:
        return None
    between = tok.doc[subs[0].i + 1:tok.i]
    return subs[0] if any(w.text in _CLOSERS or w.text == "''" for w in between) else None


def _subject(tok, depth: int = 0):
    stolen = _stolen_subject(tok) if depth == 0 else None
    if stolen is None and depth == 0 and QUOTED_SUBJECT:
        stolen = _quoted_subject(tok)
    for c in tok.children:
        if stolen is not None and c.i == stolen.i:
            continue
        if c.dep_ in ("nsubj", "csubj") or depth and c.dep_ == "nsubjpass":
            return c  # a governing passive's subject is the doer below it: "she was suspended after slamming ..."
    for c in tok.children:
        if c.i < tok.i and name_as_modal(c, tok):
            return c  # ", Will believes ...": the misread name is the subject
    if depth < 3 and (tok.dep_ in ("conj", "xcomp", "advcl", "pcomp") or depth and tok.dep_ == "acomp") \
            and tok.head.i != tok.i and not (tok.dep_ == "advcl" and tok.tag_ in ("VBD", "VBZ", "VBP")):
        # "Readers were quick to condemn": up through the adjective too. A finite adverbial clause has a
        # subject of its own that the parse lost ("..., as the United States and France support ..."):
        # the main clause's is wrong there 23 times in 29 on PolNeAR train
        return _subject(tok.head, depth + 1)
    if IMPLICIT_SUBJECTS and depth < 3 and tok.dep_ == "prep" and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
        return _subject(tok.head, depth + 1)  # "after saying ..." / "by saying ...": the main clause's subject
    if IMPLICIT_SUBJECTS and depth == 0 and tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
        h = tok.head
        if h.lemma_.lower() in STATEMENT_NOUNS and h.dep_ == "dobj":
            return _subject(h.head, depth + 1)  # "His office put out a statement saying ...": who put it out
        if h.pos_ == "PROPN" or h.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return h  # "the spectacle of Mr. Netanyahu denouncing ...": the one doing it
    return None


def _between_commas(tok, sent, skip=()):
    """(first, last) token index of a cue's own words (its subtree less punctuation and ``skip``) when a comma
    stands right before and right after them inside the sentence, else None."""
    own = [w.i for w in tok.subtree if not w.is_punct and w.i not in skip]
    lo, hi = min(own), max(own)
    doc = tok.doc
    if lo > sent.start and hi + 1 < sent.end and doc[lo - 1].text == "," and doc[hi + 1].text == ",":
        return lo, hi
    return None


def _set_off_after(ix, tok, sent, clip):
    """A cue and its source set off by commas after the start of what they report, which goes on after them
    ("Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt"; "Trump's skepticism has hurt him,
    Graham said, since ..."): the two pieces around them, when the words after the closing comma still hang
    on the clause before (not a quotation of its own). On PolNeAR train a piece before such a cue is in the
    content 172 times in 185 where no quotation follows it."""
    if _subject(tok) is None or any(c.dep_ in ("dobj", "xcomp", "mark", "ccomp") for c in tok.children):
        return None
    around = _between_commas(tok, sent)
    if around is None:
        return None
    lo, hi = around
    after = [w for w in sent if w.i > hi + 1]
    if not after or after[0].text in ("\"", "“", "‘", "'", "«"):
        return None
    head = tok.head
    if not any(head in w.ancestors or w.i == head.i for w in after if not w.is_punct):
        return None
    left = content_span(ix, [w for w in sent if w.i < lo - 1], clip)
    right = content_span(ix, after, clip)
    return [left, right] if left and right else None


def nested_report(tok) -> bool:
    """A reporting verb inside what another one reports ("Kahl assures that the billionaire himself said
    that ..."): PolNeAR flattens such nesting and often leaves it unmarked; the chain needs it."""
    return tok.lemma_.lower() in CORE_CUES and tok.dep_ == "ccomp" and tok.head.lemma_.lower() in HAND_CUES


def _agent(tok):
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _child(tok, deps):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _in_quote_frac(ix: Index, span) -> float:
    if not span:
        return 0.0
    s, e = span
    q = ix.quote_at(s)
    if q and q[1] >= e - 1:
        return 1.0
    return 0.0


def _adjacent_quote(ix: Index, tok, sent):
    """A quote region right after the cue (``said: "..."``, ``said, "..."``) or ending right before
    the cue's clause (``"...," he said``) inside the same sentence neighbourhood."""
    t = ix.text
    # after: skip , : and spaces
    j = tok.idx + len(tok.text)
    obj_start = None
    for c in tok.children:  # "said in a statement:" / "told reporters:"
        if c.i > tok.i and c.dep_ in ("prep", "dobj", "dative", "npadvmod", "advmod") and c.i < sent.end:
            end = max(w.idx + len(w.text) for w in c.subtree)
            if end > j:
                obj_start = min(w.idx for w in c.subtree) if c.dep_ == "dobj" else None
            j = max(j, end)
    k = j
    while k < len(t) and t[k] in " ,:\u00a0":
        k += 1
    if OBJECT_QUOTE and obj_start is not None and t[j:k].strip() == "":
        # "called him “a total stiff”": the object and the quoted words said of it, one content
        q = ix.quote_at(k) if k < len(t) else None
        if q and q[0] == k:
            return (obj_start, q[1]), "after"
    if QUOTE_BELOW and ":" in t[j:k] and k < len(t) and t[k] == "\n":
        # "Dr. Ward stated:" and the quotation as the next paragraph
        while k < len(t) and t[k] in " \n\u00a0":
            k += 1
    q = ix.inner_at(k) if k < len(t) else None
    if q and q[0] == k:
        return q, "after"
    q = ix.quote_at(k) if k < len(t) else None
    if q and q[0] == k:
        return q, "after"
    return _quote_before(ix, tok)


def _quote_before(ix: Index, tok):
    """A quote ending right before the cue's clause (``"...," he said``), or (None, None)."""
    t = ix.text
    # before: the clause start (subject) preceded by a quote ending in , or , ”
    subj = _subject(tok)
    if OWN_OBJECT_NOT_QUOTE and subj is not None and subj.head.i != tok.i and tok.tag_ == "VBG" \
            and _gerund_object(tok) is not None:
        # '"...," he said, referring to faith-driven voters': the gerund reports its own object, and the
        # quotation before is the main verb's
        return None, None
    first = min([tok.idx] + ([w.idx for w in subj.subtree] if subj is not None else []))
    k = first - 1
    while k >= 0 and t[k] in " \u00a0":
        k -= 1
    if k >= 0 and t[k] in _CLOSERS and (t[first:first + 1].islower() or not _ends_sentence(t, k)):
        q = ix.inner_at(k)
        if q and q[1] == k + 1:
            return q, "before"
        q = ix.quote_at(k)
        if q and q[1] == k + 1:
            return q, "before"
    return None, None


def _gerund_object(tok):
    """A gerund's own object after it: a direct object or the object of its preposition ("referring to
    faith-driven voters", "calling on Congress to act"), or None."""
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("dobj", "ccomp", "xcomp"):
            return c
        if c.i > tok.i and c.dep_ == "prep" and _child(c, ("pobj", "pcomp")) is not None:
            return c
    return None


def _ends_sentence(t: str, close: int) -> bool:
    """Whether the quotation whose closing mark is at ``close`` ends its sentence with a full stop
    ('... the answer." Birchers viewed communists as ...'): then the clause after is a new sentence, not its
    '"...," he said' (PolNeAR train: such a quotation is the content of the verb after it once in 95). A
    clause after it that starts in lower case ('..." he said') goes on with it all the same."""
    return _last_mark(t, close + 1) == "."


def _last_mark(t: str, end: int) -> str:
    """The character before the closing quotation marks that end at ``end`` ("" at the text's start)."""
    k = end
    while k > 0 and t[k - 1] in _CLOSERS:
        k -= 1
    return t[k - 1] if k > 0 else ""


def _content_of_quote(ix: Index, q):
    return [(q[0], q[1])]


def _that_clause(c) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)


def _statement_noun(tok):
    """``said in a statement that ...``: the noun of the verb's ``in`` phrase whose that-clause (the
    parser hangs it on the noun) is what the verb reports."""
    for c in tok.children:
        if c.dep_ == "prep" and c.i > tok.i and c.lower_ == "in":
            pobj = _child(c, ("pobj",))
            if pobj is not None and pobj.lemma_.lower() in STATEMENT_NOUNS | {"interview", "letter", "post", "tweet"}:
                return pobj
    return None


def _quoted_before(ix: Index, tok, before, after, clip) -> bool:
    """Whether the clause ``before`` the verb lies in a quotation that closes before the verb, and the clause
    ``after`` it is no quotation of its own."""
    b = tokens_span(ix, list(before.subtree), clip)
    a = tokens_span(ix, list(after.subtree), clip)
    if not b or not a:
        return False
    q = ix.quote_around(b[0], b[1], tok.idx)
    return bool(q) and q[1] <= tok.idx and not ix.quote_around(a[0], a[1], tok.idx)


# verbs whose object is who is told ("warned reporters", "told the crowd"): the words said lie elsewhere
ADDRESSEE_VERBS = frozenset("tell warn remind assure reassure inform caution advise notify promise".split())


def _own_object(tok) -> bool:
    """Whether a verb has an object or complement of its own after it: "as Democrats called on him to quit"
    reports its own words, not the main clause's (the "as" frame is for "As Trump said, ...", "as he put it,
    ...": a pronoun object stands for the main clause)."""
    if tok.lemma_ in ADDRESSEE_VERBS or any(c.dep_ == "dobj" and c.lower_ in ("it", "this", "that") for c in tok.children):
        return False
    # not an addressee ("as she said to them") nor a time ("as he said on Monday")
    return any(c.i > tok.i and (c.dep_ in ("xcomp", "oprd") or c.dep_ == "dobj" or
                                c.dep_ == "prep" and c.lower_ in ("about", "of", "for", "against"))
               for c in tok.children)


def verb_frame(ix: Index, tok):
    """(frame, content spans, content head token or None) for a verb cue candidate."""
    sent = tok.sent
    clip = ix.line_bounds(tok.idx)
    cc = [c for c in tok.children if c.dep_ == "ccomp"]
    if tok.lower_ in ("according",):
        return None
    if not cc and STATEMENT_CLAUSE:
        noun = _statement_noun(tok)
        if noun is not None:
            cc = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and _that_clause(c)]
    if _colon_after(tok):
        q, where = _adjacent_quote(ix, tok, sent)
        if q and where == "after":
            return "quote", _content_of_quote(ix, q), None
    if cc and all(c.i < tok.i for c in cc) and tok.lemma_ != "say" and _own_object(tok):
        # "the phenomenon is universal: voters prefer to back a winner": a clause before a verb that has an
        # object of its own is not what the verb reports
        cc = []
    if cc:
        c = cc[0]
        if PREFER_AFTER and c.i < tok.i:
            # "Moments earlier, Trump said he was ...": a clause after the verb is what it reports; but not
            # after a quotation closed just before the verb ('"...," Sanders said, suggesting ...'): PolNeAR
            # train has the quotation in the content 51 times in 52, and the clause after alone never when
            # it is no quotation itself
            after = next((x for x in cc if x.i > tok.i), None)
            if after is not None and not _quoted_before(ix, tok, c, after, clip):
                c = after
        span = tokens_span(ix, list(c.subtree), clip)
        if span:
            q = ix.quote_around(span[0], span[1], tok.idx)
            if q:
                return "quote", _content_of_quote(ix, q), c
            if c.i < tok.i:
                return "inverted", [span], c
            left = [w for w in c.subtree if w.i < tok.i]
            if left and SPLIT_AROUND_CUE:
                # "which officials said will take effect": the relative word, then the rest (the source and the cue between)
                right = [w for w in c.subtree if w.i > tok.i]
                a, b = tokens_span(ix, left, clip), tokens_span(ix, right, clip)
                if a and b:
                    return "ccomp", [a, _extend_ccomp(ix, tok, c, b, clip)], c
            span = _extend_ccomp(ix, tok, c, span, clip)
            return "ccomp", [span], c
    q, where = _adjacent_quote(ix, tok, sent)
    if q:
        return "quote", _content_of_quote(ix, q), None
    first = min(w.i for w in tok.subtree)
    before = tok.doc[first - 1] if first > 0 else None
    if tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and _subject(tok) is not None and not any(
        c.dep_ in ("dobj", "xcomp", "mark") for c in tok.children
    ) and before is not None and (before.text in (",", "—", "–", "-") or before.text in _CLOSERS) and (
        not STRICT_INVERTED or _short_tail(tok)
    ):
        head = tok.head
        toks = [w for w in sent if w.i < min(x.i for x in tok.subtree)]
        span = content_span(ix, toks, clip)
        if span:
            return "inverted", [span], head
    if PARENTHETICAL and tok.dep_ == "parataxis" and tok.head.i < tok.i:
        got = _set_off_after(ix, tok, sent, clip)
        if got:
            return "parenthetical", got, tok.head
    if PARENTHETICAL and tok.dep_ == "parataxis" and tok.head.i > tok.i and _subject(tok) is not None and not any(
        c.dep_ in ("dobj", "xcomp", "mark", "ccomp") for c in tok.children
    ):
        # "The adjustment, they concluded, never happened": what is said runs around the cue
        stolen = _stolen_subject(tok)
        skip = {w.i for w in stolen.subtree} if stolen is not None else set()
        around = _between_commas(tok, sent, skip)
        if around is not None:
            lo, hi = around
            left = content_span(ix, [w for w in sent if w.i < lo - 1], clip)
            right = content_span(ix, [w for w in sent if w.i > hi + 1], clip)
            if left and right:
                return "parenthetical", [left, right], tok.head
    mark = _child(tok, ("mark",))
    if mark is not None and mark.lower_ == "as" and tok.dep_ == "advcl" and tok.head.i != tok.i and \
            not _own_object(tok):
        toks = subtree_minus(tok.head, [tok])
        toks = [w for w in toks if w.i > tok.i] or toks
        while toks and toks[-1].text == "." and AS_NO_STOP:
            toks = toks[:-1]  # "As X said, Y." says Y, not the full stop
        span = content_span(ix, toks, clip)
        if span:
            return "as", [span], tok.head
    x = _child(tok, ("xcomp",))
    if x is not None and x.i > tok.i:
        toks = list(x.subtree)
        o = _child(tok, ("dobj",))
        if XCOMP_OBJECT and o is not None and tok.i < o.i < x.i:
            toks = list(o.subtree) + toks  # "urged voters to ...": the object and its infinitive
        span = tokens_span(ix, toks, clip)
        if span:
            return "xcomp", [span], x
    if any(c.dep_ == "auxpass" for c in tok.children):
        sp = _child(tok, ("nsubjpass",))
        if sp is not None:
            span = tokens_span(ix, list(sp.subtree), clip)
            if span:
                pieces = [span]
                # "X is seen as a reformer", "X was named the winner": the subject and what it is said to be
                comp = next((c for c in tok.children if c.i > tok.i and (
                    c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as"
                    or PASSIVE_OBJECTS and (c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in _PASSIVE_PREPS))),
                    None) if PASSIVE_COMPLEMENT else None
                if comp is not None:
                    # "is remembered as a progressive": an "as" right after the verb belongs to the cue
                    # ("was criticized for ..." keeps its "for": the refined cue takes it where PolNeAR would)
                    toks = [w for w in comp.subtree if not (w.i == comp.i == tok.i + 1 and comp.dep_ == "prep"
                                                            and comp.lower_ not in _PASSIVE_PREPS
                                                            and tok.lemma_ not in _AS_IN_CONTENT)]
                    more = tokens_span(ix, toks, clip)
                    if more and more[0] >= span[1]:
                        pieces.append(more)
                return "passive", pieces, sp
    d = _child(tok, ("dobj",))
    if d is not None:
        span = tokens_span(ix, _right_phrase(tok, d), clip)
        if span:
            pieces = [span]
            if REL_OBJECT_COMPLEMENT and d.i < tok.i and d.tag_ in ("WDT", "WP"):
                # "what he calls corruption in politics", "whom he described as peaceful": the fronted
                # relative object and what the verb says it is
                comp = next((c for c in tok.children if c.i > tok.i and (
                    c.dep_ in ("oprd", "ccomp", "xcomp") or c.dep_ == "prep" and c.lower_ in ("as", "for"))), None)
                more = tokens_span(ix, _right_phrase(tok, comp), clip) if comp is not None else None
                if more and more[0] >= span[1]:
                    pieces.append(more)
            return "dobj", pieces, d
    p = None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("about", "of", "on", "for", "to", "against") and c.i > tok.i:
            p = c
            break
    if p is not None:
        pobj = _child(p, ("pobj", "pcomp"))
        if pobj is not None:
            toks = [w for w in _right_phrase(tok, p) if w.i != p.i]
            span = tokens_span(ix, toks, clip)
            if span:
                return "prep", [span], pobj
    return "none", [], None


CUE_LEFT = {"aux", "auxpass", "neg"}
# adverbs before a cue verb that stay out of it. Not "even", "just", "later", "first", "yet", "only": PolNeAR
# train keeps them in the cue ("not even suggesting", "later said") 125 times in 136
ADV_NOT_IN_CUE = {"when", "however", "where", "how", "why", "so", "then", "thus", "therefore", "meanwhile",
                  "earlier", "there", "here", "instead"}
CUE_PREPS = {"to", "about", "against", "of", "for", "on", "over"}


EXTEND_QUOTE = True
PASSIVE_COMPLEMENT = True
# "Mr. Reagan was criticized for trading ...", "he was granted temporary asylum", "was accused of lying": what
# the subject is said to have done or been given is content too (PolNeAR train, passive cues: the phrase is in
# the gold content for 32 of 39 "for", 15 of 16 "about", 14 of 14 "of", 14 of 15 objects)
PASSIVE_OBJECTS = True
_PASSIVE_PREPS = {"for", "about", "of", "over", "against"}
# "was described as reckless": after these verbs PolNeAR train puts the "as" in the content, not the cue
# (described 8 to 1, identified 2 to 1, listed and nominated 2 to 0; "seen as" is even, 11 to 12)
_AS_IN_CONTENT = {"describe", "identify", "list", "nominate"}
INVERTED_CONTINUES = True
SPLIT_AROUND_CUE = True
PARENTHETICAL = True
QUOTE_BELOW = True
STATEMENT_CLAUSE = True
AS_NO_STOP = True
IMPLICIT_SUBJECTS = True
OBJECT_QUOTE = True
PREFER_AFTER = True
CUT_NONRESTRICTIVE = False
CUT_ADVCL = False
EXTEND_CONJ = False


def _extend_ccomp(ix: Index, tok, c, span, clip):
    """A reported clause goes on (a) to the end of a quotation it opens and (b) over a clause
    coordinated with the cue verb that has its own subject (``said A, but he feels B``)."""
    s, e = span
    t = ix.text
    if CUT_NONRESTRICTIVE:
        # ", which ..." / ", who ..." / ", referring to ..." at the end is the writer's gloss, not the report
        for w in c.subtree:
            if w.i + 1 < len(w.doc) and w.text == "," and w.idx > s:
                nxt = w.doc[w.i + 1]
                if (nxt.lower_ in ("which", "who", "whose", "where") and nxt.head.dep_ == "relcl") or (
                        CUT_ADVCL and nxt.dep_ in ("advcl", "acl") and nxt.tag_ == "VBG" and nxt.head.i == c.i):
                    if not ix.quote_at(w.idx):
                        e = min(e, w.idx)
                        break
    if EXTEND_QUOTE:
        q = ix.quote_at(e - 1)
        if q and q[0] >= s and q[1] > e and ix.line_of(q[1] - 1) == ix.line_of(s):
            e = q[1]
    if EXTEND_CONJ:
        for k in tok.children:
            if k.dep_ == "conj" and k.i > c.i and k.pos_ in ("VERB", "AUX") and _child(k, ("nsubj", "nsubjpass")) is not None \
                    and k.lemma_.lower() not in HAND_CUES:
                sp = tokens_span(ix, list(k.subtree), clip)
                if sp:
                    e = max(e, sp[1])
                break
    return (s, e)


STRICT_INVERTED = False
_TAIL_DEPS = {"nsubj", "npadvmod", "advmod", "punct", "prep", "dative", "aux", "neg", "cc"}
_TAIL_PREPS = {"in", "on", "at", "during", "after", "to", "with", "of", "before", "from", "by"}


def _short_tail(tok) -> bool:
    """``..., he said (in an interview on Monday).``: after an inverted cue comes at most its subject
    and where or when it was said, not a content of its own."""
    for c in tok.children:
        if c.i < tok.i:
            continue
        if c.dep_ not in _TAIL_DEPS:
            return False
        if c.dep_ == "prep" and c.lower_ not in _TAIL_PREPS:
            return False
    return True


def name_as_modal(c, verb) -> bool:
    """A capitalised modal before a finite verb is a name the tagger misread ("George Will urged",
    "..., Will believes", "Theresa May says"): no modal governs a past or -s form."""
    return (c.tag_ == "MD" and c.text[:1].isupper() and not c.is_sent_start
            and verb.tag_ in ("VBD", "VBZ") and c.head.i == verb.i)


def cue_span(ix: Index, tok, frame: str = "", chead=None) -> tuple[int, int]:
    """The verb with the auxiliaries, negation and adverbs right before it (``has also said``,
    ``did not deny``), a particle after it (``pointed out``), and the preposition that introduces
    the content (``referring to``)."""
    doc = tok.doc
    s, e = tok.idx, tok.idx + len(tok.text)
    kids = {c.i: c for c in tok.children}
    i = tok.i - 1
    while i >= 0 and i in kids:
        c = kids[i]
        if name_as_modal(c, tok):
            break
        if c.dep_ in CUE_LEFT or (c.dep_ == "advmod" and c.lower_ not in ADV_NOT_IN_CUE and c.pos_ == "ADV"):
            s = c.idx
            i -= 1
            continue
        break
    j = tok.i + 1
    while j < len(doc) and j in kids and kids[j].dep_ == "prt":
        e = kids[j].idx + len(kids[j].text)
        j += 1
    if frame == "prep" and chead is not None and chead.head.i in kids and chead.head.lower_ in CUE_PREPS:
        p = chead.head
        if p.i == j:
            e = p.idx + len(p.text)
            j += 1
    # "said in a statement (Saturday)": the medium belongs to the cue
    if j < len(doc) and j in kids and kids[j].dep_ == "prep" and kids[j].lower_ == "in":
        pobj = _child(kids[j], ("pobj",))
        if USE_MEDIUM and pobj is not None and pobj.lemma_.lower() in MEDIUM_NOUNS:
            last = max(w.i for w in kids[j].subtree)
            e = doc[last].idx + len(doc[last].text)
            j = last + 1
            if j < len(doc) and j in kids and kids[j].dep_ == "npadvmod":
                e = kids[j].idx + len(kids[j].text)
                j += 1
    # "issued a statement calling ...": the act of issuing it and the artefact belong to the cue
    if ARTEFACT_CUE and tok.dep_ == "acl" and tok.tag_ == "VBG" and _artefact_of(tok.head):
        verb = tok.head.head
        s = min(s, cue_span(ix, verb)[0])
    # "continued: ..." and a line's "added:" keep their colon (PolNeAR train: 367 times in 385)
    if CUE_COLON and j < len(doc) and doc[j].text == ":" and doc[j].idx == e and (frame == "quote" or not COLON_QUOTE_ONLY):
        e += 1
    return s, e


CUE_COLON = True
COLON_QUOTE_ONLY = False
XCOMP_CHAIN = False
USE_MEDIUM = False  # PolNeAR marks "said in a statement" both ways; the bare verb scores a little better
MEDIUM_NOUNS = {"statement", "interview", "part", "letter", "email", "e-mail", "tweet", "post", "op-ed",
                "speech", "release", "memo", "response", "video", "message", "column", "essay", "editorial"}
ARTEFACT_CUE = True
# what a participle's noun must be for "VERB a NOUN VBG-ing" to be one cue from the verb: PolNeAR train starts
# the cue at the verb 35 times in 37 for these nouns (13 in 35 for others: "had trouble getting", "a time saying")
ARTEFACT_NOUNS = {"statement", "ad", "advertisement", "commercial", "paper", "resolution", "report", "letter",
                  "message", "memo", "note", "tweet", "post", "email", "e-mail", "video", "release", "petition",
                  "motion", "brief", "complaint", "order", "proposal", "amendment", "study", "survey", "poll",
                  "remark", "comment", "column", "editorial", "op-ed", "essay", "announcement"}
ARTEFACT_GROUPS = {"series", "string", "barrage", "flurry", "pair"}  # "a series of tweets"


def _artefact_of(noun) -> bool:
    """``noun`` is what a verb put out ("issued a statement", "filed legal papers", "unleashed a series of
    tweets"): a statement-like noun that is the object of a verb before it."""
    if noun.pos_ != "NOUN" or noun.dep_ != "dobj" or noun.head.pos_ != "VERB" or noun.head.i > noun.i:
        return False
    if noun.lemma_.lower() in ARTEFACT_NOUNS:
        return True
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = _child(of, ("pobj",)) if of is not None else None
    return noun.lower_ in ARTEFACT_GROUPS and obj is not None and obj.lemma_.lower() in ARTEFACT_NOUNS


SOURCE_TRIM = True


def source_span(ix: Index, tok, clip, cue_tok=None):
    """The span of a source head token: its subtree in the cue's line, less a time phrase hanging on
    it (``Trump last week``, ``the report on Wednesday``), and never running into the cue."""
    toks = list(tok.subtree)
    if SOURCE_TRIM:
        drop = set()
        for c in tok.children:
            if c.i > tok.i and (c.dep_ == "npadvmod" or (c.dep_ == "prep" and any(
                    g.ent_type_ in ("DATE", "TIME") for g in c.children if g.dep_ == "pobj"))):
                drop.update(w.i for w in c.subtree)
        if cue_tok is not None and tok.i < cue_tok.i:
            drop.update(w.i for w in toks if w.i >= cue_tok.i)
        toks = contiguous([w for w in toks if w.i not in drop], tok) if drop else toks
    if cue_tok is not None and toks and toks[-1].i + 1 < cue_tok.i and name_as_modal(tok.doc[toks[-1].i + 1], cue_tok):
        toks = toks + [tok.doc[toks[-1].i + 1]]
    span = tokens_span(ix, toks, clip)
    if span:
        s, e = span
        t = ix.text
        # PolNeAR keeps the comma or dash that closes an appositive: "Jeff Weaver, a spokesman,"
        k = e
        while k < len(t) and t[k] == " ":
            k += 1
        if k < len(t) and t[k] in ",—–" and t[k] in t[s:e] and k < clip[1]:
            span = (s, k + 1)
    return span


def find(doc, text: str, lexicon: dict | None = None, threshold: float = THRESHOLD, use_model: bool = True,
         model: dict | None = None) -> list[Raw]:
    lexicon = learned_cues() if lexicon is None else lexicon
    if model is None:
        model = cue_model(tagger_variant(doc)) if use_model else None
    ix = Index(doc, text)
    t_ = text
    raws: list[Raw] = []
    for tok in doc:
        if tok.is_space or tok.is_punct:
            continue
        low = tok.lower_
        clip = ix.line_bounds(tok.idx)
        # -- "according to X"
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = _child(to, ("pobj",))
            src = tokens_span(ix, list(pobj.subtree), clip) if pobj is not None else None
            head = tok.head if tok.head.i != tok.i else None
            if head is not None and head.i == to.i:
                head = None
            sent = tok.sent
            excl = set(w.i for w in tok.subtree) | {to.i} | (set(w.i for w in pobj.subtree) if pobj is not None else set())
            base = list(head.subtree) if head is not None and head.i not in excl else list(sent)
            toks = [w for w in base if w.i not in excl]
            # keep the contiguous run on one side of the "according to" phrase
            after = [w for w in toks if w.i > max(excl)]
            before = [w for w in toks if w.i < tok.i]
            part = after if len(after) >= len(before) else before
            content = content_span(ix, part, clip)
            if KEEP_PUNCT_BEFORE_ACCORDING and content and part is before:
                k = content[1]
                while k < tok.idx and t_[k] in " ":
                    k += 1
                if k < tok.idx and t_[k] in ",—–-":
                    content = (content[0], k + 1)
            raws.append(Raw(cue=(tok.idx, to.idx + len(to.text)), cue_lemma="according to", cue_head=tok.i,
                            source=src, source_head=pobj.i if pobj is not None else -1,
                            content=[content] if content else [], frame="according",
                            score=lexicon.get(("according to", "according"), 1.0)))
            continue
        if NOUN_CUES and tok.pos_ == "NOUN" and tok.lemma_.lower() in CUE_NOUNS:
            if STATEMENT_CLAUSE and tok.head.dep_ == "prep" and any(
                    r.cue_head == tok.head.head.i and getattr(_statement_noun(tok.head.head), "i", -1) == tok.i
                    for r in raws):
                continue  # "said in a statement that ...": the verb already reports the clause
            r = _noun_cue(ix, tok, clip)
            if r is not None:
                raws.append(r)
            continue
        if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and tok.lemma_ in ("say",)):
            continue
        lemma = tok.lemma_.lower()
        fr = verb_frame(ix, tok)
        if fr is None:
            continue
        frame, content, chead = fr
        spoken_by = None
        if frame == "inverted" and len(content) == 1:
            q = ix.quote_around(content[0][0], content[0][1], tok.idx)
            if q and q[1] <= tok.idx:
                content = [q]
                frame = "quote"
            elif QUOTE_THEN_SPEAKER:
                spoken_by = _speaker_after_quote(ix, tok, content[0])
                if spoken_by is not None:
                    content, frame = [spoken_by[0]], "quote"
        if SANDWICH and frame == "quote" and len(content) == 1 and content[0][0] > tok.idx:
            # '"Every time you say that," Tester said, referring to ..., "you give ammunition ..."': the parser
            # took the quotation after the cue for its clause; the one closed before it is said too
            q, where = _quote_before(ix, tok)
            if q and where == "before" and _between_is_cue_clause(ix, tok, q[1], content[0][0]):
                content = [q] + content
        if (frame == "quote" or frame == "inverted" and INVERTED_CONTINUES) and content and content[-1][1] <= tok.idx:
            more = _continuation(ix, tok, content[-1])
            if more:
                content = content + [more]
        # "made the statement": content points back to the sentences before
        if frame in ("dobj", "none") and lemma in ("make", "issue", "release", "publish", "give"):
            d = _child(tok, ("dobj",))
            # the noun after the verb: a fronted one ("What allegations does the letter make?") is a question
            if d is not None and d.i > tok.i and d.lemma_.lower() in STATEMENT_NOUNS and not any(
                c.dep_ in ("acl", "relcl", "prep") for c in d.children
            ):
                back = _preceding(ix, tok)
                if back:
                    src_tok = _subject(tok)
                    r = Raw(cue=(tok.idx, d.idx + len(d.text)), cue_lemma=f"{lemma} {d.lemma_.lower()}",
                            cue_head=tok.i, content=[back], frame="statement", score=1.0)
                    if src_tok is not None:
                        r.source = source_span(ix, src_tok, clip)
                        r.source_head = src_tok.i
                    raws.append(r)
                    _citing(ix, tok, r, raws, d)
                    continue
        inq = ix.quote_at(tok.idx) is not None
        if model is not None:
            # a parenthetical cue ("X, she said, Y") is scored as the inverted one it resembles
            score = model_score(model, cue_features(ix, tok, "inverted" if frame == "parenthetical" else frame),
                                cue_dense(tok))
            score = 0.5 * score / model["threshold"] if score < model["threshold"] else 0.5 + 0.5 * (score - model["threshold"]) / (1 - model["threshold"])
        else:
            score = lexicon.get((lemma, frame + "@q")) if inq else lexicon.get((lemma, frame))
            if score is None:
                score = lexicon.get((lemma, frame))
        if score is None:
            score = 0.6 if (lemma in HAND_CUES and frame in ("ccomp", "quote", "inverted")) else 0.0
        if lemma in STANCE_CUES and frame in ("ccomp", "quote", "inverted", "passive", "prep", "dobj"):
            score = max(score, 0.6)
        if frame in ("ccomp", "quote", "inverted") and _subject(tok) is not None and nested_report(tok):
            score = max(score, 0.6)  # a nested "X told him that ..." counts, though PolNeAR often skips it
        if CONTROL_CHAINS and frame == "ccomp" and lemma in CORE_CUES and _controller(tok) is not None:
            score = max(score, 0.6)  # "went on to say that ...": the chain reports what the inner verb does
        if frame == "ccomp" and not inq and STANCE.get(lemma) == "hedge" and score >= 0.3:
            score = max(score, threshold)  # beliefs are attributions too, though PolNeAR marks few
        if frame == "as" and lemma in HAND_CUES:
            score = max(score, 0.6)
        if frame == "quote" and lemma in HAND_CUES and _colon_after(tok):
            score = max(score, 0.6)
        if score < threshold:
            continue
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        by = _agent(tok)  # a participle's by-phrase says who too: "As reported by X, ...", "a plan backed by X"
        src_tok = by if passive or (AGENT_OF_PARTICIPLE and tok.tag_ == "VBN" and by is not None) else _subject(tok)
        if spoken_by is not None:
            src_tok = spoken_by[2]
        if src_tok is not None and (src_tok.dep_ == "expl" or (
                src_tok.lower_ == "it" and lemma in ("seem", "appear", "emerge", "transpire", "turn"))):
            src_tok = None  # "it appears that ...": no source in the text
        if src_tok is not None and RAISING_NO_SOURCE and lemma in RAISING_VERBS and not passive:
            experiencer = None
            # "Sanders doesn't appear ready to ease off": the subject is what seems, not who says so, and the
            # first piece of what is said (PolNeAR train: 175 of 182 seem/appear attributions have no
            # source, 156 have the subject as a piece of their content)
            if not content:
                # "Republicans seem confident ...", "the conflict seemed far away": what it seems to be
                comp = [w for c in tok.children if c.i > tok.i and c.dep_ in ("acomp", "attr", "oprd", "advmod", "prep")
                        for w in c.subtree]
                # "seemed far away to European citizens": to whom it seems is who says so
                to = next((w for w in comp if w.lower_ == "to" and w.dep_ == "prep" and tok.i in (w.head.i, w.head.head.i)
                           and getattr(_child(w, ("pobj",)), "pos_", "") in ("NOUN", "PROPN", "PRON")), None)
                if to is not None:
                    comp = [w for w in comp if w.i < to.i]
                    experiencer = _child(to, ("pobj",))
                comp = tokens_span(ix, comp, clip) if comp else None
                content = [comp] if comp else []
            if src_tok.i < tok.i and content and content[0][0] > tok.idx:
                lead = tokens_span(ix, list(src_tok.subtree), clip)
                if lead and lead[1] <= tok.idx:
                    content = [lead] + list(content)
            src_tok = experiencer
        if XCOMP_PASSIVE_SUBJECT and frame == "xcomp" and lemma in RAISED_BY and content and \
                content[0][0] > tok.idx and (passive or tok.dep_ == "acl" and tok.tag_ == "VBN"):
            lead = _raised_subject(ix, tok, clip)
            if lead is not None:
                content = [lead] + list(content)
        cspan = cue_span(ix, tok, frame, chead)
        if frame == "passive" and len(content) == 2 and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "as" \
                and content[1][0] > doc[tok.i + 1].idx and lemma not in _AS_IN_CONTENT:
            cspan = (cspan[0], max(cspan[1], doc[tok.i + 1].idx + 2))
        if XCOMP_CHAIN and frame == "xcomp" and chead is not None and chead.pos_ == "VERB":
            fr2 = verb_frame(ix, chead)
            if fr2 is not None and fr2[0] in ("dobj", "ccomp", "prep", "quote") and fr2[1]:
                s2, e2 = cue_span(ix, chead, fr2[0], fr2[2])
                cspan = (cspan[0], e2)
                content = fr2[1]
        r = Raw(cue=cspan, cue_lemma=lemma, cue_head=tok.i, content=content, frame=frame, score=score)
        r.negated = any(c.dep_ == "neg" for c in tok.children)
        if src_tok is not None:
            r.source = spoken_by[1] if spoken_by is not None else source_span(ix, src_tok, clip, tok)
            r.source_head = src_tok.i
        raws.append(r)
        _citing(ix, tok, r, raws, None)
    if CONTROL_CHAINS:
        raws = _merge_control_chains(ix, raws)
    if COLON_CREDITS:
        raws.extend(_colon_credits(ix, raws))
        raws.extend(_dash_credits(ix, raws))
    if FLOATING:
        _floating_quotes(ix, raws)
    if REL_PIECE:
        _relative_pieces(ix, raws)
    for r in raws:
        r.content = sorted(set(s for s in r.content if s[0] < s[1]))
    # a span the constructions above got backwards or empty would break every later step: never kept
    return [r for r in raws if r.cue[0] < r.cue[1] and (r.source is None or r.source[0] < r.source[1])]


QUOTE_THEN_SPEAKER = True
REL_OBJECT_COMPLEMENT = True
XCOMP_PASSIVE_SUBJECT = True
# verbs of expecting, knowing and saying: "is expected to" (PolNeAR train, the rules alone: +37 / -2 exact
# contents, `scripts/ablate_attribution_rules.py XCOMP_PASSIVE_SUBJECT`); not "was designed to", "is intended to"
RAISED_BY = {"expect", "know", "say", "think", "believe", "report", "rumor", "consider", "predict", "estimate",
             "presume", "suppose", "understand"}


def _raised_subject(ix: Index, tok, clip):
    """"The central bank is expected to act", "a community known to be supportive": what is expected or
    known is said of the subject, and PolNeAR marks it as the content's first piece (the infinitive the
    second). The passive's subject, or the noun a participle hangs on, before the cue; else None."""
    if tok.dep_ == "acl":
        head = tok.head
        toks = [w for w in head.subtree if w.i < tok.i and not (w.i > head.i and w.dep_ == "punct")]
    else:
        sp = _child(tok, ("nsubjpass",))
        if sp is None or sp.i > tok.i:
            return None
        toks = list(sp.subtree)
    span = tokens_span(ix, toks, clip) if toks else None
    return span if span and span[1] <= tok.idx else None


REL_PIECE = True
REL_WORDS = {"which", "who", "whom", "what"}  # not "that": mostly a conjunction the tagger calls WDT


def _relative_pieces(ix: Index, raws: list[Raw]) -> None:
    """"who many feel need a strong showing", "which she has repeatedly said was a mistake": the relative
    word that opens the cue's clause stands for part of what is reported, and PolNeAR marks it as the
    content's first piece. Not when it is the cue's own subject ("officials who said ...": the source)."""
    doc = ix.doc
    for r in raws:
        start = min((s for s, _ in r.content), default=-1)
        if r.cue_head < 0 or start < r.cue[1]:
            continue
        tok = doc[r.cue_head]
        chain = [tok]
        while chain[-1].dep_ == "xcomp" and chain[-1].head.i < chain[-1].i:
            chain.append(chain[-1].head)
        clause = chain[-1]
        if clause.dep_ not in ("relcl", "ccomp", "pcomp", "advcl", "acl"):
            continue
        first = min(clause.subtree, key=lambda w: w.i)
        if first.lower_ not in REL_WORDS or first.i >= tok.i or first.tag_ not in ("WDT", "WP"):
            continue
        if first.dep_ == "nsubj" and any(first.head.i == w.i for w in chain):
            continue
        if r.source is not None and r.source[0] <= first.idx < r.source[1]:
            continue
        if ix.text[start:].lower().startswith("that "):
            continue  # "which she thought that only she would have access to": the word lies inside the clause
        r.content = [(first.idx, first.idx + len(first.text))] + list(r.content)


def _speaker_after_quote(ix, tok, span):
    """'“It is not ...,” Gene Sperling, a top outside Clinton adviser, said': where the parser hangs the speaker
    inside the clause before the verb, the clause's span runs from a quotation over the speaker. Then (the
    quotation, the words between it and the verb as the source, the source's head), else None."""
    q = ix.quote_at(span[0])
    if q is None or q[0] != span[0] or not (q[1] < span[1] <= tok.idx):
        return None
    t = ix.text
    if not (t[q[0]:q[1]].rstrip("”\"'’»")[-1:] in (",", "?", "!") or t[q[1]:q[1] + 1] == ","):
        return None  # '"..." of the proposals, he said': a quotation inside the clause, not before the speaker
    toks = [w for w in tok.doc[ix.tok_at(q[1]).i:tok.i] if w.idx >= q[1] and not w.is_space]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks or len(toks) > 25 or any(w.pos_ in ("VERB", "AUX") for w in toks) or ix.quote_at(toks[0].idx):
        return None
    heads = [w for w in toks if w.pos_ in ("PROPN", "NOUN", "PRON") and not (toks[0].i <= w.head.i <= toks[-1].i)]
    if not heads:
        return None
    src = (toks[0].idx, toks[-1].idx + len(toks[-1].text))
    return q, src, heads[0]


RAISING_NO_SOURCE = True
RAISING_VERBS = {"seem", "appear"}
CONTROL_CHAINS = True
# the controlling verb negates what it governs: "refused to admit" is no admission
_NEGATING_CONTROL = {"refuse", "decline", "fail", "avoid", "stop", "hesitate", "neglect", "omit"}


def _controller(t2):
    """The verb that governs a reporting verb for the same speaker ("went on to say", "refused to admit",
    "responded by saying"), or None."""
    if t2.dep_ == "xcomp" or t2.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t2.children):
        t1 = t2.head  # the parser reads "went on to say" as either
    elif t2.dep_ == "pcomp" and t2.head.lower_ == "by" and t2.head.dep_ == "prep":
        t1 = t2.head.head
    else:
        return None
    if t1.i == t2.i or t1.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("dobj", "dative") for c in t1.children):
        return None  # "asked him to confirm": the inner verb has another speaker
    return t1


def _adjacent_chain(t1, t2) -> bool:
    """Only particles, "to", "by" and adverbs between the two verbs: "went on to say", "refused to admit"."""
    return t1.i < t2.i and all(w.dep_ in ("prt", "aux", "advmod", "neg") or w.dep_ == "prep" and w.lower_ == "by"
                               for w in t1.doc[t1.i + 1:t2.i])


def _merge_control_chains(ix: Index, raws: list[Raw]) -> list[Raw]:
    """One attribution for a reporting verb governed by the verb of the same speaker: "went on to say
    that ...", "refused to admit that ...", "responded by saying ...". The rules find both verbs; the
    outer one's content is only the inner clause, so the two are one report, cued by the whole chain
    (PolNeAR marks 83 of 107 such chains in train so), with the inner verb's content."""
    doc = ix.doc
    by_head = {r.cue_head: k for k, r in enumerate(raws) if r.cue_head >= 0 and r.frame not in ("credit",)}
    gone: dict[int, int] = {}  # outer verb's index -> the attribution it merged into
    for k2, r2 in enumerate(raws):
        if r2.cue_head < 0 or not r2.content or r2.frame in ("credit", "according", "citing"):
            continue
        t2 = doc[r2.cue_head]
        t1 = _controller(t2)
        if t1 is None:
            continue
        k1 = by_head.get(t1.i)
        if k1 is None:
            # the outer verb was no cue of its own: the chain still cues, when nothing stands between
            if _adjacent_chain(t1, t2) and k2 not in gone:
                r2.cue = (cue_span(ix, t1)[0], r2.cue[1])
                r2.negated = r2.negated or t1.lemma_.lower() in _NEGATING_CONTROL
            continue
        if k1 == k2 or k1 in gone or k2 in gone:
            continue
        r1 = raws[k1]
        if r1.cue[0] >= r2.cue[0]:
            continue
        r2.cue = (r1.cue[0], max(r1.cue[1], r2.cue[1]))
        if r1.source is not None:
            r2.source, r2.source_head = r1.source, r1.source_head
        r2.negated = r2.negated or r1.negated or t1.lemma_.lower() in _NEGATING_CONTROL
        r2.score = max(r1.score, r2.score)
        if r2.parent_hint is None or r2.parent_hint == k1:
            r2.parent_hint = r1.parent_hint  # never its own parent
        gone[k1] = k2
    return drop_raws(raws, gone) if gone else raws


def drop_raws(raws: list[Raw], gone: dict[int, int | None]) -> list[Raw]:
    """``raws`` less those whose index is in ``gone``, parent hints remapped: a hint at a dropped raw
    points at the raw it became (``gone[k]``), or at none."""
    new_index, out = {}, []
    for k, r in enumerate(raws):
        if k not in gone:
            new_index[k] = len(out)
            out.append(r)
    for r in out:
        if r.parent_hint is not None:
            h = r.parent_hint
            r.parent_hint = new_index.get(gone[h] if h in gone else h)
    return out


COLON_CREDITS = True
TITLE_CLAIM_CUES = True
KEEP_PUNCT_BEFORE_ACCORDING = False
_COLON_LINE = re.compile(r"(?P<src>[A-Z][\w.'’&-]*(?: [\w.'’&-]+){0,4}):\s+(?P<claim>\S.*\S)\s*$")


# the spaces around a signature's dash are often non-breaking ones
_DASH_CREDIT = re.compile(r"([”\"’])[ \t\u00a0]*([―—])[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t\u00a0]+[A-Z][\w.'’-]*){0,4})")


def _dash_credits(ix: Index, raws: list[Raw]) -> list[Raw]:
    """``"..." ― Maria Lopez``: a quotation signed with a dash and a name."""
    t = ix.text
    out = []
    cues = {r.cue for r in raws}
    for m in _DASH_CREDIT.finditer(t):
        close = m.start(1)
        q = ix.quote_at(close)
        if q and q[1] == close + 1:
            start = q[0]
        else:
            ls, _ = ix.line_bounds(close)
            k = max(t.rfind(c, ls, close) for c in "“”\"")
            if k < 0 or close - k < 4:
                continue
            start = k
        cue = (m.start(2), m.end(2))
        if cue in cues:
            continue
        src_e = m.end(3)
        if t[src_e - 1] == "." and not re.search(r"(?:^|\W)\w\.$", t[m.start(3):src_e]):
            src_e -= 1  # the sentence's full stop, not an initial's ("Ana B. Reyes.")
        out.append(Raw(cue=cue, cue_lemma="―", cue_head=-1, source=(m.start(3), src_e),
                       content=[(start, close + 1)], frame="dash"))
    return out


def _speaker_label(src: str) -> bool:
    """``TAPPER:`` / ``JAKE TAPPER:`` at the start of a line: a transcript's speaker label (capitals only;
    ``Q``/``A`` and single letters are not names)."""
    words = src.split()
    return 1 <= len(words) <= 3 and all(w.isupper() and sum(c.isalpha() for c in w) >= 2 for w in words)


_NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC")


def _names_someone(ix: Index, toks, title_end: int) -> bool:
    """Whether the words before a title's colon name someone: the parser's entities say so, or one of
    the words is written capitalised in the article below, as names are ("Graham: ..." and Graham in the
    text). A headline's kicker ("Breaking:", "Wow:", "BUSTED:") is neither."""
    if any(w.ent_type_ in _NAMED for w in toks):
        return True
    body = ix.text[title_end:]
    return any(w.text[:1].isupper() and len(w.text) > 1
               and re.search(r"\b" + re.escape(w.text[0] + w.text[1:].lower()) + r"\b", body) for w in toks)


def _colon_credits(ix: Index, raws: list[Raw]) -> list[Raw]:
    """``Kerry: "By law, ..."`` and, on the title line, ``Graham: Trump's Rhetoric Destroying GOP``:
    a name, a colon, and what the name says."""
    t = ix.text
    out = []
    taken = {ix.line_of(r.cue[0]) for r in raws}
    pos = 0
    for k, line in enumerate(t.split("\n")):
        ls = pos
        pos += len(line) + 1
        lead = len(line) - len(line.lstrip())
        m = _COLON_LINE.match(line, lead)
        if m is None and line[lead:lead + 1] in ('"', "“"):
            # '"CARVER: Because ...': a transcript quoted paragraph by paragraph, each opening with a quote mark
            m = _COLON_LINE.match(line, lead + 1)
            if m is not None and not _speaker_label(m.group("src")):
                m = None
        if not m:
            continue
        src_s, src_e = ls + m.start("src"), ls + m.end("src")
        cs, ce = ls + m.start("claim"), ls + m.end("claim")
        toks = list(ix.doc[bisect.bisect_left(ix.tok_starts, src_s):bisect.bisect_left(ix.tok_starts, src_e)])
        speaker = _speaker_label(m.group("src"))
        if k == 0 and toks and not speaker:
            # a headline "Gillibrand on Hillary's Transcripts: 'I Think She Will'": the name before the preposition
            cut = next((j for j, w in enumerate(toks) if j and w.lower_ in ("on", "to")), None)
            if cut is not None:
                toks = toks[:cut]
                src_e = toks[-1].idx + len(toks[-1].text)
        if not toks or (not speaker and any(w.pos_ in ("VERB", "AUX", "PRON", "ADP", "SCONJ", "NUM") for w in toks)):
            continue
        if sum(1 for w in toks if w.text[:1].isupper()) < max(1, len(toks) - 1):
            continue
        if k == 0 and not _names_someone(ix, toks, len(line)):
            continue  # a kicker ("Breaking:", "Wow:", "BUSTED:"), not a speaker
        q = ix.quote_at(cs)
        if q and q[0] == cs:
            content = [q]
        elif k == 0 and (k not in taken or (TITLE_CLAIM_CUES and not any(
                r.cue[0] < cs and ix.line_of(r.cue[0]) == 0 for r in raws))):
            # a cue inside the title's claim ("Carver: Budget Fails, Mayor Was 'Bluffing'") is reported by the name
            content = [_trim(ix, cs, ce - 1 if t[ce - 1] == "." else ce) or (cs, ce)]
        elif speaker:
            content = [(cs, ce)]  # a transcript turn: the speaker's words run to the end of the line
        else:
            continue
        colon = ls + m.end("src")
        out.append(Raw(cue=(colon, colon + 1), cue_lemma=":", cue_head=-1, source=(src_s, src_e),
                       content=content, frame="colon"))
    return out


FLOATING = True


def _floating_quotes(ix: Index, raws: list[Raw]) -> None:
    """A paragraph that is only a quotation, with no cue of its own, right after a paragraph whose
    last attribution quoted someone: the same speaker goes on (the quote joins that content)."""
    t = ix.text
    cue_lines = {}
    for r in raws:
        cue_lines.setdefault(ix.line_of(r.cue[0]), []).append(r)
    pos = 0
    last_quoting = None
    for k, line in enumerate(t.split("\n")):
        ls, le = pos, pos + len(line)
        pos = le + 1
        if not line.strip():
            continue
        if k in cue_lines:
            rs = sorted(cue_lines[k], key=lambda r: r.cue[0])
            last_quoting = rs[-1] if rs[-1].frame == "quote" and rs[-1].source else None
            continue
        start = ls + (len(line) - len(line.lstrip()))
        end = ls + len(line.rstrip())
        qr = ix.quote_at(start)
        if last_quoting is not None and qr and qr[0] == start and qr[1] >= end - 1:
            last_quoting.content.append((qr[0], qr[1]))
            continue
        last_quoting = None


ABBREVIATION_STOPS = True


def _between_is_cue_clause(ix: Index, tok, a: int, b: int) -> bool:
    """Whether the words from ``a`` to ``b`` (between two quotations) are the cue's clause alone: no full
    stop, no other quotation, every word in the cue's subtree (its speaker, addressee, time, a gerund)."""
    t = ix.text
    between = tok.doc[bisect.bisect_left(ix.tok_starts, a):bisect.bisect_left(ix.tok_starts, b)]
    # a stop of its own, not the stop of "Mr." or "Sen." ('"...," Mr. Smith said, "and ..."'), ends a sentence
    marks = [w.text for w in between] if ABBREVIATION_STOPS else list(t[a:b])
    if any(m in (".", "!", "?", ";") for m in marks) or any(ch in _CLOSERS for ch in t[a:b]):
        return False
    sub = {w.i for w in tok.subtree}
    return all(w.i in sub for w in between if not w.is_space and not w.is_punct)


def _is_clause(ix: Index, opener) -> bool:
    """Whether the quotation opened by token ``opener`` holds a verb (words said, not a title: "in his
    2012 book, ''An American Son.''")."""
    q = ix.quote_at(opener.idx)
    return bool(q) and any(w.pos_ in ("VERB", "AUX") for w in takewhile(lambda w: w.idx < q[1], opener.doc[opener.i:]))


def _resumes_lower(ix: Index, start: int) -> bool:
    """Whether the quotation opening at ``start`` goes on in lower case ('"is that we're ..."', '"but most
    ..."'): the sentence broken off before the cue resumes, whatever the cue's clause holds between."""
    t = ix.text
    k = start
    while k < len(t) and (t[k] in _CLOSERS or t[k] in "“‘«`"):
        k += 1
    return k < len(t) and t[k].islower()


def _continuation(ix: Index, tok, q) -> tuple[int, int] | None:
    """``"First part," he said. "Second part."``: the quote that resumes right after the cue's
    sentence (or clause), in the same paragraph."""
    t = ix.text
    end = tok.sent.end_char
    # the cue clause may end with a comma instead of a full stop: "..., he said, "...""
    last = max(w.idx + len(w.text) for w in tok.subtree if not w.is_space and not w.is_punct)
    starts = [last, end]
    resumed = _resumed_after_cue_clause(ix, tok) if RESUME_PAST_CONJ else None
    if resumed is not None:
        starts.insert(0, resumed)
    for k0 in starts:
        k = k0
        while k < len(t) and t[k] in " .,:;\u00a0":
            k += 1
        nq = ix.quote_at(k) if k < len(t) else None
        if nq and nq[0] == k and ix.line_of(k) == ix.line_of(tok.idx) and nq != q:
            if CONT_OWN_CUE and _quote_has_own_cue(ix, tok.doc, nq):
                return None
            return nq
    return None


def _resumed_after_cue_clause(ix: Index, tok) -> int | None:
    """Where a quotation resumes after the cue's clause and a comma, when the parser hung it on the cue so
    that the cue's subtree runs into it ('"...," Schiff told Capital Download on Wednesday, "but the
    attempt ..."'), else None. Verbs between (the speaker's apposition, a gerund) are allowed only when the
    quotation goes on in lower case; a that-clause between is the gerund's own."""
    t = ix.text
    nxt = next((w for w in tok.doc[tok.i + 1:tok.sent.end + 1] if (ix.quote_at(w.idx) or (None,))[0] == w.idx), None)
    if nxt is None or not _between_is_cue_clause(ix, tok, tok.idx + len(tok.text), nxt.idx):
        return None
    k = nxt.idx
    while k > 0 and t[k - 1] in " \u00a0":
        k -= 1
    between = tok.doc[tok.i + 1:nxt.i]
    if k == 0 or t[k - 1] != "," or any(w.dep_ == "mark" or w.lower_ == "that" for w in between):
        return None
    if not _resumes_lower(ix, nxt.idx) and any(w.pos_ in ("VERB", "AUX") for w in between):
        return None
    return nxt.idx if _is_clause(ix, nxt) else None


def _ends_with_comma(t: str, close: int) -> bool:
    """Whether the quotation closing at ``close`` (its end offset) ends on a comma inside or outside the
    marks ('"...,"' or '"...",'): its sentence goes on after it."""
    return close < len(t) and t[close] == "," or _last_mark(t, close) == ","


def _quote_has_own_cue(ix: Index, doc, q) -> bool:
    """Whether a quotation is followed by a speaking verb of its own ('"...," added Rep. Smith', '"...," he
    said'): then it is that verb's, not the previous cue's resumption."""
    t = ix.text
    if not _ends_with_comma(t, q[1]):
        return False  # '"... on it." He said ...': a new sentence, whatever its verb
    cues = learned_cues()
    i = bisect.bisect_left(ix.tok_starts, q[1])
    for w in doc[i:i + 5]:
        if "\n" in w.text:
            break
        if w.pos_ in ("VERB", "AUX") and max(cues.get((w.lemma_.lower(), "quote"), 0.0),
                                           cues.get((w.lemma_.lower(), "inverted"), 0.0)) >= 0.5:
            return True
    return False


_PHRASE_STOP = {"punct", "cc", "conj", "advcl", "parataxis", "mark", "nsubj", "nsubjpass", "aux", "auxpass", "neg"}


def names_the_day(c) -> bool:
    """A date or time hung on a verb as a bare noun phrase ("criticized the budget Monday"): when the
    saying happened, never part of what was said."""
    return c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME")


def _right_phrase(tok, first) -> list:
    """The verb phrase after the verb from ``first`` on: the object and what completes it
    (``criticized his rival for alienating Hispanics``, ``called Pfizer unpatriotic``)."""
    out = []
    for c in tok.children:
        if c.i < first.i:
            continue
        if c.i > first.i and c.dep_ in _PHRASE_STOP:
            break
        if ADJUNCT_STOP and c.i > first.i and (c.dep_ == "prep" and c.lower_ in _ADJUNCT_PREPS):
            break  # "praised supporters at a rally": where and when it was said is not what was said
        if ADJUNCT_STOP and c.i > first.i and names_the_day(c):
            break  # "discussed politics Monday on Fox": the day it was said, and what follows it
        out.extend(c.subtree)
    return out


ADJUNCT_STOP = True
_ADJUNCT_PREPS = {"at", "during", "after", "before", "while"}


def _colon_after(tok) -> bool:
    """A colon right after the cue or after its short object (``told me:``, ``said in a statement:``)."""
    doc = tok.doc
    for j in range(tok.i + 1, min(tok.i + 7, len(doc))):
        w = doc[j]
        if w.text == ":":
            return True
        if w.is_punct or w.is_space or w.pos_ in ("VERB", "AUX") or w.is_quote:
            return False
    return False


NOUN_CUES = True
XCOMP_OBJECT = True
NOUN_OF = False
CUE_NOUNS = {"claim", "statement", "assertion", "allegation", "announcement", "denial", "admission",
             "warning", "accusation", "suggestion", "insistence", "argument", "contention", "belief",
             "promise", "pledge", "prediction", "report", "reports", "assurance", "acknowledgment"}


def _noun_cue(ix: Index, tok, clip) -> Raw | None:
    """``Musk's claim that he ...``, ``the statement by the ministry that ...``: a reporting noun
    with a that-clause; the possessor or the ``by`` agent is the source."""
    clause = None
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and c.i > tok.i and _that_clause(c):
            clause = c
            break
    if clause is None and NOUN_OF:
        if any(c.dep_ == "poss" for c in tok.children):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "about", "on") and c.i > tok.i:
                    clause = _child(c, ("pobj", "pcomp"))
                    break
    if clause is None:
        return None
    content = tokens_span(ix, list(clause.subtree), clip)
    if not content:
        return None
    src = None
    for c in tok.children:
        if c.dep_ == "poss":
            src = c
        elif c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i < clause.i:
            src = _child(c, ("pobj",)) or src
    r = Raw(cue=(tok.idx, tok.idx + len(tok.text)), cue_lemma=tok.lemma_.lower(), cue_head=tok.i,
            content=[content], frame="noun")
    if src is not None:
        sp = tokens_span(ix, list(src.subtree), clip)
        r.source = sp
        r.source_head = src.i
    return r


def _citing(ix: Index, tok, parent: Raw, raws: list[Raw], dobj_tok) -> None:
    """``..., citing sources``: the cited ones are the parent's source's source."""
    for c in tok.children:
        if c.dep_ in ("advcl", "conj", "xcomp") and c.lemma_.lower() == "cite":
            d = _child(c, ("dobj",))
            if d is None:
                continue
            clip = ix.line_bounds(c.idx)
            src = tokens_span(ix, list(d.subtree), clip)
            if dobj_tok is not None:
                content = tokens_span(ix, list(dobj_tok.subtree), clip)
                content = [content] if content else []
            else:
                content = list(parent.content)
            raws.append(Raw(cue=(c.idx, c.idx + len(c.text)), cue_lemma="cite", cue_head=c.i, source=src,
                            source_head=d.i, content=content, frame="citing", parent_hint=raws.index(parent)))


def _preceding(ix: Index, tok) -> tuple[int, int] | None:
    """What "the statement" points back to: the sentences before the cue's sentence in its paragraph,
    or the previous paragraph when the cue opens one."""
    sent = tok.sent
    s0 = sent.start_char
    ls, _ = ix.line_bounds(s0)
    t = ix.text
    if t[ls:s0].strip():
        return _trim(ix, ls, s0)
    # previous non-empty line
    k = ls - 1
    while k > 0 and t[k - 1] in "\n \t":
        k -= 1
    if k <= 0:
        return None
    ps, pe = ix.line_bounds(k - 1)
    if not t[ps:pe].strip():
        return None
    return _trim(ix, ps, pe)
